// Revocation that verifiers can see: W3C Bitstring Status List 1.0. A status list
// credential (BitstringStatusListCredential) carries one bit per certificate of a
// CertificateRegistry, set when the certificate is revoked; each Open Badges credential
// names its bit with a BitstringStatusListEntry (OpenBadgeOptions::status_list and the
// open_badge_credential overloads that take the registry). A verifier fetches the list
// credential once, checks its signature, and reads the bit: no call to the registry, and
// the list does not tell which certificate it asks about.
//
// Bit i is the certificate registry.records()[i], the i-th issued: records are only ever
// appended, so a certificate keeps its bit. Bit 0 is the left-most (most significant) bit
// of the first byte. The list is at least kMinStatusListBits long (the spec's minimum, for
// herd privacy) and grows by that much when the registry outgrows it; it travels as
// encodedList, the multibase base64url ('u') of its GZIP compression.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/io/credential_keys.hpp"
#include "balai/tracking/certificate.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// 16 KiB: Bitstring Status List 1.0 requires at least this many bits.
inline constexpr std::size_t kMinStatusListBits = 131072;

struct StatusListOptions {
  std::string id{};         // IRI of the status list credential, where verifiers fetch it
  std::string issuer_id{};  // IRI of the issuer; empty when signing: the key's did:key

  friend bool operator==(const StatusListOptions&, const StatusListOptions&) = default;
};

// Everything wrong with the options, each problem naming its field; empty when valid. An
// empty issuer_id is a problem here; the signing function fills it in first.
[[nodiscard]] std::vector<Problem> check(const StatusListOptions& options);

// The bitstring: one bit per record of `registry`, set when the certificate is revoked at
// `at` (its revocation's time is at or before `at`), padded with zeros to a multiple of
// kMinStatusListBits.
[[nodiscard]] std::vector<std::uint8_t> revocation_bits(const CertificateRegistry& registry,
                                                        Timestamp at);

// encodedList: 'u' and the unpadded base64url of the GZIP (RFC 1952) compression of `bits`.
[[nodiscard]] std::string encode_status_list(std::span<const std::uint8_t> bits);

// The status list credential as one JSON object (unsigned), valid from `at`.
// ValidationError for bad options or `at` outside [kEarliestTime, kLatestTime].
[[nodiscard]] std::string status_list_credential(const CertificateRegistry& registry,
                                                 const StatusListOptions& options, Timestamp at);

// The status list credential signed as a vc+jwt (sign_credential). An empty issuer_id makes
// the issuer the key's did:key; a did:key issuer_id must be the key's own; any other issuer
// gets the key's JWK thumbprint as kid.
[[nodiscard]] std::string signed_status_list_credential(const CertificateRegistry& registry,
                                                        StatusListOptions options,
                                                        const SigningKey& key, Timestamp at);

}  // namespace balai
BALAI_EXPORT_END
