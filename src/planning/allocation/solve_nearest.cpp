// The greedy baseline: what distance-based seat allocation (zonasi) does today, kept to
// show how far from optimal it lands.
#include <array>
#include <cstdint>
#include <vector>

#include "balai/planning/allocation/allocation.hpp"

namespace balai {

AllocationSolution solve_nearest(const AllocationProblem& problem) {
  problem.check();

  // Places a province may still take before its max_placed (codes checked above).
  std::array<int, kProvinceCodes> quota_left{};
  quota_left.fill(ProvinceQuota::kUnlimited);
  for (const auto& quota : problem.quotas) quota_left[quota.province.pos()] = quota.max_placed;

  std::vector<int> room = problem.capacity;
  AllocationSolution solution;
  solution.facility.assign(problem.trainees(), AllocationSolution::kUnplaced);
  for (std::size_t trainee = 0; trainee < problem.trainees(); ++trainee) {
    int& left = quota_left[problem.province[trainee].pos()];
    if (left <= 0) continue;
    // Candidates are sorted nearest first, so the first with room is the nearest.
    for (const auto facility : problem.candidates(trainee)) {
      if (room[facility.pos()] > 0) {
        --room[facility.pos()];
        --left;
        solution.facility[trainee] = static_cast<std::int32_t>(facility.value());
        break;
      }
    }
  }
  solution.cost = objective(problem, solution.facility);
  return solution;
}

}  // namespace balai
