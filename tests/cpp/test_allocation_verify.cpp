#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "allocation_fixtures.hpp"
#include "balai/planning/allocation/verify.hpp"

using namespace balai;
using balai::testing::make_allocation_problem;

namespace {

bool has(const std::vector<Problem>& problems, const std::string& where, const std::string& field,
         const std::string& value) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
    return p.where == where && p.field == field && p.value == value;
  });
}

// Two trainees of province 32 contest facility 0 (one place); facility 1 has none and
// is nobody's candidate. The penalty is 3 * 20 + 1 = 61, so trainee 0 (10 m) is placed
// and trainee 1 (20 m) is not: cost 10 + 61. A price p of facility 0 proves it when
// 10 + p <= 61 <= 20 + p, that is 41 <= p <= 51.
AllocationProblem contest() { return make_allocation_problem({1, 0}, {{{0, 10}}, {{0, 20}}}); }

AllocationSolution contest_solution() {
  AllocationSolution solution;
  solution.facility = {0, AllocationSolution::kUnplaced};
  solution.facility_price = {41, 0};
  solution.province_price.assign(kProvinceCodes, 0);
  solution.cost = 71;
  return solution;
}

}  // namespace

TEST_CASE("verify accepts an optimal solution and its prices", "[allocation][verify][quick]") {
  const AllocationProblem problem = contest();
  REQUIRE(problem.unplaced_penalty() == 61);
  AllocationSolution solution = contest_solution();
  CHECK(verify(problem, solution).empty());
  solution.facility_price[0] = 51;
  CHECK(verify(problem, solution).empty());
  SECTION("without prices, only feasibility and cost are checked") {
    solution.facility_price.clear();
    solution.province_price.clear();
    CHECK(verify(problem, solution).empty());
    solution.facility = {-1, 0};
    solution.cost = 61 + 20;
    CHECK(verify(problem, solution).empty());
  }
  CHECK(verify(AllocationProblem{}, AllocationSolution{}).empty());
}

TEST_CASE("verify catches infeasible assignments", "[allocation][verify][quick]") {
  const AllocationProblem problem = contest();
  AllocationSolution solution = contest_solution();
  SECTION("an overfull facility") {
    solution.facility = {0, 0};
    solution.cost = 30;
    const auto problems = verify(problem, solution);
    CHECK(has(problems, "facility 0", "load", "2"));
    CHECK(problems.size() == 1);
  }
  SECTION("a facility that is not a candidate") {
    solution.facility[0] = 1;
    CHECK(has(verify(problem, solution), "trainee 0", "facility", "1"));
  }
  SECTION("an index that is no facility at all") {
    solution.facility[1] = -7;
    CHECK(has(verify(problem, solution), "trainee 1", "facility", "-7"));
  }
  SECTION("a wrong objective") {
    solution.cost = 70;
    const auto problems = verify(problem, solution);
    CHECK(has(problems, "allocation solution", "cost", "70"));
    CHECK(problems.size() == 1);
  }
  SECTION("a province placed above its maximum") {
    AllocationProblem capped = problem;
    capped.quotas = {{.province = 32, .max_placed = 0}};
    solution.cost = objective(capped, solution.facility);
    solution.facility_price.clear();
    solution.province_price.clear();
    CHECK(has(verify(capped, solution), "province 32", "placed", "1"));
  }
  SECTION("arrays of the wrong size") {
    solution.facility_price.pop_back();
    solution.province_price.pop_back();
    auto problems = verify(problem, solution);
    CHECK(has(problems, "allocation solution", "facility_price", "1 entries"));
    CHECK(has(problems, "allocation solution", "province_price", "99 entries"));
    solution.facility.push_back(0);
    problems = verify(problem, solution);
    CHECK(has(problems, "allocation solution", "facility", "3 entries"));
  }
}

TEST_CASE("verify catches prices that prove nothing", "[allocation][verify][quick]") {
  const AllocationProblem problem = contest();
  AllocationSolution solution = contest_solution();
  SECTION("too low: leaving trainee 1 out costs more than placing it") {
    solution.facility_price[0] = 40;
    CHECK(has(verify(problem, solution), "trainee 1", "facility", "-1"));
  }
  SECTION("too high: trainee 0 would rather stay out") {
    solution.facility_price[0] = 52;
    CHECK(has(verify(problem, solution), "trainee 0", "facility", "0"));
  }
  SECTION("negative") {
    solution.facility_price[1] = -1;
    CHECK(has(verify(problem, solution), "facility 1", "facility_price", "-1"));
  }
  SECTION("positive on a facility with room") {
    solution.facility = {-1, -1};
    solution.cost = 122;
    CHECK(has(verify(problem, solution), "facility 0", "facility_price", "41"));
  }
  SECTION("an unplaced price off the quota cost's slopes") {
    solution.province_price[32] = 1;
    CHECK(has(verify(problem, solution), "province 32", "province_price", "1"));
  }
  SECTION("prices that overflow do not wrap around") {
    solution.facility_price[0] = std::numeric_limits<std::int64_t>::max();
    CHECK(has(verify(problem, solution), "trainee 0", "facility", "0"));
  }
}

TEST_CASE("verify checks unplaced prices against quota slopes", "[allocation][verify][quick]") {
  // Two trainees, one place, and a minimum of two placed that cannot be met: one unplaced
  // trainee is u = 1 beyond U = n - min_placed = 0, where both slopes are +Q.
  AllocationProblem problem = contest();
  problem.quotas = {{.province = 32, .min_placed = 2}};
  const std::int64_t q = problem.quota_penalty();
  AllocationSolution solution = contest_solution();
  solution.cost = 71 + q;
  solution.province_price[32] = q;
  solution.facility_price[0] = 41 + q;
  CHECK(verify(problem, solution).empty());
  solution.province_price[32] = q - 1;
  CHECK(has(verify(problem, solution), "province 32", "province_price", std::to_string(q - 1)));
}

TEST_CASE("verify refuses a broken problem", "[allocation][verify][quick][bad-input]") {
  AllocationProblem problem = contest();
  problem.capacity[0] = -1;
  CHECK_THROWS_AS(verify(problem, contest_solution()), ValidationError);
}
