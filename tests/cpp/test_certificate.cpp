// Certificates: issue on completion, idempotence, refusal before completion, the
// verification code against every single-field edit and a wrong key, revocation, validity
// boundaries, restoring a registry, the seals that refuse tampered records, and a known
// answer for the HMAC itself.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "balai/core/hmac.hpp"
#include "balai/tracking/certificate.hpp"
#include "balai/tracking/ledger.hpp"
#include "fixtures.hpp"

using namespace balai;
using balai::testing::make_facility;
using balai::testing::make_module;
using balai::testing::make_program;
using balai::testing::make_regencies;
using balai::testing::make_trainee;

namespace {

constexpr std::string_view kDone = "6b1e0b52-3a57-4c1e-9d43-1c0f2f6f1a01";
constexpr std::string_view kStarted = "6b1e0b52-3a57-4c1e-9d43-1c0f2f6f1a02";
constexpr Timestamp kHour = 3600;
constexpr Timestamp kDay = 86400;

Timestamp at(int year, int month, int day, Timestamp hour = 0) {
  return Timestamp{Date(year, month, day).days()} * kDay + hour * kHour;
}

std::vector<std::uint8_t> key_of(char fill, std::size_t size = 32) {
  return std::vector<std::uint8_t>(size, static_cast<std::uint8_t>(fill));
}

// Two modules of two sessions each. Registration kDone attends all four sessions (the
// last on 2027-01-12 at 10:00 WIB) and so completes the program; kStarted only enrols.
Ledger make_ledger() {
  Batch batch;
  batch.facilities = {make_facility("BLK-3273-001")};
  batch.modules = {make_module("ENT-101"), make_module("ENT-102", {"ENT-101"})};
  batch.trainees = {make_trainee("T-1"), make_trainee("T-2")};
  batch.program = make_program();
  const Dataset dataset(make_regencies(), std::move(batch));
  std::vector<Cohort> cohorts{
      {"C-101", "ENT-101", "BLK-3273-001", {Date(2027, 1, 4), Date(2027, 1, 5)}, {}},
      {"C-102", "ENT-102", "BLK-3273-001", {Date(2027, 1, 11), Date(2027, 1, 12)}, {}}};
  std::vector<Registration> registrations{{std::string(kDone), "T-1", {"C-101", "C-102"}},
                                          {std::string(kStarted), "T-2", {"C-101", "C-102"}}};
  Ledger ledger(Roster(dataset, std::move(cohorts), std::move(registrations)));

  const RegistrationIndex done(0);
  const RegistrationIndex started(1);
  std::vector<Event> events;
  const auto add = [&](EventKind kind, RegistrationIndex r, Timestamp time,
                       std::optional<ModuleIndex> module = {}, std::optional<int> session = {}) {
    Event event;
    event.id = events.size() + 1;
    event.kind = kind;
    event.registration = r;
    event.module = module;
    event.session = session;
    event.time = time;
    event.actor = "operator-1";
    events.push_back(event);
  };
  add(EventKind::enrolled, done, at(2027, 1, 1));
  add(EventKind::enrolled, started, at(2027, 1, 1));
  const Date days[2][2] = {{Date(2027, 1, 4), Date(2027, 1, 5)},
                           {Date(2027, 1, 11), Date(2027, 1, 12)}};
  for (std::uint32_t m = 0; m < 2; ++m) {
    for (int s = 1; s <= 2; ++s) {
      add(EventKind::attended, done, Timestamp{days[m][s - 1].days()} * kDay + 3 * kHour,
          ModuleIndex(m), s);
    }
  }
  ledger.append(events);
  return ledger;
}

const Timestamp kCompleted = at(2027, 1, 12, 3);  // the last attendance
const Timestamp kNow = at(2027, 2, 1, 9);

}  // namespace

TEST_CASE("a certificate is issued on program completion", "[certificate][quick]") {
  const Ledger ledger = make_ledger();
  REQUIRE(ledger.statuses().program(RegistrationIndex(0)).status == Status::completed);
  CertificateRegistry registry(key_of('k'));
  const Certificate certificate = registry.issue(ledger, RegistrationIndex(0), kNow);

  CHECK(Uuid::is_uuid(certificate.serial));
  CHECK(certificate.registration == Uuid::parse(kDone));
  CHECK(certificate.trainee == "T-1");
  CHECK(certificate.program == make_program().name);
  CHECK(certificate.completed_on == Date(2027, 1, 12));  // 10:00 in Bandung (WIB)
  CHECK(certificate.issue == 1);
  CHECK(certificate.issued_at == kNow);
  CHECK(certificate.valid_from == kNow);
  CHECK(certificate.valid_until == kNow + 1826 * kDay);
  CHECK(certificate.verification_code.size() == 64);
  CHECK(check(certificate).empty());
  CHECK(registry.verify(certificate, kNow) == Verification::valid);
  REQUIRE(registry.records().size() == 1);
  CHECK(registry.find(certificate.serial)->certificate == certificate);
  CHECK(registry.find("00000000-0000-0000-0000-000000000000") == nullptr);

  // The serial and the code depend only on the inputs: a second registry with the same
  // key issues the same certificate.
  CertificateRegistry twin(key_of('k'));
  CHECK(twin.issue(ledger, RegistrationIndex(0), kNow) == certificate);
}

TEST_CASE("issuing again while a certificate is active returns it", "[certificate][quick]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));
  const Certificate first = registry.issue(ledger, RegistrationIndex(0), kNow);
  const Certificate again = registry.issue(ledger, RegistrationIndex(0), kNow + 30 * kDay);
  CHECK(again == first);
  CHECK(registry.records().size() == 1);
}

TEST_CASE("issue_all issues to every completed registration once", "[certificate][quick]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));
  CHECK(registry.issue_all(ledger, kCompleted - 1) == 0);
  CHECK(registry.issue_all(ledger, kNow) == 1);  // registration 1 has not completed
  CHECK(registry.issue_all(ledger, kNow + kDay) == 0);
  REQUIRE(registry.records().size() == 1);
  CertificateRegistry one_by_one(key_of('k'));
  CHECK(one_by_one.issue(ledger, RegistrationIndex(0), kNow) == registry.records()[0].certificate);
}

TEST_CASE("no certificate before completion", "[certificate][quick][bad-input]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));

  SECTION("a registration that only enrolled") {
    try {
      (void)registry.issue(ledger, RegistrationIndex(1), kNow);
      FAIL("issued a certificate to an unfinished registration");
    } catch (const ValidationError& error) {
      REQUIRE(error.problems().size() == 1);
      CHECK(error.problems()[0].field == "status");
      CHECK(error.problems()[0].value == "enrolled");
      CHECK_THAT(error.what(), Catch::Contains(std::string(kStarted)));
    }
    CHECK(registry.records().empty());
  }
  SECTION("a registration that completes only later") {
    CHECK_THROWS_WITH(registry.issue(ledger, RegistrationIndex(0), kCompleted - 1),
                      Catch::Contains("in_progress") && Catch::Contains(std::string(kDone)));
    CHECK(registry.issue(ledger, RegistrationIndex(0), kCompleted).issued_at == kCompleted);
  }
  SECTION("an unknown registration or an impossible time") {
    CHECK_THROWS_AS(registry.issue(ledger, RegistrationIndex(2), kNow), UnknownReferenceError);
    CHECK_THROWS_AS(registry.issue(ledger, RegistrationIndex(0), kLatestTime + 1), ValidationError);
    CHECK(registry.records().empty());
  }
}

TEST_CASE("editing any one field of a certificate is detected", "[certificate][quick]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));
  const Certificate original = registry.issue(ledger, RegistrationIndex(0), kNow);

  const std::vector<std::pair<std::string, std::function<void(Certificate&)>>> edits{
      {"serial", [](Certificate& c) { c.serial[0] = c.serial[0] == 'a' ? 'b' : 'a'; }},
      {"registration", [](Certificate& c) { c.registration = Uuid::parse(kStarted); }},
      {"trainee", [](Certificate& c) { c.trainee = "T-2"; }},
      {"program", [](Certificate& c) { c.program += " "; }},
      {"completed_on", [](Certificate& c) { c.completed_on = c.completed_on - 1; }},
      {"issue", [](Certificate& c) { c.issue = 2; }},
      {"issued_at", [](Certificate& c) { c.issued_at -= 1; }},
      {"valid_from", [](Certificate& c) { c.valid_from -= kDay; }},
      {"valid_until", [](Certificate& c) { c.valid_until += 365 * kDay; }},
      {"verification_code", [](Certificate& c) { c.verification_code[63] ^= 1; }},
      // Moving a character across a field boundary keeps the concatenated text the same;
      // the length prefixes still tell the fields apart.
      {"trainee/program boundary",
       [](Certificate& c) {
         c.program = c.trainee.back() + c.program;
         c.trainee.pop_back();
       }},
  };
  for (const auto& [field, edit] : edits) {
    Certificate copy = original;
    edit(copy);
    INFO("edited " << field);
    REQUIRE(copy != original);
    CHECK(registry.verify(copy, kNow) == Verification::altered);
  }
  Certificate truncated = original;
  truncated.verification_code.pop_back();
  CHECK(registry.verify(truncated, kNow) == Verification::altered);
  CHECK(registry.verify(original, kNow) == Verification::valid);
}

TEST_CASE("a certificate checked with another key is altered", "[certificate][quick]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));
  const Certificate certificate = registry.issue(ledger, RegistrationIndex(0), kNow);
  const CertificateRegistry other(key_of('K'));
  CHECK(other.verify(certificate, kNow) == Verification::altered);
  // The same key without the record: intact, but not issued there.
  const CertificateRegistry empty(key_of('k'));
  CHECK(empty.verify(certificate, kNow) == Verification::unknown);
}

TEST_CASE("revocation", "[certificate][quick]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));
  const Certificate first = registry.issue(ledger, RegistrationIndex(0), kNow);
  const Timestamp revoked_at = kNow + 10 * kDay;
  registry.revoke(first.serial, "issued to the wrong registration", revoked_at);

  CHECK(registry.verify(first, revoked_at - 1) == Verification::valid);
  CHECK(registry.verify(first, revoked_at) == Verification::revoked);
  CHECK(registry.verify(first, first.valid_until + kDay) == Verification::revoked);
  REQUIRE(registry.find(first.serial)->revocation);
  CHECK(registry.find(first.serial)->revocation->reason == "issued to the wrong registration");

  SECTION("revoking again") {
    registry.revoke(first.serial, "issued to the wrong registration", revoked_at);  // no-op
    CHECK_THROWS_AS(registry.revoke(first.serial, "another reason", revoked_at), ConflictError);
    CHECK(registry.find(first.serial)->revocation->reason == "issued to the wrong registration");
  }
  SECTION("issuing after a revocation gives a new certificate") {
    const Certificate second = registry.issue(ledger, RegistrationIndex(0), revoked_at + kDay);
    CHECK(second.serial != first.serial);
    CHECK(second.issue == 2);
    CHECK(registry.records().size() == 2);
    CHECK(registry.verify(second, revoked_at + kDay) == Verification::valid);
    CHECK(registry.verify(first, revoked_at + kDay) == Verification::revoked);
    CHECK(registry.issue(ledger, RegistrationIndex(0), revoked_at + 2 * kDay) == second);
  }
}

TEST_CASE("revocation refuses bad input", "[certificate][quick][bad-input]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));
  const Certificate certificate = registry.issue(ledger, RegistrationIndex(0), kNow);
  CHECK_THROWS_AS(registry.revoke("00000000-0000-0000-0000-000000000000", "why", kNow),
                  UnknownReferenceError);
  CHECK_THROWS_AS(registry.revoke(certificate.serial, "", kNow), ValidationError);
  CHECK_THROWS_AS(registry.revoke(certificate.serial, "line\nbreak", kNow), ValidationError);
  CHECK_THROWS_AS(registry.revoke(certificate.serial, "too early", kNow - 1), ValidationError);
  CHECK_FALSE(registry.find(certificate.serial)->revocation);
}

TEST_CASE("validity period boundaries", "[certificate][quick]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'), CertificateOptions{30});
  const Certificate certificate = registry.issue(ledger, RegistrationIndex(0), kNow);
  REQUIRE(certificate.valid_until == kNow + 30 * kDay);
  CHECK(registry.verify(certificate, certificate.valid_from - 1) == Verification::not_yet_valid);
  CHECK(registry.verify(certificate, certificate.valid_from) == Verification::valid);
  CHECK(registry.verify(certificate, certificate.valid_until - 1) == Verification::valid);
  CHECK(registry.verify(certificate, certificate.valid_until) == Verification::expired);
}

TEST_CASE("a registry refuses short keys and bad options", "[certificate][quick][bad-input]") {
  const auto short_key = key_of('s', 31);
  try {
    CertificateRegistry registry(short_key);
    FAIL("accepted a 31-byte key");
  } catch (const ValidationError& error) {
    CHECK(error.problems().at(0).field == "key");
    CHECK(error.problems().at(0).value == "31 bytes");
    CHECK_THAT(error.what(), !Catch::Contains("sss"));  // never the key itself
  }
  CHECK_THROWS_AS(CertificateRegistry(key_of('k'), CertificateOptions{0}), ValidationError);
  CHECK_THROWS_AS(CertificateRegistry(key_of('k'), CertificateOptions{36526}), ValidationError);
  CHECK_NOTHROW(CertificateRegistry(key_of('k'), CertificateOptions{36525}));
}

TEST_CASE("a registry restores from its records", "[certificate][quick]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));
  const Certificate first = registry.issue(ledger, RegistrationIndex(0), kNow);
  registry.revoke(first.serial, "reprinted", kNow + kDay);
  const Certificate second = registry.issue(ledger, RegistrationIndex(0), kNow + 2 * kDay);
  const std::vector<CertificateRecord> records(registry.records().begin(),
                                               registry.records().end());

  CertificateRegistry restored(key_of('k'), {}, records);
  CHECK(std::equal(restored.records().begin(), restored.records().end(), records.begin(),
                   records.end()));
  CHECK(restored.verify(second, kNow + 3 * kDay) == Verification::valid);
  CHECK(restored.verify(first, kNow + 3 * kDay) == Verification::revoked);
  CHECK(restored.issue(ledger, RegistrationIndex(0), kNow + 4 * kDay) == second);

  SECTION("under another key nothing verifies") {
    CHECK_THROWS_AS(CertificateRegistry(key_of('K'), {}, records), ValidationError);
  }
  SECTION("an edited record or a malformed revocation") {
    auto early = records;
    early[0].revocation->time = first.issued_at - 1;
    CHECK_THROWS_WITH(CertificateRegistry(key_of('k'), {}, early),
                      Catch::Contains("before the certificate was issued"));
    auto edited = records;
    edited[1].certificate.trainee = "T-2";
    CHECK_THROWS_WITH(CertificateRegistry(key_of('k'), {}, edited),
                      Catch::Contains("does not verify"));
  }
  SECTION("out of order or twice active") {
    CHECK_THROWS_WITH(CertificateRegistry(key_of('k'), {}, {records[1]}),
                      Catch::Contains("must be 1"));
    auto unrevoked = records;
    unrevoked[0].revocation.reset();
    CHECK_THROWS_WITH(CertificateRegistry(key_of('k'), {}, unrevoked),
                      Catch::Contains("follows the active certificate"));
    CHECK_THROWS_WITH(CertificateRegistry(key_of('k'), {}, {records[0], records[0]}),
                      Catch::Contains("duplicate serial"));
  }
}

namespace {

// Three certificates of one registration: the first two revoked, the third active.
CertificateRegistry reissued_twice(const Ledger& ledger) {
  CertificateRegistry registry(key_of('k'));
  for (int round = 0; round < 2; ++round) {
    const auto& certificate = registry.issue(ledger, RegistrationIndex(0), kNow + round * kDay);
    const std::string serial = certificate.serial;
    registry.revoke(serial, "reprinted", kNow + round * kDay + kHour);
  }
  registry.issue(ledger, RegistrationIndex(0), kNow + 2 * kDay);
  return registry;
}

// The message of the ValidationError restoring `records` throws, or "" if it restores.
std::string refusal(const std::vector<CertificateRecord>& records,
                    std::optional<std::string> seal = std::nullopt) {
  try {
    CertificateRegistry(key_of('k'), {}, records, std::move(seal));
  } catch (const ValidationError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a revocation removed from the records is detected", "[certificate][quick][bad-input]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));
  const Certificate certificate = registry.issue(ledger, RegistrationIndex(0), kNow);
  registry.revoke(certificate.serial, "fraud", kNow + kHour);
  std::vector<CertificateRecord> records(registry.records().begin(), registry.records().end());
  records[0].revocation.reset();
  // Restored, the revoked certificate would verify as valid.
  CHECK_THAT(refusal(records),
             Catch::Contains("certificate " + certificate.serial + " (record 0): seal") &&
                 Catch::Contains("does not match"));
}

TEST_CASE("every tampering with sealed records is refused, naming the record",
          "[certificate][quick][bad-input]") {
  const Ledger ledger = make_ledger();
  const CertificateRegistry registry = reissued_twice(ledger);
  const std::vector<CertificateRecord> records(registry.records().begin(),
                                               registry.records().end());
  REQUIRE(records.size() == 3);
  CHECK(refusal(records, registry.seal()).empty());
  const auto names = [&](std::size_t position) {
    return Catch::Contains("certificate " + records[position].certificate.serial + " (record " +
                           std::to_string(position) + "): seal");
  };

  SECTION("a revocation removed") {
    auto tampered = records;
    tampered[1].revocation.reset();
    CHECK_THAT(refusal(tampered), names(1));
  }
  SECTION("a revocation postponed, or its reason changed") {
    auto later = records;
    later[0].revocation->time += 365 * kDay;
    CHECK_THAT(refusal(later), names(0));
    auto reason = records;
    reason[1].revocation->reason = "a typo";
    CHECK_THAT(refusal(reason), names(1));
  }
  SECTION("records reordered") {
    const std::vector<CertificateRecord> swapped{records[1], records[0], records[2]};
    CHECK_THAT(refusal(swapped), Catch::Contains("(record 0): seal"));
  }
  SECTION("an issue number changed") {
    auto tampered = records;
    tampered[2].certificate.issue = 2;  // the code authenticates it, the seal the code
    CHECK_THAT(refusal(tampered), Catch::Contains("certificate " + records[2].certificate.serial +
                                                  ": verification_code") &&
                                      Catch::Contains("does not verify"));
    auto forged = records;  // a code made under another key does not pass for it either
    CertificateRegistry forger(key_of('f'));
    forged[2].certificate = forger.issue(ledger, RegistrationIndex(0), kNow + 2 * kDay);
    CHECK_THAT(refusal(forged), Catch::Contains("(record 2): seal"));
  }
  SECTION("a record dropped from the middle or the end") {
    CHECK_THAT(
        refusal({records[0], records[2]}),
        Catch::Contains("certificate " + records[2].certificate.serial + " (record 1): seal"));
    // The chain cannot show that its end is missing: the registry's seal, kept apart, can.
    CHECK(refusal({records[0], records[1]}).empty());
    CHECK_THAT(refusal({records[0], records[1]}, registry.seal()),
               Catch::Contains("certificate registry: seal") &&
                   Catch::Contains("the newest records were dropped"));
  }
  SECTION("records added") {
    auto extra = records;
    extra.push_back(reissued_twice(ledger).records()[0]);
    CHECK_THAT(refusal(extra), Catch::Contains("(record 3): seal"));
  }
}

TEST_CASE("revoking seals the record again, and an older state is refused",
          "[certificate][quick]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));
  const Certificate certificate = registry.issue(ledger, RegistrationIndex(0), kNow);
  const std::vector<CertificateRecord> before(registry.records().begin(), registry.records().end());
  const std::string issued_seal = registry.seal();
  registry.revoke(certificate.serial, "fraud", kNow + kHour);
  CHECK(registry.seal() != issued_seal);
  const std::vector<CertificateRecord> after(registry.records().begin(), registry.records().end());

  const CertificateRegistry restored(key_of('k'), {}, after, registry.seal());
  CHECK(restored.verify(certificate, kNow + 2 * kHour) == Verification::revoked);
  CHECK(restored.seal() == registry.seal());
  // The records as they were before the revocation are sound, but not the newest state.
  CHECK(refusal(before).empty());
  CHECK_THAT(refusal(before, registry.seal()), Catch::Contains("an older state"));
}

TEST_CASE("records written before seals are adopted on purpose only", "[certificate][quick]") {
  const Ledger ledger = make_ledger();
  const CertificateRegistry registry = reissued_twice(ledger);
  std::vector<CertificateRecord> unsealed(registry.records().begin(), registry.records().end());
  for (auto& record : unsealed) record.seal.clear();
  CHECK_THAT(refusal(unsealed), Catch::Contains("missing") && Catch::Contains("adopt_unsealed"));

  const auto adopted = CertificateRegistry::adopt_unsealed(key_of('k'), {}, unsealed);
  CHECK(std::equal(adopted.records().begin(), adopted.records().end(), registry.records().begin(),
                   registry.records().end()));
  CHECK(adopted.seal() == registry.seal());
  auto bad = unsealed;
  bad[0].revocation.reset();  // still checked in every other way: twice active
  CHECK_THROWS_AS(CertificateRegistry::adopt_unsealed(key_of('k'), {}, bad), ValidationError);
}

TEST_CASE("the form of a certificate", "[certificate][quick][bad-input]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(key_of('k'));
  const Certificate good = registry.issue(ledger, RegistrationIndex(0), kNow);
  const auto fields_of = [](const Certificate& certificate) {
    std::vector<std::string> fields;
    for (const auto& problem : check(certificate)) fields.push_back(problem.field);
    return fields;
  };
  Certificate bad = good;
  bad.serial = "not-a-uuid";
  bad.trainee = "";
  bad.program = "tab\tis fine, but a bell\a is not";
  bad.issue = 0;
  bad.valid_until = bad.valid_from - 1;
  bad.verification_code = std::string(64, 'A');  // upper case
  CHECK(fields_of(bad) == std::vector<std::string>{"serial", "trainee", "program", "issue",
                                                   "valid_until", "verification_code"});
}

TEST_CASE("HMAC-SHA256 known answer (RFC 4231 test case 2)", "[certificate][quick]") {
  const std::string key = "Jefe";
  const std::vector<std::uint8_t> key_bytes(key.begin(), key.end());
  const auto mac = hmac_sha256(key_bytes, "what do ya want for nothing?");
  const std::array<std::uint8_t, 32> expected{0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e,
                                              0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
                                              0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83,
                                              0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
  CHECK(mac == expected);
}
