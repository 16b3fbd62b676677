// Credentials secured with JOSE (W3C "Securing Verifiable Credentials using JOSE and
// COSE"): a compact JWS (RFC 7515) whose payload is the credential's JSON itself, with
// the header {"alg":...,"kid":...,"typ":"vc+jwt","cty":"vc"}, signed with Ed25519 (alg
// EdDSA, RFC 8037) or P-256 (ES256). Ed25519 is deterministic, so the same key and
// credential give the same JWS; ES256 signatures differ each time and all verify.
//
// Open Badges 3.0 (section 8.2.6.1) also asks for the JWT claims (RFC 7519) that mirror
// credential members, and its verifiers refuse a VC-JWT without them: the payload is the
// credential with iss (the issuer's id), jti (the id), sub (credentialSubject.id), nbf
// and exp (validFrom and validUntil as seconds since the epoch) added after its members,
// for each member it has. A claim the credential already carries must agree with its
// member; verify_credential checks the same agreement.
//
// The kid names the key in one of the two ways an issuer publishes it
// (balai/io/credential_keys.hpp): its did:key DID URL, or its JWK thumbprint for an
// issuer that serves a JWK set. balai's verify_credential checks a JWS against one key;
// finding that key (resolving the DID, fetching the JWK set) is the caller's.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "balai/core/enum_names.hpp"
#include "balai/core/export.hpp"
#include "balai/io/credential_keys.hpp"
#include "balai/io/open_badges.hpp"
#include "balai/tracking/certificate.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

enum class KeyIdForm : std::uint8_t {
  did_key,         // "did:key:z6Mk...#z6Mk...": the issuer is the did:key
  jwk_thumbprint,  // the RFC 7638 thumbprint, the kid of VerificationKey::jwk()
};

template <>
struct EnumNames<KeyIdForm> {
  static constexpr std::array<std::string_view, 2> names{"did_key", "jwk_thumbprint"};
};

// The compact JWS of `credential`, a JSON object, with the JWT claims it lacks added.
// ValidationError if it is not one, if its issuer (the string or issuer.id) is a did:key
// other than the key's own, if validFrom or validUntil is not an RFC 3339 date-time, or if
// a claim it carries disagrees with its member ("credential.nbf", ...).
[[nodiscard]] std::string sign_credential(std::string_view credential, const SigningKey& key,
                                          KeyIdForm kid = KeyIdForm::did_key);

// The credential a JWS secures, if `key` signed it: ValidationError naming the field
// ("jws", "header", "header.alg", "header.typ", "header.cty", "header.kid", "header.crit",
// "signature", "payload", "payload.issuer", "payload.iss", ...) when the JWS is
// malformed, is not a vc+jwt of the key's algorithm, names another key, carries
// extensions balai does not understand, has a signature that does not verify under `key`,
// or secures something other than a JSON object whose did:key issuer, if it has one, is
// `key` and whose JWT claims agree with the members they mirror. The payload comes back
// as signed, claims included; whether it is valid at a given time is the caller's check.
[[nodiscard]] std::string verify_credential(std::string_view jws, const VerificationKey& key);

// open_badge_credential, signed. An empty options.issuer_id makes the issuer the key's
// did:key (kid: its DID URL); a did:key issuer_id must be the key's own; any other issuer
// (an https URL that serves a JWK set) gets the key's JWK thumbprint as kid.
[[nodiscard]] std::string signed_open_badge_credential(const Certificate& certificate,
                                                       OpenBadgeOptions options,
                                                       const SigningKey& key);

// The registry's certificate `serial` signed, with its credentialStatus when
// options.status_list is set (open_badge_credential's registry overload).
[[nodiscard]] std::string signed_open_badge_credential(const CertificateRegistry& registry,
                                                       std::string_view serial,
                                                       OpenBadgeOptions options,
                                                       const SigningKey& key);

}  // namespace balai
BALAI_EXPORT_END
