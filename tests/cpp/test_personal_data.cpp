// No NIK enters in clear: the masked form must be masked wherever it comes from (a
// ProtectedNik made field by field, as a snapshot makes it, included), and a NIK in an id
// or a free text is refused, in messages that do not repeat it.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/model/nik.hpp"
#include "balai/model/trainee.hpp"
#include "balai/tracking/ledger.hpp"
#include "fixtures.hpp"
#include "tracking_fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

const std::string kNik = "3273014501900001";  // born 05-01-1990, a woman (day + 40)

bool repeats_nik(const Error& error) {
  return std::string(error.what()).find(kNik) != std::string::npos;
}

}  // namespace

TEST_CASE("a masked NIK is the documented pattern, masked", "[model][quick][bad-input]") {
  CHECK(masked_nik_defect("3273********0001").empty());
  CHECK(masked_nik_defect(mask_nik(kNik)).empty());
  for (const char* masked : {"3273014501900001", "3273********000", "3273*******00001",
                             "****************", "3273****0190*001", "3273\t*******0001"}) {
    INFO(masked);
    CHECK_FALSE(masked_nik_defect(masked).empty());
    try {
      (void)ProtectedNik::from_parts(std::string(64, 'a'), masked);
      FAIL("a bad masked NIK was accepted");
    } catch (const ValidationError& error) {
      CHECK(error.problems().front().field == "nik_masked");
      CHECK_FALSE(repeats_nik(error));
    }
  }
}

TEST_CASE("a NIK digest is 64 hex digits, and a refused one is not echoed",
          "[model][quick][bad-input]") {
  try {
    (void)ProtectedNik::from_parts(kNik, "3273********0001");
    FAIL("a NIK was accepted as its digest");
  } catch (const ValidationError& error) {
    CHECK(error.problems().front().field == "nik_digest");
    CHECK_FALSE(repeats_nik(error));
  }
}

TEST_CASE("a trainee whose masked NIK was never masked is refused", "[model][quick][bad-input]") {
  // What a snapshot's loader builds: the fields as stored, checked by the trainee's check.
  auto trainee = make_trainee("T-1");
  trainee.nik = ProtectedNik{{}, kNik};
  const auto problems = check(trainee, 2027);
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().field == "nik_masked");
  CHECK(problems.front().to_string().find(kNik) == std::string::npos);
}

TEST_CASE("NIKs are found in texts and hidden in messages", "[model][quick]") {
  CHECK(holds_nik(kNik));
  CHECK(holds_nik("REG-" + kNik + "-B"));
  CHECK_FALSE(holds_nik("3273014501900001" + std::string("2")));  // 17 digits
  CHECK_FALSE(holds_nik("9973014501900001"));                     // no such province
  CHECK_FALSE(holds_nik("REG-000001"));
  CHECK(hide_niks("REG-" + kNik + ", again " + kNik) ==
        "REG-3273********0001, again 3273********0001");
  CHECK(hide_niks("lat 6.123456789012345") == "lat 6.123456789012345");
}

TEST_CASE("ids and free texts holding a NIK are refused", "[model][tracking][quick][bad-input]") {
  auto trainee = make_trainee("REG-" + kNik);
  const auto problems = check(trainee, 2027);
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().field == "id");
  CHECK(problems.front().to_string().find(kNik) == std::string::npos);

  Ledger ledger(tracking_roster(2));
  auto event = enrolled(1, 0, at(session_date(1)));
  event.actor = "petugas NIK " + kNik;
  try {
    ledger.append(std::vector<Event>{event});
    FAIL("an actor holding a NIK was recorded");
  } catch (const ValidationError& error) {
    CHECK(error.problems().front().field == "actor");
    CHECK_FALSE(repeats_nik(error));
  }
  CHECK(ledger.size() == 0);
}
