#include "balai/io/tables.hpp"
#include "tables_common.hpp"

namespace balai {
namespace {

struct Columns {
  explicit Columns(const CsvReader& csv)
      : code(csv.column("code")),
        title(csv.column("title")),
        hours_jp(csv.column("hours_jp")),
        prerequisites(csv.optional_column("prerequisites")),
        required_features(csv.optional_column("required_features")),
        tracks(csv.optional_column("tracks")),
        min_attendance(csv.column("min_attendance")),
        pass_mark(csv.optional_column("pass_mark")),
        move_on(csv.column("move_on")) {}

  [[nodiscard]] const CsvColumn* of(std::string_view field) const noexcept {
    return detail::find_column(
        {&code, &title, &hours_jp, &prerequisites, &required_features, &min_attendance, &pass_mark},
        field);
  }

  CsvColumn code, title, hours_jp, prerequisites, required_features, tracks, min_attendance,
      pass_mark, move_on;
};

Module read_row(const CsvReader& csv, const Columns& columns) {
  Module module;
  module.code = csv.string(columns.code);
  module.title = csv.string(columns.title);
  module.hours_jp = csv.integer<int>(columns.hours_jp);
  module.prerequisites = csv.string_list(columns.prerequisites);
  module.required_features = csv.string_list(columns.required_features);
  module.tracks = csv.enumeration_list<Track>(columns.tracks);
  module.rule.min_attendance = csv.real(columns.min_attendance);
  module.rule.pass_mark = csv.optional_real(columns.pass_mark);
  module.rule.move_on = csv.enumeration<MoveOnRule>(columns.move_on);
  detail::reject(csv, check(module), columns);
  return module;
}

CsvWriter module_writer(std::span<const Module> modules) {
  CsvWriter csv(kModuleColumns);
  for (const auto& module : modules) {
    csv.cell(module.code)
        .cell(module.title)
        .cell(module.hours_jp)
        .list(module.prerequisites)
        .list(module.required_features)
        .list(module.tracks)
        .cell(module.rule.min_attendance)
        .cell(module.rule.pass_mark)
        .cell(module.rule.move_on)
        .end_row();
  }
  return csv;
}

}  // namespace

std::vector<Module> read_modules(CsvReader& csv) {
  const Columns columns(csv);
  std::vector<Module> modules;
  while (csv.next()) modules.push_back(read_row(csv, columns));
  return modules;
}

std::vector<Module> read_modules(const std::filesystem::path& file) {
  auto csv = CsvReader::open(file);
  return read_modules(csv);
}

std::string modules_to_csv(std::span<const Module> modules) {
  return module_writer(modules).take();
}

void write_modules(std::span<const Module> modules, const std::filesystem::path& file) {
  module_writer(modules).save(file);
}

}  // namespace balai
