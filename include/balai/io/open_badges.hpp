// A certificate as an Open Badges 3.0 OpenBadgeCredential (JSON-LD), for wallets and
// registries that read the 1EdTech standard.
//
// The credential is unsigned: it carries no `proof`, so it is a faithful rendering of the
// certificate, not a verifiable credential in the cryptographic sense until the issuer
// signs it (a Data Integrity proof or a JWT) with its own key. What vouches for it until
// then is the balai verification code it carries (`verificationCode`), which the issuing
// CertificateRegistry checks. The subject is the registration's UUID (urn:uuid:...), never
// the trainee's name or NIK.
#pragma once

#include <string>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/tracking/certificate.hpp"

namespace balai {

struct OpenBadgeOptions {
  std::string issuer_id{};       // IRI of the issuing organisation's Profile (a URL or DID)
  std::string issuer_name{};     // e.g. "Kementerian UMKM"
  std::string achievement_id{};  // IRI of the program's achievement, shared by its certificates

  friend bool operator==(const OpenBadgeOptions&, const OpenBadgeOptions&) = default;
};

// Everything wrong with the options, each problem naming its field; empty when valid.
[[nodiscard]] std::vector<Problem> check(const OpenBadgeOptions& options);

// The credential as one JSON object. ValidationError for bad options or a malformed
// certificate (check(const Certificate&)).
[[nodiscard]] std::string open_badge_credential(const Certificate& certificate,
                                                const OpenBadgeOptions& options);

}  // namespace balai
