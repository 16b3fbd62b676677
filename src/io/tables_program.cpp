#include "balai/io/tables.hpp"
#include "tables_common.hpp"

namespace balai {
namespace {

struct ProgramColumns {
  explicit ProgramColumns(const CsvReader& csv)
      : name(csv.column("name")),
        ministries(csv.optional_column("ministries")),
        target_min(csv.column("target_min")),
        target_max(csv.column("target_max")) {}

  [[nodiscard]] const CsvColumn* of(std::string_view field) const noexcept {
    return detail::find_column({&name, &ministries, &target_min, &target_max}, field);
  }

  CsvColumn name, ministries, target_min, target_max;
};

struct PhaseColumns {
  explicit PhaseColumns(const CsvReader& csv)
      : name(csv.column("name")), first(csv.column("first")), last(csv.column("last")) {}

  [[nodiscard]] const CsvColumn* of(std::string_view field) const noexcept {
    if (field == "phases.name") return &name;
    if (field == "phases.window") return &first;
    return nullptr;
  }

  CsvColumn name, first, last;
};

Program read_program_row(CsvReader& csv) {
  const ProgramColumns columns(csv);
  if (!csv.next()) throw csv.error("expected one program row below the header, found none");
  Program program;
  program.name = csv.string(columns.name);
  program.ministries = csv.string_list(columns.ministries);
  program.target_min = csv.integer<int>(columns.target_min);
  program.target_max = csv.integer<int>(columns.target_max);
  detail::reject(csv, check(program), columns);
  if (csv.next()) throw csv.error("a second program row: the file holds exactly one program");
  return program;
}

void read_phases(CsvReader& csv, Program& program) {
  const PhaseColumns columns(csv);
  while (csv.next()) {
    const Date first = csv.date(columns.first);
    const Date last = csv.date(columns.last);
    program.phases.push_back(
        Phase{csv.string(columns.name),
              csv.convert(columns.last, [&](std::string_view) { return DateRange(first, last); })});
    // The rows before this one passed, so whatever check finds now is this row's doing.
    detail::reject(csv, check(program), columns);
  }
}

CsvWriter program_writer(const Program& program) {
  CsvWriter csv(kProgramColumns);
  csv.cell(program.name)
      .list(program.ministries)
      .cell(program.target_min)
      .cell(program.target_max)
      .end_row();
  return csv;
}

CsvWriter phases_writer(const Program& program) {
  CsvWriter csv(kPhaseColumns);
  for (const auto& phase : program.phases) {
    csv.cell(phase.name).cell(phase.window.first()).cell(phase.window.last()).end_row();
  }
  return csv;
}

}  // namespace

Program read_program(CsvReader& program_csv, CsvReader& phases_csv) {
  Program program = read_program_row(program_csv);
  read_phases(phases_csv, program);
  return program;
}

Program read_program(const std::filesystem::path& program_file,
                     const std::filesystem::path& phases_file) {
  auto program_csv = CsvReader::open(program_file);
  Program program = read_program_row(program_csv);
  if (detail::file_exists(phases_file)) {
    auto phases_csv = CsvReader::open(phases_file);
    read_phases(phases_csv, program);
  }
  return program;
}

std::string program_to_csv(const Program& program) { return program_writer(program).take(); }

std::string phases_to_csv(const Program& program) { return phases_writer(program).take(); }

void write_program(const Program& program, const std::filesystem::path& program_file,
                   const std::filesystem::path& phases_file) {
  // Both texts are built before either file is touched, so a bad program writes nothing.
  const auto program_csv = program_writer(program);
  const auto phases_csv = phases_writer(program);
  program_csv.save(program_file);
  phases_csv.save(phases_file);
}

}  // namespace balai
