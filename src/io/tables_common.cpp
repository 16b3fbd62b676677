#include "tables_common.hpp"

#include <system_error>

namespace balai::detail {

bool file_exists(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error && error != std::errc::no_such_file_or_directory) {
    throw Error("cannot read '" + path.string() + "': " + error.message());
  }
  return std::filesystem::exists(status);
}

const CsvColumn* find_column(std::initializer_list<const CsvColumn*> columns,
                             std::string_view name) noexcept {
  for (const CsvColumn* column : columns) {
    if (column->name() == name) return column;
  }
  return nullptr;
}

ParseError located(const CsvReader& csv, const std::vector<Problem>& problems,
                   const CsvColumn* column) {
  Problem first = problems.front();
  if (problems.size() > 1) {
    first.message.append(" (and ")
        .append(std::to_string(problems.size() - 1))
        .append(problems.size() == 2 ? " more problem" : " more problems")
        .append(" in this row)");
  }
  if (column != nullptr) return csv.error(*column, first);
  return ParseError(csv.file(), csv.line(), 0, first.field, first.to_string());
}

GeoPoint read_point(const CsvReader& csv, const CsvColumn& lat, const CsvColumn& lng) {
  const double latitude = csv.real(lat);
  const double longitude = csv.real(lng);
  try {
    return GeoPoint(latitude, longitude);
  } catch (const ValidationError& error) {
    const Problem& problem = error.problems().front();
    throw csv.error(problem.field == lng.name() ? lng : lat, problem);
  }
}

ProvinceCode read_province(const CsvReader& csv, const CsvColumn& column) {
  return csv.convert(
      column, [&](std::string_view cell) { return parse_province_code(cell, column.name()); });
}

std::optional<RegencyCode> read_regency(const CsvReader& csv, const CsvColumn& column) {
  if (csv.text(column).empty()) return std::nullopt;
  return csv.convert(
      column, [&](std::string_view cell) { return RegencyCode::parse(cell, column.name()); });
}

std::string regency_text(const std::optional<RegencyCode>& regency) {
  return regency ? regency->to_string() : std::string();
}

}  // namespace balai::detail
