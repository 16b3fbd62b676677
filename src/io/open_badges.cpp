#include "balai/io/open_badges.hpp"
#include "balai/core/calendar.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "balai/core/text.hpp"
#include "json_writer.hpp"

namespace balai {
namespace {

// A text in Indonesian and English. The Open Badges 3.0 JSON Schema types `name`,
// `description` and `narrative` as plain strings, which wallets check, so those carry the
// Indonesian text (the language the program's people read, the achievement's
// inLanguage); `<name>ByLanguage` carries both as a JSON-LD language map of the same
// property (the inline context maps it to the same IRI), so a JSON-LD processor sees the
// text in both languages and a schema validator sees one more member it allows.
void bilingual(detail::JsonWriter& json, std::string_view name, std::string_view indonesian,
               std::string_view english) {
  json.member(name, indonesian);
  json.key(std::string(name) + "ByLanguage").begin_object();
  json.member("id", indonesian).member("en", english);
  json.end_object();
}

// The inline context's language maps: `<term>ByLanguage` is `iri` with a language map.
void language_map_term(detail::JsonWriter& json, std::string_view term, std::string_view iri) {
  json.key(std::string(term) + "ByLanguage").begin_object();
  json.member("@id", iri).member("@container", "@language");
  json.end_object();
}

// The credential, with a status entry at `status_index` when it is given.
std::string credential(const Certificate& certificate, const OpenBadgeOptions& options,
                       const std::size_t* status_index) {
  auto problems = check(options);
  auto form = check(certificate);
  problems.insert(problems.end(), form.begin(), form.end());
  if (!problems.empty()) throw ValidationError(std::move(problems));

  detail::JsonWriter json;
  json.begin_object();
  json.key("@context").begin_array();
  json.value("https://www.w3.org/ns/credentials/v2");
  json.value("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
  // balai's own terms and jti, defined (the credentials v2 context has no @vocab since
  // 2024, and a processor drops an undefined term) rather than left to the undefined-terms
  // context.
  json.begin_object();
  json.key("completionDate").begin_object();
  json.member("@id", options.terms_iri + "completionDate");
  json.member("@type", "http://www.w3.org/2001/XMLSchema#date");
  json.end_object();
  json.member("verificationCode", options.terms_iri + "verificationCode");
  detail::jti_term(json);
  language_map_term(json, "name", "https://schema.org/name");
  language_map_term(json, "description", "https://schema.org/description");
  language_map_term(json, "narrative",
                    "https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative");
  json.end_object();
  json.end_array();
  json.member("id", "urn:uuid:" + certificate.serial);
  json.key("type").begin_array().value("VerifiableCredential").value("OpenBadgeCredential");
  json.end_array();
  json.key("issuer").begin_object();
  json.member("id", options.issuer_id);
  json.key("type").begin_array().value("Profile").end_array();
  json.member("name", options.issuer_name);
  json.end_object();
  json.member("validFrom", utc_timestamp(certificate.valid_from));
  json.member("validUntil", utc_timestamp(certificate.valid_until));
  json.member("awardedDate", utc_timestamp(certificate.issued_at));
  bilingual(json, "name", certificate.program + ": sertifikat kelulusan",
            certificate.program + ": certificate of completion");

  json.key("credentialSubject").begin_object();
  json.member("id", "urn:uuid:" + certificate.registration.to_string());
  json.key("type").begin_array().value("AchievementSubject").end_array();
  json.key("achievement").begin_object();
  json.member("id", options.achievement_id);
  json.key("type").begin_array().value("Achievement").end_array();
  json.member("achievementType", "CertificateOfCompletion");
  json.member("inLanguage", "id");
  // The program's name is a proper name, the same in both languages.
  bilingual(json, "name", certificate.program, certificate.program);
  bilingual(json, "description", "Kelulusan " + certificate.program + ".",
            "Completion of " + certificate.program + ".");
  json.key("criteria").begin_object();
  bilingual(json, "narrative",
            "Setiap modul yang diwajibkan jalur " + certificate.program +
                " yang diikuti peserta telah diselesaikan, lulus atau dibebaskan menurut "
                "aturan kelulusan modul itu, sebagaimana tercatat di buku besar program.",
            "Every module that the trainee's track of " + certificate.program +
                " requires is completed, passed or waived under the module's completion "
                "rule, as the program's ledger records.");
  json.end_object();
  json.end_object();
  // balai's own terms (the inline context): the day the program was completed, and what
  // lets the issuing registry vouch for this credential.
  json.member("completionDate", certificate.completed_on.to_string());
  json.end_object();
  json.member("verificationCode", certificate.verification_code);
  if (status_index != nullptr) {
    // W3C Bitstring Status List 1.0: the index is a decimal string.
    const std::string index = std::to_string(*status_index);
    json.key("credentialStatus").begin_object();
    json.member("id", options.status_list + "#" + index);
    json.member("type", "BitstringStatusListEntry");
    json.member("statusPurpose", "revocation");
    json.member("statusListIndex", index);
    json.member("statusListCredential", options.status_list);
    json.end_object();
  }
  json.end_object();
  return json.text();
}

}  // namespace

std::vector<Problem> check(const OpenBadgeOptions& options) {
  std::vector<Problem> problems;
  const std::string where = "Open Badges options";
  if (!detail::is_absolute_iri(options.issuer_id)) {
    problems.push_back(
        {where, "issuer_id", printable(options.issuer_id), "must be an absolute IRI"});
  }
  if (options.issuer_name.empty() || !is_clean_text(options.issuer_name)) {
    problems.push_back({where, "issuer_name", printable(options.issuer_name),
                        "must be non-empty UTF-8 text without control characters"});
  }
  if (!detail::is_absolute_iri(options.achievement_id)) {
    problems.push_back(
        {where, "achievement_id", printable(options.achievement_id), "must be an absolute IRI"});
  }
  if (!detail::is_absolute_iri(options.terms_iri) ||
      !(options.terms_iri.ends_with('#') || options.terms_iri.ends_with('/'))) {
    problems.push_back({where, "terms_iri", printable(options.terms_iri),
                        "must be an absolute IRI ending in '#' or '/'"});
  }
  // The entry's id is the list's IRI with the index as fragment.
  if (!options.status_list.empty() && (!detail::is_absolute_iri(options.status_list) ||
                                       options.status_list.find('#') != std::string::npos)) {
    problems.push_back({where, "status_list", printable(options.status_list),
                        "must be empty or an absolute IRI without a fragment"});
  }
  return problems;
}

std::string open_badge_credential(const Certificate& certificate, const OpenBadgeOptions& options) {
  if (!options.status_list.empty()) {
    throw ValidationError(
        Problem{"Open Badges options", "status_list", printable(options.status_list),
                "needs the certificate's registry: pass it with the certificate"});
  }
  return credential(certificate, options, nullptr);
}

std::string open_badge_credential(const CertificateRegistry& registry, std::string_view serial,
                                  const OpenBadgeOptions& options) {
  const CertificateRecord* record = registry.find(serial);
  if (record == nullptr) throw UnknownReferenceError("certificate", std::string(serial));
  const auto index = static_cast<std::size_t>(record - registry.records().data());
  return credential(record->certificate, options, options.status_list.empty() ? nullptr : &index);
}

}  // namespace balai
