// The exact allocation in independent parts, for running them on separate machines (the
// Python layer's Dask scale-out) and on separate cores. A problem splits along its island
// groups: no candidate arc crosses between groups unless `same_island_group` is off, and
// groups that arcs do join become one part. Each part is solved on its own, in the whole
// problem's terms (its unplaced penalty, so its prices and cost), and the merged solutions
// are the whole problem's solution, identical to `solve_optimal(problem)`: that solver
// itself splits, solves the parts and merges.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/core/ids.hpp"
#include "balai/planning/allocation/allocation_problem.hpp"
#include "balai/planning/progress.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// One independent part of an allocation problem: no candidate arc or quota joins it to
// another part.
struct AllocationPart {
  // The part's trainees and facilities, renumbered in their original order.
  AllocationProblem problem{};
  // Index in the whole problem of each of the part's trainees (ascending); same for
  // facilities.
  std::vector<TraineeIndex> trainees{};
  std::vector<FacilityIndex> facilities{};
  // The whole problem's unplaced_penalty(), so costs and prices are the whole problem's.
  std::int64_t unplaced_penalty = 0;

  friend bool operator==(const AllocationPart&, const AllocationPart&) = default;
};

// The problem in parts by island group (balai/core/regions.hpp island_group of each
// trainee's province); groups that candidate arcs join (same_island_group = false) become
// one part. Parts in order of their first trainee. Facilities no trainee can reach belong
// to no part (their price is 0), and so do quotas of provinces without trainees.
// ValidationError for a problem that fails AllocationProblem::check().
[[nodiscard]] std::vector<AllocationPart> split_by_island_group(const AllocationProblem& problem);

// The exact solution of one part (prices and cost in the whole problem's terms; province
// prices of provinces outside the part are 0). ValidationError for a part whose problem fails
// its check or whose unplaced_penalty is below its own problem's.
[[nodiscard]] AllocationSolution solve_optimal(const AllocationPart& part,
                                               const ProgressCallback& progress = {});

// The whole problem's solution from its parts' solutions (in split order): ValidationError
// when they do not match the problem (counts, sizes, a trainee or facility outside it or in
// two parts).
[[nodiscard]] AllocationSolution merge_solutions(const AllocationProblem& problem,
                                                 std::span<const AllocationPart> parts,
                                                 std::span<const AllocationSolution> solutions);

}  // namespace balai
BALAI_EXPORT_END
