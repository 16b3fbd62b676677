#include <array>
#include <cctype>
#include <set>
#include <unordered_map>

#include "balai/io/tables.hpp"
#include "tables_common.hpp"

namespace balai {
namespace {

// The table each kind of entity comes from, and the column holding its id, so that the
// problems Dataset::add reports ("facility BLK-1") can say where the row is. The program
// has no id column: its one row goes by the empty key.
struct Table {
  std::string_view kind;
  std::string_view file;
  std::string_view key_column;
};

constexpr std::array<Table, 5> kTables{{
    {"regency", kRegenciesFile, "code"},
    {"facility", kFacilitiesFile, "id"},
    {"module", kModulesFile, "code"},
    {"trainee", kTraineesFile, "id"},
    {"program", kProgramFile, ""},
}};

using LineMap = std::unordered_map<std::string, std::vector<std::size_t>>;

// The lines of the rows whose key is among `keys`. Reading the file again on failure is
// cheaper than keeping a line for each of a million rows that load fine.
LineMap lines_of(const std::filesystem::path& file, std::string_view key_column,
                 const std::set<std::string, std::less<>>& keys) {
  LineMap lines;
  auto csv = CsvReader::open(file);
  const auto key = csv.optional_column(key_column);
  while (csv.next()) {
    if (const auto found = keys.find(csv.text(key)); found != keys.end()) {
      lines[*found].push_back(csv.line());
    }
  }
  return lines;
}

std::string located_where(const std::filesystem::path& file, const std::vector<std::size_t>& lines,
                          const std::string& where) {
  std::string text = file.string();
  text.append(lines.size() == 1 ? " line " : " lines ");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) text.append(", ");
    text.append(std::to_string(lines[i]));
  }
  return text.append(" (").append(where).append(")");
}

// `problems` with each `where` naming the file and line(s) of the row it concerns.
std::vector<Problem> locate(std::vector<Problem> problems, const std::filesystem::path& directory) {
  const auto split = [](const std::string& where) {
    const auto space = where.find(' ');
    return std::pair{std::string_view(where).substr(0, space),
                     space == std::string::npos ? std::string_view()
                                                : std::string_view(where).substr(space + 1)};
  };
  for (const auto& table : kTables) {
    std::set<std::string, std::less<>> keys;
    for (const auto& problem : problems) {
      const auto [kind, key] = split(problem.where);
      if (kind == table.kind) keys.emplace(key);
    }
    if (keys.empty()) continue;
    const auto file = directory / table.file;
    LineMap lines;
    try {
      lines = lines_of(file, table.key_column, keys);
    } catch (const Error&) {
      continue;  // the file changed since it was read: keep the problems as they are
    }
    for (auto& problem : problems) {
      const auto [kind, key] = split(problem.where);
      if (kind != table.kind) continue;
      if (const auto found = lines.find(std::string(key)); found != lines.end()) {
        problem.where = located_where(file, found->second, problem.where);
      }
    }
  }
  return problems;
}

constexpr std::array<std::string_view, 6> kTableFiles{kRegenciesFile, kFacilitiesFile, kModulesFile,
                                                      kTraineesFile,  kProgramFile,    kPhasesFile};

// Error unless `directory` is a folder holding trainees.csv and no file named like a table
// but for its case (Trainees.csv): a dataset without its trainees, or with a table under a
// name balai does not read, is a mistake to report, not an empty table.
void require_tables(const std::filesystem::path& directory) {
  const std::string where = "cannot read a dataset from '" + directory.string() + "': ";
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    throw Error(where + (error ? error.message() : "not a directory"));
  }
  const auto lower = [](std::string_view text) {
    std::string result(text);
    for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return result;
  };
  std::filesystem::directory_iterator entries(directory, error);
  for (; !error && entries != std::filesystem::directory_iterator(); entries.increment(error)) {
    const auto name = entries->path().filename().string();
    for (const auto table : kTableFiles) {
      if (name != table && lower(name) == table) {
        throw Error(where + "'" + name + "' is not a table name (did you mean '" +
                    std::string(table) + "'?)");
      }
    }
  }
  if (error) throw Error(where + error.message());
  if (!detail::file_exists(directory / kTraineesFile)) {
    throw Error(where + "it has no " + std::string(kTraineesFile));
  }
}

}  // namespace

void write_csv(const Dataset& dataset, const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    throw Error("cannot create directory '" + directory.string() + "': " + error.message());
  }
  // Every text is built before any file is written, so a dataset that cannot be written
  // (a ';' inside a ministry's name) leaves the directory as it was.
  std::vector<std::pair<std::string_view, std::string>> files;
  if (!dataset.regencies().empty()) {
    files.emplace_back(kRegenciesFile, regencies_to_csv(dataset.regencies()));
  }
  files.emplace_back(kFacilitiesFile, facilities_to_csv(dataset.facilities()));
  files.emplace_back(kModulesFile, modules_to_csv(dataset.modules()));
  files.emplace_back(kTraineesFile, trainees_to_csv(dataset.trainees()));
  if (dataset.program()) {
    files.emplace_back(kProgramFile, program_to_csv(*dataset.program()));
    files.emplace_back(kPhasesFile, phases_to_csv(*dataset.program()));
  }
  for (const auto& [name, text] : files) write_text_file(directory / name, text);

  const auto stale = [&](std::string_view name) {
    if (std::filesystem::remove(directory / name, error); error) {
      throw Error("cannot remove '" + (directory / name).string() + "': " + error.message());
    }
  };
  if (dataset.regencies().empty()) stale(kRegenciesFile);
  if (!dataset.program()) {
    stale(kProgramFile);
    stale(kPhasesFile);
  }
}

Dataset read_csv(const std::filesystem::path& directory, const CsvReadOptions& options) {
  require_tables(directory);
  const auto file = [&](std::string_view name) { return directory / name; };
  const auto present = [&](std::string_view name) { return detail::file_exists(file(name)); };

  std::vector<Regency> regencies;
  if (present(kRegenciesFile)) regencies = read_regencies(file(kRegenciesFile));
  Batch batch;
  if (present(kFacilitiesFile)) batch.facilities = read_facilities(file(kFacilitiesFile));
  if (present(kModulesFile)) batch.modules = read_modules(file(kModulesFile));
  if (present(kTraineesFile)) batch.trainees = read_trainees(file(kTraineesFile), options);
  if (present(kProgramFile)) {
    batch.program = read_program(file(kProgramFile), file(kPhasesFile));
  } else if (present(kPhasesFile)) {
    throw ParseError(file(kPhasesFile).string(), 1, 0, "",
                     "phases need a program: program.csv is missing");
  }

  try {
    return Dataset(std::move(regencies), std::move(batch));
  } catch (const ValidationError& error) {
    throw ValidationError(locate(error.problems(), directory));
  }
}

}  // namespace balai
