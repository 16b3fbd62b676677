#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "balai/core/error.hpp"
#include "balai/io/snapshot.hpp"
#include "balai/model/dataset.hpp"
#include "balai/model/nik.hpp"
#include "temp_dir.hpp"

using namespace balai;

namespace {

using balai::testing::TempDir;

namespace fs = std::filesystem;

// Envelope offsets, restated from the layout documented in snapshot.hpp so that the
// tests check the documentation, not the implementation's constants.
constexpr std::size_t kVersionAt = 8;
constexpr std::size_t kByteOrderAt = 12;
constexpr std::size_t kLengthAt = 16;
constexpr std::size_t kCrcAt = 24;
constexpr std::size_t kHeaderSize = 28;

// The content of tests/data/dataset-v1.balai: a little of everything a dataset holds.
// Never change it: the committed file must keep loading to exactly this.
Dataset fixture_v1() {
  std::vector<Regency> regencies{
      {RegencyCode(3201), "Kabupaten Bogor", GeoPoint(-6.5971, 106.806), 5'682'303},
      {RegencyCode(3273), "Kota Bandung", GeoPoint(-6.9175, 107.6191), 2'569'107},
      {RegencyCode(3578), "Kota Surabaya", GeoPoint(-7.2575, 112.7521), 3'017'452},
      {RegencyCode(5171), "Kota Denpasar", GeoPoint(-8.6705, 115.2126), 726'599},
      {RegencyCode(9471), "Kota Jayapura", GeoPoint(-2.5337, 140.7181), 414'862},
  };

  Batch batch;
  batch.facilities = {
      {"BPVP-BDG",
       "Balai Pelatihan Vokasi dan Produktivitas Bandung — kampus utama",
       FacilityKind::uptp,
       OwnerLevel::central,
       std::nullopt,
       GeoPoint(-6.8945, 107.6322),
       32,
       RegencyCode(3273),
       12,
       240,
       {"computer_lab", "kitchen", "sewing"},
       std::nullopt},
      {"UPTD-3578-01",
       "UPTD BLK Surabaya",
       FacilityKind::uptd,
       OwnerLevel::province,
       std::nullopt,
       GeoPoint(-7.2891, 112.7346),
       35,
       RegencyCode(3578),
       6,
       120,
       {"computer_lab", "workshop"},
       DateRange(Date(2025, 1, 1), Date(2027, 12, 31))},
      {"BLKK-3201-017",
       "BLK Komunitas Pesantren Al-Hikmah",
       FacilityKind::blk_komunitas,
       OwnerLevel::community,
       BlkGrade::mandiri,
       GeoPoint(-6.6112, 106.7425),
       32,
       RegencyCode(3201),
       1,
       16,
       {"sewing"},
       std::nullopt},
      {"PLUT-51",
       "PLUT-KUMKM Provinsi Bali",
       FacilityKind::plut,
       OwnerLevel::province,
       std::nullopt,
       GeoPoint(-8.6529, 115.2191),
       51,
       std::nullopt,
       3,
       60,
       {"coworking"},
       std::nullopt},
      {"RPB-9471-01",
       "Rumah Produksi Bersama Jayapura",
       FacilityKind::rpb,
       OwnerLevel::regency,
       std::nullopt,
       GeoPoint(-2.5916, 140.669),
       94,
       RegencyCode(9471),
       1,
       10,
       {"food_processing", "kitchen"},
       DateRange(Date(2025, 7, 1), Date(2026, 6, 30))},
  };

  const std::vector<Track> both{Track::umkm_owner, Track::new_entrepreneur};
  batch.modules = {
      {"ENT-101",
       "Pola pikir wirausaha",
       16,
       {},
       {},
       both,
       {0.8, std::nullopt, MoveOnRule::completed}},
      {"ENT-102",
       "Pembukuan sederhana",
       24,
       {"ENT-101"},
       {"computer_lab"},
       both,
       {0.75, 70.0, MoveOnRule::completed_and_passed}},
      {"ENT-201",
       "Pemasaran digital",
       32,
       {"ENT-101", "ENT-102"},
       {"computer_lab"},
       {Track::umkm_owner},
       {0.8, 65.0, MoveOnRule::passed}},
      {"PRD-110",
       "Produksi pangan olahan",
       40,
       {"ENT-101"},
       {"food_processing", "kitchen"},
       {Track::new_entrepreneur},
       {0.9, 60.5, MoveOnRule::completed_or_passed}},
      {"ORI-001",
       "Orientasi program",
       2,
       {},
       {},
       {},
       {0.0, std::nullopt, MoveOnRule::not_applicable}},
  };

  const NikKey key("balai-snapshot-fixture-key");
  batch.trainees = {
      {"P-0001", protect_nik("3273014506900001", key), Gender::female, 1990, 32, RegencyCode(3273),
       GeoPoint(-6.9039, 107.6186), Track::umkm_owner, UmkmClass::micro,
       Kbli{KbliVersion::kbli2020, "10792"}, AccessibilityNeeds{}},
      {"P-0002", std::nullopt, Gender::male, 1985, 35, std::nullopt, GeoPoint(-7.25, 112.75),
       Track::new_entrepreneur, UmkmClass::small, Kbli{KbliVersion::kbli2025, "G"},
       AccessibilityNeeds{Need::mobility, Need::hearing}},
      {"P-0003", protect_nik("9471011203000002", key), Gender::male, 2000, 94, RegencyCode(9471),
       GeoPoint(-2.54, 140.71), Track::new_entrepreneur, UmkmClass::medium,
       Kbli{KbliVersion::kbli2020, "47"}, AccessibilityNeeds{Need::visual}},
      {"P-0004", std::nullopt, Gender::female, 1968, 51, RegencyCode(5171), GeoPoint(-8.65, 115.22),
       Track::umkm_owner, UmkmClass::micro, Kbli{KbliVersion::kbli2025, "56101"},
       AccessibilityNeeds{Need::other}},
  };

  batch.program = Program{
      "Pelatihan Kewirausahaan UMKM Nasional 2025",
      {"Kementerian UMKM", "Kementerian Ketenagakerjaan"},
      5000,
      10000,
      {{"pilot", DateRange(Date(2025, 9, 1), Date(2025, 11, 30))},
       {"rollout", DateRange(Date(2026, 1, 5), Date(2026, 12, 18))}},
  };
  return Dataset(std::move(regencies), std::move(batch));
}

fs::path committed_fixture() { return fs::path(BALAI_TEST_DATA_DIR) / "dataset-v1.balai"; }

// CRC-32 (ISO-HDLC) bit by bit: an oracle independent of the library's Boost.CRC.
std::uint32_t reference_crc32(std::string_view bytes) {
  std::uint32_t crc = 0xffffffffu;
  for (unsigned char byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

template <class T>
T read_at(std::string_view bytes, std::size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

template <class T>
void write_at(std::string& bytes, std::size_t offset, T value) {
  std::memcpy(bytes.data() + offset, &value, sizeof value);
}

// The message of the FormatError that decoding `bytes` throws; fails the test if it
// decodes, and lets any other exception fail it too.
std::string format_error_of(std::string_view bytes) {
  try {
    (void)from_snapshot_bytes(bytes);
  } catch (const FormatError& error) {
    return error.what();
  }
  FAIL("decoded without a FormatError");
  return {};
}

void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("snapshots round-trip datasets to equal datasets", "[snapshot][quick]") {
  SECTION("an empty dataset") {
    const Dataset empty;
    CHECK(from_snapshot_bytes(to_snapshot_bytes(empty)) == empty);
  }
  SECTION("regencies only") {
    const Dataset regions({{RegencyCode(7371), "Kota Makassar", GeoPoint(-5.1477, 119.4327), 0}});
    CHECK(from_snapshot_bytes(to_snapshot_bytes(regions)) == regions);
  }
  SECTION("every kind of entity and field") {
    const Dataset dataset = fixture_v1();
    const Dataset loaded = from_snapshot_bytes(to_snapshot_bytes(dataset));
    CHECK(loaded == dataset);
    // Equality covers the content; the indexes are rebuilt from it.
    CHECK(loaded.features().ids() == dataset.features().ids());
    CHECK(loaded.modules_for(Track::umkm_owner) == dataset.modules_for(Track::umkm_owner));
    REQUIRE(loaded.trainee(TraineeIndex{0}).nik);
    CHECK(loaded.trainee(TraineeIndex{0}).nik->masked == "3273********0001");
    CHECK(nik_matches(*loaded.trainee(TraineeIndex{0}).nik, "3273014506900001",
                      NikKey("balai-snapshot-fixture-key")));
  }
  SECTION("a dataset that differs in one field loads as different") {
    const Dataset original = fixture_v1();
    auto batch = original.to_batch();
    batch.trainees[1].needs = AccessibilityNeeds{Need::visual};
    const Dataset changed({original.regencies().begin(), original.regencies().end()},
                          std::move(batch));
    CHECK(from_snapshot_bytes(to_snapshot_bytes(changed)) != fixture_v1());
  }
}

TEST_CASE("the same dataset gives the same bytes", "[snapshot][quick]") {
  const std::string bytes = to_snapshot_bytes(fixture_v1());
  CHECK(to_snapshot_bytes(fixture_v1()) == bytes);
  CHECK(to_snapshot_bytes(from_snapshot_bytes(bytes)) == bytes);
  CHECK(to_snapshot_bytes(Dataset()) == to_snapshot_bytes(Dataset()));
  CHECK(to_snapshot_bytes(Dataset()) != bytes);
}

TEST_CASE("the envelope has the documented layout", "[snapshot][quick]") {
  REQUIRE(reference_crc32("123456789") == 0xcbf43926u);  // the check value of CRC-32
  const std::string bytes = to_snapshot_bytes(fixture_v1());
  REQUIRE(bytes.size() > kHeaderSize);
  CHECK(bytes.substr(0, 8) == "BALAISNP");
  CHECK(read_at<std::uint32_t>(bytes, kVersionAt) == kSnapshotFormatVersion);
  CHECK(read_at<std::uint32_t>(bytes, kByteOrderAt) == 0x01020304u);
  CHECK(read_at<std::uint64_t>(bytes, kLengthAt) == bytes.size() - kHeaderSize);
  CHECK(read_at<std::uint32_t>(bytes, kCrcAt) ==
        reference_crc32(std::string_view(bytes).substr(kHeaderSize)));
}

TEST_CASE("the committed format-1 snapshot still loads", "[snapshot][quick]") {
  const Dataset loaded = load_snapshot(committed_fixture());
  CHECK(loaded == fixture_v1());
  CHECK(loaded.program()->phase("rollout").window.last() == Date(2026, 12, 18));
  // While format 1 is the one written, writing the same content must give the committed
  // bytes: a change to the layout that did not bump kSnapshotFormatVersion fails here.
  if (kSnapshotFormatVersion == 1) {
    CHECK(to_snapshot_bytes(fixture_v1()) == read_file(committed_fixture()));
  }
}

// Writes tests/data/dataset-v1.balai from fixture_v1(). Hidden from normal runs; it was
// run once, with the format-1 writer, as
//   build/<dir>/tests/cpp/balai_tests "[generate-snapshot]"
// and its output committed. It refuses to overwrite the file: the committed bytes are the
// evidence that format 1 stays readable, so they are never regenerated. A new format
// version gets its own fixture file and generator case next to this one.
TEST_CASE("generate the committed format-1 snapshot", "[.][generate-snapshot]") {
  REQUIRE(kSnapshotFormatVersion == 1);
  REQUIRE_FALSE(fs::exists(committed_fixture()));
  save_snapshot(fixture_v1(), committed_fixture());
  CHECK(load_snapshot(committed_fixture()) == fixture_v1());
}

TEST_CASE("save_snapshot replaces the file atomically and load_snapshot reads it",
          "[snapshot][quick]") {
  const TempDir dir("snapshot-files");
  const fs::path path = dir.path() / "plan.balai";
  fs::path temporary = path;
  temporary += ".tmp";

  save_snapshot(Dataset(), path);
  CHECK(load_snapshot(path) == Dataset());
  save_snapshot(fixture_v1(), path);
  CHECK(load_snapshot(path) == fixture_v1());
  CHECK(read_file(path) == to_snapshot_bytes(fixture_v1()));
  CHECK_FALSE(fs::exists(temporary));

  SECTION("a failed save leaves the existing snapshot as it was") {
    fs::create_directory(temporary);  // the temporary file cannot be created
    CHECK_THROWS_AS(save_snapshot(Dataset(), path), Error);
    CHECK_THROWS_WITH(save_snapshot(Dataset(), path), Catch::Contains(path.string()));
    CHECK(load_snapshot(path) == fixture_v1());
  }
  SECTION("a missing directory or file is an Error naming the path, not a FormatError") {
    const fs::path nowhere = dir.path() / "no-such-dir" / "plan.balai";
    CHECK_THROWS_WITH(save_snapshot(Dataset(), nowhere),
                      Catch::Contains("cannot write") && Catch::Contains(nowhere.string()));
    CHECK_FALSE(fs::exists(nowhere.parent_path()));
    const fs::path missing = dir.path() / "missing.balai";
    CHECK_THROWS_WITH(load_snapshot(missing),
                      Catch::Contains("cannot open") && Catch::Contains(missing.string()));
    try {
      (void)load_snapshot(missing);
      FAIL("loaded a missing file");
    } catch (const FormatError&) {
      FAIL("a missing file is not a format problem");
    } catch (const Error&) {
      SUCCEED();
    }
    CHECK_THROWS_WITH(load_snapshot(dir.path()), Catch::Contains("cannot read"));
  }
}

TEST_CASE("a truncated snapshot raises FormatError at every length",
          "[snapshot][quick][bad-input]") {
  const std::string bytes = to_snapshot_bytes(fixture_v1());
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    INFO("cut to " << length << " of " << bytes.size() << " bytes");
    CHECK_THROWS_AS(from_snapshot_bytes(std::string_view(bytes).substr(0, length)), FormatError);
  }
  CHECK_THAT(
      format_error_of(std::string_view(bytes).substr(0, bytes.size() - 100)),
      Catch::Contains("truncated: expected " + std::to_string(bytes.size() - kHeaderSize) +
                      " payload bytes, found " + std::to_string(bytes.size() - kHeaderSize - 100)));
  CHECK_THAT(format_error_of(std::string_view(bytes).substr(0, 20)), Catch::Contains("truncated"));
  CHECK_THAT(format_error_of(bytes + "x"), Catch::Contains("stray bytes"));
}

TEST_CASE("a flipped byte anywhere raises FormatError", "[snapshot][quick][bad-input]") {
  const std::string bytes = to_snapshot_bytes(fixture_v1());
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    for (const unsigned flip : {0x01u, 0x80u, 0xffu}) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ static_cast<char>(flip));
      INFO("byte " << at << " xor " << flip);
      const std::string message = format_error_of(damaged);
      if (at >= kHeaderSize) CHECK_THAT(message, Catch::Contains("CRC mismatch"));
    }
  }
}

// Damage that keeps the CRC valid, as a writer's bug or a deliberate edit would: the
// decoder must refuse it with a FormatError or read some valid dataset, and never crash,
// hang or allocate without bound.
TEST_CASE("a damaged payload behind a valid CRC never gets past the decoder",
          "[snapshot][quick][bad-input]") {
  const std::string bytes = to_snapshot_bytes(fixture_v1());
  int refused = 0;
  int invalid_content = 0;
  int undecodable = 0;
  for (std::size_t at = kHeaderSize; at < bytes.size(); ++at) {
    for (const unsigned flip : {0x01u, 0xffu}) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ static_cast<char>(flip));
      write_at(damaged, kCrcAt, reference_crc32(std::string_view(damaged).substr(kHeaderSize)));
      INFO("payload byte " << at - kHeaderSize << " xor " << flip);
      try {
        (void)from_snapshot_bytes(damaged);
      } catch (const FormatError& error) {
        ++refused;
        const std::string message = error.what();
        invalid_content += message.find("invalid content") != std::string::npos;
        undecodable += message.find("undecodable payload") != std::string::npos;
      }
    }
  }
  // Both ways of failing occur: values the model rejects, and bytes Boost cannot read.
  CHECK(refused > 0);
  CHECK(invalid_content > 0);
  CHECK(undecodable > 0);
}

TEST_CASE("files that are not snapshots raise FormatError naming the file",
          "[snapshot][quick][bad-input]") {
  const TempDir dir("snapshot-foreign");
  std::mt19937 engine(20250901);  // the engine's output is specified; no distribution used
  std::string noise(4096, '\0');
  for (auto& byte : noise) byte = static_cast<char>(engine() & 0xffu);

  const std::vector<std::pair<std::string, std::string>> foreign{
      {"empty.balai", ""},
      {"noise.balai", noise},
      {"facilities.csv", "id,name,kind\nBLK-1,BLK Satu,uptd\n"},
      {"magic-only.balai", "BALAISNP"},
      {"almost.balai", "BALAISNQ" + std::string(40, '\0')},
  };
  for (const auto& [name, content] : foreign) {
    INFO(name);
    const fs::path path = dir.path() / name;
    write_file(path, content);
    CHECK_THROWS_AS(load_snapshot(path), FormatError);
    CHECK_THROWS_WITH(load_snapshot(path), Catch::Contains(path.string()));
  }
  CHECK_THAT(format_error_of(""), Catch::Contains("not a balai snapshot"));
  CHECK_THAT(format_error_of(noise), Catch::Contains("not a balai snapshot"));
  CHECK_THAT(format_error_of("BALAISNP"), Catch::Contains("truncated"));

  // A sound envelope around a payload that is not a Boost archive.
  std::string wrapped = to_snapshot_bytes(Dataset()).substr(0, kHeaderSize) + noise;
  write_at(wrapped, kLengthAt, std::uint64_t{noise.size()});
  write_at(wrapped, kCrcAt, reference_crc32(noise));
  CHECK_THAT(format_error_of(wrapped), Catch::Contains("not a Boost binary archive"));
}

TEST_CASE("a snapshot from a newer format version raises FormatError naming the version",
          "[snapshot][quick][bad-input]") {
  std::string bytes = to_snapshot_bytes(fixture_v1());
  write_at(bytes, kVersionAt, std::uint32_t{7});
  CHECK_THAT(format_error_of(bytes),
             Catch::Contains("newer format version 7") &&
                 Catch::Contains("reads up to " + std::to_string(kSnapshotFormatVersion)));
  write_at(bytes, kVersionAt, std::uint32_t{0});
  CHECK_THAT(format_error_of(bytes), Catch::Contains("format version 0"));
}

TEST_CASE("a snapshot from a machine of the other byte order raises FormatError",
          "[snapshot][quick][bad-input]") {
  std::string bytes = to_snapshot_bytes(fixture_v1());
  write_at(bytes, kByteOrderAt, std::uint32_t{0x04030201});
  CHECK_THAT(format_error_of(bytes), Catch::Contains("byte order differs"));
  write_at(bytes, kByteOrderAt, std::uint32_t{0x01020305});
  CHECK_THAT(format_error_of(bytes), Catch::Contains("byte-order mark"));
}
