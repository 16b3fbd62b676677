// Hand-made allocation problems for the tests: rows of (facility, metres) per trainee.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "balai/planning/allocation/allocation_problem.hpp"

namespace balai::testing {

using CandidateRow = std::vector<std::pair<std::uint32_t, std::int32_t>>;

// Trainees of province 32 without bonus unless `province` and `bonus_m` say otherwise.
inline AllocationProblem make_allocation_problem(std::vector<int> capacity,
                                                 const std::vector<CandidateRow>& rows,
                                                 std::vector<ProvinceCode> province = {},
                                                 std::vector<std::int32_t> bonus_m = {}) {
  AllocationProblem problem;
  problem.capacity = std::move(capacity);
  problem.province =
      province.empty() ? std::vector<ProvinceCode>(rows.size(), 32) : std::move(province);
  problem.bonus_m =
      bonus_m.empty() ? std::vector<std::int32_t>(rows.size(), 0) : std::move(bonus_m);
  for (const CandidateRow& row : rows) {
    for (const auto& [facility, cost] : row) {
      problem.arc_facility.emplace_back(facility);
      problem.arc_cost_m.push_back(cost);
    }
    problem.first_arc.push_back(static_cast<std::uint32_t>(problem.arcs()));
  }
  return problem;
}

}  // namespace balai::testing
