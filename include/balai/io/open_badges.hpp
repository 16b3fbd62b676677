// A certificate as an Open Badges 3.0 OpenBadgeCredential (JSON-LD), for wallets and
// registries that read the 1EdTech standard.
//
// Every member is a defined JSON-LD term, so a JSON-LD processor (and a Data Integrity
// proof over its output) keeps them all: the credentials v2 and OB 3.0.3 contexts define
// the standard's terms, and an inline context after them defines balai's two own terms
// (completionDate, verificationCode) under OpenBadgeOptions::terms_iri. The credential's
// name and the achievement's name, description and criteria are in Indonesian and English,
// as JSON-LD value objects with @language "id" and "en".
//
// The credential is unsigned: it carries no `proof`, so it is a faithful rendering of the
// certificate, not a verifiable credential in the cryptographic sense until the issuer
// signs it (a Data Integrity proof or a JWT) with its own key. What vouches for it until
// then is the balai verification code it carries (`verificationCode`), which the issuing
// CertificateRegistry checks. The subject is the registration's UUID (urn:uuid:...), never
// the trainee's name or NIK.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/tracking/certificate.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// The default OpenBadgeOptions::terms_iri.
inline constexpr std::string_view kOpenBadgeTermsIri = "https://balai.example/ns#";

struct OpenBadgeOptions {
  std::string issuer_id{};       // IRI of the issuing organisation's Profile (a URL or DID)
  std::string issuer_name{};     // e.g. "Kementerian UMKM"
  std::string achievement_id{};  // IRI of the program's achievement, shared by its certificates
  // The namespace of balai's own terms: completionDate and verificationCode are this IRI
  // followed by the term. An absolute IRI ending in '#' or '/'; the default, under the
  // reserved example domain, is stable and unowned by anyone else. An issuer that publishes
  // the terms' definitions sets an IRI under its own domain.
  std::string terms_iri{kOpenBadgeTermsIri};
  // The IRI of the registry's status list credential (balai/io/status_list.hpp), where
  // verifiers read whether the certificate is revoked; empty for none. Only the overloads
  // that take the registry can give the certificate's place in the list.
  std::string status_list{};

  friend bool operator==(const OpenBadgeOptions&, const OpenBadgeOptions&) = default;
};

// Everything wrong with the options, each problem naming its field; empty when valid.
[[nodiscard]] std::vector<Problem> check(const OpenBadgeOptions& options);

// The credential as one JSON object. ValidationError for bad options or a malformed
// certificate (check(const Certificate&)), and for a status_list (which needs the registry).
[[nodiscard]] std::string open_badge_credential(const Certificate& certificate,
                                                const OpenBadgeOptions& options);

// The credential of the registry's certificate `serial`, with a credentialStatus when
// options.status_list is set: a BitstringStatusListEntry (statusPurpose "revocation") whose
// statusListIndex is the certificate's place in registry.records(), its bit in the list
// that status_list_credential writes. UnknownReferenceError for a serial the registry
// never issued.
[[nodiscard]] std::string open_badge_credential(const CertificateRegistry& registry,
                                                std::string_view serial,
                                                const OpenBadgeOptions& options);

}  // namespace balai
BALAI_EXPORT_END
