#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/allocation/allocation_problem.hpp"
#include "balai/scenario/random.hpp"

using namespace balai;

namespace {

constexpr std::int32_t kUnplaced = AllocationSolution::kUnplaced;

struct Arc {
  std::uint32_t facility;
  std::int32_t cost;
};

// Each trainee's arcs as given (nearest first, as the problem requires).
AllocationProblem make_problem(std::vector<int> capacity, std::vector<ProvinceCode> province,
                               const std::vector<std::vector<Arc>>& arcs,
                               std::vector<std::int32_t> bonus = {}) {
  AllocationProblem problem;
  problem.capacity = std::move(capacity);
  problem.province = std::move(province);
  problem.bonus_m = bonus.empty() ? std::vector<std::int32_t>(problem.province.size(), 0) : bonus;
  for (const auto& row : arcs) {
    for (const auto& arc : row) {
      problem.arc_facility.push_back(FacilityIndex(arc.facility));
      problem.arc_cost_m.push_back(arc.cost);
    }
    problem.first_arc.push_back(static_cast<std::uint32_t>(problem.arc_facility.size()));
  }
  return problem;
}

std::vector<FacilityIndex> facilities(std::initializer_list<std::uint32_t> indices) {
  std::vector<FacilityIndex> result;
  for (const auto index : indices) result.push_back(FacilityIndex(index));
  return result;
}

template <class T>
void shuffle(std::vector<T>& values, Rng& rng) {
  for (std::size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[rng.below(i)]);
}

struct Instance {
  AllocationProblem problem;
  std::vector<std::vector<FacilityIndex>> rankings;  // empty: by distance
  std::vector<double> scores;                        // empty: by bonus
};

// Small random instances: tight capacities (zero included), few provinces, bonuses and
// scores drawn from few values so that ties are common, costs with ties too.
Instance random_instance(std::uint64_t seed, bool with_quotas) {
  Rng rng(seed);
  Instance instance;
  auto& problem = instance.problem;
  const auto facility_count = static_cast<std::uint32_t>(rng.between(1, 12));
  const auto trainee_count = static_cast<std::size_t>(rng.between(1, 60));
  for (std::uint32_t f = 0; f < facility_count; ++f) {
    problem.capacity.push_back(static_cast<int>(rng.between(0, 4)));
  }
  for (std::size_t t = 0; t < trainee_count; ++t) {
    problem.province.push_back(static_cast<ProvinceCode>(31 + rng.below(3)));
    problem.bonus_m.push_back(static_cast<std::int32_t>(rng.below(3) * 1000));
    std::vector<Arc> row;
    for (std::uint32_t f = 0; f < facility_count; ++f) {
      if (rng.chance(0.5)) row.push_back({f, static_cast<std::int32_t>(rng.below(5) * 100)});
    }
    std::sort(row.begin(), row.end(), [](const Arc& a, const Arc& b) {
      return std::tie(a.cost, a.facility) < std::tie(b.cost, b.facility);
    });
    for (const auto& arc : row) {
      problem.arc_facility.push_back(FacilityIndex(arc.facility));
      problem.arc_cost_m.push_back(arc.cost);
    }
    problem.first_arc.push_back(static_cast<std::uint32_t>(problem.arc_facility.size()));
  }
  if (with_quotas) {
    for (std::uint8_t code = 31; code <= 33; ++code) {
      if (rng.chance(0.7)) {
        problem.quotas.push_back({code, 0, static_cast<int>(rng.below(trainee_count / 2 + 2))});
      }
    }
  }
  if (rng.chance(0.5)) {
    for (std::size_t t = 0; t < trainee_count; ++t) {
      const auto candidates = problem.candidates(t);
      std::vector<FacilityIndex> ranking(candidates.begin(), candidates.end());
      shuffle(ranking, rng);
      ranking.resize(
          static_cast<std::size_t>(rng.between(0, static_cast<std::int64_t>(ranking.size()))));
      instance.rankings.push_back(std::move(ranking));
    }
  }
  if (rng.chance(0.5)) {
    for (std::size_t t = 0; t < trainee_count; ++t) {
      instance.scores.push_back(static_cast<double>(rng.below(4)) - 1.5);
    }
  }
  return instance;
}

// Each trainee's list, as (facility, cost) pairs best first.
std::vector<std::vector<Arc>> lists(const Instance& instance) {
  const auto& problem = instance.problem;
  std::vector<std::vector<Arc>> result(problem.trainees());
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    const auto cost_to = [&](FacilityIndex f) {
      for (auto arc = problem.first_arc[t]; arc < problem.first_arc[t + 1]; ++arc) {
        if (problem.arc_facility[arc] == f) return problem.arc_cost_m[arc];
      }
      FAIL("ranked facility is not a candidate");
      return 0;
    };
    if (instance.rankings.empty()) {
      for (const auto f : problem.candidates(t)) result[t].push_back({f.value(), cost_to(f)});
    } else {
      for (const auto f : instance.rankings[t]) result[t].push_back({f.value(), cost_to(f)});
    }
  }
  return result;
}

// The facilities' side, written out independently of the solver: (priority, -cost,
// -index), larger is better.
using Rank = std::tuple<double, std::int32_t, std::int64_t>;
Rank facility_rank(const Instance& instance, std::size_t trainee, std::int32_t cost) {
  const double priority = instance.scores.empty()
                              ? static_cast<double>(instance.problem.bonus_m[trainee])
                              : instance.scores[trainee];
  return {priority, -cost, -static_cast<std::int64_t>(trainee)};
}

// The textbook algorithm in rounds: every free trainee proposes to its next choice, then
// each facility keeps the best of what it held and what it was offered.
std::vector<std::int32_t> rounds_oracle(const Instance& instance) {
  const auto& problem = instance.problem;
  const auto choices = lists(instance);
  std::vector<std::size_t> next(problem.trainees(), 0);
  std::vector<std::vector<std::size_t>> held(problem.facilities());
  std::vector<std::int32_t> facility(problem.trainees(), kUnplaced);
  std::vector<Arc> offer(problem.trainees());
  for (bool proposed = true; proposed;) {
    proposed = false;
    std::vector<std::vector<std::size_t>> offers = held;
    for (std::size_t t = 0; t < problem.trainees(); ++t) {
      if (facility[t] != kUnplaced || next[t] >= choices[t].size()) continue;
      offer[t] = choices[t][next[t]++];
      offers[offer[t].facility].push_back(t);
      proposed = true;
    }
    for (std::size_t f = 0; f < problem.facilities(); ++f) {
      auto& group = offers[f];
      std::sort(group.begin(), group.end(), [&](std::size_t a, std::size_t b) {
        return facility_rank(instance, a, offer[a].cost) >
               facility_rank(instance, b, offer[b].cost);
      });
      for (std::size_t i = 0; i < group.size(); ++i) {
        const bool keep = i < static_cast<std::size_t>(problem.capacity[f]);
        facility[group[i]] = keep ? static_cast<std::int32_t>(f) : kUnplaced;
      }
      group.resize(std::min(group.size(), static_cast<std::size_t>(problem.capacity[f])));
    }
    held = offers;
  }
  return facility;
}

std::array<int, kProvinceCodes> placed_by_province(const AllocationProblem& problem,
                                                   const std::vector<std::int32_t>& facility) {
  std::array<int, kProvinceCodes> placed{};
  for (std::size_t t = 0; t < facility.size(); ++t) {
    if (facility[t] != kUnplaced) ++placed[problem.province[t].pos()];
  }
  return placed;
}

// Capacities and quota maxima hold, and every trainee sits at one of its choices.
void check_feasible(const Instance& instance, const std::vector<std::int32_t>& facility) {
  const auto& problem = instance.problem;
  REQUIRE(facility.size() == problem.trainees());
  const auto choices = lists(instance);
  std::vector<int> load(problem.facilities(), 0);
  for (std::size_t t = 0; t < facility.size(); ++t) {
    if (facility[t] == kUnplaced) continue;
    REQUIRE(std::any_of(choices[t].begin(), choices[t].end(), [&](const Arc& arc) {
      return static_cast<std::int32_t>(arc.facility) == facility[t];
    }));
    ++load[static_cast<std::size_t>(facility[t])];
  }
  for (std::size_t f = 0; f < problem.facilities(); ++f) REQUIRE(load[f] <= problem.capacity[f]);
  const auto placed = placed_by_province(problem, facility);
  for (const auto& quota : problem.quotas)
    REQUIRE(placed[quota.province.pos()] <= quota.max_placed);
}

// No blocking pair: no trainee t and facility f that t ranks above its place, where f has
// a free seat or holds someone it ranks below t. With quotas, a trainee whose province has
// placed its maximum cannot block (solve_stable documents the rule).
void check_stable(const Instance& instance, const std::vector<std::int32_t>& facility) {
  const auto& problem = instance.problem;
  const auto choices = lists(instance);
  std::vector<std::vector<Rank>> held(problem.facilities());
  for (std::size_t t = 0; t < facility.size(); ++t) {
    if (facility[t] == kUnplaced) continue;
    for (const auto& arc : choices[t]) {
      if (static_cast<std::int32_t>(arc.facility) == facility[t]) {
        held[arc.facility].push_back(facility_rank(instance, t, arc.cost));
      }
    }
  }
  std::array<int, kProvinceCodes> max_placed;
  max_placed.fill(ProvinceQuota::kUnlimited);
  for (const auto& quota : problem.quotas) max_placed[quota.province.pos()] = quota.max_placed;
  const auto placed = placed_by_province(problem, facility);
  for (std::size_t t = 0; t < facility.size(); ++t) {
    if (placed[problem.province[t].pos()] >= max_placed[problem.province[t].pos()]) continue;
    for (const auto& arc : choices[t]) {
      if (static_cast<std::int32_t>(arc.facility) == facility[t]) break;
      const auto& group = held[arc.facility];
      const Rank rank = facility_rank(instance, t, arc.cost);
      INFO("trainee " << t << " and facility " << arc.facility << " block");
      CHECK(static_cast<int>(group.size()) >= problem.capacity[arc.facility]);
      CHECK(
          std::all_of(group.begin(), group.end(), [&](const Rank& other) { return other > rank; }));
    }
  }
}

AllocationSolution stable(const Instance& instance) {
  return solve_stable(instance.problem, instance.rankings, instance.scores);
}

}  // namespace

TEST_CASE("nearest places each trainee, in order, at the nearest facility with room",
          "[allocation][baseline][quick]") {
  const auto problem =
      make_problem({1, 1, 2}, {32, 32, 32, 32},
                   {{{0, 100}, {1, 900}}, {{0, 50}, {1, 60}, {2, 70}}, {{1, 10}}, {{2, 5}}});
  const auto solution = solve_nearest(problem);
  CHECK(solution.facility == std::vector<std::int32_t>{0, 1, kUnplaced, 2});
  CHECK(solution.facility_price.empty());
  CHECK(solution.province_price.empty());
  CHECK(solution.cost == objective(problem, solution.facility));
  CHECK(solution.cost == 100 + 60 + 5 + problem.unplaced_penalty());
}

TEST_CASE("nearest stops placing a province at its maximum", "[allocation][baseline][quick]") {
  auto problem = make_problem({5, 5}, {31, 32, 31, 31, 32},
                              {{{0, 1}}, {{0, 2}}, {{1, 3}, {0, 4}}, {{0, 5}}, {{1, 6}}});
  problem.quotas = {{31, 0, 2}, {32, 0, 0}};
  const auto solution = solve_nearest(problem);
  CHECK(solution.facility == std::vector<std::int32_t>{0, kUnplaced, 1, kUnplaced, kUnplaced});
  CHECK(solution.cost == objective(problem, solution.facility));
}

TEST_CASE("nearest handles empty lists, zero capacity and empty problems",
          "[allocation][baseline][quick]") {
  const auto problem = make_problem({0, 1}, {32, 32, 32}, {{}, {{0, 1}, {1, 2}}, {{1, 1}}});
  CHECK(solve_nearest(problem).facility == std::vector<std::int32_t>{kUnplaced, 1, kUnplaced});
  const AllocationProblem empty;
  CHECK(solve_nearest(empty).facility.empty());
  CHECK(solve_nearest(empty).cost == 0);
}

TEST_CASE("nearest is greedy on random instances", "[allocation][baseline][quick]") {
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    INFO("seed " << seed);
    Instance instance = random_instance(seed, seed % 2 == 0);
    instance.rankings.clear();
    const auto& problem = instance.problem;
    const auto solution = solve_nearest(problem);
    check_feasible(instance, solution.facility);
    CHECK(solution.cost == objective(problem, solution.facility));
    // Loads only grow, so whatever was full when a trainee passed it is full at the end.
    std::vector<int> load(problem.facilities(), 0);
    for (const auto f : solution.facility) {
      if (f != kUnplaced) ++load[static_cast<std::size_t>(f)];
    }
    std::array<int, kProvinceCodes> max_placed;
    max_placed.fill(ProvinceQuota::kUnlimited);
    for (const auto& quota : problem.quotas) max_placed[quota.province.pos()] = quota.max_placed;
    const auto placed = placed_by_province(problem, solution.facility);
    for (std::size_t t = 0; t < problem.trainees(); ++t) {
      if (solution.facility[t] == kUnplaced &&
          placed[problem.province[t].pos()] >= max_placed[problem.province[t].pos()]) {
        continue;
      }
      for (const auto f : problem.candidates(t)) {
        if (static_cast<std::int32_t>(f.value()) == solution.facility[t]) break;
        CHECK(load[f.pos()] == problem.capacity[f.pos()]);
      }
    }
  }
}

TEST_CASE("stable allocation has no blocking pair on random instances",
          "[allocation][baseline][quick]") {
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    INFO("seed " << seed);
    const Instance instance = random_instance(seed, false);
    const auto solution = stable(instance);
    check_feasible(instance, solution.facility);
    check_stable(instance, solution.facility);
    // Facilities' orders are strict, so the trainee-optimal stable assignment is unique.
    CHECK(solution.facility == rounds_oracle(instance));
    CHECK(solution.cost == objective(instance.problem, solution.facility));
    CHECK(solution.facility_price.empty());
  }
}

TEST_CASE("stable allocation respects province maxima", "[allocation][baseline][quick]") {
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    INFO("seed " << seed);
    const Instance instance = random_instance(seed, true);
    const auto solution = stable(instance);
    check_feasible(instance, solution.facility);
    check_stable(instance, solution.facility);
    CHECK(solution.cost == objective(instance.problem, solution.facility));
  }
}

TEST_CASE("stable allocation: a turned-away trainee takes a freed province place",
          "[allocation][baseline][quick]") {
  // Province 31 may place one. Trainee 0 (31) is held at facility 0, then trainee 2 (32)
  // with a higher bonus displaces it; trainee 0 has nowhere else to go, so trainee 1
  // (31), turned away meanwhile, gets the province's place.
  auto problem = make_problem({1, 1}, {31, 31, 32}, {{{0, 10}}, {{1, 10}}, {{0, 10}}}, {0, 0, 500});
  problem.quotas = {{31, 0, 1}};
  const auto solution = solve_stable(problem, {}, {});
  CHECK(solution.facility == std::vector<std::int32_t>{kUnplaced, 1, 0});
}

TEST_CASE("facilities rank by score, else bonus, then distance, then index",
          "[allocation][baseline][quick]") {
  // One seat, three applicants.
  const auto problem =
      make_problem({1}, {32, 32, 32}, {{{0, 300}}, {{0, 100}}, {{0, 100}}}, {0, 0, 0});
  CHECK(solve_stable(problem, {}, {}).facility ==
        std::vector<std::int32_t>{kUnplaced, 0, kUnplaced});
  const std::vector<double> scores{2.0, 1.0, 1.0};
  CHECK(solve_stable(problem, {}, scores).facility ==
        std::vector<std::int32_t>{0, kUnplaced, kUnplaced});
  auto favoured = problem;
  favoured.bonus_m = {0, 0, 7};
  CHECK(solve_stable(favoured, {}, {}).facility ==
        std::vector<std::int32_t>{kUnplaced, kUnplaced, 0});
}

TEST_CASE("trainees propose in their own order when they rank", "[allocation][baseline][quick]") {
  // Both prefer the farther facility 1; trainee 1 is closer to it and wins it.
  const auto problem = make_problem({1, 1}, {32, 32}, {{{0, 10}, {1, 50}}, {{0, 20}, {1, 40}}});
  const std::vector<std::vector<FacilityIndex>> rankings{facilities({1, 0}), facilities({1, 0})};
  CHECK(solve_stable(problem, rankings, {}).facility == std::vector<std::int32_t>{0, 1});
  CHECK(solve_stable(problem, {}, {}).facility == std::vector<std::int32_t>{0, 1});
  const std::vector<std::vector<FacilityIndex>> only_far{facilities({1}), facilities({1})};
  CHECK(solve_stable(problem, only_far, {}).facility == std::vector<std::int32_t>{kUnplaced, 1});
}

TEST_CASE("stable allocation handles degenerate instances", "[allocation][baseline][quick]") {
  SECTION("zero capacities") {
    const auto problem = make_problem({0, 0}, {32, 32}, {{{0, 1}, {1, 2}}, {{1, 1}}});
    CHECK(solve_stable(problem, {}, {}).facility ==
          std::vector<std::int32_t>{kUnplaced, kUnplaced});
  }
  SECTION("empty ranking lists") {
    const auto problem = make_problem({2}, {32, 32}, {{{0, 1}}, {{0, 1}}});
    const std::vector<std::vector<FacilityIndex>> rankings{{}, facilities({0})};
    CHECK(solve_stable(problem, rankings, {}).facility == std::vector<std::int32_t>{kUnplaced, 0});
  }
  SECTION("more trainees than seats") {
    std::vector<std::vector<Arc>> arcs(50, std::vector<Arc>{{0, 5}, {1, 7}});
    const auto problem = make_problem({3, 2}, std::vector<ProvinceCode>(50, 32), arcs);
    const auto solution = solve_stable(problem, {}, {});
    CHECK(std::count(solution.facility.begin(), solution.facility.end(), 0) == 3);
    CHECK(std::count(solution.facility.begin(), solution.facility.end(), 1) == 2);
    CHECK(solution.facility[0] == 0);  // lowest indices win equal claims
    CHECK(solution.facility[3] == 1);
  }
  SECTION("a single trainee and facility") {
    const auto problem = make_problem({1}, {32}, {{{0, 0}}});
    CHECK(solve_stable(problem, {}, {}).facility == std::vector<std::int32_t>{0});
  }
  SECTION("no trainees, no facilities") {
    CHECK(solve_stable(AllocationProblem{}, {}, {}).facility.empty());
    const auto problem = make_problem({}, {32}, {{}});
    CHECK(solve_stable(problem, {}, {}).facility == std::vector<std::int32_t>{kUnplaced});
  }
  SECTION("a province with no places") {
    auto problem = make_problem({2}, {31, 32}, {{{0, 1}}, {{0, 1}}});
    problem.quotas = {{31, 0, 0}};
    CHECK(solve_stable(problem, {}, {}).facility == std::vector<std::int32_t>{kUnplaced, 0});
  }
}

TEST_CASE("stable allocation rejects bad rankings and scores",
          "[allocation][baseline][quick][bad-input]") {
  const auto problem = make_problem({1, 1, 1}, {32, 32}, {{{0, 1}, {1, 2}}, {{2, 1}}});
  const auto problems_of = [&](const std::vector<std::vector<FacilityIndex>>& rankings,
                               const std::vector<double>& scores) {
    try {
      (void)solve_stable(problem, rankings, scores);
    } catch (const ValidationError& error) {
      return error.problems();
    }
    FAIL("no ValidationError");
    return std::vector<Problem>{};
  };

  const auto wrong_size = problems_of({facilities({0})}, {});
  REQUIRE(wrong_size.size() == 1);
  CHECK(wrong_size[0].field == "rankings");
  CHECK(wrong_size[0].value == "1 lists");

  const auto not_candidate = problems_of({facilities({0, 2}), facilities({2, 7})}, {});
  REQUIRE(not_candidate.size() == 2);
  CHECK(not_candidate[0].where == "trainee 0");
  CHECK(not_candidate[0].field == "rankings[0][1]");
  CHECK(not_candidate[0].value == "2");
  CHECK(not_candidate[0].message == "not a candidate: out of range or not eligible");
  CHECK(not_candidate[1].where == "trainee 1");
  CHECK(not_candidate[1].value == "7");

  const auto twice = problems_of({facilities({1, 0, 1}), facilities({})}, {});
  REQUIRE(twice.size() == 1);
  CHECK(twice[0].field == "rankings[0][2]");
  CHECK(twice[0].message == "ranked twice");

  CHECK(problems_of({}, {1.0})[0].field == "scores");
  const auto not_finite = problems_of(
      {}, {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()});
  REQUIRE(not_finite.size() == 2);
  CHECK(not_finite[0].field == "scores[0]");
  CHECK(not_finite[1].where == "trainee 1");

  auto broken = problem;
  broken.arc_facility[0] = FacilityIndex(9);
  CHECK_THROWS_AS(solve_stable(broken, {}, {}), ValidationError);
  CHECK_THROWS_AS(solve_nearest(broken), ValidationError);
}
