// HMAC-SHA256 through OpenSSL's libcrypto: the keyed digest behind protected NIKs and
// certificate verification codes.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// The HMAC-SHA256 of `message` under `key`. Each thread keeps an OpenSSL context keyed
// once, so hashing a million NIKs under one key does not set up a million contexts.
// Error if OpenSSL fails.
[[nodiscard]] std::array<std::uint8_t, 32> hmac_sha256(std::span<const std::uint8_t> key,
                                                       std::string_view message);

}  // namespace balai
BALAI_EXPORT_END
