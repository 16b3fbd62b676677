#include <catch2/catch.hpp>

#include <string>

#include "balai/model/dataset.hpp"
#include "balai/model/places.hpp"
#include "balai/scenario/indonesia.hpp"
#include "fixtures.hpp"

using namespace balai;
using namespace balai::testing;
using Catch::Matchers::Contains;

namespace {

bool names_location(const std::vector<Problem>& problems) {
  for (const auto& problem : problems) {
    if (problem.field == "location") return true;
  }
  return false;
}

}  // namespace

TEST_CASE("places: a point outside Indonesia is refused", "[places][model][quick][bad-input]") {
  auto trainee = make_trainee("REG-LONDON");
  trainee.location = GeoPoint(51.5074, -0.1278);  // "in Kota Bandung", at London's coordinates
  const auto problems = check(trainee, std::nullopt);
  REQUIRE(names_location(problems));
  CHECK_THAT(problems.back().value, Contains("51.5074, -0.1278"));
  CHECK_THAT(problems.back().message, Contains("outside Indonesia (lat -11.5..6.5"));

  auto facility = make_facility("BLK-FLIPPED");
  facility.location = GeoPoint(6.9217, 107.6060);  // Bandung with the latitude's sign flipped
  CHECK(names_location(check(facility)));

  CHECK_FALSE(outside_indonesia(GeoPoint(-11.0, 122.8)));  // Ndana, the southernmost island
  CHECK_FALSE(outside_indonesia(GeoPoint(5.56, 126.58)));  // Miangas, the northernmost
  CHECK(outside_indonesia(GeoPoint(-6.9, 94.4)));
}

TEST_CASE("places: a regency seat outside Indonesia is refused",
          "[places][model][quick][bad-input]") {
  auto regencies = make_regencies();
  regencies[0].seat = GeoPoint(51.5074, -0.1278);
  CHECK_THROWS_WITH(Dataset(regencies), Contains("regency 32.73: seat = '51.5074, -0.1278'"));
}

TEST_CASE("places: far from the regency's seat is found", "[places][model][quick][bad-input]") {
  const auto medan = RegencyCode(1271);
  CHECK_FALSE(far_from_seat(GeoPoint(3.5952, 98.6722), medan));
  // Medan's latitude with its sign flipped lies in the sea off Jambi, about 800 km away.
  const auto flipped = far_from_seat(GeoPoint(-3.5952, 98.6722), medan);
  REQUIRE(flipped);
  CHECK(flipped->field == "location");
  CHECK_THAT(flipped->message,
             Contains("km from the seat of Kota Medan (12.71), more than 400 km"));
  CHECK_FALSE(far_from_seat(GeoPoint(-3.5952, 98.6722), std::nullopt));

  auto trainee = make_trainee("REG-FAR");
  trainee.location = GeoPoint(-8.65, 115.22);  // Denpasar, "in Kota Bandung"
  const std::vector<Trainee> trainees{make_trainee("REG-NEAR"), trainee};
  const auto problems = far_from_seats({}, trainees);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].where == "trainee REG-FAR");
}

TEST_CASE("places: the embedded seats and the built-in scenario are plausible",
          "[places][scenario][slow]") {
  for (const auto& regency : indonesia_regencies()) {
    CHECK_FALSE(outside_indonesia(regency.seat));
    CHECK_FALSE(far_from_seat(regency.seat, regency.code));
  }
  for (const std::uint64_t seed : {1, 2027}) {
    ScenarioOptions options;
    options.seed = seed;
    options.trainees = 20'000;
    const Dataset dataset = indonesia(options);
    CHECK(far_from_seats(dataset.facilities(), dataset.trainees()).empty());
  }
}
