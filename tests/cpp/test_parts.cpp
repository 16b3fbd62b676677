// The planning chain in independent parts, for the Dask scale-out: an allocation problem
// split by island group, its parts solved alone and merged, equals the one-call solve (and
// the parts alone reach LEMON's optimum); timetables of disjoint facility sets merge into
// the timetable of all; forecasts of replication ranges merge into the whole forecast. Bad
// parts and bad merges are ValidationErrors naming the field.
#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "balai/core/regions.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/allocation/allocation_parts.hpp"
#include "balai/planning/allocation/verify.hpp"
#include "balai/planning/forecast/forecast.hpp"
#include "balai/planning/timetable/timetable.hpp"
#include "balai/scenario/indonesia.hpp"
#include "forecast_fixtures.hpp"
#include "lemon_oracle.hpp"
#include "random_allocation.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

// The fields the ValidationError of `call` names; fails the test when it throws nothing.
std::vector<std::string> fields_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const ValidationError& error) {
    std::vector<std::string> fields;
    for (const auto& problem : error.problems()) fields.push_back(problem.field);
    return fields;
  }
  FAIL("no ValidationError");
  return {};
}

bool names(const std::vector<std::string>& fields, const std::string& field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

std::string describe(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& problem : problems) text += problem.to_string() + "\n";
  return text;
}

// The parts are the whole problem cut along its seams: every trainee in one part with its
// own data and arcs (renumbered), facilities in at most one part, no arc leaving its part,
// quotas with their provinces, the whole problem's penalty; and an island group never split.
void require_independent(const AllocationProblem& problem,
                         const std::vector<AllocationPart>& parts) {
  std::vector<int> part_of_trainee(problem.trainees(), -1);
  std::vector<int> part_of_facility(problem.facilities(), -1);
  std::map<int, int> part_of_group;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const AllocationPart& part = parts[p];
    const auto index = static_cast<int>(p);
    REQUIRE(part.problem.trainees() == part.trainees.size());
    REQUIRE(part.problem.facilities() == part.facilities.size());
    REQUIRE(part.unplaced_penalty == problem.unplaced_penalty());
    REQUIRE(std::is_sorted(part.trainees.begin(), part.trainees.end()));
    REQUIRE(std::is_sorted(part.facilities.begin(), part.facilities.end()));
    REQUIRE_NOTHROW(part.problem.check());
    for (std::size_t f = 0; f < part.facilities.size(); ++f) {
      const auto whole = part.facilities[f].pos();
      REQUIRE(part_of_facility[whole] == -1);
      part_of_facility[whole] = index;
      REQUIRE(part.problem.capacity[f] == problem.capacity[whole]);
    }
    std::set<ProvinceCode> provinces;
    for (std::size_t i = 0; i < part.trainees.size(); ++i) {
      const auto t = part.trainees[i].pos();
      REQUIRE(part_of_trainee[t] == -1);
      part_of_trainee[t] = index;
      REQUIRE(part.problem.province[i] == problem.province[t]);
      REQUIRE(part.problem.bonus_m[i] == problem.bonus_m[t]);
      provinces.insert(problem.province[t]);
      const auto [group, inserted] =
          part_of_group.emplace(island_group(problem.province[t]), index);
      REQUIRE(group->second == index);
      const auto arcs = part.problem.candidates(i);
      REQUIRE(arcs.size() == problem.candidates(t).size());
      for (std::size_t a = 0; a < arcs.size(); ++a) {
        REQUIRE(part.facilities[arcs[a].pos()] == problem.candidates(t)[a]);
        REQUIRE(part.problem.arc_cost_m[part.problem.first_arc[i] + a] ==
                problem.arc_cost_m[problem.first_arc[t] + a]);
      }
    }
    for (const auto& quota : part.problem.quotas) REQUIRE(provinces.count(quota.province) == 1);
    for (const auto& quota : problem.quotas) {
      const bool mine = provinces.count(quota.province) == 1;
      REQUIRE(std::count(part.problem.quotas.begin(), part.problem.quotas.end(), quota) == mine);
    }
  }
  REQUIRE(std::count(part_of_trainee.begin(), part_of_trainee.end(), -1) == 0);
  // A facility no trainee reaches is in no part; one that some trainee reaches is in theirs.
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    for (const FacilityIndex f : problem.candidates(t)) {
      REQUIRE(part_of_facility[f.pos()] == part_of_trainee[t]);
    }
  }
}

std::vector<AllocationSolution> solve_each(const std::vector<AllocationPart>& parts) {
  std::vector<AllocationSolution> solutions;
  for (const auto& part : parts) solutions.push_back(solve_optimal(part));
  return solutions;
}

// Parts solved alone merge into the one-call solution, which the verifier accepts.
AllocationSolution require_merge_identical(const AllocationProblem& problem,
                                           const std::vector<AllocationPart>& parts) {
  const AllocationSolution merged = merge_solutions(problem, parts, solve_each(parts));
  const AllocationSolution whole = solve_optimal(problem);
  REQUIRE(merged == whole);
  INFO(describe(verify(problem, merged)));
  REQUIRE(verify(problem, merged).empty());
  CHECK(merged.cost == objective(problem, merged.facility));
  // Facilities in no part keep price 0.
  std::vector<bool> in_part(problem.facilities(), false);
  for (const auto& part : parts) {
    for (const FacilityIndex f : part.facilities) in_part[f.pos()] = true;
  }
  for (std::size_t f = 0; f < problem.facilities(); ++f) {
    if (!in_part[f]) REQUIRE(whole.facility_price[f] == 0);
  }
  return merged;
}

std::size_t island_groups_with_trainees(const AllocationProblem& problem) {
  std::set<int> groups;
  for (const ProvinceCode code : problem.province) groups.insert(island_group(code));
  return groups.size();
}

// Places only at the central and regional BLK and the PLUT (about 420 of the 4,227), five
// each: far fewer than the trainees, as in a pilot.
std::vector<int> scarce_capacity(const Dataset& dataset, const AllocationOptions& options) {
  std::vector<int> capacity = phase_capacity(dataset, options);
  for (std::size_t f = 0; f < capacity.size(); ++f) {
    const FacilityKind kind = dataset.facilities()[f].kind;
    const bool pilot_kind =
        kind == FacilityKind::uptp || kind == FacilityKind::uptd || kind == FacilityKind::plut;
    capacity[f] = pilot_kind ? std::min(capacity[f], 5) : 0;
  }
  return capacity;
}

const Dataset& national(std::uint64_t seed) {
  static std::map<std::uint64_t, Dataset> worlds;
  auto it = worlds.find(seed);
  if (it == worlds.end()) {
    it = worlds.emplace(seed, indonesia(ScenarioOptions{.seed = seed, .trainees = 10'000})).first;
  }
  return it->second;
}

}  // namespace

TEST_CASE("the national allocation in island-group parts merges into the one-call solve",
          "[parts][allocation][slow]") {
  for (const std::uint64_t seed : {2027U, 7U, 11U}) {
    const Dataset& dataset = national(seed);
    AllocationOptions options;
    SECTION("defaults, seed " + std::to_string(seed)) {
      const AllocationProblem problem = allocation_problem(dataset, options);
      const auto parts = split_by_island_group(problem);
      require_independent(problem, parts);
      CHECK(parts.size() == island_groups_with_trainees(problem));
      (void)require_merge_identical(problem, parts);
    }
    SECTION("scarce capacity and quotas, seed " + std::to_string(seed)) {
      options.capacity = scarce_capacity(dataset, options);
      options.quotas = {{.province = 32, .max_placed = 100},
                        {.province = 31, .min_placed = 30, .max_placed = 60}};
      AllocationProblem problem = allocation_problem(dataset, options);
      // A minimum of every trainee of the province, which the seats cannot meet.
      problem.quotas.push_back({.province = 73,
                                .min_placed = static_cast<int>(std::count(
                                    problem.province.begin(), problem.province.end(), 73))});
      const auto parts = split_by_island_group(problem);
      require_independent(problem, parts);
      CHECK(parts.size() == island_groups_with_trainees(problem));
      const AllocationSolution merged = require_merge_identical(problem, parts);
      CHECK(std::count(merged.facility.begin(), merged.facility.end(),
                       AllocationSolution::kUnplaced) > 5'000);
    }
    SECTION("across island groups, seed " + std::to_string(seed)) {
      options.same_island_group = false;
      options.k = 64;
      options.max_distance_km = 300.0;
      const AllocationProblem problem = allocation_problem(dataset, options);
      const auto parts = split_by_island_group(problem);
      require_independent(problem, parts);
      // Java, Bali and Sumatra lie within 300 km of one another, so some groups join.
      CHECK(parts.size() < island_groups_with_trainees(problem));
      CHECK(parts.size() >= 1);
      (void)require_merge_identical(problem, parts);
    }
  }
}

TEST_CASE("parts solved alone reach LEMON's optimum on random instances",
          "[parts][allocation][quick]") {
  // Provinces 32 and 35 (Java), 0 and 99 on one plane: parts join through shared facilities
  // or stay apart, with every shape of instance.
  for (std::uint64_t seed = 0; seed < 110; ++seed) {
    const RandomAllocation instance = random_allocation(seed);
    const AllocationProblem& problem = instance.problem;
    INFO("seed " << seed << ", " << name_of(instance.shape));
    const auto parts = split_by_island_group(problem);
    require_independent(problem, parts);
    const AllocationSolution merged = require_merge_identical(problem, parts);
    CHECK(merged.cost == lemon_optimum(problem, LemonAlgorithm::network_simplex));
  }
}

TEST_CASE("a facility no trainee reaches is in no part and keeps price 0",
          "[parts][allocation][quick]") {
  AllocationProblem problem;
  problem.capacity = {1, 4, 1};  // facility 1 is out of everyone's reach
  problem.province = {32, 32, 73, 11};
  problem.bonus_m = {0, 0, 0, 0};
  problem.first_arc = {0, 1, 2, 3, 3};
  problem.arc_facility = {FacilityIndex(0), FacilityIndex(0), FacilityIndex(2)};
  problem.arc_cost_m = {100, 200, 300};
  const auto parts = split_by_island_group(problem);
  REQUIRE(parts.size() == 3);  // Java, Sulawesi, Sumatra: in order of the first trainee
  CHECK(parts[0].trainees == std::vector{TraineeIndex(0), TraineeIndex(1)});
  CHECK(parts[0].facilities == std::vector{FacilityIndex(0)});
  CHECK(parts[1].facilities == std::vector{FacilityIndex(2)});
  CHECK(parts[2].facilities.empty());
  CHECK(parts[2].problem.first_arc == std::vector<std::uint32_t>{0, 0});
  const AllocationSolution merged = require_merge_identical(problem, parts);
  CHECK(merged.facility == std::vector<std::int32_t>{0, AllocationSolution::kUnplaced, 2,
                                                     AllocationSolution::kUnplaced});
  CHECK(merged.facility_price[0] > 0);  // full, and trainee 1 would pay to take the seat
  const std::int64_t penalty = problem.unplaced_penalty();
  CHECK(merged.cost == 100 + penalty + 300 + penalty);
}

TEST_CASE("allocation_result turns a solution found elsewhere into allocate's Allocation",
          "[parts][allocation][quick]") {
  const Dataset& dataset = national(2027);
  AllocationOptions options;
  SECTION("default options") {}
  SECTION("scarce capacity and a maximum") {
    options.capacity = scarce_capacity(dataset, options);
    options.quotas = {{.province = 32, .max_placed = 100}};
  }
  const AllocationProblem problem = allocation_problem(dataset, options);
  const auto parts = split_by_island_group(problem);
  const Allocation expected = allocate(dataset, options);
  CHECK(allocation_result(dataset, options, problem, solve_optimal(problem)) == expected);
  CHECK(allocation_result(dataset, options, problem,
                          merge_solutions(problem, parts, solve_each(parts))) == expected);
}

TEST_CASE("allocation parts: bad parts and bad merges are named",
          "[parts][allocation][bad-input][quick]") {
  const Dataset& dataset = national(2027);
  const AllocationProblem problem = allocation_problem(dataset, {});
  const auto parts = split_by_island_group(problem);
  REQUIRE(parts.size() >= 3);
  const auto solutions = solve_each(parts);

  SECTION("a part solved at less than its own penalty") {
    AllocationPart cheap = parts[0];
    cheap.unplaced_penalty = cheap.problem.unplaced_penalty() - 1;
    CHECK(names(fields_of([&] { (void)solve_optimal(cheap); }), "unplaced_penalty"));
  }
  SECTION("a problem that fails its check") {
    AllocationProblem broken = problem;
    broken.bonus_m.pop_back();
    CHECK(names(fields_of([&] { (void)split_by_island_group(broken); }), "bonus_m"));
  }
  SECTION("one solution short") {
    CHECK(names(
        fields_of([&] { (void)merge_solutions(problem, parts, std::span(solutions).first(1)); }),
        "solutions"));
  }
  SECTION("a part missing") {
    CHECK(names(fields_of([&] {
                  (void)merge_solutions(problem, std::span(parts).first(1),
                                        std::span(solutions).first(1));
                }),
                "trainees"));
  }
  SECTION("a part twice") {
    const std::vector twice{parts[0], parts[0]};
    const std::vector solved{solutions[0], solutions[0]};
    const auto fields = fields_of([&] { (void)merge_solutions(problem, twice, solved); });
    CHECK(names(fields, "facilities"));
  }
  SECTION("solutions swapped") {
    auto swapped = solutions;
    std::swap(swapped[0], swapped[1]);
    const auto fields = fields_of([&] { (void)merge_solutions(problem, parts, swapped); });
    CHECK(names(fields, "solution.facility"));
  }
  SECTION("a solution with a facility outside its part") {
    auto wrong = solutions;
    wrong[1].facility[0] = static_cast<std::int32_t>(parts[1].facilities.size());
    CHECK(names(fields_of([&] { (void)merge_solutions(problem, parts, wrong); }),
                "solution.facility"));
  }
  SECTION("allocation_result of a solution of another size") {
    AllocationSolution short_one = merge_solutions(problem, parts, solutions);
    short_one.facility.pop_back();
    CHECK(names(fields_of([&] { (void)allocation_result(dataset, {}, problem, short_one); }),
                "facility"));
  }
}

namespace {

const Allocation& national_allocation() {
  static const Allocation allocation = allocate(national(2027));
  return allocation;
}

// The facilities of the national scenario, one list per province, ascending.
std::vector<std::vector<FacilityIndex>> facilities_by_province(const Dataset& dataset) {
  std::map<ProvinceCode, std::vector<FacilityIndex>> by_province;
  for (std::size_t f = 0; f < dataset.facilities().size(); ++f) {
    by_province[dataset.facilities()[f].province].emplace_back(static_cast<std::uint32_t>(f));
  }
  std::vector<std::vector<FacilityIndex>> lists;
  for (auto& [code, list] : by_province) lists.push_back(std::move(list));
  return lists;
}

}  // namespace

TEST_CASE("timetables of the facilities of each province merge into the timetable of all",
          "[parts][timetable][quick]") {
  const Dataset& dataset = national(2027);
  const Allocation& allocation = national_allocation();
  const TimetableOptions options;
  const Timetable whole = timetable(dataset, allocation, options);
  auto lists = facilities_by_province(dataset);
  REQUIRE(lists.size() > 30);

  std::vector<Timetable> parts;
  for (const auto& list : lists) parts.push_back(timetable(dataset, allocation, options, list));
  CHECK(merge_timetables(parts) == whole);
  // Any order of parts, and of facilities within a part.
  std::reverse(parts.begin(), parts.end());
  std::rotate(parts.begin(), parts.begin() + 7, parts.end());
  CHECK(merge_timetables(parts) == whole);
  auto backwards = lists[5];
  std::reverse(backwards.begin(), backwards.end());
  CHECK(timetable(dataset, allocation, options, backwards) ==
        timetable(dataset, allocation, options, lists[5]));

  // A part holds its facilities' classes and trainees only.
  const Timetable& part = parts.front();
  const std::set<std::uint32_t> own = [&] {
    std::set<std::uint32_t> facilities;
    for (const auto& cohort : part.cohorts) facilities.insert(cohort.facility.value());
    for (const auto& lost : part.unscheduled) facilities.insert(lost.facility.value());
    return facilities;
  }();
  REQUIRE_FALSE(own.empty());
  const ProvinceCode province = dataset.facilities()[*own.begin()].province;
  for (const auto f : own) CHECK(dataset.facilities()[f].province == province);
  for (std::size_t t = 0; t < part.complete.size(); ++t) {
    if (!part.complete[t]) continue;
    CHECK(own.count(static_cast<std::uint32_t>(allocation.facility[t])) == 1);
    CHECK(whole.complete[t]);
  }
  // No facilities: nothing scheduled, nobody complete.
  const Timetable none = timetable(dataset, allocation, options, std::span<const FacilityIndex>{});
  CHECK(none.cohorts.empty());
  CHECK(none.unscheduled.empty());
  CHECK(std::count(none.complete.begin(), none.complete.end(), true) == 0);
}

TEST_CASE("timetable parts: bad facility lists and bad merges are named",
          "[parts][timetable][bad-input][quick]") {
  const Dataset& dataset = national(2027);
  const Allocation& allocation = national_allocation();
  const auto lists = facilities_by_province(dataset);
  const TimetableOptions options;
  const auto count = static_cast<std::uint32_t>(dataset.facilities().size());

  const std::vector twice{FacilityIndex(4), FacilityIndex(9), FacilityIndex(4)};
  CHECK(fields_of([&] { (void)timetable(dataset, allocation, options, twice); }) ==
        std::vector<std::string>{"facilities"});
  const std::vector unknown{FacilityIndex(0), FacilityIndex(count)};
  CHECK(fields_of([&] { (void)timetable(dataset, allocation, options, unknown); }) ==
        std::vector<std::string>{"facilities"});

  const Timetable a = timetable(dataset, allocation, options, lists[0]);
  const Timetable b = timetable(dataset, allocation, options, lists[1]);
  REQUIRE_FALSE(a.cohorts.empty());
  TimetableOptions smaller = options;
  smaller.class_min = 5;
  const Timetable other = timetable(dataset, allocation, smaller, lists[1]);
  CHECK(names(fields_of([&] { (void)merge_timetables(std::vector{a, other}); }), "options"));
  CHECK(names(fields_of([&] { (void)merge_timetables(std::vector{a, b, a}); }), "facility"));
  CHECK(names(fields_of([&] { (void)merge_timetables(std::span<const Timetable>{}); }), "parts"));
  Timetable shorter = b;
  shorter.complete.pop_back();
  CHECK(names(fields_of([&] { (void)merge_timetables(std::vector{a, shorter}); }), "complete"));
}

namespace {

const ForecastWorld& forecast_parts_world() {
  static const ForecastWorld w =
      forecast_world({.trainees = 1'500, .missing_last_every = 17, .unplaced_every = 41});
  return w;
}

ForecastOptions twelve_replications(std::uint64_t seed = 7) {
  ForecastOptions options;
  options.replications = 12;
  options.seed = seed;
  options.defaults = {.attendance = 0.85, .weekly_dropout = 0.03, .pass_rate = 0.8};
  return options;
}

Forecast part_of(const ForecastOptions& options, ReplicationRange range) {
  const auto& w = forecast_parts_world();
  return forecast(w.dataset, w.roster, w.distance_km, options, range);
}

}  // namespace

TEST_CASE("forecasts of replication ranges merge into the whole forecast",
          "[parts][forecast][quick]") {
  const auto& w = forecast_parts_world();
  auto options = twelve_replications();
  const Forecast whole = forecast(w.dataset, w.roster, w.distance_km, options);
  REQUIRE(whole.completions.size() == 12);
  CHECK(whole.first_replication == 0);
  CHECK(forecast(w.dataset, w.roster, w.distance_km, options, ReplicationRange{0, 12}) == whole);

  std::vector parts{part_of(options, {0, 3}), part_of(options, {3, 4}), part_of(options, {7, 5})};
  const Forecast& middle = parts[1];
  CHECK(middle.first_replication == 3);
  CHECK(middle.completions ==
        std::vector<std::int32_t>(whole.completions.begin() + 3, whole.completions.begin() + 7));
  for (std::size_t row = 0; row < whole.by_province.size(); ++row) {
    CHECK(middle.by_province[row] == std::vector<std::int32_t>(whole.by_province[row].begin() + 3,
                                                               whole.by_province[row].begin() + 7));
  }
  REQUIRE(whole.by_group.size() == whole.groups.size());
  CHECK(middle.groups == whole.groups);
  for (std::size_t row = 0; row < whole.by_group.size(); ++row) {
    CHECK(middle.by_group[row] == std::vector<std::int32_t>(whole.by_group[row].begin() + 3,
                                                            whole.by_group[row].begin() + 7));
  }
  CHECK(merge_forecasts(parts) == whole);
  std::swap(parts[0], parts[2]);
  CHECK(merge_forecasts(parts) == whole);

  // The thread count changes nothing but the options it is recorded in.
  options.threads = 1;
  const Forecast one = part_of(options, {3, 4});
  options.threads = 2;
  const Forecast two = part_of(options, {3, 4});
  CHECK(one.completions == middle.completions);
  CHECK(two.completions == middle.completions);
  CHECK(one.by_province == two.by_province);
  CHECK(one.by_group == two.by_group);
  const Forecast whole_two = forecast(w.dataset, w.roster, w.distance_km, options);
  CHECK(merge_forecasts(std::vector{part_of(options, {0, 7}), part_of(options, {7, 5})}) ==
        whole_two);
}

TEST_CASE("forecast parts: bad ranges and bad merges are named",
          "[parts][forecast][bad-input][quick]") {
  const auto options = twelve_replications();
  const auto range_fields = [&](ReplicationRange range) {
    return fields_of([&] { (void)part_of(options, range); });
  };
  CHECK(range_fields({-1, 3}) == std::vector<std::string>{"range.first"});
  CHECK(range_fields({12, 1}) == std::vector<std::string>{"range.first"});
  CHECK(range_fields({3, 0}) == std::vector<std::string>{"range.count"});
  CHECK(range_fields({3, -2}) == std::vector<std::string>{"range.count"});
  CHECK(range_fields({10, 3}) == std::vector<std::string>{"range.count"});

  const Forecast a = part_of(options, {0, 3});
  const Forecast b = part_of(options, {3, 4});
  const Forecast c = part_of(options, {7, 5});
  const auto merge_fields = [](std::vector<Forecast> parts) {
    return fields_of([&] { (void)merge_forecasts(parts); });
  };
  CHECK(merge_fields({a, c}) == std::vector<std::string>{"first_replication"});  // gap
  CHECK(merge_fields({a, part_of(options, {2, 10})}) ==                          // overlap
        std::vector<std::string>{"first_replication"});
  CHECK(merge_fields({a, b}) == std::vector<std::string>{"completions"});  // short
  CHECK(merge_fields({a, b, part_of(twelve_replications(8), {7, 5})}) ==
        std::vector<std::string>{"options.seed"});
  auto longer = twelve_replications();
  longer.replications = 13;
  CHECK(merge_fields({a, b, part_of(longer, {7, 6})}) ==
        std::vector<std::string>{"options.replications"});
  CHECK(merge_fields({}) == std::vector<std::string>{"parts"});
  Forecast torn = c;
  torn.by_province.front().pop_back();
  CHECK(merge_fields({a, b, torn}) == std::vector<std::string>{"by_province"});
  Forecast torn_group = c;
  torn_group.by_group.back().pop_back();
  CHECK(merge_fields({a, b, torn_group}) == std::vector<std::string>{"by_group"});
  Forecast regrouped = c;
  regrouped.groups.pop_back();
  regrouped.by_group.pop_back();
  CHECK(merge_fields({a, b, regrouped}) == std::vector<std::string>{"groups"});
}
