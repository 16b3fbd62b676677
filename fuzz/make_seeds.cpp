// Writes the seed corpus of every harness into the directory given as the first argument
// (fuzz/corpus when run from the source tree): small valid inputs made by the library's
// own writers, and a few damaged variants, so that the fuzzers start past the formats'
// first checks. The files are committed; rerun this after a format changes:
//
//   build/asan/fuzz/balai_fuzz_seeds fuzz/corpus
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "balai/io/journal.hpp"
#include "balai/io/regions_csv.hpp"
#include "balai/io/snapshot.hpp"
#include "balai/io/tables.hpp"
#include "balai/scenario/builder.hpp"
#include "fixtures.hpp"
#include "fuzz_roster.hpp"

namespace {

namespace fs = std::filesystem;
using namespace balai;

constexpr std::size_t kSnapshotHeaderSize = 28;  // snapshot.hpp
constexpr std::size_t kJournalHeaderSize = 52;   // docs/journal.md
constexpr std::size_t kFrameHeaderSize = 20;

void write(const fs::path& file, std::string_view bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Dataset small_dataset() {
  Batch batch;
  batch.facilities = {testing::make_facility("BLK-3273-001")};
  batch.modules = {testing::make_module("ENT-101"), testing::make_module("ENT-102", {"ENT-101"})};
  batch.trainees = {testing::make_trainee("T-1"), testing::make_trainee("T-2")};
  batch.program = testing::make_program();
  return Dataset(testing::make_regencies(), std::move(batch));
}

template <class T>
std::span<const T> first(std::span<const T> items, std::size_t count) {
  return items.first(std::min(count, items.size()));
}

void csv_seeds(const fs::path& corpus, const Dataset& tiny) {
  const auto facilities = facilities_to_csv(first(tiny.facilities(), 3));
  const auto trainees = trainees_to_csv(first(tiny.trainees(), 4));
  write(corpus / "csv_reader" / "facilities.csv", facilities);
  write(corpus / "csv_reader" / "quoted.csv",
        "\xEF\xBB\xBFid,text,when,n,x\r\n"
        "1,\"a, \"\"quoted\"\"\r\nline\",2027-01-04,-12,0.5\r\n"
        "\n"
        "2,,2027-02-29,9223372036854775807,1e308\r\n"
        "3,umkm_owner;new_entrepreneur,,+7,-0\r\n");
  write(corpus / "read_facilities" / "facilities.csv", facilities);
  write(corpus / "read_modules" / "modules.csv", modules_to_csv(first(tiny.modules(), 6)));
  write(corpus / "read_trainees" / "trainees.csv", trainees);
  write(corpus / "read_trainees" / "clear_nik.csv",
        "id,nik,gender,birth_year,province,regency,lat,lng,track,umkm_class,kbli_version,"
        "kbli_code,needs\n"
        "T-1,3273015001900001,female,1990,32,32.73,-6.9,107.6,umkm_owner,micro,2020,10792,\n"
        "T-2,3204014107850002,male,1985,32,,-7.0,107.5,new_entrepreneur,small,2025,C,"
        "mobility;visual\n");
  write(corpus / "read_regencies" / "regencies.csv", regencies_to_csv(testing::make_regencies()));
  const Program& program = *tiny.program();
  write(corpus / "read_program" / "program.csv",
        program_to_csv(program) + "%%\n" + phases_to_csv(program));
}

void snapshot_seeds(const fs::path& corpus, const Dataset& tiny) {
  for (const auto& [name, dataset] : {std::pair{"small", small_dataset()}, {"tiny", tiny}}) {
    const auto bytes = to_snapshot_bytes(dataset);
    write(corpus / "snapshot" / (std::string(name) + ".snapshot"), bytes);
    write(corpus / "snapshot_archive" / (std::string(name) + ".payload"),
          std::string_view(bytes).substr(kSnapshotHeaderSize));
  }
  const auto small = to_snapshot_bytes(small_dataset());
  write(corpus / "snapshot" / "truncated.snapshot", small.substr(0, small.size() / 2));
}

Event event(EventId id, EventKind kind, std::uint32_t registration, int session) {
  const Timestamp start = Timestamp{Date(2027, 1, 4).days()} * 86400;
  Event e;
  e.id = id;
  e.kind = kind;
  e.registration = RegistrationIndex(registration);
  e.time = start + 3600 * static_cast<Timestamp>(id);
  e.actor = "operator-1";
  if (kind != EventKind::enrolled) {
    e.module = ModuleIndex(0);
    e.session = session;
    e.time = start + 7 * 86400 * static_cast<Timestamp>(session - 1) + 7200;
  }
  if (kind == EventKind::assessed) {
    e.session.reset();
    e.score = 72.5;
    e.time = start + 20 * 86400;
  }
  return e;
}

void journal_seeds(const fs::path& corpus) {
  const fs::path directory = corpus / "journal";
  fs::create_directories(directory);
  const fs::path whole = directory / "three_records.journal";
  fs::remove(whole);
  {
    auto journal = Journal::open(whole, fuzz::journal_roster());
    journal.append(std::vector<Event>{event(1, EventKind::enrolled, 0, 0),
                                      event(2, EventKind::enrolled, 1, 0)});
    journal.append(std::vector<Event>{event(3, EventKind::attended, 0, 1),
                                      event(4, EventKind::absent, 1, 1),
                                      event(5, EventKind::excused, 0, 2)});
    journal.append(std::vector<Event>{event(6, EventKind::assessed, 0, 0)});
  }
  const std::string bytes = read(whole);
  write(directory / "torn_tail.journal", bytes.substr(0, bytes.size() - 7));
  // Each record's payload alone, for the journal_record harness.
  for (std::size_t at = kJournalHeaderSize, record = 1; at + kFrameHeaderSize <= bytes.size();
       ++record) {
    std::uint32_t length = 0;
    for (std::size_t i = 0; i < sizeof length; ++i) {
      length |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    }
    write(corpus / "journal_record" / ("record" + std::to_string(record) + ".payload"),
          std::string_view(bytes).substr(at + kFrameHeaderSize, length));
    at += kFrameHeaderSize + length;
  }
  write(directory / "torn_header.journal", bytes.substr(0, 30));
  const fs::path empty = directory / "empty.journal";
  fs::remove(empty);
  (void)Journal::open(empty, fuzz::journal_roster());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: balai_fuzz_seeds <corpus directory>\n";
    return 2;
  }
  const fs::path corpus = argv[1];
  const Dataset tiny = tiny_scenario(1);
  csv_seeds(corpus, tiny);
  snapshot_seeds(corpus, tiny);
  journal_seeds(corpus);
  return 0;
}
