#include "balai/io/regions_csv.hpp"

#include "../model/text_checks.hpp"
#include "tables_common.hpp"

namespace balai {
namespace {

struct Columns {
  explicit Columns(const CsvReader& csv)
      : code(csv.column("code")),
        province_code(csv.column("province_code")),
        name(csv.column("name")),
        lat(csv.column("lat")),
        lng(csv.column("lng")),
        population(csv.column("population_2024")) {}

  [[nodiscard]] const CsvColumn* of(std::string_view field) const noexcept {
    return detail::find_column({&code, &name, &population}, field);
  }

  CsvColumn code, province_code, name, lat, lng, population;
};

Regency read_row(const CsvReader& csv, const Columns& columns) {
  const auto code = csv.convert(
      columns.code, [&](std::string_view cell) { return RegencyCode::parse(cell, "code"); });
  if (detail::read_province(csv, columns.province_code) != code.province()) {
    throw csv.error(columns.province_code, "'" + csv.string(columns.province_code) +
                                               "' does not match code " + code.to_string());
  }
  Regency regency{code, csv.string(columns.name), detail::read_point(csv, columns.lat, columns.lng),
                  csv.integer<std::int64_t>(columns.population, 0)};
  std::vector<Problem> problems;
  detail::check_text(problems, "regency " + code.to_string(), "name", regency.name);
  detail::reject(csv, problems, columns);
  return regency;
}

CsvWriter regency_writer(std::span<const Regency> regencies) {
  CsvWriter csv(kRegencyColumns);
  for (const auto& regency : regencies) {
    csv.cell(regency.code.to_string())
        .cell(regency.province().value())
        .cell(regency.name)
        .cell(regency.seat.lat())
        .cell(regency.seat.lng())
        .cell(regency.population)
        .end_row();
  }
  return csv;
}

}  // namespace

std::vector<Regency> read_regencies(CsvReader& csv) {
  const Columns columns(csv);
  std::vector<Regency> regencies;
  while (csv.next()) regencies.push_back(read_row(csv, columns));
  return regencies;
}

std::vector<Regency> read_regencies(const std::filesystem::path& file) {
  auto csv = CsvReader::open(file);
  return read_regencies(csv);
}

std::string regencies_to_csv(std::span<const Regency> regencies) {
  return regency_writer(regencies).take();
}

void write_regencies(std::span<const Regency> regencies, const std::filesystem::path& file) {
  regency_writer(regencies).save(file);
}

}  // namespace balai
