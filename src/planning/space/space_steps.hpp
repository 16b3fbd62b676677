// The steps of allocate_space that are not the allocation itself: checking its inputs, and
// turning the units granted per request, resource and week into bookings and outcomes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "balai/planning/space/space.hpp"
#include "balai/planning/space/space_allocation.hpp"
#include "space_candidates.hpp"

namespace balai::detail {

// Units of one resource in one week, granted to one request.
struct Grant {
  std::uint32_t request = 0;
  std::uint32_t resource = 0;
  int week = 0;
  int amount = 0;
};

// ValidationError with every problem of the options, the inventory, the existing bookings
// (verified against it) and the requests (each named by position and id): the request's own
// checks, weeks beyond the window, a duplicate id, an id whose bookings already exist.
void check_inputs(const SpaceInventory& inventory, std::span<const SpaceRequest> requests,
                  const SpaceOptions& options, std::span<const Booking> existing);

// ValidationError when `units` unserved at `unit_cost` each would overflow the exact
// solver's 62-bit costs.
void check_fits(std::int64_t units, std::int64_t unit_cost);

// Bookings (consecutive weeks of one resource at one amount merged, numbered per request
// by first week, then distance, then resource), outcomes and totals. Takes the grants.
[[nodiscard]] SpaceAllocation collect(std::span<const SpaceRequest> requests,
                                      const SpaceCandidates& candidates,
                                      const SpaceOptions& options, std::vector<Grant> grants);

}  // namespace balai::detail
