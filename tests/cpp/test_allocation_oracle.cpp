// The exact solver against LEMON on random instances, LEMON against brute force on tiny
// ones, and the verifier on every solution: those of solve_optimal, of LEMON (prices
// from its potentials), and of the greedy and stable baselines.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/allocation/verify.hpp"
#include "lemon_oracle.hpp"
#include "random_allocation.hpp"

using namespace balai;
using balai::testing::AllocationShape;
using balai::testing::LemonAlgorithm;
using balai::testing::random_allocation;

namespace {

constexpr std::uint64_t kInstances = 660;  // 60 of each of the 11 shapes

std::string describe(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& problem : problems) text += problem.to_string() + "\n";
  return text;
}

// The least objective over every assignment that respects capacities, by enumeration.
class BruteForce {
 public:
  explicit BruteForce(const AllocationProblem& problem)
      : problem_(problem),
        facility_(problem.trainees(), AllocationSolution::kUnplaced),
        room_(problem.capacity) {}

  std::int64_t optimum() {
    search(0);
    return best_;
  }

 private:
  void search(std::size_t t) {
    if (t == problem_.trainees()) {
      best_ = std::min(best_, objective(problem_, facility_));
      return;
    }
    facility_[t] = AllocationSolution::kUnplaced;
    search(t + 1);
    for (const FacilityIndex f : problem_.candidates(t)) {
      if (room_[f.pos()] == 0) continue;
      --room_[f.pos()];
      facility_[t] = static_cast<std::int32_t>(f.value());
      search(t + 1);
      ++room_[f.pos()];
    }
    facility_[t] = AllocationSolution::kUnplaced;
  }

  const AllocationProblem& problem_;
  std::vector<std::int32_t> facility_;
  std::vector<int> room_;
  std::int64_t best_ = std::numeric_limits<std::int64_t>::max();
};

AllocationSolution without_prices(AllocationSolution solution) {
  solution.facility_price.clear();
  solution.province_price.clear();
  return solution;
}

}  // namespace

TEST_CASE("LEMON agrees with brute force on tiny instances", "[allocation][oracle][quick]") {
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    const AllocationShape shape =
        balai::testing::kAllocationShapes[seed % balai::testing::kAllocationShapes.size()];
    const auto instance = random_allocation(
        seed, shape, {static_cast<int>(seed % 7), static_cast<int>(1 + seed % 4)});
    const AllocationProblem& problem = instance.problem;
    INFO("seed " << seed << ", " << name_of(shape) << ", " << problem.trainees() << " trainees");
    REQUIRE_NOTHROW(problem.check());
    const std::int64_t expected = BruteForce(problem).optimum();
    CHECK(balai::testing::lemon_optimum(problem, LemonAlgorithm::network_simplex) == expected);
    CHECK(balai::testing::lemon_optimum(problem, LemonAlgorithm::cost_scaling) == expected);
    const AllocationSolution reference = balai::testing::lemon_solution(problem);
    CHECK(reference.cost == expected);
    const auto problems = verify(problem, reference);
    CHECK(problems.empty());
    if (!problems.empty()) FAIL_CHECK(describe(problems));
  }
}

TEST_CASE("solve_optimal matches LEMON on random instances", "[allocation][oracle][quick]") {
  std::size_t with_quota_penalty = 0;
  for (std::uint64_t seed = 0; seed < kInstances; ++seed) {
    const auto instance = random_allocation(seed);
    const AllocationProblem& problem = instance.problem;
    INFO("seed " << seed << ", " << name_of(instance.shape) << ", " << problem.trainees()
                 << " trainees, " << problem.facilities() << " facilities");
    REQUIRE_NOTHROW(problem.check());
    const std::int64_t simplex =
        balai::testing::lemon_optimum(problem, LemonAlgorithm::network_simplex);
    CHECK(balai::testing::lemon_optimum(problem, LemonAlgorithm::cost_scaling) == simplex);

    const AllocationSolution optimal = solve_optimal(problem);
    CHECK(optimal.cost == simplex);
    const auto problems = verify(problem, optimal);
    CHECK(problems.empty());
    if (!problems.empty()) FAIL_CHECK(describe(problems));
    CHECK(optimal.facility_price.size() == problem.facilities());
    CHECK(optimal.province_price.size() == kProvinceCodes);
    CHECK(verify(problem, balai::testing::lemon_solution(problem)).empty());

    if (instance.quota_unmeetable) {
      CHECK(optimal.cost >= problem.quota_penalty());
      ++with_quota_penalty;
    }
  }
  CHECK(with_quota_penalty > 20);  // the infeasible shape really is infeasible
}

TEST_CASE("the baselines give feasible solutions no better than the optimum",
          "[allocation][oracle][quick]") {
  for (std::uint64_t seed = 0; seed < kInstances; seed += 3) {
    const auto instance = random_allocation(seed);
    const AllocationProblem& problem = instance.problem;
    INFO("seed " << seed << ", " << name_of(instance.shape));
    const std::int64_t optimum =
        balai::testing::lemon_optimum(problem, LemonAlgorithm::network_simplex);
    for (const AllocationSolution& solution :
         {solve_nearest(problem), solve_stable(problem, {}, {})}) {
      CHECK(solution.facility_price.empty());
      const auto problems = verify(problem, without_prices(solution));
      CHECK(problems.empty());
      if (!problems.empty()) FAIL_CHECK(describe(problems));
      CHECK(solution.cost >= optimum);
    }
  }
}

TEST_CASE("solve_optimal matches LEMON on larger instances", "[allocation][oracle][slow]") {
  for (std::uint64_t seed = 0; seed < 6; ++seed) {
    const AllocationShape shape =
        seed % 2 == 0 ? AllocationShape::general : AllocationShape::tight_capacity;
    const auto instance = random_allocation(1000 + seed, shape, {2000, 200});
    const AllocationProblem& problem = instance.problem;
    INFO("seed " << seed << ", " << name_of(shape));
    const std::int64_t simplex =
        balai::testing::lemon_optimum(problem, LemonAlgorithm::network_simplex);
    CHECK(balai::testing::lemon_optimum(problem, LemonAlgorithm::cost_scaling) == simplex);
    const AllocationSolution optimal = solve_optimal(problem);
    CHECK(optimal.cost == simplex);
    CHECK(verify(problem, optimal).empty());
  }
}

TEST_CASE("verify rejects broken optimal solutions", "[allocation][oracle][verify][quick]") {
  std::size_t mutated = 0;
  for (std::uint64_t seed = 0; seed < kInstances; seed += 5) {
    const auto instance = random_allocation(seed);
    const AllocationProblem& problem = instance.problem;
    const AllocationSolution optimal = solve_optimal(problem);
    INFO("seed " << seed << ", " << name_of(instance.shape));
    REQUIRE(verify(problem, optimal).empty());

    AllocationSolution broken = optimal;
    broken.cost += 1;
    CHECK_FALSE(verify(problem, broken).empty());

    const auto placed = std::find_if(optimal.facility.begin(), optimal.facility.end(),
                                     [](std::int32_t f) { return f >= 0; });
    if (placed == optimal.facility.end()) continue;
    const auto t = static_cast<std::size_t>(placed - optimal.facility.begin());
    const auto f = static_cast<std::size_t>(*placed);
    ++mutated;

    // Each mutation below breaks one condition; a plain block each, since Catch2 runs
    // SECTIONs inside a loop only once.
    {  // a trainee sent to a facility it cannot reach
      broken = optimal;
      const auto candidates = problem.candidates(t);
      for (std::uint32_t other = 0; other < problem.facilities(); ++other) {
        if (std::find(candidates.begin(), candidates.end(), FacilityIndex(other)) ==
            candidates.end()) {
          broken.facility[t] = static_cast<std::int32_t>(other);
          CHECK_FALSE(verify(problem, broken).empty());
          break;
        }
      }
    }
    {  // everyone who can reach f sent there, beyond its capacity
      broken = optimal;
      int load = 0;
      for (std::size_t other = 0; other < problem.trainees(); ++other) {
        const auto candidates = problem.candidates(other);
        if (std::find(candidates.begin(), candidates.end(),
                      FacilityIndex(static_cast<std::uint32_t>(f))) != candidates.end()) {
          broken.facility[other] = static_cast<std::int32_t>(f);
          ++load;
        }
      }
      broken.cost = objective(problem, broken.facility);
      if (load > problem.capacity[f]) {
        CHECK(verify(problem, without_prices(broken)).size() >= 1);
      }
    }
    {  // a placed trainee sent home, with the objective updated: feasible, not optimal
      broken = optimal;
      broken.facility[t] = AllocationSolution::kUnplaced;
      broken.cost = objective(problem, broken.facility);
      CHECK(verify(problem, without_prices(broken)).empty());
      CHECK_FALSE(verify(problem, broken).empty());
    }
    {  // a negative facility price
      broken = optimal;
      broken.facility_price[f] = -1;
      CHECK_FALSE(verify(problem, broken).empty());
    }
    {  // a price that makes the taken option dearer than staying out
      broken = optimal;
      broken.facility_price[f] += problem.unplaced_penalty() * 4;
      CHECK_FALSE(verify(problem, broken).empty());
    }
  }
  CHECK(mutated > 50);
}
