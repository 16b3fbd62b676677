#include "balai/core/regions.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <ostream>
#include <vector>

#include "balai/core/error.hpp"

namespace balai {
namespace {

struct ProvinceFacts {
  int code;
  const char* name;
  const char* capital;
  double lat;
  double lng;
  TimeZone time_zone;
  std::int64_t population;
  double area_km2;
};

// Public facts on the 38 provinces. Codes, names and populations (Dukcapil, second half
// of 2024): cahyadsn/wilayah (MIT, © 2017 Cahya DSN; see NOTICE). Capitals, their
// coordinates, time zones and land areas (BIG, 2024): public references. The test suite
// checks every value against ../shared/data/provinces.csv.
constexpr std::array<ProvinceFacts, 38> kProvinceFacts{{
    {11, "Aceh", "Banda Aceh", 5.5537, 95.3172, TimeZone::wib, 5623479, 56835.019},
    {12, "Sumatera Utara", "Medan", 3.5752, 98.6873, TimeZone::wib, 15640905, 72437.755},
    {13, "Sumatera Barat", "Padang", -0.9242, 100.3620, TimeZone::wib, 5820359, 42107.674},
    {14, "Riau", "Pekanbaru", 0.5265, 101.4507, TimeZone::wib, 7099297, 89900.780},
    {15, "Jambi", "Jambi", -1.5942, 103.6082, TimeZone::wib, 3834439, 49023.037},
    {16, "Sumatera Selatan", "Palembang", -2.9878, 104.7603, TimeZone::wib, 9064690, 86771.918},
    {17, "Bengkulu", "Bengkulu", -3.8002, 102.2590, TimeZone::wib, 2127957, 20122.210},
    {18, "Lampung", "Bandar Lampung", -5.4293, 105.2598, TimeZone::wib, 9144263, 33570.758},
    {19, "Kepulauan Bangka Belitung", "Pangkal Pinang", -2.1297, 106.1118, TimeZone::wib, 1549562,
     16670.225},
    {21, "Kepulauan Riau", "Tanjung Pinang", 0.9278, 104.4428, TimeZone::wib, 2271890, 8170.375},
    {31, "DKI Jakarta", "Jakarta", -6.1702, 106.8310, TimeZone::wib, 11038216, 661.530},
    {32, "Jawa Barat", "Bandung", -6.9217, 107.6060, TimeZone::wib, 51316378, 37053.331},
    {33, "Jawa Tengah", "Semarang", -6.9835, 110.4453, TimeZone::wib, 38430645, 34347.428},
    {34, "DI Yogyakarta", "Yogyakarta", -7.7863, 110.3692, TimeZone::wib, 3743365, 3170.363},
    {35, "Jawa Timur", "Surabaya", -7.3365, 112.7150, TimeZone::wib, 41919906, 48055.876},
    {36, "Banten", "Serang", -6.1167, 106.1563, TimeZone::wib, 12881374, 9355.763},
    {51, "Bali", "Denpasar", -8.6583, 115.2135, TimeZone::wita, 4375263, 5582.827},
    {52, "Nusa Tenggara Barat", "Mataram", -8.5798, 116.1007, TimeZone::wita, 5751295, 19631.991},
    {53, "Nusa Tenggara Timur", "Kupang", -10.1647, 123.5795, TimeZone::wita, 5700772, 46378.105},
    {61, "Kalimantan Barat", "Pontianak", -0.0413, 109.3363, TimeZone::wib, 5646268, 147018.063},
    {62, "Kalimantan Tengah", "Palangka Raya", -2.2307, 113.8900, TimeZone::wib, 2825290,
     153430.363},
    {63, "Kalimantan Selatan", "Banjarbaru", -3.4612, 114.8245, TimeZone::wita, 4305281, 37125.426},
    {64, "Kalimantan Timur", "Samarinda", -0.5023, 117.1203, TimeZone::wita, 4123303, 126951.758},
    {65, "Kalimantan Utara", "Tanjung Selor", 2.8438, 117.3650, TimeZone::wita, 770627, 69900.886},
    {71, "Sulawesi Utara", "Manado", 1.4878, 124.8432, TimeZone::wita, 2645291, 14488.429},
    {72, "Sulawesi Tengah", "Palu", -0.8940, 119.8525, TimeZone::wita, 3219494, 61496.983},
    {73, "Sulawesi Selatan", "Makassar", -5.1305, 119.4197, TimeZone::wita, 9528276, 45323.975},
    {74, "Sulawesi Tenggara", "Kendari", -3.9660, 122.5167, TimeZone::wita, 2824589, 36139.303},
    {75, "Gorontalo", "Gorontalo", 0.5378, 123.0603, TimeZone::wita, 1250960, 12024.982},
    {76, "Sulawesi Barat", "Mamuju", -2.6750, 118.8883, TimeZone::wita, 1466741, 16590.667},
    {81, "Maluku", "Ambon", -3.6967, 128.1773, TimeZone::wit, 1935586, 46133.832},
    {82, "Maluku Utara", "Sofifi", 0.7363, 127.5595, TimeZone::wit, 1394231, 31465.977},
    {91, "Papua", "Jayapura", -2.5447, 140.6992, TimeZone::wit, 1102360, 81383.315},
    {92, "Papua Barat", "Manokwari", -0.8627, 134.0725, TimeZone::wit, 576255, 60308.590},
    {93, "Papua Selatan", "Merauke", -8.4938, 140.4007, TimeZone::wit, 562220, 117858.969},
    {94, "Papua Tengah", "Nabire", -3.3658, 135.4938, TimeZone::wit, 1369112, 61079.587},
    {95, "Papua Pegunungan", "Wamena", -4.0995, 138.9418, TimeZone::wit, 1470518, 52508.656},
    {96, "Papua Barat Daya", "Sorong", -0.8820, 131.2820, TimeZone::wit, 623186, 39103.058},
}};

std::vector<Province> build_provinces() {
  std::vector<Province> table;
  table.reserve(kProvinceFacts.size());
  for (const auto& facts : kProvinceFacts) {
    table.push_back(Province{static_cast<std::uint8_t>(facts.code), facts.name, facts.capital,
                             GeoPoint(facts.lat, facts.lng), facts.time_zone, facts.population,
                             facts.area_km2});
  }
  return table;
}

const std::vector<Province>& province_table() {
  static const std::vector<Province> table = build_provinces();
  return table;
}

std::optional<int> parse_digits(std::string_view text) {
  int value = 0;
  if (text.empty()) return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::span<const Province> provinces() noexcept { return province_table(); }

bool is_province_code(int code) noexcept {
  return std::any_of(kProvinceFacts.begin(), kProvinceFacts.end(),
                     [code](const ProvinceFacts& facts) { return facts.code == code; });
}

const Province& province(ProvinceCode code) {
  const auto& table = province_table();
  const auto it = std::lower_bound(table.begin(), table.end(), code,
                                   [](const Province& p, ProvinceCode c) { return p.code < c; });
  if (it == table.end() || it->code != code) {
    throw UnknownReferenceError("province", code.to_string());
  }
  return *it;
}

ProvinceCode parse_province_code(std::string_view text, std::string_view field) {
  const auto value = text.size() == 2 ? parse_digits(text) : std::nullopt;
  if (!value || !is_province_code(*value)) {
    throw ValidationError(Problem{"", std::string(field), std::string(text),
                                  "not a Kemendagri province code (two digits, 11 to 96)"});
  }
  return static_cast<std::uint8_t>(*value);
}

std::ostream& operator<<(std::ostream& out, ProvinceCode code) {
  return out << static_cast<int>(code.value());
}

RegencyCode::RegencyCode(std::uint16_t value) : value_(value) {
  if (!is_province_code(value / 100) || value % 100 == 0) {
    char text[16];
    std::snprintf(text, sizeof text, "%04u", static_cast<unsigned>(value));
    throw ValidationError(
        Problem{"", "regency", text, "not a regency code: expected a known province and 01..99"});
  }
}

RegencyCode RegencyCode::parse(std::string_view text, std::string_view field) {
  const auto fail = [&] {
    return ValidationError(Problem{"", std::string(field), std::string(text),
                                   "not a Kemendagri regency code NN.NN of a known province"});
  };
  if (text.size() != 5 || text[2] != '.') throw fail();
  const auto province_part = parse_digits(text.substr(0, 2));
  const auto regency_part = parse_digits(text.substr(3, 2));
  if (!province_part || !regency_part || !is_province_code(*province_part) || *regency_part == 0) {
    throw fail();
  }
  return RegencyCode(static_cast<std::uint16_t>(*province_part * 100 + *regency_part));
}

std::string RegencyCode::to_string() const {
  char text[16];
  std::snprintf(text, sizeof text, "%02u.%02u", static_cast<unsigned>(value_ / 100),
                static_cast<unsigned>(value_ % 100));
  return text;
}

std::string_view island_group_name(int group) noexcept {
  switch (group) {
    case 1: return "Sumatra";
    case 3: return "Java";
    case 5: return "Bali and Nusa Tenggara";
    case 6: return "Kalimantan";
    case 7: return "Sulawesi";
    case 8: return "Maluku";
    case 9: return "Papua";
    default: return "unknown";
  }
}

}  // namespace balai
