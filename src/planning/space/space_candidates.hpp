// The candidate resources of shared-space requests: for each request, the k nearest
// resources of its kind and label within its maximum distance (and on its island group
// unless the options allow crossing the sea), nearest first. One spatial index per (kind,
// label, island group) holds exactly the resources a request of that key may use.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "balai/planning/space/space.hpp"
#include "balai/planning/space/space_allocation.hpp"

namespace balai::detail {

struct SpaceCandidate {
  std::uint32_t resource = 0;
  double distance_km = 0.0;
};

struct SpaceCandidates {
  // Request r's candidates are list[first[r], first[r + 1]).
  std::vector<std::uint32_t> first{0};
  std::vector<SpaceCandidate> list{};
  // Per request: the distance to the nearest resource of its kind and label (on its island
  // group) when it has no candidate within range; NaN when no site offers one at all, or
  // when it has candidates.
  std::vector<double> nearest_km{};

  [[nodiscard]] std::span<const SpaceCandidate> of(std::size_t request) const {
    return {list.data() + first[request], list.data() + first[request + 1]};
  }
};

[[nodiscard]] SpaceCandidates space_candidates(const SpaceInventory& inventory,
                                               std::span<const SpaceRequest> requests,
                                               const SpaceOptions& options);

}  // namespace balai::detail
