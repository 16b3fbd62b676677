#include "balai/model/nik.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <memory>

#include "balai/core/error.hpp"
#include "balai/core/hmac.hpp"
#include "balai/core/regions.hpp"
#include "balai/core/text.hpp"

namespace balai {
namespace {

constexpr std::size_t kNikDigits = 16;
constexpr std::size_t kMinKeyBytes = 16;

int two_digits(std::string_view nik, std::size_t at) {
  return (nik[at] - '0') * 10 + (nik[at + 1] - '0');
}

// Why `nik` is not a NIK, or an empty string when it is one.
std::string nik_defect(std::string_view nik) {
  if (nik.size() != kNikDigits ||
      !std::all_of(nik.begin(), nik.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "a NIK is 16 digits";
  }
  if (!is_province_code(two_digits(nik, 0))) return "does not start with a province code";
  const int day = two_digits(nik, 6);
  const int month = two_digits(nik, 8);
  // Women's NIK add 40 to the day of birth.
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71)) || month < 1 || month > 12) {
    return "digits 7-12 are not a birth date (DDMMYY, day + 40 for women)";
  }
  return {};
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The NIKs in `text`, as [start, start + 16) positions of its runs of exactly 16 digits.
template <class Visit>
void for_each_nik(std::string_view text, Visit&& visit) {
  for (std::size_t start = 0; start < text.size();) {
    if (!is_digit(text[start])) {
      ++start;
      continue;
    }
    auto end = start;
    while (end < text.size() && is_digit(text[end])) ++end;
    if (const auto run = text.substr(start, end - start);
        run.size() == kNikDigits && nik_defect(run).empty()) {
      visit(start);
    }
    start = end;
  }
}

// A refused masked form as a message shows it: whatever stands where mask_nik writes '*'
// and is a digit becomes '#', so a NIK given in clear is not repeated.
std::string shown_masked(std::string_view masked) {
  std::string shown(masked);
  for (std::size_t i = 4; i + 4 < shown.size(); ++i) {
    if (is_digit(shown[i])) shown[i] = '#';
  }
  return printable(shown);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

NikKey::NikKey(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {
  if (bytes_.size() < kMinKeyBytes) {
    throw ValidationError(Problem{"", "nik_key", std::to_string(bytes_.size()) + " bytes",
                                  "a NIK key needs at least 16 bytes"});
  }
}

NikKey::NikKey(std::string_view bytes)
    : NikKey(std::vector<std::uint8_t>(bytes.begin(), bytes.end())) {}

std::string mask_nik(std::string_view nik) {
  if (nik.size() != kNikDigits) return std::string(kNikDigits, '*');
  return std::string(nik.substr(0, 4)) + std::string(8, '*') + std::string(nik.substr(12, 4));
}

ProtectedNik protect_nik(std::string_view nik, const NikKey& key) {
  if (const auto defect = nik_defect(nik); !defect.empty()) {
    throw ValidationError(Problem{"", "nik", mask_nik(nik), defect});
  }
  ProtectedNik result;
  result.digest = hmac_sha256(key.bytes(), nik);
  result.masked = mask_nik(nik);
  return result;
}

bool nik_matches(const ProtectedNik& protected_nik, std::string_view nik, const NikKey& key) {
  if (!nik_defect(nik).empty()) return false;
  std::array<std::uint8_t, 32> digest{};
  digest = hmac_sha256(key.bytes(), nik);
  return CRYPTO_memcmp(digest.data(), protected_nik.digest.data(), digest.size()) == 0;
}

std::string masked_nik_defect(std::string_view masked) {
  const auto digits = [&](std::size_t from, std::size_t count) {
    return std::all_of(masked.begin() + static_cast<std::ptrdiff_t>(from),
                       masked.begin() + static_cast<std::ptrdiff_t>(from + count), is_digit);
  };
  if (masked.size() != kNikDigits || !digits(0, 4) || !digits(12, 4)) {
    return "a masked NIK is 16 characters, 4 digits, 8 '*' and 4 digits, such as "
           "3201********0001";
  }
  if (masked.substr(4, 8) != "********") {
    return "characters 5-12 of a masked NIK must be '*' (what is shown '#' was not masked)";
  }
  return {};
}

bool holds_nik(std::string_view text) {
  bool found = false;
  for_each_nik(text, [&](std::size_t) { found = true; });
  return found;
}

std::string hide_niks(std::string_view text) {
  std::string hidden(text);
  for_each_nik(text, [&](std::size_t start) { hidden.replace(start + 4, 8, 8, '*'); });
  return hidden;
}

std::string ProtectedNik::digest_hex() const { return to_hex(digest); }

ProtectedNik ProtectedNik::from_parts(std::string_view digest_hex, std::string_view masked) {
  ProtectedNik result;
  bool valid = digest_hex.size() == 2 * result.digest.size();
  for (std::size_t i = 0; valid && i < result.digest.size(); ++i) {
    const int high = hex_value(digest_hex[2 * i]);
    const int low = hex_value(digest_hex[2 * i + 1]);
    valid = high >= 0 && low >= 0;
    result.digest[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  if (!valid) {
    throw ValidationError(Problem{"", "nik_digest", hide_niks(printable(digest_hex)),
                                  "a NIK digest is 64 hexadecimal digits (HMAC-SHA256)"});
  }
  if (const auto defect = masked_nik_defect(masked); !defect.empty()) {
    throw ValidationError(Problem{"", "nik_masked", shown_masked(masked), defect});
  }
  result.masked = std::string(masked);
  return result;
}

}  // namespace balai
