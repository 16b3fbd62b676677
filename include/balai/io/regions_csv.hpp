// The regency/city table as CSV, in the layout of the reference file regencies.csv.
//
// regencies.csv, one row per regency or city:
//
//   column           content                                        example
//   code             Kemendagri code NN.NN                          32.01
//   province_code    the province's two-digit code; must match code 32
//   name             "Kabupaten …" or "Kota …"                      Kabupaten Bogor
//   lat, lng         WGS84 degrees of the regency seat              -6.5950, 106.8167
//   population_2024  residents (Dukcapil, second half of 2024), >= 0 5682303
//
// Each row is checked on its own (a ParseError names the file, line, column and field);
// duplicate codes are the Dataset's to find, since it owns the table.
#pragma once

#include <array>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/core/regions.hpp"
#include "balai/io/csv.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

inline constexpr std::array<std::string_view, 6> kRegencyColumns{
    "code", "province_code", "name", "lat", "lng", "population_2024"};

[[nodiscard]] std::vector<Regency> read_regencies(const std::filesystem::path& file);
[[nodiscard]] std::vector<Regency> read_regencies(CsvReader& csv);

[[nodiscard]] std::string regencies_to_csv(std::span<const Regency> regencies);
void write_regencies(std::span<const Regency> regencies, const std::filesystem::path& file);

}  // namespace balai
BALAI_EXPORT_END
