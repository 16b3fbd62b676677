// Pieces shared by the table readers and writers: turning a model Problem into a
// ParseError at the cell it concerns, and the columns several tables share.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/geo.hpp"
#include "balai/core/regions.hpp"
#include "balai/io/csv.hpp"

namespace balai::detail {

// Whether `path` exists; Error naming it when that cannot be told (a symlink loop, a
// folder that cannot be searched), where std::filesystem would throw an exception of its
// own that is no balai::Error.
[[nodiscard]] bool file_exists(const std::filesystem::path& path);

// The column named `name` among `columns`, or nullptr.
[[nodiscard]] const CsvColumn* find_column(std::initializer_list<const CsvColumn*> columns,
                                           std::string_view name) noexcept;

// The first of `problems` as a ParseError at `column` of the current record (at the whole
// record when null), noting how many more problems the record has.
[[nodiscard]] ParseError located(const CsvReader& csv, const std::vector<Problem>& problems,
                                 const CsvColumn* column);

// Throws when `problems` is not empty. `columns.of(field)` gives the column a problem's
// field names.
template <class Columns>
void reject(const CsvReader& csv, const std::vector<Problem>& problems, const Columns& columns) {
  if (!problems.empty()) throw located(csv, problems, columns.of(problems.front().field));
}

[[nodiscard]] GeoPoint read_point(const CsvReader& csv, const CsvColumn& lat, const CsvColumn& lng);
[[nodiscard]] ProvinceCode read_province(const CsvReader& csv, const CsvColumn& column);
[[nodiscard]] std::optional<RegencyCode> read_regency(const CsvReader& csv,
                                                      const CsvColumn& column);
[[nodiscard]] std::string regency_text(const std::optional<RegencyCode>& regency);

}  // namespace balai::detail
