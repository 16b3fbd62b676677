// The pilot chain: its plan against its bound, its own consistency, and its options.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "balai/planning/pilot/pilot.hpp"
#include "balai/scenario/indonesia.hpp"

using namespace balai;

namespace {

ForecastOptions few_runs() {
  ForecastOptions options;
  options.replications = 20;
  return options;
}

}  // namespace

TEST_CASE("plan_pilot timetables nearly every trainee its bound allows", "[pilot][quick]") {
  const Dataset dataset = indonesia({.seed = 4, .trainees = 3'000});
  PilotOptions options;
  options.forecast = few_runs();
  const PilotPlan plan = plan_pilot(dataset, options);

  const PilotBound& bound = plan.bound;
  CHECK(bound == pilot_bound(dataset, options));
  CHECK(bound.trainees == 3'000);
  CHECK(bound.seated <= bound.with_class);
  CHECK(bound.with_class <= bound.in_reach);
  CHECK(bound.bound == std::min(bound.seated, bound.grouped));
  const auto complete = std::ranges::count(plan.timetable.complete, true);
  CHECK(plan.timetabled() == complete);
  CHECK(complete >= bound.bound * 95 / 100);
  CHECK(complete <= bound.bound);
  CHECK(verify(dataset, plan.allocation, plan.timetable).empty());
  CHECK(plan.distance_km.size() == static_cast<std::size_t>(complete));

  // Every selected site hosts a class, and only candidates are selected.
  std::set<std::uint32_t> hosting;
  for (const auto& cohort : plan.timetable.cohorts) hosting.insert(cohort.facility.value());
  CHECK(std::set<std::uint32_t>(plan.sites.selected.begin(), plan.sites.selected.end()) == hosting);
  const auto candidates = pilot_candidates(dataset, options);
  for (const auto site : plan.sites.selected) {
    CHECK(std::ranges::find(candidates, FacilityIndex(site)) != candidates.end());
  }

  SECTION("without rounds the chain timetables fewer, and stays consistent") {
    PilotOptions plain = options;
    plain.max_rounds = 0;
    const PilotPlan once = schedule_pilot(dataset, plain);
    CHECK(once.rounds == 0);
    CHECK(once.timetabled() < plan.timetabled());
    CHECK(verify(dataset, once.allocation, once.timetable).empty());
    CHECK(once.timetabled() == std::ranges::count(once.timetable.complete, true));
  }
  SECTION("a sparse pilot's class groups are exact, and the plan reaches them") {
    const Dataset sparse = indonesia({.seed = 4, .trainees = 300});
    const PilotPlan small = schedule_pilot(sparse, options);
    CHECK(small.bound.grouped_exact);
    CHECK(small.bound.grouped < small.bound.seated);
    CHECK(small.timetabled() == small.bound.bound);
    CHECK(verify(sparse, small.allocation, small.timetable).empty());
  }
  SECTION("the same options give the same plan") {
    const PilotPlan again = schedule_pilot(dataset, options);
    CHECK(again.allocation == plan.allocation);
    CHECK(again.timetable == plan.timetable);
    CHECK(again.roster == plan.roster);
  }
}

TEST_CASE("plan_pilot labels why each trainee has no place", "[pilot][quick]") {
  const Dataset dataset = indonesia({.seed = 2, .trainees = 2'000});
  PilotOptions options;
  options.forecast = few_runs();
  const PilotPlan plan = schedule_pilot(dataset, options);
  const Allocation& allocation = plan.allocation;
  for (std::size_t t = 0; t < allocation.facility.size(); ++t) {
    const bool placed = allocation.facility[t] != Allocation::kUnplaced;
    CHECK(placed == (allocation.status[t] == PlacementStatus::placed));
  }
  // `capacity` only when every open site within range is full.
  for (std::size_t t = 0; t < allocation.facility.size(); ++t) {
    if (allocation.status[t] != PlacementStatus::capacity) continue;
    for (const auto site : plan.sites.selected) {
      const double km =
          haversine_km(dataset.trainees()[t].location, dataset.facilities()[site].location);
      if (km <= options.allocation.max_distance_km) {
        CHECK(allocation.load[site] >= allocation.capacity[site]);
      }
    }
  }
}

TEST_CASE("plan_pilot refuses bad options before planning", "[pilot][quick]") {
  const Dataset dataset = indonesia({.seed = 1, .trainees = 100});
  PilotOptions options;
  options.max_rounds = -1;
  CHECK_THROWS_WITH(plan_pilot(dataset, options), Catch::Contains("max_rounds"));
  CHECK_THROWS_WITH(pilot_bound(dataset, options), Catch::Contains("max_rounds"));
}
