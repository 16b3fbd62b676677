// Site selection over the embedder's own types: candidate sites and demand points from
// any random-access ranges, read through projections (see generic_allocation.hpp).
//
//   const auto chosen = balai::generic::select_sites(
//       centres, applicants, {.sites = 10, .radius_km = 30},
//       &Centre::at, &Centre::province, [](const Applicant& a) { return a.home; });
//   for (const Centre& centre : balai::generic::selected(chosen, centres)) ...
//
// The compiled solver (select_sites on a SiteProblem) does the work; on the same data the
// Dataset path selects the same sites. A SiteProblem knows no demand point's province, so
// options.same_island_group applies to the candidates only: set it false, or give points
// of one island group.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <ranges>

#include "balai/core/export.hpp"
#include "balai/core/geo.hpp"
#include "balai/core/projection.hpp"
#include "balai/planning/sites/site_selection.hpp"

BALAI_EXPORT_BEGIN
namespace balai::generic {

// Every demand point weighs 1.
struct UnitWeight {
  template <class Point>
  constexpr double operator()(const Point&) const noexcept {
    return 1.0;
  }
};

// Opens options.sites of `candidates` for `demand`: candidate_at(c) and demand_at(d) give
// a GeoPoint, candidate_province(c) the ProvinceCode or its number (per-province minimums, island
// groups), weight(d) the point's weight. `selected` and `assigned` hold candidate
// positions. ValidationError as select_sites(SiteProblem).
template <std::ranges::random_access_range Candidates, std::ranges::random_access_range Demand,
          class CandidateAt, class CandidateProvince, class DemandAt, class Weight = UnitWeight>
requires std::convertible_to<projected_t<CandidateAt, Candidates>, GeoPoint> &&
    std::constructible_from<ProvinceCode, projected_t<CandidateProvince, Candidates>> &&
    std::convertible_to<projected_t<DemandAt, Demand>, GeoPoint> &&
    std::convertible_to < projected_t<Weight, Demand>,
double > [[nodiscard]] SiteSelection select_sites(const Candidates& candidates,
                                                  const Demand& demand,
                                                  const SiteSelectionOptions& options,
                                                  CandidateAt candidate_at,
                                                  CandidateProvince candidate_province,
                                                  DemandAt demand_at, Weight weight = {}) {
  SiteProblem problem;
  for (const auto& candidate : candidates) {
    problem.candidates.push_back(std::invoke(candidate_at, candidate));
    problem.candidate_province.push_back(
        static_cast<ProvinceCode>(std::invoke(candidate_province, candidate)));
  }
  for (const auto& point : demand) {
    problem.demand.push_back(std::invoke(demand_at, point));
    problem.weight.push_back(static_cast<double>(std::invoke(weight, point)));
  }
  return balai::select_sites(problem, options);
}

// The selected candidates themselves, in the order of `selection.selected`; `candidates`
// must be the range selected from, and it and `selection` must outlive the view.
template <std::ranges::random_access_range Candidates>
[[nodiscard]] auto selected(const SiteSelection& selection, const Candidates& candidates) {
  return selection.selected |
         std::views::transform([&candidates](std::uint32_t site) -> decltype(auto) {
           return std::ranges::begin(candidates)[site];
         });
}

}  // namespace balai::generic
BALAI_EXPORT_END
