// National ID numbers (NIK) without keeping them. balai never stores a NIK in clear: at
// the boundary it becomes a ProtectedNik, an HMAC-SHA256 under the program's secret key
// (so records can be matched and deduplicated, but the number cannot be recovered by
// hashing all 10^16 candidates without the key) and a masked form for people to read.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// The secret key for NIK digests: at least 16 bytes, held by the operator, never
// exported. Two datasets can match trainees only if they used the same key.
class NikKey {
 public:
  // ValidationError if shorter than 16 bytes.
  explicit NikKey(std::vector<std::uint8_t> bytes);
  explicit NikKey(std::string_view bytes);

  [[nodiscard]] const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

struct ProtectedNik {
  std::array<std::uint8_t, 32> digest{};  // HMAC-SHA256(key, NIK)
  std::string masked;                     // "3201********0001": regency and last four digits

  [[nodiscard]] std::string digest_hex() const;
  // Parses 64 hex digits and a masked form; ValidationError naming the field otherwise.
  [[nodiscard]] static ProtectedNik from_parts(std::string_view digest_hex,
                                               std::string_view masked);
  friend bool operator==(const ProtectedNik&, const ProtectedNik&) = default;
};

// Validates a NIK (16 digits, a known province code, a plausible birth date: day 1-31 or
// 41-71 for women, month 1-12) and protects it. ValidationError otherwise; the message
// never repeats the full number.
[[nodiscard]] ProtectedNik protect_nik(std::string_view nik, const NikKey& key);

// Whether `nik` is the number behind `protected_nik` under `key` (constant-time compare).
[[nodiscard]] bool nik_matches(const ProtectedNik& protected_nik, std::string_view nik,
                               const NikKey& key);

// The masked form alone.
[[nodiscard]] std::string mask_nik(std::string_view nik);

// Why `masked` is not a masked NIK as mask_nik writes it (16 characters: the first four
// digits, eight '*', the last four digits), or an empty string when it is one. Every way a
// masked NIK enters balai (ProtectedNik::from_parts, and through it CSV, DataFrames and
// pickles; a trainee's check, and through it snapshots) asks here, so that a NIK in clear
// cannot pass for a masked one.
[[nodiscard]] std::string masked_nik_defect(std::string_view masked);

// Whether `text` holds a NIK: a run of exactly 16 digits that protect_nik would accept.
// Ids and free texts that hold one are refused, so that no NIK enters in clear.
[[nodiscard]] bool holds_nik(std::string_view text);

// `text` with the middle eight digits of each NIK it holds written '*', as mask_nik writes
// them: how a message shows a value that may hold one.
[[nodiscard]] std::string hide_niks(std::string_view text);

}  // namespace balai
BALAI_EXPORT_END
