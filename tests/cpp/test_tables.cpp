#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/io/csv.hpp"
#include "balai/io/regions_csv.hpp"
#include "balai/io/tables.hpp"
#include "balai/model/dataset.hpp"
#include "temp_dir.hpp"

using namespace balai;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

using balai::testing::TempDir;

void write_file(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const NikKey& test_key() {
  static const NikKey key("balai-test-key-0123456789");
  return key;
}

constexpr std::string_view kNik = "3201014105900001";  // a woman born 1 May 1990 in 32.01

Dataset sample_dataset() {
  std::vector<Regency> regencies{
      {RegencyCode::parse("32.01"), "Kabupaten Bogor", GeoPoint(-6.58333, 106.71667), 5809790},
      {RegencyCode::parse("32.73"), "Kota Bandung", GeoPoint(-6.9175, 107.62444), 2591763},
      {RegencyCode::parse("35.78"), "Kota Surabaya", GeoPoint(-7.26667, 112.71667), 3018022},
  };

  Batch batch;
  Facility uptp;
  uptp.id = "UPTP-BDG";
  uptp.name = "BBPVP \"Bandung\", Jawa Barat";
  uptp.kind = FacilityKind::uptp;
  uptp.owner = OwnerLevel::central;
  uptp.location = GeoPoint(-6.9024, 107.6186);
  uptp.province = 32;
  uptp.regency = RegencyCode::parse("32.73");
  uptp.rooms = 12;
  uptp.seats = 300;
  uptp.features = {"classroom", "computer_lab", "kitchen"};
  batch.facilities.push_back(uptp);

  Facility komunitas;
  komunitas.id = "BLKK-3201-001";
  komunitas.name = "BLK Komunitas Al-Falah \xE2\x80\x94 Cibinong";
  komunitas.kind = FacilityKind::blk_komunitas;
  komunitas.owner = OwnerLevel::community;
  komunitas.grade = BlkGrade::tumbuh;
  komunitas.location = GeoPoint(-6.1 - 0.2 - 0.3, 106.0 + 1.0 / 3.0);
  komunitas.province = 32;
  komunitas.regency = RegencyCode::parse("32.01");
  komunitas.rooms = 2;
  komunitas.seats = 40;
  komunitas.features = {"sewing", "classroom"};
  komunitas.active = DateRange(Date(2026, 1, 5), Date(2026, 12, 18));
  batch.facilities.push_back(komunitas);

  Facility plut;
  plut.id = "PLUT-35";
  plut.name = "PLUT-KUMKM Jawa Timur";
  plut.kind = FacilityKind::plut;
  plut.owner = OwnerLevel::province;
  plut.location = GeoPoint(-7.29, 112.73);
  plut.province = 35;
  batch.facilities.push_back(plut);

  Module orientation;
  orientation.code = "ENT-100";
  orientation.title = "Orientasi kewirausahaan";
  orientation.hours_jp = 4;
  orientation.tracks = {Track::umkm_owner, Track::new_entrepreneur};
  orientation.rule = {0.0, std::nullopt, MoveOnRule::not_applicable};
  batch.modules.push_back(orientation);

  Module business;
  business.code = "ENT-101";
  business.title = "Model bisnis, pasar dan \"harga\"";
  business.hours_jp = 16;
  business.prerequisites = {"ENT-100"};
  business.required_features = {"classroom"};
  business.tracks = {Track::umkm_owner, Track::new_entrepreneur};
  business.rule = {0.8, 70.5, MoveOnRule::completed_and_passed};
  batch.modules.push_back(business);

  Module food;
  food.code = "PRD-210";
  food.title = "Produksi pangan olahan";
  food.hours_jp = 24;
  food.prerequisites = {"ENT-101"};
  food.required_features = {"kitchen"};
  food.tracks = {Track::new_entrepreneur};
  food.rule = {0.9, std::nullopt, MoveOnRule::completed};
  batch.modules.push_back(food);

  Module elective;
  elective.code = "OPT-900";
  elective.title = "Pemasaran digital (pilihan)";
  elective.rule = {0.75, 55.0, MoveOnRule::passed};
  batch.modules.push_back(elective);

  Trainee owner;
  owner.id = "REG-000001";
  owner.nik = protect_nik(kNik, test_key());
  owner.gender = Gender::female;
  owner.birth_year = 1990;
  owner.province = 32;
  owner.regency = RegencyCode::parse("32.01");
  owner.location = GeoPoint(-6.6, 106.8);
  owner.track = Track::umkm_owner;
  owner.umkm_class = UmkmClass::small;
  owner.sector = {KbliVersion::kbli2020, "10792"};
  owner.needs = {Need::mobility, Need::hearing};
  batch.trainees.push_back(owner);

  Trainee starter;
  starter.id = "REG-000002";
  starter.gender = Gender::male;
  starter.birth_year = 2001;
  starter.province = 35;
  starter.location = GeoPoint(-7.25, 112.75);
  starter.track = Track::new_entrepreneur;
  starter.sector = {KbliVersion::kbli2025, "C"};
  batch.trainees.push_back(starter);

  Program program;
  program.name = "Program Pelatihan Wirausaha Nasional 2026";
  program.ministries = {"Kementerian Usaha Mikro, Kecil, dan Menengah",
                        "Kementerian Ketenagakerjaan"};
  program.phases = {{"pilot", DateRange(Date(2026, 1, 5), Date(2026, 3, 27))},
                    {"rollout", DateRange(Date(2026, 4, 13), Date(2026, 12, 18))}};
  batch.program = program;

  return Dataset(std::move(regencies), std::move(batch));
}

// Rows for bad-input tests, written with CsvWriter so that odd values are quoted.
using Row = std::map<std::string, std::string, std::less<>>;

template <std::size_t N>
std::string table_text(const std::array<std::string_view, N>& columns,
                       const std::vector<Row>& rows) {
  CsvWriter csv(columns);
  for (const auto& row : rows) {
    for (auto column : columns) {
      const auto found = row.find(column);
      csv.cell(found == row.end() ? std::string_view() : std::string_view(found->second));
    }
    csv.end_row();
  }
  return std::move(csv).take();
}

Row with(Row row, const Row& changes) {
  for (const auto& [column, value] : changes) row[column] = value;
  return row;
}

template <std::size_t N>
std::size_t column_number(const std::array<std::string_view, N>& columns, std::string_view name) {
  const auto found = std::find(columns.begin(), columns.end(), name);
  return found == columns.end() ? 0 : static_cast<std::size_t>(found - columns.begin()) + 1;
}

// Runs `action`, which must throw a ParseError in `file` at `line` about `field`, and
// checks that the message says so too.
template <class Action>
void require_parse_error(Action&& action, const std::string& file, std::size_t line,
                         const std::string& field, std::size_t column,
                         const std::string& reason = "") {
  try {
    action();
    FAIL("expected a ParseError");
  } catch (const ParseError& error) {
    INFO(error.what());
    CHECK(error.file() == file);
    CHECK(error.line() == line);
    CHECK(error.field() == field);
    CHECK(error.column() == column);
    CHECK_THAT(error.what(), Contains(file + ":" + std::to_string(line)));
    if (!field.empty()) CHECK_THAT(error.what(), Contains("field '" + field + "'"));
    if (!reason.empty()) CHECK_THAT(error.what(), Contains(reason));
  }
}

// One bad-input case: changes to a good row, and the field and reason the error must name.
struct BadCase {
  Row changes;
  std::string field;
  std::string reason;
};

// Puts each case's row third, after two good rows, so that the error must say line 4.
template <std::size_t N, class Read>
void check_bad_rows(const std::array<std::string_view, N>& columns, const std::string& file,
                    const std::vector<Row>& good, const std::vector<BadCase>& cases, Read read) {
  REQUIRE(good.size() == 3);
  for (const auto& bad : cases) {
    std::string label;
    for (const auto& [column, value] : bad.changes) label += column + "=" + value + " ";
    INFO("case: " << label);
    const auto text = table_text(columns, {good[0], good[1], with(good[2], bad.changes)});
    require_parse_error(
        [&] {
          CsvReader csv(text, file);
          (void)read(csv);
        },
        file, 4, bad.field, column_number(columns, bad.field), bad.reason);
  }
}

// Each required column left out in turn must be named in a ParseError on line 1.
template <std::size_t N, class Read>
void check_required_columns(const std::array<std::string_view, N>& columns,
                            const std::vector<std::string_view>& required, const Row& good,
                            const std::string& file, Read read) {
  for (auto missing : required) {
    INFO("missing column: " << missing);
    std::vector<std::string_view> kept;
    for (auto column : columns) {
      if (column != missing) kept.push_back(column);
    }
    CsvWriter csv(kept);
    for (auto column : kept) csv.cell(good.at(std::string(column)));
    csv.end_row();
    const std::string text = std::move(csv).take();
    require_parse_error(
        [&] {
          CsvReader reader(text, file);
          (void)read(reader);
        },
        file, 1, std::string(missing), 0, "missing required column");
  }
}

Row good_facility(const std::string& id) {
  return {{"id", id},           {"name", "BLK " + id}, {"kind", "uptd"}, {"owner", "province"},
          {"grade", ""},        {"lat", "-6.9"},       {"lng", "107.6"}, {"province", "32"},
          {"regency", "32.73"}, {"rooms", "2"},        {"seats", "40"},  {"features", "classroom"},
          {"active_from", ""},  {"active_to", ""}};
}

Row good_module(const std::string& code) {
  return {{"code", code},
          {"title", "Module " + code},
          {"hours_jp", "8"},
          {"prerequisites", ""},
          {"required_features", "classroom"},
          {"tracks", "umkm_owner"},
          {"min_attendance", "0.8"},
          {"pass_mark", "60"},
          {"move_on", "completed_and_passed"}};
}

Row good_trainee(const std::string& id) {
  return {{"id", id},
          {"nik_digest", ""},
          {"nik_masked", ""},
          {"gender", "female"},
          {"birth_year", "1990"},
          {"province", "32"},
          {"regency", "32.01"},
          {"lat", "-6.6"},
          {"lng", "106.8"},
          {"track", "umkm_owner"},
          {"umkm_class", "micro"},
          {"kbli_version", "2020"},
          {"kbli_code", "10792"},
          {"needs", ""}};
}

Row good_regency(const std::string& code) {
  return {{"code", code},     {"province_code", code.substr(0, 2)},
          {"name", "Kota X"}, {"lat", "-6.9"},
          {"lng", "107.6"},   {"population_2024", "1000"}};
}

const std::string kDigest(64, 'a');

// The problems of the ValidationError that `action` must throw.
template <class Action>
std::vector<Problem> validation_problems(Action&& action) {
  try {
    action();
  } catch (const ValidationError& error) {
    return error.problems();
  }
  FAIL("expected a ValidationError");
  return {};
}

bool has_problem(const std::vector<Problem>& problems, const std::string& where,
                 const std::string& field, const std::string& message) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& problem) {
    return problem.where == where && problem.field == field &&
           problem.message.find(message) != std::string::npos;
  });
}

std::string describe(const std::vector<Problem>& problems) {
  std::string text;
  for (const auto& problem : problems) text += problem.to_string() + "\n";
  return text;
}

}  // namespace

TEST_CASE("tables: a dataset round-trips through a directory of CSV files", "[tables][quick]") {
  const Dataset original = sample_dataset();
  TempDir dir;
  write_csv(original, dir.path());
  for (auto name :
       {kRegenciesFile, kFacilitiesFile, kModulesFile, kTraineesFile, kProgramFile, kPhasesFile}) {
    CHECK(fs::exists(dir / name));
  }
  const Dataset loaded = read_csv(dir.path());
  CHECK(loaded == original);
  CHECK(loaded.trainees()[0].nik == original.trainees()[0].nik);
  CHECK(nik_matches(*loaded.trainees()[0].nik, kNik, test_key()));
  CHECK(loaded.facilities()[1].active == original.facilities()[1].active);
  CHECK(loaded.modules()[1].rule.pass_mark == 70.5);

  // The clear NIK never reaches the file; its masked form and digest do.
  const auto trainees = read_file(dir / kTraineesFile);
  CHECK(trainees.find(kNik) == std::string::npos);
  CHECK(trainees.find("3201********0001") != std::string::npos);
  CHECK(trainees.find(original.trainees()[0].nik->digest_hex()) != std::string::npos);

  // Writing the loaded dataset again gives the same bytes.
  TempDir again;
  write_csv(loaded, again.path());
  for (auto name :
       {kRegenciesFile, kFacilitiesFile, kModulesFile, kTraineesFile, kProgramFile, kPhasesFile}) {
    CHECK(read_file(dir / name) == read_file(again / name));
  }
  // No temporary files are left behind.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 6);
}

TEST_CASE("tables: optional tables are left out and read back as empty", "[tables][quick]") {
  const Dataset full = sample_dataset();
  TempDir dir;
  write_csv(full, dir.path());

  // The same entities without regencies or program: their stale files must go.
  Batch batch = full.to_batch();
  batch.program.reset();
  batch.trainees[0].regency.reset();
  batch.facilities[0].regency.reset();
  batch.facilities[1].regency.reset();
  const Dataset bare({}, std::move(batch));
  write_csv(bare, dir.path());
  CHECK_FALSE(fs::exists(dir / kRegenciesFile));
  CHECK_FALSE(fs::exists(dir / kProgramFile));
  CHECK_FALSE(fs::exists(dir / kPhasesFile));
  const Dataset loaded = read_csv(dir.path());
  CHECK(loaded == bare);
  CHECK_FALSE(loaded.program());
  CHECK(loaded.regencies().empty());

  // An empty dataset writes header-only tables, and an empty directory reads as empty.
  TempDir empty_dir;
  write_csv(Dataset(), empty_dir.path());
  CHECK(read_file(empty_dir / kModulesFile) ==
        "code,title,hours_jp,prerequisites,"
        "required_features,tracks,min_attendance,"
        "pass_mark,move_on\n");
  CHECK(read_csv(empty_dir.path()) == Dataset());

  // A program without phases.
  Batch with_program;
  with_program.program = Program{"Pilot", {}, 10, 20, {}};
  const Dataset program_only({}, with_program);
  TempDir program_dir;
  write_csv(program_only, program_dir.path());
  CHECK(read_file(program_dir / kPhasesFile) == "name,first,last\n");
  CHECK(read_csv(program_dir.path()) == program_only);
  fs::remove(program_dir / kPhasesFile);
  CHECK(read_csv(program_dir.path()) == program_only);
}

TEST_CASE("tables: each table round-trips on its own", "[tables][quick]") {
  const Dataset dataset = sample_dataset();
  const std::vector<Regency> regencies(dataset.regencies().begin(), dataset.regencies().end());
  const std::vector<Facility> facilities(dataset.facilities().begin(), dataset.facilities().end());
  const std::vector<Module> modules(dataset.modules().begin(), dataset.modules().end());
  const std::vector<Trainee> trainees(dataset.trainees().begin(), dataset.trainees().end());
  const Program& program = *dataset.program();

  SECTION("in memory") {
    CsvReader regency_csv(regencies_to_csv(regencies), "regencies.csv");
    CHECK(read_regencies(regency_csv) == regencies);
    CsvReader facility_csv(facilities_to_csv(facilities), "facilities.csv");
    CHECK(read_facilities(facility_csv) == facilities);
    CsvReader module_csv(modules_to_csv(modules), "modules.csv");
    CHECK(read_modules(module_csv) == modules);
    CsvReader trainee_csv(trainees_to_csv(trainees), "trainees.csv");
    CHECK(read_trainees(trainee_csv) == trainees);
    CsvReader program_csv(program_to_csv(program), "program.csv");
    CsvReader phases_csv(phases_to_csv(program), "phases.csv");
    CHECK(read_program(program_csv, phases_csv) == program);
  }
  SECTION("through files") {
    TempDir dir;
    write_regencies(regencies, dir / "r.csv");
    CHECK(read_regencies(dir / "r.csv") == regencies);
    write_facilities(facilities, dir / "f.csv");
    CHECK(read_facilities(dir / "f.csv") == facilities);
    write_modules(modules, dir / "m.csv");
    CHECK(read_modules(dir / "m.csv") == modules);
    write_trainees(trainees, dir / "t.csv");
    CHECK(read_trainees(dir / "t.csv") == trainees);
    write_program(program, dir / "p.csv", dir / "ph.csv");
    CHECK(read_program(dir / "p.csv", dir / "ph.csv") == program);
  }
  SECTION("optional cells are written empty") {
    const auto text = facilities_to_csv(facilities);
    // PLUT-35: no grade, no regency, no features, no active window.
    CHECK_THAT(
        text, Contains("\nPLUT-35,PLUT-KUMKM Jawa Timur,plut,province,,-7.29,112.73,35,,0,0,,,\n"));
    CHECK_THAT(text, Contains("\"BBPVP \"\"Bandung\"\", Jawa Barat\""));
    CHECK_THAT(modules_to_csv(modules),
               Contains("\nOPT-900,Pemasaran digital (pilihan),1,,,,0.75,55,passed\n"));
    CHECK_THAT(
        trainees_to_csv(trainees),
        Contains("\nREG-000002,,,male,2001,35,,-7.25,112.75,new_entrepreneur,micro,2025,C,\n"));
  }
}

TEST_CASE("tables: writers write the documented columns in order", "[tables][quick]") {
  const auto header = [](const std::string& text) { return text.substr(0, text.find('\n')); };
  const auto joined = [](auto columns) {
    std::string text;
    for (auto column : columns) text.append(text.empty() ? "" : ",").append(column);
    return text;
  };
  CHECK(header(regencies_to_csv({})) == joined(kRegencyColumns));
  CHECK(header(facilities_to_csv({})) == joined(kFacilityColumns));
  CHECK(header(modules_to_csv({})) == joined(kModuleColumns));
  CHECK(header(trainees_to_csv({})) == joined(kTraineeColumns));
  CHECK(header(program_to_csv(Program{})) == joined(kProgramColumns));
  CHECK(header(phases_to_csv(Program{})) == joined(kPhaseColumns));
  CHECK(header(regencies_to_csv({})) == "code,province_code,name,lat,lng,population_2024");
}

TEST_CASE("tables: the committed pilot fixture loads", "[tables][quick]") {
  const fs::path fixture = fs::path(BALAI_TEST_DATA_DIR) / "csv" / "pilot";
  const Dataset dataset = read_csv(fixture);
  CHECK(dataset.regencies().size() == 4);
  REQUIRE(dataset.facilities().size() == 4);
  CHECK(dataset.modules().size() == 4);
  CHECK(dataset.trainees().size() == 3);
  REQUIRE(dataset.program());

  // facilities.csv has a byte-order mark, CRLF line ends, its own column order and an
  // extra column.
  const Facility& komunitas = dataset.facility(dataset.facility_ids().at("BLKK-3201-001"));
  CHECK(komunitas.name == "BLK Komunitas \"Al-Falah\", Bogor");
  CHECK(komunitas.grade == BlkGrade::tumbuh);
  CHECK(komunitas.features == std::vector<std::string>{"classroom", "sewing"});
  CHECK(komunitas.active == DateRange(Date(2026, 1, 5), Date(2026, 12, 18)));
  CHECK(dataset.facilities()[0].id == "UPTP-BDG");
  CHECK_FALSE(dataset.facility(dataset.facility_ids().at("PLUT-35")).regency);

  const Module& business = dataset.module(dataset.module_ids().at("ENT-101"));
  CHECK(business.title == "Model bisnis, pasar dan harga");
  CHECK(business.rule.pass_mark == 70.0);
  CHECK(business.rule.move_on == MoveOnRule::completed_and_passed);

  const auto& trainees = dataset.trainees();
  CHECK(trainees[0].nik->masked == "3201********0001");
  CHECK(trainees[0].nik->digest_hex() ==
        "1e60fa3e72216dde309e3c7765dcccd338b5a7ebc3139aba469cfdc1d3ff3d49");
  CHECK_FALSE(trainees[1].nik);
  CHECK(trainees[1].needs == AccessibilityNeeds{Need::mobility, Need::visual});
  CHECK(trainees[2].nik->masked == "3404********0042");  // upper-case hex reads too
  CHECK(dataset.program()->ministries.size() == 2);
  CHECK(dataset.program()->phase("rollout").window.last() == Date(2026, 12, 18));

  TempDir dir;
  write_csv(dataset, dir.path());
  CHECK(read_csv(dir.path()) == dataset);
}

TEST_CASE("tables: all 514 regencies of the reference file load", "[tables][quick]") {
  const fs::path file = fs::path(BALAI_SHARED_DATA_DIR) / "regencies.csv";
  const auto regencies = read_regencies(file);
  REQUIRE(regencies.size() == 514);
  const Dataset dataset(regencies);
  CHECK(dataset.regencies().size() == 514);
  const Regency* bogor = dataset.find_regency(RegencyCode::parse("32.01"));
  REQUIRE(bogor != nullptr);
  CHECK(bogor->name == "Kabupaten Bogor");
  CHECK(bogor->seat == GeoPoint(-6.58333, 106.71667));
  CHECK(bogor->population == 5809790);
  for (const auto& regency : regencies) {
    CHECK(is_province_code(regency.province()));
    CHECK(regency.population > 0);
  }
  CsvReader written(regencies_to_csv(regencies), "regencies.csv");
  CHECK(read_regencies(written) == regencies);
}

TEST_CASE("tables: clear NIKs are read only with a key and never kept",
          "[tables][quick][bad-input]") {
  const std::string text =
      "id,nik,gender,birth_year,province,regency,lat,lng,track,umkm_class,kbli_version,kbli_code\n"
      "REG-1," +
      std::string(kNik) +
      ",female,1990,32,32.01,-6.6,106.8,umkm_owner,micro,2020,10792\n"
      "REG-2,,male,1985,32,,-6.6,106.8,umkm_owner,micro,2020,10792\n";

  SECTION("without a key the column is refused") {
    require_parse_error(
        [&] {
          CsvReader csv(text, "trainees.csv");
          (void)read_trainees(csv);
        },
        "trainees.csv", 1, "nik", 2, "NIK key");
  }
  SECTION("with the key each NIK is protected on load") {
    CsvReader csv(text, "trainees.csv");
    const auto trainees = read_trainees(csv, CsvReadOptions{test_key()});
    REQUIRE(trainees.size() == 2);
    REQUIRE(trainees[0].nik);
    CHECK(*trainees[0].nik == protect_nik(kNik, test_key()));
    CHECK(nik_matches(*trainees[0].nik, kNik, test_key()));
    CHECK_FALSE(trainees[1].nik);
    const auto written = trainees_to_csv(trainees);
    CHECK(written.find(kNik) == std::string::npos);
    CHECK(written.find("nik,") == std::string::npos);
  }
  SECTION("through read_csv") {
    TempDir dir;
    write_file(dir / kTraineesFile, text);
    CHECK_THROWS_AS(read_csv(dir.path()), ParseError);
    const Dataset dataset = read_csv(dir.path(), CsvReadOptions{test_key()});
    CHECK(dataset.trainees().size() == 2);
    write_csv(dataset, dir.path());
    CHECK(read_file(dir / kTraineesFile).find(kNik) == std::string::npos);
    CHECK(read_csv(dir.path()) == dataset);
  }
  SECTION("a bad NIK is reported without repeating it") {
    const std::string bad =
        "id,nik,gender,birth_year,province,lat,lng,track,umkm_class,"
        "kbli_version,kbli_code\n"
        "REG-1,3201019905900001,female,1990,32,-6.6,106.8,umkm_owner,micro,"
        "2020,10792\n";
    try {
      CsvReader csv(bad, "trainees.csv");
      (void)read_trainees(csv, CsvReadOptions{test_key()});
      FAIL("expected a ParseError");
    } catch (const ParseError& error) {
      CHECK(error.line() == 2);
      CHECK(error.field() == "nik");
      CHECK(std::string(error.what()).find("3201019905900001") == std::string::npos);
      CHECK(std::string(error.what()).find("990590") == std::string::npos);
      CHECK_THAT(error.what(), Contains("birth date"));
    }
  }
  SECTION("a row gives a clear NIK or a digest, not both") {
    const std::string both =
        "id,nik,nik_digest,nik_masked,gender,birth_year,province,lat,lng,track,umkm_class,"
        "kbli_version,kbli_code\n"
        "REG-1," +
        std::string(kNik) + "," + kDigest +
        ",3201********0001,female,1990,32,-6.6,106.8,umkm_owner,micro,2020,10792\n"
        "REG-2,," +
        kDigest +
        ",3201********0002,female,1990,32,-6.6,106.8,umkm_owner,micro,"
        "2020,10792\n";
    require_parse_error(
        [&] {
          CsvReader csv(both, "trainees.csv");
          (void)read_trainees(csv, CsvReadOptions{test_key()});
        },
        "trainees.csv", 2, "nik", 2, "not both");
  }
}

TEST_CASE("tables: bad facility rows", "[tables][quick][bad-input]") {
  const std::vector<Row> good{good_facility("F-1"), good_facility("F-2"), good_facility("F-3")};
  const std::vector<BadCase> cases{
      {{{"kind", "blk"}}, "kind", "expected one of uptp"},
      {{{"kind", ""}}, "kind", "expected one of"},
      {{{"owner", "central"}}, "owner", "cannot have this owner"},
      {{{"kind", "blk_komunitas"}, {"owner", "community"}}, "grade", "needs a grade"},
      {{{"grade", "mandiri"}}, "grade", "only a BLK Komunitas"},
      {{{"grade", "platinum"}}, "grade", "tumbuh, berkembang, mandiri"},
      {{{"lat", "95"}}, "lat", "degrees"},
      {{{"lat", ""}}, "lat", "empty cell"},
      {{{"lng", "abc"}}, "lng", "not a finite decimal number"},
      {{{"lng", "-181"}}, "lng", "degrees"},
      {{{"province", "3"}}, "province", "province code"},
      {{{"province", "10"}}, "province", "province code"},
      {{{"regency", "33.01"}}, "regency", "outside province 32"},
      {{{"regency", "32.1"}}, "regency", "NN.NN"},
      {{{"rooms", "-1"}}, "rooms", "outside 0.."},
      {{{"rooms", "0"}, {"seats", "5"}}, "seats", "at least one room"},
      {{{"seats", "12.5"}}, "seats", "not an integer"},
      {{{"seats", "99999999999"}}, "seats", "outside"},
      {{{"features", "kitchen;;sewing"}}, "features", "empty item"},
      {{{"features", "Kitchen"}}, "features", "feature tag"},
      {{{"active_from", "2026-01-05"}}, "active_to", "active_to is needed"},
      {{{"active_to", "2026-01-05"}}, "active_from", "active_from is needed"},
      {{{"active_from", "2026-05-01"}, {"active_to", "2026-04-01"}}, "active_to", "ends before"},
      {{{"active_from", "2026-02-30"}, {"active_to", "2026-03-01"}},
       "active_from",
       "calendar date"},
      {{{"active_from", "05/01/2026"}, {"active_to", "2026-03-01"}}, "active_from", "YYYY-MM-DD"},
      {{{"id", "F 3"}}, "id", "printable ASCII"},
      {{{"id", ""}}, "id", "printable ASCII"},
      {{{"name", ""}}, "name", "must not be empty"},
      {{{"name", "tab\x01"}}, "name", "control characters"},
  };
  check_bad_rows(kFacilityColumns, "facilities.csv", good, cases,
                 [](CsvReader& csv) { return read_facilities(csv); });
  check_required_columns(
      kFacilityColumns, {"id", "name", "kind", "owner", "lat", "lng", "province", "rooms", "seats"},
      good[0], "facilities.csv", [](CsvReader& csv) { return read_facilities(csv); });
}

TEST_CASE("tables: bad module rows", "[tables][quick][bad-input]") {
  const std::vector<Row> good{good_module("M-1"), good_module("M-2"), good_module("M-3")};
  const std::vector<BadCase> cases{
      {{{"hours_jp", "0"}}, "hours_jp", "between 1 and 2000"},
      {{{"hours_jp", "ten"}}, "hours_jp", "not an integer"},
      {{{"min_attendance", "1.5"}}, "min_attendance", "fraction"},
      {{{"min_attendance", "80%"}}, "min_attendance", "not a finite decimal number"},
      {{{"pass_mark", "120"}}, "pass_mark", "between 0 and 100"},
      {{{"pass_mark", "nan"}}, "pass_mark", "not a finite"},
      {{{"pass_mark", ""}}, "pass_mark", "needs a pass mark"},
      {{{"move_on", "graduated"}}, "move_on", "completed_or_passed"},
      {{{"tracks", "umkm_owner;boss"}}, "tracks", "'boss'"},
      {{{"prerequisites", "M-3"}}, "prerequisites", "cannot require itself"},
      {{{"prerequisites", "M-1;;M-2"}}, "prerequisites", "empty item"},
      {{{"prerequisites", "M 1"}}, "prerequisites", "printable ASCII"},
      {{{"required_features", "Bad Tag"}}, "required_features", "feature tag"},
      {{{"code", ""}}, "code", "printable ASCII"},
      {{{"title", ""}}, "title", "must not be empty"},
  };
  check_bad_rows(kModuleColumns, "modules.csv", good, cases,
                 [](CsvReader& csv) { return read_modules(csv); });
  check_required_columns(kModuleColumns, {"code", "title", "hours_jp", "min_attendance", "move_on"},
                         good[0], "modules.csv", [](CsvReader& csv) { return read_modules(csv); });
}

TEST_CASE("tables: bad trainee rows", "[tables][quick][bad-input]") {
  const std::vector<Row> good{good_trainee("T-1"), good_trainee("T-2"), good_trainee("T-3")};
  const std::vector<BadCase> cases{
      {{{"gender", "x"}}, "gender", "female, male"},
      {{{"birth_year", "1800"}}, "birth_year", "between 1900 and 2100"},
      {{{"birth_year", "19x"}}, "birth_year", "not an integer"},
      {{{"province", "99"}}, "province", "province code"},
      {{{"regency", "35.78"}}, "regency", "outside province 32"},
      {{{"lat", "-91"}}, "lat", "degrees"},
      {{{"track", "owner"}}, "track", "umkm_owner, new_entrepreneur"},
      {{{"umkm_class", "large"}}, "umkm_class", "micro, small, medium"},
      {{{"kbli_version", "2019"}}, "kbli_version", "2020, 2025"},
      {{{"kbli_code", "ABC"}}, "kbli_code", "KBLI"},
      {{{"kbli_code", ""}}, "kbli_code", "KBLI"},
      {{{"nik_digest", "abc"}, {"nik_masked", "3201********0001"}}, "nik_digest", "64 hexadecimal"},
      {{{"nik_digest", std::string(64, 'g')}, {"nik_masked", "3201********0001"}},
       "nik_digest",
       "64 hexadecimal"},
      {{{"nik_masked", "3201********0001"}}, "nik_digest", "nik_digest is needed"},
      {{{"nik_digest", kDigest}}, "nik_masked", "nik_masked is needed"},
      {{{"nik_digest", kDigest}, {"nik_masked", "short"}}, "nik_masked", "16 characters"},
      {{{"needs", "deaf"}}, "needs", "mobility, visual, hearing, other"},
      {{{"id", "T,3"}}, "id", "printable ASCII"},
  };
  check_bad_rows(kTraineeColumns, "trainees.csv", good, cases,
                 [](CsvReader& csv) { return read_trainees(csv); });
  check_required_columns(kTraineeColumns,
                         {"id", "gender", "birth_year", "province", "lat", "lng", "track",
                          "umkm_class", "kbli_version", "kbli_code"},
                         good[0], "trainees.csv",
                         [](CsvReader& csv) { return read_trainees(csv); });
}

TEST_CASE("tables: bad regency rows", "[tables][quick][bad-input]") {
  const std::vector<Row> good{good_regency("32.01"), good_regency("32.02"), good_regency("32.03")};
  const std::vector<BadCase> cases{
      {{{"province_code", "33"}}, "province_code", "does not match code 32.03"},
      {{{"province_code", "3"}}, "province_code", "province code"},
      {{{"code", "32.00"}}, "code", "regency code"},
      {{{"code", "3203"}}, "code", "regency code"},
      {{{"population_2024", "-5"}}, "population_2024", "outside 0.."},
      {{{"population_2024", "1e6"}}, "population_2024", "not an integer"},
      {{{"name", ""}}, "name", "must not be empty"},
      {{{"lng", "east"}}, "lng", "not a finite"},
  };
  check_bad_rows(kRegencyColumns, "regencies.csv", good, cases,
                 [](CsvReader& csv) { return read_regencies(csv); });
  check_required_columns(
      kRegencyColumns, {"code", "province_code", "name", "lat", "lng", "population_2024"}, good[0],
      "regencies.csv", [](CsvReader& csv) { return read_regencies(csv); });
}

TEST_CASE("tables: bad program and phases", "[tables][quick][bad-input]") {
  const Row program{{"name", "Pilot"},
                    {"ministries", "Kemenaker"},
                    {"target_min", "5000"},
                    {"target_max", "10000"}};
  const std::string phases_ok = table_text(kPhaseColumns, {});
  const auto read = [&](const std::string& program_text, const std::string& phases_text) {
    CsvReader program_csv(program_text, "program.csv");
    CsvReader phases_csv(phases_text, "phases.csv");
    return read_program(program_csv, phases_csv);
  };
  const auto program_error = [&](const Row& changes, const std::string& field,
                                 const std::string& reason) {
    INFO("program field " << field);
    const auto text = table_text(kProgramColumns, {with(program, changes)});
    require_parse_error([&] { (void)read(text, phases_ok); }, "program.csv", 2, field,
                        column_number(kProgramColumns, field), reason);
  };
  program_error({{"target_max", "4000"}}, "target_max", "below target_min");
  program_error({{"target_min", "0"}}, "target_min", "at least 1");
  program_error({{"target_min", "many"}}, "target_min", "not an integer");
  program_error({{"name", ""}}, "name", "must not be empty");
  program_error({{"ministries", "A;;B"}}, "ministries", "empty item");

  require_parse_error([&] { (void)read(table_text(kProgramColumns, {}), phases_ok); },
                      "program.csv", 1, "", 0, "found none");
  require_parse_error(
      [&] {
        (void)read(table_text(kProgramColumns, {program, program}), phases_ok);
      },
      "program.csv", 3, "", 0, "exactly one program");

  const auto program_ok = table_text(kProgramColumns, {program});
  const Row pilot{{"name", "pilot"}, {"first", "2026-01-05"}, {"last", "2026-03-27"}};
  const Row rollout{{"name", "rollout"}, {"first", "2026-04-13"}, {"last", "2026-12-18"}};
  CHECK(read(program_ok, table_text(kPhaseColumns, {pilot, rollout})).phases.size() == 2);
  const auto phase_error = [&](const Row& changes, const std::string& field,
                               const std::string& reason) {
    INFO("phase field " << field);
    const auto text = table_text(kPhaseColumns, {pilot, with(rollout, changes)});
    require_parse_error([&] { (void)read(program_ok, text); }, "phases.csv", 3, field,
                        column_number(kPhaseColumns, field), reason);
  };
  phase_error({{"first", "2026-03-01"}}, "first", "must start after phase 'pilot' ends");
  phase_error({{"name", "pilot"}}, "name", "duplicate phase name");
  phase_error({{"name", "phase two"}}, "name", "printable ASCII");
  phase_error({{"last", "2026-04-01"}}, "last", "ends before");
  phase_error({{"first", "2026-13-01"}}, "first", "calendar date");
  phase_error({{"last", ""}}, "last", "YYYY-MM-DD");
}

TEST_CASE("tables: problems between rows name the file and line", "[tables][quick][bad-input]") {
  const Dataset base = sample_dataset();
  const std::vector<Facility> facilities(base.facilities().begin(), base.facilities().end());
  const std::vector<Module> modules(base.modules().begin(), base.modules().end());
  const std::vector<Trainee> trainees(base.trainees().begin(), base.trainees().end());
  TempDir dir;
  write_csv(base, dir.path());
  const auto where = [&](std::string_view file, const std::string& lines, const std::string& what) {
    return (dir / file).string() + " " + lines + " (" + what + ")";
  };

  SECTION("duplicate ids") {
    auto copy = facilities;
    copy.push_back(facilities[0]);
    write_facilities(copy, dir / kFacilitiesFile);
    const auto problems = validation_problems([&] { (void)read_csv(dir.path()); });
    INFO(describe(problems));
    CHECK(has_problem(problems, where(kFacilitiesFile, "lines 2, 5", "facility UPTP-BDG"), "id",
                      "duplicate"));
  }
  SECTION("unknown prerequisite, a cycle and an unhostable module, all at once") {
    auto copy = modules;
    copy[0].prerequisites = {"PRD-210"};               // ENT-100 -> PRD-210 -> ENT-101 -> ENT-100
    copy[3].prerequisites = {"NOPE-1"};                // OPT-900 needs an unknown module
    copy[2].required_features = {"kitchen", "forge"};  // nobody has a forge
    write_modules(copy, dir / kModulesFile);
    const auto problems = validation_problems([&] { (void)read_csv(dir.path()); });
    INFO(describe(problems));
    CHECK(has_problem(problems, where(kModulesFile, "line 5", "module OPT-900"), "prerequisites",
                      "unknown module"));
    CHECK(has_problem(problems, where(kModulesFile, "line 2", "module ENT-100"), "prerequisites",
                      "prerequisite cycle"));
    CHECK(has_problem(problems, where(kModulesFile, "line 4", "module PRD-210"),
                      "required_features", "no facility offers"));
  }
  SECTION("a regency missing from the regency table") {
    auto copy = trainees;
    copy[1].regency = RegencyCode::parse("35.15");
    write_trainees(copy, dir / kTraineesFile);
    const auto problems = validation_problems([&] { (void)read_csv(dir.path()); });
    INFO(describe(problems));
    CHECK(has_problem(problems, where(kTraineesFile, "line 3", "trainee REG-000002"), "regency",
                      "regency table"));
  }
  SECTION("an age judged against the program's start") {
    auto copy = trainees;
    copy[0].birth_year = 2015;
    write_trainees(copy, dir / kTraineesFile);
    const auto problems = validation_problems([&] { (void)read_csv(dir.path()); });
    INFO(describe(problems));
    CHECK(has_problem(problems, where(kTraineesFile, "line 2", "trainee REG-000001"), "birth_year",
                      "age of 11"));
  }
  SECTION("duplicate regency codes") {
    std::vector<Regency> regencies(base.regencies().begin(), base.regencies().end());
    regencies.push_back(regencies[1]);
    write_regencies(regencies, dir / kRegenciesFile);
    const auto problems = validation_problems([&] { (void)read_csv(dir.path()); });
    INFO(describe(problems));
    CHECK(has_problem(problems, where(kRegenciesFile, "lines 3, 5", "regency 32.73"), "code",
                      "duplicate"));
  }
  SECTION("the message itself names the file and line") {
    auto copy = facilities;
    copy.push_back(facilities[2]);
    write_facilities(copy, dir / kFacilitiesFile);
    CHECK_THROWS_WITH(read_csv(dir.path()),
                      Contains("facilities.csv lines 4, 5 (facility PLUT-35)"));
  }
}

TEST_CASE("tables: files and directories that cannot be read", "[tables][quick][bad-input]") {
  TempDir dir;
  // A missing file or directory is an I/O failure, not a parse error.
  const auto missing = dir / "missing";
  try {
    (void)read_csv(missing);
    FAIL("expected an Error");
  } catch (const ParseError&) {
    FAIL("a missing directory is not a ParseError");
  } catch (const Error& error) {
    CHECK_THAT(error.what(), Contains("missing"));
  }
  CHECK_THROWS_AS(read_facilities(dir / "nope.csv"), Error);
  CHECK_THROWS_WITH(CsvReader::open(dir / "nope.csv"), Contains("nope.csv"));
  CHECK_THROWS_AS(CsvReader::open(dir.path()), Error);

  // A directory without trainees.csv is not a dataset, not an empty one; nor is one whose
  // trainees table is named in another case.
  CHECK_THROWS_WITH(read_csv(dir.path()),
                    Contains(dir.path().string()) && Contains("it has no trainees.csv"));
  write_file(dir / "Trainees.csv", "id\n");
  CHECK_THROWS_WITH(read_csv(dir.path()), Contains("'Trainees.csv' is not a table name"));
  fs::remove(dir / "Trainees.csv");

  // A table that is a symbolic link to itself names the file, as a balai::Error.
  write_csv(Dataset(), dir.path());
  fs::remove(dir / kFacilitiesFile);
  fs::create_symlink(kFacilitiesFile, dir / kFacilitiesFile);
  CHECK_THROWS_WITH(read_csv(dir.path()), Contains((dir / kFacilitiesFile).string()) &&
                                              Contains("Too many levels of symbolic links"));
  fs::remove(dir / kFacilitiesFile);

  // Phases without a program.
  write_file(dir / kPhasesFile, "name,first,last\npilot,2026-01-05,2026-03-27\n");
  require_parse_error([&] { (void)read_csv(dir.path()); }, (dir / kPhasesFile).string(), 1, "", 0,
                      "program.csv is missing");

  // A ParseError from read_csv names the full path of the file.
  TempDir bad;
  write_csv(Dataset(), bad.path());
  write_file(bad / kModulesFile,
             "code,title,hours_jp,min_attendance,move_on\nM-1,Intro,0,0.5,completed\n");
  require_parse_error([&] { (void)read_csv(bad.path()); }, (bad / kModulesFile).string(), 2,
                      "hours_jp", 3, "between 1 and 2000");
}

TEST_CASE("tables: a dataset that cannot be written leaves the directory alone",
          "[tables][quick][bad-input]") {
  Batch batch;
  batch.program = Program{"Pilot", {"Kementerian A; Kementerian B"}, 10, 20, {}};
  const Dataset dataset({}, batch);
  TempDir dir;
  CHECK_THROWS_AS(write_csv(dataset, dir.path()), ValidationError);
  CHECK_THROWS_WITH(write_csv(dataset, dir.path()), Contains("ministries"));
  CHECK(fs::is_empty(dir.path()));
}
