// Certificates and the standard exports: the CertificateRegistry that issues, verifies
// and revokes certificates, the Certificate value, and the xAPI and Open Badges JSON
// (returned as str). Times are Unix seconds (UTC), as for events.
//
// The registry's key goes in as bytes and never comes out: the registry has no key
// property, its repr shows only the key's length, and it cannot be pickled. Its records
// (certificates and revocations, nothing secret) pickle, and restore a registry together
// with the key.
#include "bindings.hpp"  // first: the shared type casters

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "balai/io/open_badges.hpp"
#include "balai/io/status_list.hpp"
#include "balai/io/xapi.hpp"
#include "balai/tracking/certificate.hpp"
#include "balai/tracking/ledger.hpp"
#include "object_locks.hpp"
#include "pickle_versions.hpp"
#include "registry_certificate.hpp"
#include "value_class.hpp"

namespace balai::python {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view bytes) {
  return {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
}

// A registration given as its index or its UUID.
RegistrationIndex registration_of(const Ledger& ledger, const py::handle& registration) {
  const Roster& roster = ledger.roster();
  if (py::isinstance<py::str>(registration)) {
    const auto id = registration.cast<std::string>();
    if (const auto found = roster.find_registration(id)) return *found;
    throw UnknownReferenceError("registration", id);
  }
  const auto index = registration.cast<long long>();
  if (index < 0 || static_cast<unsigned long long>(index) >= roster.registration_count()) {
    throw UnknownReferenceError("registration", std::to_string(index));
  }
  return RegistrationIndex(static_cast<std::uint32_t>(index));
}

Certificate make_certificate(std::string serial, std::string_view registration, std::string trainee,
                             std::string program, Date completed_on, int issue, Timestamp issued_at,
                             Timestamp valid_from, Timestamp valid_until,
                             std::string verification_code) {
  std::vector<Problem> problems;
  Uuid uuid;
  try {
    uuid = Uuid::parse(registration, "registration");
  } catch (const ValidationError& error) {
    problems = error.problems();
  }
  Certificate certificate{std::move(serial),  uuid,
                          std::move(trainee), std::move(program),
                          completed_on,       issue,
                          issued_at,          valid_from,
                          valid_until,        std::move(verification_code)};
  raise_if_any(combine(std::move(problems), check(certificate)), "Certificate");
  return certificate;
}

void bind_certificate(py::module_& m) {
  bind_enum<Verification>(m, "Verification",
                          "What CertificateRegistry.verify says about a certificate at a time.");

  py::class_<Certificate>(
      m, "Certificate", py::is_final(),
      "A certificate of program completion. The verification code is the HMAC-SHA256 of "
      "every other field under the issuing registry's key: a certificate with any field "
      "changed verifies as Verification.altered.")
      .def(py::init(&make_certificate), py::kw_only(), py::arg("serial"), py::arg("registration"),
           py::arg("trainee"), py::arg("program"), py::arg("completed_on"), py::arg("issue"),
           py::arg("issued_at"), py::arg("valid_from"), py::arg("valid_until"),
           py::arg("verification_code"))
      .def_readonly("serial", &Certificate::serial)
      .def_property_readonly("registration",
                             [](const Certificate& c) { return c.registration.to_string(); })
      .def_readonly("trainee", &Certificate::trainee)
      .def_readonly("program", &Certificate::program)
      .def_readonly("completed_on", &Certificate::completed_on)
      .def_readonly("issue", &Certificate::issue)
      .def_readonly("issued_at", &Certificate::issued_at)
      .def_readonly("valid_from", &Certificate::valid_from)
      .def_readonly("valid_until", &Certificate::valid_until)
      .def_readonly("verification_code", &Certificate::verification_code)
      .def("__repr__",
           [](const Certificate& c) {
             return Repr("Certificate")
                 .arg("serial", c.serial)
                 .arg("registration", c.registration.to_string())
                 .arg("trainee", c.trainee)
                 .arg("program", c.program)
                 .arg("completed_on", c.completed_on)
                 .arg("issue", c.issue)
                 .arg("issued_at", c.issued_at)
                 .arg("valid_from", c.valid_from)
                 .arg("valid_until", c.valid_until)
                 .arg("verification_code", c.verification_code)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Certificate& c) {
            return py::make_tuple(kPickleVersion, c.serial, c.registration.to_string(), c.trainee,
                                  c.program, c.completed_on, c.issue, c.issued_at, c.valid_from,
                                  c.valid_until, c.verification_code);
          },
          [](const py::tuple& state) {
            const auto s = unpickle(state, "Certificate", 10);
            return make_certificate(s[1].cast<std::string>(), s[2].cast<std::string>(),
                                    s[3].cast<std::string>(), s[4].cast<std::string>(),
                                    s[5].cast<Date>(), s[6].cast<int>(), s[7].cast<Timestamp>(),
                                    s[8].cast<Timestamp>(), s[9].cast<Timestamp>(),
                                    s[10].cast<std::string>());
          }));

  py::class_<Revocation>(m, "Revocation", py::is_final(),
                         "Why and from when a certificate is revoked.")
      .def(py::init([](std::string reason, Timestamp time) {
             return Revocation{std::move(reason), time};
           }),
           py::arg("reason"), py::kw_only(), py::arg("time"))
      .def_readonly("reason", &Revocation::reason)
      .def_readonly("time", &Revocation::time)
      .def("__repr__",
           [](const Revocation& r) {
             return Repr("Revocation").arg("reason", r.reason).arg("time", r.time).str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Revocation& r) { return py::make_tuple(kPickleVersion, r.reason, r.time); },
          [](const py::tuple& state) {
            const auto s = unpickle(state, "Revocation", 2);
            return Revocation{s[1].cast<std::string>(), s[2].cast<Timestamp>()};
          }));

  // Version 2 added the seal; a version 1 pickle reads with none, for adopt_unsealed.
  static constexpr std::array<std::size_t, 2> kRecordFields{2, 3};
  py::class_<CertificateRecord>(
      m, "CertificateRecord", py::is_final(),
      "A certificate as a registry keeps it, with its revocation if it was revoked and its "
      "seal (the HMAC chaining it to the records before it).")
      .def(py::init(
               [](Certificate certificate, std::optional<Revocation> revocation, std::string seal) {
                 return CertificateRecord{std::move(certificate), std::move(revocation),
                                          std::move(seal)};
               }),
           py::arg("certificate"), py::kw_only(), py::arg("revocation") = py::none(),
           py::arg("seal") = "")
      .def_readonly("certificate", &CertificateRecord::certificate)
      .def_readonly("revocation", &CertificateRecord::revocation)
      .def_readonly("seal", &CertificateRecord::seal)
      .def("__repr__",
           [](const CertificateRecord& r) {
             return Repr("CertificateRecord")
                 .arg("certificate", r.certificate)
                 .arg("revocation", r.revocation)
                 .arg("seal", r.seal)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const CertificateRecord& r) {
            return py::make_tuple(kRecordFields.size(), r.certificate, r.revocation, r.seal);
          },
          [](const py::tuple& state) {
            const auto [s, version] = unpickle_versions(state, "CertificateRecord", kRecordFields);
            return CertificateRecord{s[1].cast<Certificate>(),
                                     s[2].cast<std::optional<Revocation>>(),
                                     version >= 2 ? s[3].cast<std::string>() : std::string()};
          }));
}

void bind_registry(py::module_& m) {
  py::class_<CertificateRegistry> cls(
      m, "CertificateRegistry",
      "Issues certificates on program completion, verifies and revokes them. `key` is the "
      "operator's secret (bytes, at least 32): it is never shown, exported or pickled. "
      "`records` (from records()) restore a registry, their seals checked; `seal` (the "
      "registry's seal when they were stored, kept apart) proves that none is missing.");
  cls.def(py::init([](const py::bytes& key, int validity_days,
                      std::vector<CertificateRecord> records, std::optional<std::string> seal) {
            return CertificateRegistry(bytes_of(std::string_view(key)),
                                       CertificateOptions{validity_days}, std::move(records),
                                       std::move(seal));
          }),
          py::arg("key"), py::kw_only(),
          py::arg("validity_days") = CertificateOptions{}.validity_days,
          py::arg("records") = std::vector<CertificateRecord>{}, py::arg("seal") = py::none())
      .def_static(
          "adopt_unsealed",
          [](const py::bytes& key, std::vector<CertificateRecord> records, int validity_days) {
            return CertificateRegistry::adopt_unsealed(bytes_of(std::string_view(key)),
                                                       CertificateOptions{validity_days},
                                                       std::move(records));
          },
          py::arg("key"), py::arg("records"), py::kw_only(),
          py::arg("validity_days") = CertificateOptions{}.validity_days,
          "A registry of records written before balai sealed them, checked in every other "
          "way and sealed anew; their revocations and order cannot be proved.")
      .def_property_readonly("seal", &CertificateRegistry::seal,
                             "The seal of the newest record: keep it apart from the records "
                             "and give it back when restoring them.")
      .def(
          "issue",
          [](CertificateRegistry& registry, const Ledger& ledger, const py::handle& registration,
             Timestamp now) {
            return registry.issue(ledger, registration_of(ledger, registration), now);
          },
          py::arg("ledger"), py::arg("registration"), py::kw_only(), py::arg("now"),
          "The registration's (index or UUID) active certificate, issued now if it has none. "
          "ValidationError unless its program is completed in ledger.statuses(now).")
      .def(
          "issue_all",
          [](CertificateRegistry& registry, const Ledger& ledger, Timestamp now) {
            return registry.issue_all(ledger, now);
          },
          py::arg("ledger"), py::kw_only(), py::arg("now"),
          "Issues to every registration completed in ledger.statuses(now) that has no active "
          "certificate, evaluating the statuses once; returns how many were issued.")
      .def("revoke", &CertificateRegistry::revoke, py::arg("serial"), py::kw_only(),
           py::arg("reason"), py::arg("time"),
           "Revokes the certificate from `time` on; again with the same reason and time is a "
           "no-op, with another a ConflictError.")
      .def("verify", &CertificateRegistry::verify, py::arg("certificate"), py::kw_only(),
           py::arg("at"), "The certificate's standing at `at` (Unix seconds).")
      .def("records",
           [](const CertificateRegistry& registry) {
             return std::vector<CertificateRecord>(registry.records().begin(),
                                                   registry.records().end());
           })
      .def(
          "find",
          [](const CertificateRegistry& registry,
             std::string_view serial) -> std::optional<CertificateRecord> {
            if (const auto* record = registry.find(serial)) return *record;
            return std::nullopt;
          },
          py::arg("serial"), "The record with this serial, or None.")
      .def_property_readonly("validity_days",
                             [](const CertificateRegistry& r) { return r.options().validity_days; })
      .def("__len__", [](const CertificateRegistry& r) { return r.records().size(); })
      .def("__repr__", [](const CertificateRegistry& r) {
        return "<CertificateRegistry: " + std::to_string(r.records().size()) +
               " certificates, valid " + std::to_string(r.options().validity_days) + " days>";
      });
  refuse_pickle(cls,
                "a CertificateRegistry holds its signing key, and a pickle would write it in "
                "clear. Pickle registry.records() instead and make "
                "CertificateRegistry(key, validity_days=..., records=...) where the key is.");
}

// XapiOptions from the keyword arguments of xapi_statements and xapi_statement_id.
XapiOptions xapi_options(std::string base_iri, std::string home_page, std::string language,
                         std::optional<Timestamp> as_of, bool events, bool completions,
                         std::size_t since) {
  return {std::move(base_iri),
          std::move(home_page),
          std::move(language),
          as_of,
          events,
          completions,
          since};
}

void bind_xapi_options(py::module_& m) {
  bind_value(m, "XapiOptions",
             "How a ledger becomes xAPI statements (docs/exports.md): base_iri and home_page "
             "(required), language, as_of, events, completions, and since (the position of "
             "an earlier export: what changed after it).",
             field("base_iri", &XapiOptions::base_iri), field("home_page", &XapiOptions::home_page),
             field("language", &XapiOptions::language), field("as_of", &XapiOptions::as_of),
             field("events", &XapiOptions::events), field("completions", &XapiOptions::completions),
             field("since", &XapiOptions::since));
}

// An export with the ledger it reads (kept alive by the Python object), whose lock each
// batch takes.
struct LedgerXapiExport {
  const Ledger* ledger;
  XapiExport statements;
};

void bind_xapi_export(py::module_& m) {
  py::class_<LedgerXapiExport> cls(m, "XapiExport",
                                   "A ledger's xAPI statements in batches (docs/exports.md): it "
                                   "covers the events recorded when it is made; `position` is the "
                                   "`since` of the next incremental export.");
  cls.def(py::init([](const Ledger& ledger, const XapiOptions& options) {
            return read_released(ledger, [&] {
              return LedgerXapiExport{&ledger, XapiExport(ledger, options)};
            });
          }),
          py::keep_alive<1, 2>(), py::arg("ledger"), py::arg("options"))
      .def_property_readonly(
          "position", [](const LedgerXapiExport& self) { return self.statements.position(); })
      .def(
          "next_batch",
          [](LedgerXapiExport& self, std::size_t count) -> std::optional<std::string> {
            if (count == 0) {
              throw ValidationError(
                  Problem{"XapiExport.next_batch", "count", "0", "must be at least 1"});
            }
            // Two threads sharing one export take turns (its position moves); the ledger
            // is read under its shared lock. Both are waited for with the GIL released.
            const auto turn = lock_of(self);
            const auto reading = lock_of(*self.ledger);
            const py::gil_scoped_release release;
            const std::unique_lock mine(*turn);
            const std::shared_lock ledger_lock(*reading);
            std::string batch = "[";
            for (std::size_t n = 0; n < count; ++n) {
              auto statement = self.statements.next();
              if (!statement) break;
              if (n > 0) batch += ',';
              batch += *statement;
            }
            if (batch.size() == 1) return std::nullopt;
            return batch + ']';
          },
          py::arg("count"),
          "The next at most `count` statements as a JSON array, or None once all are out.")
      .def("__repr__", [](const LedgerXapiExport& self) {
        return "<XapiExport of " + std::to_string(self.statements.position()) + " events>";
      });
  refuse_pickle(cls,
                "an XapiExport is a position in a live ledger's export; pickle the ledger and "
                "make a new export with since=position.");
}

void bind_exports(py::module_& m) {
  m.def(
      "xapi_statements",
      [](const Ledger& ledger, std::string base_iri, std::string home_page, std::string language,
         std::optional<Timestamp> as_of, bool events, bool completions, std::size_t since) {
        const XapiOptions options =
            xapi_options(std::move(base_iri), std::move(home_page), std::move(language), as_of,
                         events, completions, since);
        return read_released(ledger, [&] { return xapi_statements(ledger, options); });
      },
      py::arg("ledger"), py::kw_only(), py::arg("base_iri"), py::arg("home_page"),
      py::arg("language") = XapiOptions{}.language, py::arg("as_of") = py::none(),
      py::arg("events") = true, py::arg("completions") = true, py::arg("since") = 0,
      "The ledger as a JSON array of xAPI 1.0.3 statements (docs/exports.md).");
  m.def(
      "xapi_statement_id",
      [](EventId event, std::string base_iri, std::string home_page, std::string language) {
        const XapiOptions options = xapi_options(std::move(base_iri), std::move(home_page),
                                                 std::move(language), std::nullopt, true, true, 0);
        return xapi_statement_id(options, event).to_string();
      },
      py::arg("event"), py::kw_only(), py::arg("base_iri"), py::arg("home_page"),
      py::arg("language") = XapiOptions{}.language,
      "The id of the statement for event `event` under these export options.");
  bind_xapi_options(m);
  bind_xapi_export(m);
  m.def(
      "open_badge_credential",
      [](const Certificate& certificate, std::string issuer_id, std::string issuer_name,
         std::string achievement_id, std::string terms_iri, const CertificateRegistry* registry,
         std::optional<std::string> status_list) {
        const OpenBadgeOptions options{std::move(issuer_id), std::move(issuer_name),
                                       std::move(achievement_id), std::move(terms_iri),
                                       std::move(status_list).value_or("")};
        if (registry == nullptr) return open_badge_credential(certificate, options);
        return open_badge_credential(*registry, registry_serial(*registry, certificate), options);
      },
      py::arg("certificate"), py::kw_only(), py::arg("issuer_id"), py::arg("issuer_name"),
      py::arg("achievement_id"), py::arg("terms_iri") = std::string(kOpenBadgeTermsIri),
      py::arg("registry") = py::none(), py::arg("status_list") = py::none(),
      "The certificate as an unsigned Open Badges 3.0 OpenBadgeCredential (JSON). With "
      "`status_list` (the status list credential's IRI) and the `registry` that issued the "
      "certificate, a credentialStatus names its bit in that list.");
  m.def(
      "status_list_credential",
      [](const CertificateRegistry& registry, std::string id, std::string issuer_id, Timestamp at) {
        return status_list_credential(registry,
                                      StatusListOptions{std::move(id), std::move(issuer_id)}, at);
      },
      py::arg("registry"), py::kw_only(), py::arg("id"), py::arg("issuer_id"), py::arg("at"),
      "The registry's revocations at `at` (Unix seconds) as an unsigned W3C "
      "BitstringStatusListCredential (JSON) published at `id`.");
}

}  // namespace

void register_exports(py::module_& m) {
  bind_certificate(m);
  bind_registry(m);
  bind_exports(m);
}

}  // namespace balai::python
