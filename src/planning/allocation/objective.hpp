// The allocation objective at a given unplaced penalty. A whole problem is costed at its
// own penalty (AllocationProblem::unplaced_penalty); a part of one at the whole problem's
// (allocation_parts.hpp), so that the parts' costs add up to the whole's.
#pragma once

#include <cstdint>
#include <span>

#include "balai/planning/allocation/allocation_problem.hpp"

namespace balai::detail {

// A quota is missed at three unplaced penalties per trainee: more than any path that
// places or unplaces one trainee can gain, so quotas give way only when they must.
[[nodiscard]] constexpr std::int64_t quota_penalty(std::int64_t unplaced_penalty) noexcept {
  return 3 * unplaced_penalty;
}

// objective() (allocation_problem.hpp) with `unplaced_penalty` in place of the problem's.
[[nodiscard]] std::int64_t objective(const AllocationProblem& problem,
                                     std::span<const std::int32_t> facility,
                                     std::int64_t unplaced_penalty);

}  // namespace balai::detail
