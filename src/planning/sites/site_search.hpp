// The engine behind select_sites, on plain indices: the demand lists (each demand point's
// nearest candidates in reach, in one CSR array), the greedy, the swap search and the tabu
// search. Inputs are checked by site_selection.cpp before they get here.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "balai/core/geo.hpp"
#include "balai/core/regions.hpp"
#include "balai/planning/progress.hpp"
#include "balai/planning/sites/site_selection.hpp"

namespace balai::detail {

struct SiteInstance {
  std::span<const GeoPoint> candidates;
  std::span<const ProvinceCode> candidate_province;
  std::span<const GeoPoint> demand;
  // Empty: with same_island_group, a demand point belongs to the island group of its
  // nearest candidate, the only group a bare point can be given.
  std::span<const ProvinceCode> demand_province;
  std::span<const double> weight;  // empty: all 1
};

// The lists, in an order of the demand points that keeps neighbours together (so that the
// points listing one candidate lie close in memory): list i is demand point order[i]'s,
// positions [first[i], first[i + 1]) of `site` and `cost`, nearest first, equal distances
// by candidate index.
struct SiteLists {
  std::vector<std::uint32_t> order;
  std::vector<std::uint64_t> first;
  std::vector<std::uint32_t> site;
  // The distance in km (p_median); empty for max_coverage, where every listed site costs 0.
  std::vector<float> cost;
  float unserved = 0.0F;  // the cost of a point with no listed site open
  std::int64_t truncated = 0;

  [[nodiscard]] std::size_t points() const noexcept { return first.size() - 1; }
  [[nodiscard]] float cost_at(std::uint64_t position) const noexcept {
    return cost.empty() ? 0.0F : cost[position];
  }
};

[[nodiscard]] SiteLists build_site_lists(const SiteInstance& instance,
                                         const SiteSelectionOptions& options,
                                         const ProgressCallback& progress);

struct SiteSearch {
  std::vector<std::uint32_t> greedy;  // open sites after the greedy, ascending
  std::vector<std::uint32_t> open;    // and after the swaps and the tabu search
  int swaps = 0;                      // as SiteSelection::swaps
};

// Opens options.sites candidates, meeting every minimum (checked feasible by the caller).
[[nodiscard]] SiteSearch search_sites(const SiteInstance& instance, const SiteLists& lists,
                                      const SiteSelectionOptions& options,
                                      const ProgressCallback& progress);

}  // namespace balai::detail
