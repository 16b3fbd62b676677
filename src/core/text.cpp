#include "balai/core/text.hpp"

#include <charconv>
#include <cstdint>
#include <cstdio>

namespace balai {
namespace {

// The length of the well-formed UTF-8 sequence starting at text[i], or 0 if there is none.
std::size_t sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto lead = static_cast<std::uint8_t>(text[i]);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t code = 0;
  if ((lead & 0xe0) == 0xc0) {
    length = 2;
    code = lead & 0x1fu;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3;
    code = lead & 0x0fu;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4;
    code = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<std::uint8_t>(text[i + k]);
    if ((next & 0xc0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3fu);
  }
  constexpr std::uint32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

bool is_control(char c) noexcept {
  const auto byte = static_cast<std::uint8_t>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7f;
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

bool is_clean_text(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = sequence_length(text, i);
    if (length == 0 || (length == 1 && is_control(text[i]))) return false;
    i += length;
  }
  return true;
}

std::string printable(std::string_view text, std::size_t max_size) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && out.size() < max_size;) {
    const std::size_t length = sequence_length(text, i);
    if (length == 0 || (length == 1 && is_control(text[i]))) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x",
                    static_cast<unsigned>(static_cast<std::uint8_t>(text[i])));
      out += escape;
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  if (out.size() >= max_size && text.size() > max_size) out += "...";
  return out;
}

std::string printable(double value) {
  // The shortest text that reads back as the same double: "%g" kept six digits and
  // reported a refused 100.0000001 as "100".
  char text[32];
  return {text, std::to_chars(text, text + sizeof text, value).ptr};
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(2 * bytes.size());
  for (const auto byte : bytes) {
    text.push_back(kDigits[byte >> 4]);
    text.push_back(kDigits[byte & 0x0f]);
  }
  return text;
}

}  // namespace balai
