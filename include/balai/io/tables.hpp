// Every table of a Dataset as CSV, one file per table in a directory, and the whole
// Dataset at once. Files are RFC 4180 CSV in UTF-8 with a header row (see csv.hpp);
// columns are found by name, so their order is free and extra columns are ignored.
// Columns whose cells may be empty may also be left out. Lists are ';'-joined in one
// cell; enumerations are written by the names in EnumNames; dates are YYYY-MM-DD;
// numbers are plain decimals, and doubles are written so that they read back
// bit-identical. Writing a Dataset and reading it back gives an equal Dataset.
//
// A row that is wrong on its own (a bad number, an unknown name, what balai::check
// reports) is a ParseError naming the file, line, column and field. Problems between
// rows or tables (duplicate ids, unknown prerequisites, cycles, modules no facility can
// host, regencies missing from the regency table) are found by Dataset::add and come out
// of read_csv as a ValidationError whose problems say where: "…/facilities.csv line 17
// (facility BLK-3201-004)". Reading is all-or-nothing.
//
// regencies.csv: see regions_csv.hpp.
//
// facilities.csv (* = cell may be empty, column may be absent)
//   id           external id                                    BLK-3201-004
//   name         display name                                   BLK Komunitas Al-Falah
//   kind         uptp | uptd | blk_komunitas | plut | rpb
//   owner        central | province | regency | community
//   grade*       tumbuh | berkembang | mandiri (BLK Komunitas only)
//   lat, lng     WGS84 degrees                                  -6.59, 106.79
//   province     two-digit province code                        32
//   regency*     regency code NN.NN inside the province          32.01
//   rooms        training rooms, >= 0                            4
//   seats        training seats over all rooms, >= 0             96
//   features*    feature tags, ';'-joined                        kitchen;sewing
//   active_from* first day the facility can be used (with active_to, or neither)
//   active_to*   last day the facility can be used
//
// modules.csv
//   code               external id                               ENT-101
//   title              display title
//   hours_jp           lessons of 45 minutes, 1..2000            16
//   prerequisites*     module codes, ';'-joined                  ENT-100;FIN-101
//   required_features* facility feature tags, ';'-joined         kitchen
//   tracks*            umkm_owner;new_entrepreneur (the tracks that require it)
//   min_attendance     fraction of sessions, 0..1                0.8
//   pass_mark*         score out of 100 (needed by the rules that look at assessment)
//   move_on            completed | passed | completed_and_passed | completed_or_passed
//                      | not_applicable
//
// trainees.csv
//   id           external id (the registration system's)
//   nik_digest*  HMAC-SHA256 of the NIK under the program's key, 64 hex digits
//   nik_masked*  masked NIK, 16 characters                      3201********0001
//   gender       female | male
//   birth_year   e.g. 1988
//   province     two-digit province code
//   regency*     regency code NN.NN inside the province
//   lat, lng     WGS84 degrees of the trainee's home
//   track        umkm_owner | new_entrepreneur
//   umkm_class   micro | small | medium
//   kbli_version 2020 | 2025
//   kbli_code    KBLI section letter A-U or 2 to 5 digits        10792
//   needs*       mobility;visual;hearing;other, ';'-joined
// nik_digest and nik_masked are both empty (no NIK) or both given. A clear `nik` column is
// read only when CsvReadOptions::nik_key is set: each NIK is then protected on load
// (balai::protect_nik) and never kept; a row may give nik or the digest pair, not both.
// Without a key, a `nik` column is a ParseError. Clear NIKs are never written.
//
// program.csv: exactly one row
//   name, ministries* (';'-joined, in order), target_min, target_max
// phases.csv: one row per phase, in time order
//   name, first, last (the phase's first and last day, YYYY-MM-DD)
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/io/csv.hpp"
#include "balai/io/regions_csv.hpp"
#include "balai/model/dataset.hpp"
#include "balai/model/nik.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// The files of a dataset directory.
inline constexpr std::string_view kRegenciesFile = "regencies.csv";
inline constexpr std::string_view kFacilitiesFile = "facilities.csv";
inline constexpr std::string_view kModulesFile = "modules.csv";
inline constexpr std::string_view kTraineesFile = "trainees.csv";
inline constexpr std::string_view kProgramFile = "program.csv";
inline constexpr std::string_view kPhasesFile = "phases.csv";

// The columns each writer writes, in order.
inline constexpr std::array<std::string_view, 14> kFacilityColumns{
    "id",       "name",    "kind",  "owner", "grade",    "lat",         "lng",
    "province", "regency", "rooms", "seats", "features", "active_from", "active_to"};
inline constexpr std::array<std::string_view, 9> kModuleColumns{
    "code",   "title",          "hours_jp",  "prerequisites", "required_features",
    "tracks", "min_attendance", "pass_mark", "move_on"};
inline constexpr std::array<std::string_view, 14> kTraineeColumns{
    "id",  "nik_digest", "nik_masked", "gender",     "birth_year",   "province",  "regency",
    "lat", "lng",        "track",      "umkm_class", "kbli_version", "kbli_code", "needs"};
inline constexpr std::array<std::string_view, 4> kProgramColumns{"name", "ministries", "target_min",
                                                                 "target_max"};
inline constexpr std::array<std::string_view, 3> kPhaseColumns{"name", "first", "last"};

struct CsvReadOptions {
  // The program's NIK key. Only with it may trainees.csv carry a clear `nik` column.
  std::optional<NikKey> nik_key;
};

// Facilities, one table at a time. Rows are checked on their own; ids are checked
// against each other when the rows are added to a Dataset.
[[nodiscard]] std::vector<Facility> read_facilities(const std::filesystem::path& file);
[[nodiscard]] std::vector<Facility> read_facilities(CsvReader& csv);
[[nodiscard]] std::string facilities_to_csv(std::span<const Facility> facilities);
void write_facilities(std::span<const Facility> facilities, const std::filesystem::path& file);

[[nodiscard]] std::vector<Module> read_modules(const std::filesystem::path& file);
[[nodiscard]] std::vector<Module> read_modules(CsvReader& csv);
[[nodiscard]] std::string modules_to_csv(std::span<const Module> modules);
void write_modules(std::span<const Module> modules, const std::filesystem::path& file);

[[nodiscard]] std::vector<Trainee> read_trainees(const std::filesystem::path& file,
                                                 const CsvReadOptions& options = {});
[[nodiscard]] std::vector<Trainee> read_trainees(CsvReader& csv,
                                                 const CsvReadOptions& options = {});
[[nodiscard]] std::string trainees_to_csv(std::span<const Trainee> trainees);
void write_trainees(std::span<const Trainee> trainees, const std::filesystem::path& file);

// The program from program.csv and phases.csv; a missing phases file means no phases.
[[nodiscard]] Program read_program(const std::filesystem::path& program_file,
                                   const std::filesystem::path& phases_file);
[[nodiscard]] Program read_program(CsvReader& program_csv, CsvReader& phases_csv);
[[nodiscard]] std::string program_to_csv(const Program& program);
[[nodiscard]] std::string phases_to_csv(const Program& program);
void write_program(const Program& program, const std::filesystem::path& program_file,
                   const std::filesystem::path& phases_file);

// Writes every table of `dataset` into `directory` (created if needed): regencies.csv
// when it has regencies, facilities.csv, modules.csv, trainees.csv, and program.csv with
// phases.csv when it has a program. Files of tables the dataset lacks are removed, so
// that the directory reads back as `dataset`. balai::Error when a file cannot be written.
void write_csv(const Dataset& dataset, const std::filesystem::path& directory);

// Reads the tables written by write_csv; a missing file is an empty table (no program
// without program.csv). ParseError for a bad row, ValidationError (problems located by
// file and line) for what Dataset::add rejects, balai::Error when the directory or a
// file cannot be read.
[[nodiscard]] Dataset read_csv(const std::filesystem::path& directory,
                               const CsvReadOptions& options = {});

}  // namespace balai
BALAI_EXPORT_END
