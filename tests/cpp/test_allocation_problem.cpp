#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "allocation_fixtures.hpp"
#include "balai/core/error.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/allocation/allocation_problem.hpp"

using namespace balai;
using balai::testing::make_allocation_problem;

namespace {

std::vector<Problem> problems_of(const AllocationProblem& problem) {
  try {
    problem.check();
  } catch (const ValidationError& error) {
    return error.problems();
  }
  return {};
}

bool has(const std::vector<Problem>& problems, const std::string& where, const std::string& field,
         const std::string& value) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
    return p.where == where && p.field == field && p.value == value;
  });
}

// Two facilities; trainee 0 may go to either, trainee 1 only to facility 1.
AllocationProblem two_by_two() {
  return make_allocation_problem({1, 2}, {{{0, 100}, {1, 300}}, {{1, 50}}}, {32, 35}, {0, 40});
}

}  // namespace

TEST_CASE("unplaced penalty outweighs any travel saving", "[allocation][quick]") {
  CHECK(AllocationProblem{}.unplaced_penalty() == 1);
  CHECK(AllocationProblem{}.quota_penalty() == 3);
  const AllocationProblem problem = two_by_two();
  // (2 facilities + 1) * (300 m + 40 m bonus) + 1
  CHECK(problem.unplaced_penalty() == 1021);
  CHECK(problem.quota_penalty() == 3063);
}

TEST_CASE("a consistent problem passes check", "[allocation][quick]") {
  CHECK_NOTHROW(AllocationProblem{}.check());
  AllocationProblem problem = two_by_two();
  problem.quotas = {{.province = 32, .min_placed = 1, .max_placed = 1}, {.province = 35}};
  CHECK_NOTHROW(problem.check());
}

TEST_CASE("check names broken candidate rows", "[allocation][quick][bad-input]") {
  SECTION("first_arc of the wrong length") {
    AllocationProblem problem = two_by_two();
    problem.first_arc.pop_back();
    CHECK(has(problems_of(problem), "allocation problem", "first_arc", "2 entries"));
  }
  SECTION("first_arc not starting at zero, decreasing, not ending at the arc count") {
    AllocationProblem problem = two_by_two();
    problem.first_arc = {1, 0, 2};
    const auto problems = problems_of(problem);
    CHECK(has(problems, "allocation problem", "first_arc[0]", "1"));
    CHECK(has(problems, "trainee 0", "first_arc[1]", "0"));
    CHECK(has(problems, "allocation problem", "first_arc[2]", "2"));
    CHECK(problems.size() == 3);
  }
  SECTION("arc arrays of different lengths") {
    AllocationProblem problem = two_by_two();
    problem.arc_cost_m.pop_back();
    CHECK(has(problems_of(problem), "allocation problem", "arc_cost_m", "2 entries"));
  }
  SECTION("unknown facility and negative cost") {
    AllocationProblem problem = two_by_two();
    problem.arc_facility[2] = FacilityIndex(7);
    problem.arc_cost_m[0] = -5;
    const auto problems = problems_of(problem);
    CHECK(has(problems, "arc 2", "arc_facility", "7"));
    CHECK(has(problems, "arc 0", "arc_cost_m", "-5"));
  }
  SECTION("a facility listed twice for one trainee") {
    AllocationProblem problem = two_by_two();
    problem.arc_facility[1] = FacilityIndex(0);
    const auto problems = problems_of(problem);
    REQUIRE(problems.size() == 1);
    CHECK(has(problems, "trainee 0", "arc_facility", "0"));
  }
  SECTION("arcs not nearest first") {
    // The fault: solve_nearest took the first arc, the farther facility, and verify
    // approved it.
    AllocationProblem problem = two_by_two();
    std::swap(problem.arc_facility[0], problem.arc_facility[1]);
    std::swap(problem.arc_cost_m[0], problem.arc_cost_m[1]);
    const auto problems = problems_of(problem);
    REQUIRE(problems.size() == 1);
    CHECK(has(problems, "trainee 0", "arc_cost_m", "100"));
    CHECK_THROWS_AS(solve_nearest(problem), ValidationError);
    CHECK_THROWS_AS(solve_optimal(problem), ValidationError);
  }
  SECTION("equal costs in any order are nearest first") {
    AllocationProblem problem = two_by_two();
    problem.arc_cost_m[1] = problem.arc_cost_m[0];
    CHECK_NOTHROW(problem.check());
  }
  SECTION("costs so large that the objective could overflow") {
    AllocationProblem problem;
    problem.capacity.assign(70'000, 0);
    problem.province.assign(20'000, 32);
    problem.bonus_m.assign(20'000, 0);
    problem.first_arc.assign(20'001, 1);
    problem.first_arc[0] = 0;
    problem.arc_facility = {FacilityIndex(0)};
    problem.arc_cost_m = {2'000'000'000};
    CHECK(has(problems_of(problem), "allocation problem", "arc_cost_m", "2000000000"));
    problem.arc_cost_m = {5'000'000};  // 5,000 km: any real distance
    CHECK_NOTHROW(problem.check());
  }
  SECTION("the same facility for two trainees is fine") {
    AllocationProblem problem = two_by_two();
    problem.arc_facility[0] = FacilityIndex(1);
    problem.arc_facility[1] = FacilityIndex(0);
    CHECK_NOTHROW(problem.check());
  }
}

TEST_CASE("check names bad facilities and trainees", "[allocation][quick][bad-input]") {
  AllocationProblem problem = two_by_two();
  problem.capacity[1] = -3;
  problem.bonus_m[1] = -1;
  problem.province[0] = 120;
  const auto problems = problems_of(problem);
  CHECK(has(problems, "facility 1", "capacity", "-3"));
  CHECK(has(problems, "trainee 1", "bonus_m", "-1"));
  CHECK(has(problems, "trainee 0", "province", "120"));
  CHECK(problems.size() == 3);

  problem = two_by_two();
  problem.bonus_m.push_back(0);
  CHECK(has(problems_of(problem), "allocation problem", "bonus_m", "3 entries"));
}

TEST_CASE("check names the province of a bad quota", "[allocation][quick][bad-input]") {
  AllocationProblem problem = two_by_two();
  SECTION("two quotas for one province") {
    problem.quotas = {{.province = 32}, {.province = 32, .max_placed = 1}};
    CHECK(has(problems_of(problem), "province 32", "quotas.province", "32"));
  }
  SECTION("negative minimum") {
    problem.quotas = {{.province = 35, .min_placed = -1}};
    CHECK(has(problems_of(problem), "province 35", "quotas.min_placed", "-1"));
  }
  SECTION("maximum below minimum") {
    problem.quotas = {{.province = 35, .min_placed = 1, .max_placed = 0}};
    CHECK(has(problems_of(problem), "province 35", "quotas.max_placed", "0"));
  }
  SECTION("minimum above the province's trainees") {
    problem.quotas = {{.province = 32, .min_placed = 2}, {.province = 11, .min_placed = 1}};
    const auto problems = problems_of(problem);
    CHECK(has(problems, "province 32", "quotas.min_placed", "2"));
    CHECK(has(problems, "province 11", "quotas.min_placed", "1"));
    try {
      problem.check();
      FAIL("check() accepted an unmeetable minimum");
    } catch (const ValidationError& error) {
      CHECK_THAT(error.what(),
                 Catch::Contains("province 11") && Catch::Contains("has only 0 trainees"));
    }
  }
  SECTION("a province code beyond the table") {
    problem.quotas = {{.province = 200}};
    CHECK(has(problems_of(problem), "province 200", "quotas.province", "200"));
  }
}

TEST_CASE("objective counts travel, penalties and bonuses", "[allocation][quick]") {
  const AllocationProblem problem = two_by_two();
  const std::int64_t penalty = problem.unplaced_penalty();
  CHECK(objective(problem, std::vector<std::int32_t>{0, 1}) == 100 + 50);
  CHECK(objective(problem, std::vector<std::int32_t>{1, 1}) == 300 + 50);
  CHECK(objective(problem, std::vector<std::int32_t>{0, -1}) == 100 + penalty + 40);
  CHECK(objective(problem, std::vector<std::int32_t>{-1, -1}) == 2 * penalty + 40);
  CHECK(objective(AllocationProblem{}, std::vector<std::int32_t>{}) == 0);
}

TEST_CASE("objective charges each trainee a quota misses", "[allocation][quick]") {
  // Three trainees of province 32, one of 35, all able to reach facility 0.
  AllocationProblem problem =
      make_allocation_problem({4}, {{{0, 10}}, {{0, 20}}, {{0, 30}}, {{0, 40}}}, {32, 32, 32, 35});
  const std::int64_t penalty = problem.unplaced_penalty();
  problem.quotas = {{.province = 32, .min_placed = 2, .max_placed = 2}};
  const std::int64_t q = problem.quota_penalty();
  CHECK(q == 3 * penalty);
  CHECK(objective(problem, std::vector<std::int32_t>{0, 0, -1, 0}) == 10 + 20 + penalty + 40);
  // one below the minimum
  CHECK(objective(problem, std::vector<std::int32_t>{0, -1, -1, 0}) == 10 + 2 * penalty + 40 + q);
  // none placed: two below
  CHECK(objective(problem, std::vector<std::int32_t>{-1, -1, -1, -1}) == 4 * penalty + 2 * q);
  // one above the maximum
  CHECK(objective(problem, std::vector<std::int32_t>{0, 0, 0, 0}) == 100 + q);
}

TEST_CASE("objective refuses assignments it cannot price", "[allocation][quick][bad-input]") {
  const AllocationProblem problem = two_by_two();
  CHECK_THROWS_AS(objective(problem, std::vector<std::int32_t>{0}), ValidationError);
  CHECK_THROWS_WITH(objective(problem, std::vector<std::int32_t>{0, 0}),
                    Catch::Contains("trainee 1") && Catch::Contains("candidate"));
  CHECK_THROWS_AS(objective(problem, std::vector<std::int32_t>{-2, 1}), ValidationError);
  CHECK_THROWS_AS(objective(problem, std::vector<std::int32_t>{9, 1}), ValidationError);
}
