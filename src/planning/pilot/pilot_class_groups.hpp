// Class groups: the trainees who can fill a track's classes, each at one site.
//
// A track's most exclusive module (the one the fewest tracks require) runs at a site only
// with class_min attendees there, all of tracks that require it, each allocated to that
// site and to no other. So a trainee of the track is fully timetabled only at a site where
// at least class_min of the group (the trainees of those tracks) are allocated, and no more
// than the site's classes of that module seat (each min(class_max, seats per room)). For
// each group the most trainees that such sites can gather is a choice of sites with a lower
// bound on each (bipartite b-matching feasibility); it is solved exactly per connected
// region by branch and bound where the region is small, and bounded by everyone in reach
// of the region's sites (at most what their classes seat) where it is not. Capacity,
// calendar and site budget are left out, so the sum over the groups is an upper bound on
// any plan (docs/pilot.md, "The bound").
#pragma once

#include <cstdint>
#include <vector>

#include "pilot_network.hpp"

namespace balai::detail {

struct ClassGroups {
  std::int64_t trainees = 0;  // the most trainees the groups' sites can gather, at most
  // Every region solved to optimality and its best choice attained: `trainees` is exact.
  bool exact = true;
  // The best choice found in every group, a start for the plan: its sites, ascending, and
  // per trainee the site that holds them for its class minimum (kNoPin: none; a trainee
  // two groups hold keeps the first group's site).
  std::vector<std::uint32_t> sites{};
  std::vector<std::int32_t> pin{};
};

[[nodiscard]] ClassGroups class_groups(const Dataset& dataset, const PilotOptions& options,
                                       const PilotNetwork& network);

// PilotBound on the network, with its class groups.
[[nodiscard]] PilotBound bound_of(const Dataset& dataset, const PilotOptions& options,
                                  const PilotNetwork& network, const ClassGroups& groups);

}  // namespace balai::detail
