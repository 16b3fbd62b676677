// Indonesia's administrative regions, as embedded tables of public facts: the 38
// provinces (Kemendagri code, name, capital, coordinates, time zone, population, area) and
// the 514 regencies and cities (code, name, seat, population). A caller with its own
// regency table loads it from a CSV file (balai/io/regions_csv.hpp).
//
// Codes are Kemendagri codes, the system used in the national ID (NIK): a province is
// `NN`, a regency or city `NN.NN`. BPS statistical codes differ for the Papua provinces,
// so balai never mixes the two.
#pragma once

#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "balai/core/calendar.hpp"
#include "balai/core/export.hpp"
#include "balai/core/geo.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// A province code, 11..96. A type of its own rather than a small integer: it streams as
// the number ("32", where a uint8_t streams a control character) and does not mix with
// counts in arithmetic. It converts implicitly from a uint8_t, so that records and calls
// read `.province = 32`; `value()` gives the number back. Any value 0..255 can be held (a
// default record has 0); is_province_code and the records' checks tell the known ones.
class ProvinceCode {
 public:
  constexpr ProvinceCode() noexcept = default;
  // NOLINTNEXTLINE(google-explicit-constructor): a code is written as its number
  constexpr ProvinceCode(std::uint8_t value) noexcept : value_(value) {}
  // From a wider integer only by name (`ProvinceCode(n)`, `static_cast<ProvinceCode>(n)`),
  // which keeps the low byte as a cast to uint8_t would.
  template <std::integral Wider>
  requires(!std::same_as<Wider, std::uint8_t> &&
           !std::same_as<Wider, bool>) constexpr explicit ProvinceCode(Wider value) noexcept
      : value_(static_cast<std::uint8_t>(value)) {}

  [[nodiscard]] constexpr std::uint8_t value() const noexcept { return value_; }
  // For indexing a table with one entry per code (kProvinceCodes entries) without a cast.
  [[nodiscard]] constexpr std::size_t pos() const noexcept { return value_; }
  [[nodiscard]] std::string to_string() const { return std::to_string(value_); }

  friend constexpr auto operator<=>(ProvinceCode, ProvinceCode) noexcept = default;

 private:
  std::uint8_t value_ = 0;
};

// The number, as "32".
std::ostream& operator<<(std::ostream& out, ProvinceCode code);

// A regency or city code NN.NN held as the number NNNN (3201 for "32.01"), so the
// province is code / 100.
class RegencyCode {
 public:
  constexpr RegencyCode() noexcept = default;
  // ValidationError unless the province part is a known province and 1 <= regency <= 99.
  explicit RegencyCode(std::uint16_t value);
  // Parses "NN.NN"; ValidationError naming `field` otherwise.
  [[nodiscard]] static RegencyCode parse(std::string_view text, std::string_view field = "regency");

  [[nodiscard]] constexpr std::uint16_t value() const noexcept { return value_; }
  [[nodiscard]] constexpr ProvinceCode province() const noexcept {
    return static_cast<std::uint8_t>(value_ / 100);
  }
  [[nodiscard]] std::string to_string() const;  // "NN.NN"

  friend constexpr auto operator<=>(RegencyCode, RegencyCode) noexcept = default;

 private:
  std::uint16_t value_ = 0;
};

struct Province {
  ProvinceCode code;
  std::string name;
  std::string capital;
  GeoPoint capital_location;
  TimeZone time_zone;
  std::int64_t population;  // residents registered by Dukcapil, second half of 2024
  double area_km2;          // land area (BIG, 2024)
};

struct Regency {
  RegencyCode code;
  std::string name;  // "Kabupaten …" or "Kota …"
  GeoPoint seat;
  std::int64_t population;

  [[nodiscard]] ProvinceCode province() const noexcept { return code.province(); }
  friend bool operator==(const Regency&, const Regency&) = default;
};

// All 38 provinces in code order.
[[nodiscard]] std::span<const Province> provinces() noexcept;
// The province with this code; UnknownReferenceError otherwise.
[[nodiscard]] const Province& province(ProvinceCode code);
[[nodiscard]] bool is_province_code(int code) noexcept;
[[nodiscard]] inline bool is_province_code(ProvinceCode code) noexcept {
  return is_province_code(int{code.value()});
}
// Parses a two-digit province code ("32"); ValidationError naming `field` otherwise.
[[nodiscard]] ProvinceCode parse_province_code(std::string_view text,
                                               std::string_view field = "province");

// All 514 regencies and cities in code order: the table the built-in scenario places
// people with (cahyadsn/wilayah and D1msky/nusantara-shipping, MIT; see NOTICE).
[[nodiscard]] std::span<const Regency> indonesia_regencies() noexcept;

// The island group: the first digit of the province code (1 Sumatra, 3 Java, 5 Bali and
// Nusa Tenggara, 6 Kalimantan, 7 Sulawesi, 8 Maluku, 9 Papua), except Kepulauan Riau (21),
// which split from Riau and lies in the Sumatra group. Straight-line distance across the
// sea between groups says little about travel.
[[nodiscard]] constexpr int island_group(ProvinceCode code) noexcept {
  return code.value() / 10 == 2 ? 1 : code.value() / 10;
}
[[nodiscard]] std::string_view island_group_name(int group) noexcept;

}  // namespace balai
BALAI_EXPORT_END
