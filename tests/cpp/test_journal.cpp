// The event journal: round trips, duplicates, bad batches, torn tails cut at every byte,
// corruption, foreign files, the file lock, concurrent appends and a child process killed
// while it appends.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/io/journal.hpp"
#include "balai/scenario/random.hpp"
#include "crc32c_oracle.hpp"
#include "fixtures.hpp"
#include "temp_dir.hpp"

using namespace balai;
using balai::testing::make_facility;
using balai::testing::make_module;
using balai::testing::make_program;
using balai::testing::make_regencies;
using balai::testing::make_trainee;

namespace {

using balai::testing::bitwise_crc32c;
using balai::testing::TempDir;

namespace fs = std::filesystem;

// The header size and the frame layout, restated from docs/journal.md so that the tests
// check the documentation, not the implementation's constants.
constexpr std::size_t kHeaderSize = 52;
constexpr std::size_t kFrameHeaderSize = 20;

constexpr std::size_t kRegistrations = 8;
const Timestamp kStart = Timestamp{Date(2027, 1, 4).days()} * 86400;

std::string uuid(std::size_t i) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012zu", i);
  return text;
}

// Eight registrations, each in a cohort of four sessions for each of two modules.
Roster make_roster(std::string facility = "BLK-3273-001") {
  Batch batch;
  batch.facilities = {make_facility(facility)};
  batch.modules = {make_module("ENT-101"), make_module("ENT-102", {"ENT-101"})};
  for (std::size_t i = 0; i < kRegistrations; ++i) {
    batch.trainees.push_back(make_trainee("T-" + std::to_string(i)));
  }
  batch.program = make_program();
  const Dataset dataset(make_regencies(), std::move(batch));
  const std::vector<Date> sessions{Date(2027, 1, 4), Date(2027, 1, 11), Date(2027, 1, 18),
                                   Date(2027, 1, 25)};
  std::vector<Cohort> cohorts{{"C-101", "ENT-101", facility, sessions, {}},
                              {"C-102", "ENT-102", facility, sessions, {}}};
  std::vector<Registration> registrations;
  for (std::size_t i = 0; i < kRegistrations; ++i) {
    registrations.push_back({uuid(i + 1), "T-" + std::to_string(i), {"C-101", "C-102"}});
  }
  return Roster(dataset, std::move(cohorts), std::move(registrations));
}

// The library's SplitMix64 (the same numbers on every platform), with a draw in [0, n)
// uniform enough for tests.
class Random : public SplitMix64 {
 public:
  using SplitMix64::SplitMix64;
  std::uint64_t below(std::uint64_t n) noexcept { return next() % n; }
};

// The event with id `id` (from 1): the first kRegistrations enrol each registration, the
// rest are attendance, assessments and waivers in an order fixed by the id, so a reader
// can check any event knowing only its id.
Event event_for(EventId id) {
  Event e;
  e.id = id;
  e.registration = RegistrationIndex(static_cast<std::uint32_t>((id - 1) % kRegistrations));
  e.actor = "operator-" + std::to_string(id % 3);
  e.time = kStart;
  if (id <= kRegistrations) return e;  // enrolled
  e.time = kStart + static_cast<Timestamp>(id);
  e.module = ModuleIndex(static_cast<std::uint32_t>(id / kRegistrations % 2));
  switch (Random(id).below(5)) {
    case 0: e.kind = EventKind::attended; break;
    case 1: e.kind = EventKind::absent; break;
    case 2: e.kind = EventKind::excused; break;
    case 3:
      e.kind = EventKind::assessed;
      e.score = static_cast<double>(id % 201) / 2.0;  // exact in the ledger's float
      return e;
    default:
      e.kind = EventKind::waived;
      e.reason = "tested out, round " + std::to_string(id % 7);
      return e;
  }
  e.session = static_cast<int>(1 + id % 4);
  return e;
}

std::vector<Event> events(EventId first, std::size_t count) {
  std::vector<Event> batch;
  for (std::size_t i = 0; i < count; ++i) batch.push_back(event_for(first + i));
  return batch;
}

void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

template <class U>
void put_le(std::string& out, U value) {
  for (std::size_t i = 0; i < sizeof(U); ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

// A journal holding three records: events 1-8, 9-20 and 21. Returns where each
// record starts and the file's size.
std::vector<std::uint64_t> three_records(const fs::path& path) {
  auto journal = Journal::open(path, make_roster());
  std::vector<std::uint64_t> starts;
  EventId next = 1;
  for (const std::size_t count : {8, 12, 1}) {
    starts.push_back(fs::file_size(path));
    journal.append(events(next, count));
    next += count;
  }
  starts.push_back(fs::file_size(path));
  return starts;
}

void require_events(const Ledger& ledger, std::size_t count) {
  REQUIRE(ledger.size() == count);
  for (std::size_t i = 0; i < count; ++i) {
    if (ledger.event(i) != event_for(i + 1)) {  // one assertion, not one per event
      CAPTURE(i);
      REQUIRE(ledger.event(i) == event_for(i + 1));
    }
  }
}

// A torn journal, once opened, drops the last record, reports it, takes new appends and
// keeps them across another reopening.
void require_recovers(const fs::path& path, std::uint64_t last_start, std::uint64_t cut_bytes) {
  {
    auto journal = Journal::open(path, make_roster());
    const auto& recovery = journal.recovery();
    CHECK(recovery.torn_tail);
    CHECK(recovery.truncated_bytes == cut_bytes);
    CHECK(recovery.dropped_records == 1);
    CHECK(recovery.records == 2);
    CHECK(recovery.events == 20);
    require_events(journal.ledger(), 20);
    REQUIRE(fs::file_size(path) == last_start);
    CHECK(journal.append(events(21, 5)).added == 5);
  }
  const auto journal = Journal::open(path, make_roster());
  CHECK_FALSE(journal.recovery().torn_tail);
  CHECK(journal.recovery().records == 3);
  require_events(journal.ledger(), 25);
}

template <class Exception>
std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Exception& error) {
    return error.what();
  }
  FAIL("no exception of the expected type");
  return {};
}

// A batch given as columns by a caller with a text table of its own (some texts unused):
// every registration attends the second session of ENT-101.
struct AttendanceColumns {
  explicit AttendanceColumns(EventId first) {
    for (std::uint32_t r = 0; r < kRegistrations; ++r) {
      id.push_back(first + r);
      kind.push_back(static_cast<std::uint8_t>(EventKind::attended));
      registration.push_back(r);
      module.push_back(0);
      session.push_back(2);
      time.push_back(kStart + 3600);
      actor.push_back(r % 2 == 0 ? 1u : 3u);
    }
  }
  [[nodiscard]] EventColumns columns() const {
    EventColumns c;
    c.id = id;
    c.kind = kind;
    c.registration = registration;
    c.module = module;
    c.session = session;
    c.time = time;
    c.actor = actor;
    c.texts = texts;
    return c;
  }
  std::vector<EventId> id;
  std::vector<std::uint8_t> kind;
  std::vector<std::uint32_t> registration;
  std::vector<std::int32_t> module, session;
  std::vector<Timestamp> time;
  std::vector<std::uint32_t> actor;
  std::vector<std::string> texts{"unused", "kiosk-bandung", "also unused", "kiosk-cimahi"};
};

}  // namespace

TEST_CASE("a journal reopens into the ledger it was appended to", "[journal][quick]") {
  const TempDir dir("round-trip");
  const auto path = dir / "events.journal";
  Ledger expected(make_roster());
  Journal journal = Journal::open(path, make_roster());
  CHECK_FALSE(journal.recovery().torn_tail);
  CHECK(journal.recovery().records == 0);
  CHECK(fs::file_size(path) == kHeaderSize);

  EventId next = 1;
  std::size_t records = 0;
  for (const std::size_t count : {8, 1, 50, 300, 7}) {
    const auto batch = events(next, count);
    CHECK(journal.append(batch) == AppendResult{count, 0});
    expected.append(batch);
    next += count;
    ++records;
  }
  const AttendanceColumns attendance(next);
  CHECK(journal.append(attendance.columns()).added == kRegistrations);
  expected.append(attendance.columns());
  next += kRegistrations;
  ++records;

  // Voids, overrides and withdrawals carry targets, results and optional reasons.
  std::vector<Event> corrections(3);
  corrections[0].id = next;
  corrections[0].kind = EventKind::voided;
  corrections[0].target = next - 1;
  corrections[0].registration = RegistrationIndex(kRegistrations - 1);
  corrections[1].id = next + 1;
  corrections[1].kind = EventKind::overridden;
  corrections[1].module = ModuleIndex(1);
  corrections[1].result = Status::passed;
  corrections[1].reason = "recognised prior learning";
  corrections[2].id = next + 2;
  corrections[2].kind = EventKind::withdrew;
  corrections[2].registration = RegistrationIndex(3);
  for (auto& e : corrections) {
    e.time = kStart + 100000;
    e.actor = "supervisor";
  }
  CHECK(journal.append(corrections).added == 3);
  expected.append(corrections);
  ++records;
  REQUIRE(journal.ledger() == expected);
  journal.close();
  CHECK(journal.ledger() == expected);  // still readable after close
  CHECK_THROWS_AS(journal.append(events(next + 3, 1)), Error);

  const auto again = Journal::open(path, make_roster());
  CHECK(again.ledger() == expected);
  CHECK(again.recovery() == JournalRecovery{records, expected.size(), false, 0, 0});
  CHECK(again.path() == path);
}

// A journal's header for make_roster() with excused_excluded, in format `version`, and a
// record whose write began at `write_offset`: written by hand from docs/journal.md.
std::string header_bytes(std::uint32_t version) {
  std::string bytes = "BALAIJNL";
  put_le(bytes, version);
  put_le(bytes, std::uint32_t{1});  // ledger options: excused_excluded
  for (const auto b : make_roster().digest()) bytes.push_back(static_cast<char>(b));
  put_le(bytes, bitwise_crc32c(bytes));
  REQUIRE(bytes.size() == kHeaderSize);
  return bytes;
}

std::string record_bytes(const std::string& payload, std::uint64_t write_offset) {
  std::string frame;
  put_le(frame, static_cast<std::uint32_t>(payload.size()));
  put_le(frame, bitwise_crc32c(payload));
  put_le(frame, write_offset);
  put_le(frame, bitwise_crc32c(frame));
  REQUIRE(frame.size() == kFrameHeaderSize);
  return frame + payload;
}

// Enrolment `id` of registration `registration` at kStart, recorded by "kiosk".
Event kiosk_enrolment(EventId id, std::uint32_t registration) {
  Event enrolled;
  enrolled.id = id;
  enrolled.registration = RegistrationIndex(registration);
  enrolled.time = kStart;
  enrolled.actor = "kiosk";
  return enrolled;
}

// The payload of format 1 holding kiosk_enrolment(id, registration): every column at full
// width.
std::string format_1_enrolment(EventId id, std::uint32_t registration) {
  std::string payload;
  put_le(payload, std::uint32_t{1});          // events
  put_le(payload, std::uint32_t{0b1100111});  // id, kind, registration, time, actor
  put_le(payload, std::uint32_t{1});          // texts
  put_le(payload, std::uint32_t{5});
  payload += "kiosk";
  put_le(payload, std::uint64_t{id});
  put_le(payload, std::uint8_t{0});  // kind: enrolled
  put_le(payload, registration);
  put_le(payload, static_cast<std::uint64_t>(kStart));  // time
  put_le(payload, std::uint32_t{0});                    // actor: text 0
  return payload;
}

TEST_CASE("a journal file has the documented layout", "[journal][quick]") {
  const TempDir dir("layout");
  const auto path = dir / "events.journal";

  // Format 2: each column a width, a base and each value's distance from the base.
  auto attended = kiosk_enrolment(300, 5);
  attended.kind = EventKind::attended;
  attended.module = ModuleIndex(0);
  attended.session = 2;
  attended.time = kStart + 7 * 86400 + 3600;
  std::string payload;
  put_le(payload, std::uint32_t{2});          // events
  put_le(payload, std::uint32_t{0b1111111});  // id, kind, registration, module, session,
                                              // time, actor
  put_le(payload, std::uint32_t{1});          // texts
  put_le(payload, std::uint32_t{5});
  payload += "kiosk";
  payload += '\x02';  // id: two bytes from 42
  put_le(payload, std::uint64_t{42});
  put_le(payload, std::uint16_t{0});
  put_le(payload, std::uint16_t{258});
  payload += '\x01';  // kind: one byte from enrolled
  put_le(payload, std::uint8_t{0});
  put_le(payload, std::uint8_t{0});
  put_le(payload, std::uint8_t{1});
  payload += '\x00';  // registration: 5 for both
  put_le(payload, std::uint32_t{5});
  payload += '\x01';  // module: one byte from -1 (none)
  put_le(payload, std::int32_t{-1});
  put_le(payload, std::uint8_t{0});
  put_le(payload, std::uint8_t{1});
  payload += '\x01';  // session: one byte from -1 (none)
  put_le(payload, std::int32_t{-1});
  put_le(payload, std::uint8_t{0});
  put_le(payload, std::uint8_t{3});
  payload += '\x04';  // time: four bytes from kStart
  put_le(payload, static_cast<std::uint64_t>(kStart));
  put_le(payload, std::uint32_t{0});
  put_le(payload, std::uint32_t{7 * 86400 + 3600});
  payload += '\x00';  // actor: text 0 for both
  put_le(payload, std::uint32_t{0});
  const auto bytes = header_bytes(2) + record_bytes(payload, kHeaderSize);
  write_file(path, bytes);

  const std::vector<Event> batch{kiosk_enrolment(42, 5), attended};
  {
    auto journal = Journal::open(path, make_roster());
    REQUIRE(journal.ledger().size() == 2);
    CHECK(journal.ledger().event(0) == batch[0]);
    CHECK(journal.ledger().event(1) == batch[1]);
    CHECK(journal.append(batch).duplicates == 2);
  }
  // And the journal writes what it reads: the same batch appended to a new journal gives
  // the same bytes.
  const auto copy = dir / "copy.journal";
  Journal::open(copy, make_roster()).append(batch);
  CHECK(read_file(copy) == bytes);
}

TEST_CASE("a journal of format 1 is read, and appended to in format 1", "[journal][quick]") {
  const TempDir dir("format-1");
  const auto path = dir / "events.journal";
  const auto bytes = header_bytes(1) + record_bytes(format_1_enrolment(42, 5), kHeaderSize);
  write_file(path, bytes);
  {
    auto journal = Journal::open(path, make_roster());
    REQUIRE(journal.ledger().size() == 1);
    CHECK(journal.ledger().event(0) == kiosk_enrolment(42, 5));
    CHECK(journal.append(std::vector<Event>{kiosk_enrolment(43, 6)}).added == 1);
  }
  // Its records stay readable by the builds that wrote it.
  CHECK(read_file(path) == bytes + record_bytes(format_1_enrolment(43, 6), bytes.size()));
  CHECK(Journal::open(path, make_roster()).ledger().size() == 2);

  // A format 1 header that a crash cut short starts a journal of this build's format.
  for (const std::size_t cut : {9, 20, 51}) {
    CAPTURE(cut);
    write_file(path, bytes.substr(0, cut));
    auto journal = Journal::open(path, make_roster());
    CHECK(journal.recovery() == JournalRecovery{0, 0, true, cut, 0});
    journal.append(std::vector<Event>{kiosk_enrolment(42, 5)});
    journal.close();
    CHECK(read_file(path).substr(0, kHeaderSize) == header_bytes(kJournalFormatVersion));
  }
}

TEST_CASE("duplicates are not written twice", "[journal][quick]") {
  const TempDir dir("duplicates");
  const auto path = dir / "events.journal";
  auto journal = Journal::open(path, make_roster());
  journal.append(events(1, 40));
  const auto size = fs::file_size(path);

  CHECK(journal.append(events(1, 40)) == AppendResult{0, 40});
  CHECK(journal.append(events(11, 5)) == AppendResult{0, 5});
  CHECK(fs::file_size(path) == size);

  CHECK(journal.append(events(31, 20)) == AppendResult{10, 10});
  CHECK(fs::file_size(path) > size);
  journal.close();
  const auto again = Journal::open(path, make_roster());
  require_events(again.ledger(), 50);
  CHECK(again.recovery().records == 2);
  CHECK(again.recovery().events == 50);  // the second record holds only the 10 added
}

TEST_CASE("a batch the ledger refuses writes nothing", "[journal][quick][bad-input]") {
  const TempDir dir("refused");
  const auto path = dir / "events.journal";
  auto journal = Journal::open(path, make_roster());
  journal.append(events(1, 20));
  const auto bytes = read_file(path);

  auto bad = events(21, 10);
  bad[4].session = 9;  // the cohort has four sessions
  CHECK_THROWS_AS(journal.append(bad), ValidationError);
  auto changed = events(11, 3);
  changed[1].actor = "someone else";
  CHECK_THROWS_AS(journal.append(changed), ConflictError);
  const AttendanceColumns attendance(100);
  auto columns = attendance.columns();
  columns.session = std::span(attendance.session).first(3);  // a column too short
  CHECK_THROWS_AS(journal.append(columns), ValidationError);

  CHECK(read_file(path) == bytes);
  require_events(journal.ledger(), 20);
  CHECK(journal.append(events(21, 10)).added == 10);  // still usable
}

TEST_CASE("a torn tail is cut off at every byte of the last record", "[journal][quick]") {
  const TempDir dir("torn");
  const auto path = dir / "events.journal";
  const auto starts = three_records(path);
  const auto pristine = read_file(path);
  const auto last = starts[2];
  REQUIRE(pristine.size() == starts[3]);

  // Each case in a new file: rewriting one in place makes ext4 flush it on every close.
  for (auto cut = last + 1; cut < pristine.size(); ++cut) {
    CAPTURE(cut);
    const auto torn = dir / ("cut-" + std::to_string(cut));
    write_file(torn, std::string_view(pristine).substr(0, cut));
    require_recovers(torn, last, cut - last);
  }
  // A whole last record whose bytes from `from` on were never written (garbage instead).
  Random random(7);
  for (auto from = last; from < pristine.size(); ++from) {
    CAPTURE(from);
    auto garbled = pristine;
    for (auto i = from; i < garbled.size(); ++i) {
      garbled[i] = static_cast<char>(garbled[i] ^ static_cast<char>(1 + random.below(255)));
    }
    const auto torn = dir / ("garbled-" + std::to_string(from));
    write_file(torn, garbled);
    require_recovers(torn, last, pristine.size() - last);
  }
}

TEST_CASE("a header cut short by a crash starts the journal afresh", "[journal][quick]") {
  const TempDir dir("torn-header");
  const auto path = dir / "events.journal";
  (void)Journal::open(path, make_roster());
  const auto header = read_file(path);
  for (const std::size_t cut : {0, 1, 8, 20, 51}) {
    CAPTURE(cut);
    write_file(path, header.substr(0, cut));
    auto journal = Journal::open(path, make_roster());
    CHECK(journal.recovery() == JournalRecovery{0, 0, cut > 0, cut, 0});
    journal.append(events(1, 8));
    journal.close();
    require_events(Journal::open(path, make_roster()).ledger(), 8);
  }
}

TEST_CASE("a damaged record before the last is an error that changes nothing",
          "[journal][quick][bad-input]") {
  const TempDir dir("corrupt");
  const auto path = dir / "events.journal";
  const auto starts = three_records(path);
  const auto pristine = read_file(path);
  const auto middle = starts[1];

  for (auto i = middle; i < starts[2]; ++i) {
    CAPTURE(i);
    auto damaged = pristine;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x10);
    const auto file = dir / ("damaged-" + std::to_string(i));
    write_file(file, damaged);
    const auto what = message_of<FormatError>([&] { (void)Journal::open(file, make_roster()); });
    CHECK_THAT(what, Catch::Contains(file.string()) &&
                         Catch::Contains("byte offset " + std::to_string(middle)));
    REQUIRE(read_file(file) == damaged);
  }
}

TEST_CASE("damage within the last write is a torn tail, whatever follows in that write",
          "[journal][quick]") {
  const TempDir dir("last-write");
  const auto path = dir / "events.journal";
  const auto starts = three_records(path);
  auto bytes = read_file(path);
  // The last two records as one write carried them (group commit): both frames name the
  // offset of the first as their write's start.
  for (const auto record : {starts[1], starts[2]}) {
    std::string header = bytes.substr(record, 8);
    put_le(header, std::uint64_t{starts[1]});
    put_le(header, bitwise_crc32c(header));
    bytes.replace(record, kFrameHeaderSize, header);
  }
  write_file(path, bytes);
  {
    const auto journal = Journal::open(path, make_roster());
    CHECK(journal.recovery() == JournalRecovery{3, 21, false, 0, 0});
  }
  // A power failure left a hole in the first of them and wrote the second: the write was
  // never synced, so both go.
  const auto hole = starts[1] + kFrameHeaderSize + 3;
  bytes[hole] = static_cast<char>(bytes[hole] ^ 0x40);
  write_file(path, bytes);
  const auto journal = Journal::open(path, make_roster());
  CHECK(journal.recovery() == JournalRecovery{1, 8, true, starts[3] - starts[1], 2});
  require_events(journal.ledger(), 8);
  CHECK(fs::file_size(path) == starts[1]);
}

TEST_CASE("a record the ledger refuses is a format error", "[journal][quick][bad-input]") {
  const TempDir dir("refused-record");
  const auto first = dir / "first.journal";
  const auto second = dir / "second.journal";
  Journal::open(first, make_roster()).append(events(1, 10));
  auto changed = events(1, 10);
  changed[9].actor = "someone else";
  Journal::open(second, make_roster()).append(changed);

  // The second journal's record after the first's: event 10 with two payloads.
  const auto appended_at = fs::file_size(first);
  const auto bytes = read_file(first) + read_file(second).substr(kHeaderSize);
  write_file(first, bytes);
  const auto what = message_of<FormatError>([&] { (void)Journal::open(first, make_roster()); });
  CHECK_THAT(what, Catch::Contains("ledger refuses the record at byte offset " +
                                   std::to_string(appended_at)));
  CHECK(read_file(first) == bytes);
}

TEST_CASE("a journal opens only for its own roster and options", "[journal][quick][bad-input]") {
  const TempDir dir("foreign");
  const auto path = dir / "events.journal";
  Journal::open(path, make_roster()).append(events(1, 8));
  const auto bytes = read_file(path);

  CHECK_THAT(
      message_of<FormatError>([&] { (void)Journal::open(path, make_roster("BLK-3273-002")); }),
      Catch::Contains(path.string()) && Catch::Contains("another roster"));
  CHECK_THAT(message_of<FormatError>([&] {
               (void)Journal::open(path, make_roster(), LedgerOptions{.excused_excluded = false});
             }),
             Catch::Contains("excused_excluded=true"));

  auto newer = bytes;
  newer[8] = 3;
  write_file(path, newer);
  CHECK_THAT(message_of<FormatError>([&] { (void)Journal::open(path, make_roster()); }),
             Catch::Contains("newer format version 3"));
  auto none = bytes;
  none[8] = 0;
  write_file(path, none);
  CHECK_THAT(message_of<FormatError>([&] { (void)Journal::open(path, make_roster()); }),
             Catch::Contains("no format version 0"));
  auto header = bytes;
  header[20] = static_cast<char>(header[20] ^ 1);
  write_file(path, header);
  CHECK_THAT(message_of<FormatError>([&] { (void)Journal::open(path, make_roster()); }),
             Catch::Contains("corrupted header"));
  const auto csv = dir / "trainees.csv";
  write_file(csv, "id,gender\nT-1,female\n");
  CHECK_THAT(message_of<FormatError>([&] { (void)Journal::open(csv, make_roster()); }),
             Catch::Contains("not a balai journal"));
  CHECK(read_file(csv) == "id,gender\nT-1,female\n");

  const auto missing = dir / "missing.journal";
  CHECK_THROWS_AS(Journal::open(missing, make_roster(), {}, JournalOptions{.create = false}),
                  Error);
  CHECK_FALSE(fs::exists(missing));
}

TEST_CASE("a journal is open in one place at a time", "[journal][quick]") {
  const TempDir dir("lock");
  const auto path = dir / "events.journal";
  auto journal = Journal::open(path, make_roster());
  CHECK_THROWS_AS(Journal::open(path, make_roster()), ConflictError);

  Journal moved = std::move(journal);
  CHECK_THROWS_AS(journal.append(events(1, 8)), Error);  // NOLINT(bugprone-use-after-move)
  CHECK(moved.append(events(1, 8)).added == 8);
  moved.close();
  moved.close();
  CHECK(Journal::open(path, make_roster()).ledger().size() == 8);
}

TEST_CASE("concurrent appends all reach the file", "[journal][quick]") {
  const TempDir dir("threads");
  const auto path = dir / "events.journal";
  constexpr std::size_t kThreads = 4;
  constexpr std::size_t kBatches = 40;
  constexpr std::size_t kBatchSize = 25;
  {
    auto journal = Journal::open(path, make_roster());
    journal.append(events(1, kRegistrations));
    std::vector<std::thread> threads;
    std::vector<std::size_t> added(kThreads);
    for (std::size_t t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (std::size_t b = 0; b < kBatches; ++b) {
          const auto first = kRegistrations + 1 + (b * kThreads + t) * kBatchSize;
          added[t] += journal.append(events(first, kBatchSize)).added;
        }
      });
    }
    // Snapshots taken meanwhile see the ledger between appends: whole batches only.
    std::size_t seen = 0;
    while (seen < kRegistrations + kThreads * kBatches * kBatchSize) {
      const auto snapshot = journal.snapshot();
      REQUIRE(snapshot.size() >= seen);
      REQUIRE((snapshot.size() - kRegistrations) % kBatchSize == 0);
      seen = snapshot.size();
    }
    for (auto& thread : threads) thread.join();
    CHECK(added == std::vector<std::size_t>(kThreads, kBatches * kBatchSize));
  }
  const auto journal = Journal::open(path, make_roster());
  CHECK(journal.recovery().records == 1 + kThreads * kBatches);
  const auto total = kRegistrations + kThreads * kBatches * kBatchSize;
  REQUIRE(journal.ledger().size() == total);
  for (EventId id = 1; id <= total; ++id) {
    const auto position = journal.ledger().find(id);
    REQUIRE(position);
    REQUIRE(journal.ledger().event(*position) == event_for(id));
  }
}

namespace {

void write_u64(int fd, std::uint64_t value) {
  // Eight bytes to a pipe are written whole (less than PIPE_BUF).
  if (::write(fd, &value, sizeof value) != static_cast<ssize_t>(sizeof value)) ::_exit(3);
}

// The child: opens the journal, says how many events it holds, then appends batches of
// 1-2000 events with consecutive ids as fast as it can, saying after each append returns
// the last id it holds. Runs until killed; never returns into Catch2.
[[noreturn]] void append_until_killed(const fs::path& path, int pipe, std::uint64_t seed) {
  try {
    auto journal = Journal::open(path, make_roster());
    EventId last = journal.ledger().size();
    write_u64(pipe, last);
    Random random(seed);
    for (;;) {
      const auto count = 1 + random.below(2000);
      journal.append(events(last + 1, count));
      last += count;
      write_u64(pipe, last);
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "journal crash child: %s\n", error.what());
  }
  ::_exit(2);
}

// Kills `kills` children at random moments, each appending to the same journal where the
// one before stopped, and checks after each kill that every acknowledged event survived
// and the file opens with nothing but a torn tail.
void crash_and_recover(std::size_t kills, std::uint64_t seed) {
  const TempDir dir("crash");
  const auto path = dir / "events.journal";
  Random random(seed);
  std::size_t torn = 0;
  for (std::size_t k = 0; k < kills; ++k) {
    CAPTURE(k);
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::close(fds[0]);
      append_until_killed(path, fds[1], seed + k);
    }
    ::close(fds[1]);
    std::vector<std::uint64_t> said;
    auto read_said = [&] {
      std::uint64_t value;
      const auto got = ::read(fds[0], &value, sizeof value);
      if (got == static_cast<ssize_t>(sizeof value)) said.push_back(value);
      return got > 0;
    };
    const bool ready = read_said();
    if (ready) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1 + random.below(40)));
      ::kill(child, SIGKILL);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    while (read_said()) {
    }
    ::close(fds[0]);
    REQUIRE(ready);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);

    const auto journal = Journal::open(path, make_roster());
    const auto acknowledged = said.back();
    CAPTURE(acknowledged, journal.recovery().truncated_bytes);
    REQUIRE(journal.ledger().size() >= acknowledged);
    require_events(journal.ledger(), journal.ledger().size());
    torn += journal.recovery().torn_tail ? 1 : 0;
  }
  const auto journal = Journal::open(path, make_roster());
  CHECK_FALSE(journal.recovery().torn_tail);
  WARN(std::to_string(kills) + " kills, " + std::to_string(torn) + " torn tails, " +
       std::to_string(journal.ledger().size()) + " events");
}

}  // namespace

TEST_CASE("acknowledged events survive a process killed while appending", "[journal][quick]") {
  crash_and_recover(20, 20250101);
}

TEST_CASE("acknowledged events survive 200 kills", "[journal][slow]") {
  // Eight journals of 25 kills each: every reopening replays the whole file, so a single
  // journal killed 200 times would spend minutes replaying millions of events.
  for (std::uint64_t series = 0; series < 8; ++series) {
    crash_and_recover(25, 20250202 + 1000 * series);
  }
}
