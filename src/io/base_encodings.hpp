// The two text encodings of binary data that signed credentials use: base64url without
// padding (RFC 7515's JWS segments, RFC 7517's JWK members) and base58btc (the multibase
// 'z' form in did:key identifiers).
//
// The decoders are strict: a text that is not the one canonical encoding of some bytes
// (padding, a foreign character, non-zero bits past the last byte, a leading '1' for a
// byte that is not zero) decodes to nothing. A lenient decoder would map several texts to
// one signature, so a JWS changed in one character could still verify.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace balai::detail {

[[nodiscard]] std::string base64url_encode(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::string base64url_encode(std::string_view bytes);
[[nodiscard]] std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

[[nodiscard]] std::string base58btc_encode(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::optional<std::vector<std::uint8_t>> base58btc_decode(std::string_view text);

}  // namespace balai::detail
