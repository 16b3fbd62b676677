// An independent check of an allocation, used by the tests on every solution and
// available to users who want to trust a plan they did not compute: capacities, that each
// placed trainee's facility is one of its candidates (eligible, in range, on its island
// group), quotas, the reported objective, and, when prices are given, optimality by
// reduced costs: every trainee sits at its cheapest option at those prices, only full
// facilities have a positive price, and each province's unplaced price lies within the
// slopes of its quota penalty. Those are the complementary slackness conditions of the
// min-cost flow, so a solution that passes them is optimal.
#pragma once

#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/planning/allocation/allocation_problem.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// Every violated condition, each a Problem naming the trainee, facility or province.
// Empty when `solution` is a feasible assignment with the objective it reports and,
// if it carries prices, an optimal one.
[[nodiscard]] std::vector<Problem> verify(const AllocationProblem& problem,
                                          const AllocationSolution& solution);

}  // namespace balai
BALAI_EXPORT_END
