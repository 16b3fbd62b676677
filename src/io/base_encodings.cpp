#include "base_encodings.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace balai::detail {
namespace {

constexpr std::string_view kBase64url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// The value of each character in `alphabet`, -1 for characters outside it.
constexpr std::array<int, 256> values_of(std::string_view alphabet) {
  std::array<int, 256> values{};
  values.fill(-1);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    values[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  }
  return values;
}

constexpr auto kBase64urlValues = values_of(kBase64url);
constexpr auto kBase58Values = values_of(kBase58);

}  // namespace

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  std::string text;
  text.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t bits = 0;
  int count = 0;  // bits waiting in `bits`
  for (const std::uint8_t byte : bytes) {
    bits = (bits << 8) | byte;
    count += 8;
    while (count >= 6) {
      count -= 6;
      text.push_back(kBase64url[(bits >> count) & 0x3f]);
    }
  }
  if (count > 0) text.push_back(kBase64url[(bits << (6 - count)) & 0x3f]);
  return text;
}

std::string base64url_encode(std::string_view bytes) {
  return base64url_encode(
      std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;  // no byte count ends in one character
  std::vector<std::uint8_t> bytes;
  bytes.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    const int value = kBase64urlValues[static_cast<unsigned char>(c)];
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes.push_back(static_cast<std::uint8_t>((bits >> count) & 0xff));
    }
  }
  if ((bits & ((1U << count) - 1)) != 0) return std::nullopt;  // bits past the last byte
  return bytes;
}

std::string base58btc_encode(std::span<const std::uint8_t> bytes) {
  // Each leading zero byte is a '1'; the rest is one big-endian number in base 58.
  const auto zeros = static_cast<std::size_t>(
      std::ranges::find_if(bytes, [](std::uint8_t b) { return b != 0; }) - bytes.begin());
  std::vector<std::uint8_t> digits;  // base 58, least significant first
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    unsigned carry = bytes[i];
    for (auto& digit : digits) {
      carry += static_cast<unsigned>(digit) << 8;
      digit = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    for (; carry > 0; carry /= 58) digits.push_back(static_cast<std::uint8_t>(carry % 58));
  }
  std::string text(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) text.push_back(kBase58[*it]);
  return text;
}

std::optional<std::vector<std::uint8_t>> base58btc_decode(std::string_view text) {
  const auto ones = static_cast<std::size_t>(
      std::ranges::find_if(text, [](char c) { return c != '1'; }) - text.begin());
  std::vector<std::uint8_t> bytes;  // base 256, least significant first
  for (std::size_t i = ones; i < text.size(); ++i) {
    const int value = kBase58Values[static_cast<unsigned char>(text[i])];
    if (value < 0) return std::nullopt;
    auto carry = static_cast<unsigned>(value);
    for (auto& byte : bytes) {
      carry += static_cast<unsigned>(byte) * 58;
      byte = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    for (; carry > 0; carry >>= 8) bytes.push_back(static_cast<std::uint8_t>(carry & 0xff));
  }
  std::vector<std::uint8_t> result(ones, 0);
  result.insert(result.end(), bytes.rbegin(), bytes.rend());
  return result;
}

}  // namespace balai::detail
