// Inputs the fuzzers in fuzz/ found crashing the library, fed through the public API: each
// must now end in the typed error. The crashing inputs themselves are in fuzz/corpus/.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include <boost/crc.hpp>

#include "balai/core/error.hpp"
#include "balai/io/snapshot.hpp"
#include "balai/model/trainee.hpp"
#include "fixtures.hpp"

using namespace balai;
using Catch::Matchers::Contains;

namespace {

// The envelope's fields, as snapshot.hpp documents them.
constexpr std::size_t kCrcAt = 24;
constexpr std::size_t kHeaderSize = 28;

// A snapshot of a valid dataset whose one trainee has `birth_year` replaced by `damaged`
// in the archive, with the envelope's CRC made to match, as the snapshot_archive harness
// does.
std::string snapshot_with_birth_year(std::int32_t damaged) {
  constexpr std::int32_t kBirthYear = 1977;  // a value the rest of the archive lacks
  Batch batch;
  batch.facilities = {testing::make_facility("BLK-3273-001")};
  batch.modules = {testing::make_module("ENT-101")};
  batch.trainees = {testing::make_trainee("T-1")};
  batch.trainees.front().birth_year = kBirthYear;
  batch.program = testing::make_program();
  std::string bytes = to_snapshot_bytes(Dataset(testing::make_regencies(), std::move(batch)));

  const std::string_view year(reinterpret_cast<const char*>(&kBirthYear), sizeof kBirthYear);
  const auto at = bytes.find(year, kHeaderSize);
  REQUIRE(at != std::string::npos);
  REQUIRE(bytes.find(year, at + 1) == std::string::npos);
  std::memcpy(bytes.data() + at, &damaged, sizeof damaged);
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize);
  const std::uint32_t checksum = crc.checksum();
  std::memcpy(bytes.data() + kCrcAt, &checksum, sizeof checksum);
  return bytes;
}

}  // namespace

// fuzz/corpus/snapshot_archive/crash-birth-year-overflow.payload: the age was computed as
// reference year minus birth year in int, which overflows for a birth year near INT_MIN.
TEST_CASE("an extreme birth year gives its true age, not an overflow",
          "[fuzz-regression][quick][bad-input]") {
  auto trainee = testing::make_trainee("T-1");
  trainee.birth_year = std::numeric_limits<std::int32_t>::min();
  auto problems = check(trainee, 2027);
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().field == "birth_year");
  CHECK_THAT(problems.front().message, Contains("gives an age of 2147485675 in 2027"));

  trainee.birth_year = std::numeric_limits<std::int32_t>::max();
  problems = check(trainee, -5);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems.front().message, Contains("gives an age of -2147483652 in -5"));
}

TEST_CASE("a snapshot whose birth year is damaged behind a sound CRC is a FormatError",
          "[fuzz-regression][quick][bad-input]") {
  const auto bytes = snapshot_with_birth_year(std::numeric_limits<std::int32_t>::min() + 1989);
  try {
    (void)from_snapshot_bytes(bytes);
    FAIL("the damaged snapshot loaded");
  } catch (const FormatError& error) {
    CHECK_THAT(error.what(), Contains("birth_year"));
  }
}
