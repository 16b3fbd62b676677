#include <openssl/evp.h>

#include <string>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/text.hpp"
#include "balai/tracking/roster.hpp"

namespace balai {
namespace {

constexpr std::array<std::size_t, 4> kDashes{8, 13, 18, 23};

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_dash_position(std::size_t i) noexcept {
  return i == kDashes[0] || i == kDashes[1] || i == kDashes[2] || i == kDashes[3];
}

}  // namespace

bool Uuid::is_uuid(std::string_view text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_dash_position(i) ? text[i] != '-' : hex_value(text[i]) < 0) return false;
  }
  return true;
}

Uuid Uuid::parse(std::string_view text, std::string_view field) {
  if (!is_uuid(text)) {
    throw ValidationError(Problem{"", std::string(field), printable(text),
                                  "must be a UUID in the form 8-4-4-4-12 hex digits"});
  }
  std::array<std::uint8_t, 16> bytes{};
  std::size_t out = 0;
  for (std::size_t i = 0; i < text.size(); i += is_dash_position(i) ? 1 : 2) {
    if (is_dash_position(i)) continue;
    bytes[out++] = static_cast<std::uint8_t>(hex_value(text[i]) * 16 + hex_value(text[i + 1]));
  }
  return Uuid(bytes);
}

std::string Uuid::to_string() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kDigits[bytes_[i] >> 4]);
    text.push_back(kDigits[bytes_[i] & 0x0f]);
  }
  return text;
}

Uuid Uuid::v5(const Uuid& name_space, std::string_view name) {
  std::vector<unsigned char> input(name_space.bytes_.begin(), name_space.bytes_.end());
  input.insert(input.end(), name.begin(), name.end());
  std::array<unsigned char, EVP_MAX_MD_SIZE> hash{};
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), hash.data(), &length, EVP_sha1(), nullptr) != 1) {
    throw Error("SHA-1 failed in OpenSSL");
  }
  std::array<std::uint8_t, 16> bytes{};
  std::copy_n(hash.begin(), bytes.size(), bytes.begin());
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x50);  // version 5
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 9562 variant
  return Uuid(bytes);
}

}  // namespace balai
