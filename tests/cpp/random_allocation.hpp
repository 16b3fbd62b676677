// Deterministic random allocation problems for the property tests: trainees and
// facilities on a plane, each trainee's candidates its k nearest facilities within range
// (nearest first), so costs are as correlated as real distances. Each seed picks one of
// the shapes below, the edge cases the solvers must get right.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "balai/planning/allocation/allocation_problem.hpp"
#include "balai/scenario/random.hpp"

namespace balai::testing {

enum class AllocationShape {
  general,
  tight_capacity,    // far fewer seats than trainees
  ties,              // positions on a coarse grid: many equal costs
  unreachable,       // many trainees without any candidate
  zero_capacity,     // many facilities with no seat
  quotas,            // minimum and maximum per province, meetable
  infeasible_quota,  // a minimum no assignment can meet, on purpose
  bonuses,           // large priority bonuses on contested seats
  single_facility,
  single_trainee,
  empty,
};
inline constexpr std::array kAllocationShapes{AllocationShape::general,
                                              AllocationShape::tight_capacity,
                                              AllocationShape::ties,
                                              AllocationShape::unreachable,
                                              AllocationShape::zero_capacity,
                                              AllocationShape::quotas,
                                              AllocationShape::infeasible_quota,
                                              AllocationShape::bonuses,
                                              AllocationShape::single_facility,
                                              AllocationShape::single_trainee,
                                              AllocationShape::empty};

inline const char* name_of(AllocationShape shape) {
  switch (shape) {
    case AllocationShape::general: return "general";
    case AllocationShape::tight_capacity: return "tight_capacity";
    case AllocationShape::ties: return "ties";
    case AllocationShape::unreachable: return "unreachable";
    case AllocationShape::zero_capacity: return "zero_capacity";
    case AllocationShape::quotas: return "quotas";
    case AllocationShape::infeasible_quota: return "infeasible_quota";
    case AllocationShape::bonuses: return "bonuses";
    case AllocationShape::single_facility: return "single_facility";
    case AllocationShape::single_trainee: return "single_trainee";
    case AllocationShape::empty: return "empty";
  }
  return "?";
}

struct RandomAllocation {
  AllocationShape shape = AllocationShape::general;
  AllocationProblem problem{};
  bool quota_unmeetable = false;  // some quota no assignment can meet, by construction
};

struct RandomAllocationSize {
  int trainees = 0;
  int facilities = 0;
};

namespace detail {

struct Point {
  std::int64_t x = 0;
  std::int64_t y = 0;
};

inline Point random_point(Rng& rng, std::int64_t extent, std::int64_t grid) {
  return {rng.between(0, extent / grid) * grid, rng.between(0, extent / grid) * grid};
}

inline std::int32_t distance_m(Point a, Point b) {
  const double dx = static_cast<double>(a.x - b.x);
  const double dy = static_cast<double>(a.y - b.y);
  return static_cast<std::int32_t>(std::lround(std::sqrt(dx * dx + dy * dy)));
}

// The candidate rows: each trainee's k nearest facilities within `range_m`, nearest first
// (ties by index, so equal costs keep a stable order).
inline void add_candidates(AllocationProblem& problem, const std::vector<Point>& trainees,
                           const std::vector<Point>& facilities, int k, std::int32_t range_m) {
  std::vector<std::pair<std::int32_t, std::uint32_t>> near;
  for (const Point& trainee : trainees) {
    near.clear();
    for (std::uint32_t f = 0; f < facilities.size(); ++f) {
      const std::int32_t d = distance_m(trainee, facilities[f]);
      if (d <= range_m) near.emplace_back(d, f);
    }
    const auto keep = std::min(near.size(), static_cast<std::size_t>(k));
    std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(keep), near.end());
    for (std::size_t i = 0; i < keep; ++i) {
      problem.arc_facility.emplace_back(near[i].second);
      problem.arc_cost_m.push_back(near[i].first);
    }
    problem.first_arc.push_back(static_cast<std::uint32_t>(problem.arcs()));
  }
}

// Quotas on some provinces, each within what the province could place on its own.
inline void add_quotas(RandomAllocation& result, Rng& rng) {
  AllocationProblem& problem = result.problem;
  std::array<int, kProvinceCodes> count{};
  std::array<int, kProvinceCodes> reachable{};
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    ++count[problem.province[t].pos()];
    if (!problem.candidates(t).empty()) ++reachable[problem.province[t].pos()];
  }
  for (std::size_t p = 0; p < count.size(); ++p) {
    if (count[p] == 0 || rng.chance(0.3)) continue;
    ProvinceQuota quota{.province = static_cast<ProvinceCode>(p)};
    quota.min_placed = static_cast<int>(rng.between(0, reachable[p] / 2));
    if (rng.chance(0.6))
      quota.max_placed = static_cast<int>(rng.between(quota.min_placed, count[p]));
    problem.quotas.push_back(quota);
  }
  if (result.shape != AllocationShape::infeasible_quota) return;
  // A province whose minimum counts trainees who have no candidate at all.
  for (std::size_t p = 0; p < count.size(); ++p) {
    if (reachable[p] == count[p]) continue;
    problem.quotas.erase(
        std::remove_if(problem.quotas.begin(), problem.quotas.end(),
                       [p](const ProvinceQuota& q) { return q.province.pos() == p; }),
        problem.quotas.end());
    problem.quotas.push_back({.province = static_cast<ProvinceCode>(p), .min_placed = count[p]});
    result.quota_unmeetable = true;
    return;
  }
}

inline RandomAllocationSize default_size(AllocationShape shape, Rng& rng) {
  switch (shape) {
    case AllocationShape::single_facility: return {static_cast<int>(rng.between(1, 30)), 1};
    case AllocationShape::single_trainee: return {1, static_cast<int>(rng.between(1, 20))};
    case AllocationShape::empty: return {0, static_cast<int>(rng.between(0, 3))};
    default: return {static_cast<int>(rng.between(1, 80)), static_cast<int>(rng.between(1, 25))};
  }
}

}  // namespace detail

// The instance of `shape` for `seed`; size.trainees < 0 picks a small size from the seed.
inline RandomAllocation random_allocation(std::uint64_t seed, AllocationShape shape,
                                          RandomAllocationSize size = {-1, -1}) {
  Rng rng(seed);
  if (size.trainees < 0) size = detail::default_size(shape, rng);
  if (shape == AllocationShape::empty) size.trainees = 0;

  RandomAllocation result{.shape = shape};
  AllocationProblem& problem = result.problem;
  const std::int64_t extent = 100'000;  // metres
  const std::int64_t grid = shape == AllocationShape::ties ? 10'000 : 1;
  const bool unreachable =
      shape == AllocationShape::unreachable || shape == AllocationShape::infeasible_quota;

  std::vector<detail::Point> facilities;
  const double zero_share = shape == AllocationShape::zero_capacity ? 0.5 : 0.05;
  const int seats = shape == AllocationShape::tight_capacity ? 2 : 6;
  for (int f = 0; f < size.facilities; ++f) {
    facilities.push_back(detail::random_point(rng, extent, grid));
    problem.capacity.push_back(rng.chance(zero_share) ? 0
                                                      : static_cast<int>(rng.between(1, seats)));
  }

  // Provinces 0 and 99 are the ends of the code range; 32 and 35 are ordinary ones.
  constexpr std::array<ProvinceCode, 4> kCodes{32, 35, 0, 99};
  const auto provinces = static_cast<std::uint64_t>(rng.between(1, 4));
  std::vector<detail::Point> trainees;
  for (int t = 0; t < size.trainees; ++t) {
    const detail::Point home = detail::random_point(rng, extent, grid);
    // Trainees far outside the plane have no facility in range.
    trainees.push_back(unreachable && rng.chance(0.3) ? detail::Point{10 * extent, 0} : home);
    problem.province.push_back(kCodes[rng.below(provinces)]);
    const bool favoured = shape == AllocationShape::bonuses ? rng.chance(0.5) : rng.chance(0.1);
    problem.bonus_m.push_back(favoured
                                  ? static_cast<std::int32_t>(rng.between(
                                        1, shape == AllocationShape::bonuses ? 200'000 : 5'000))
                                  : 0);
  }
  const int k = static_cast<int>(rng.between(1, 8));
  detail::add_candidates(problem, trainees, facilities, k, static_cast<std::int32_t>(extent / 2));

  if (shape == AllocationShape::quotas || shape == AllocationShape::infeasible_quota ||
      (shape == AllocationShape::general && rng.chance(0.3))) {
    detail::add_quotas(result, rng);
  }
  return result;
}

// The seed's instance, cycling through every shape.
inline RandomAllocation random_allocation(std::uint64_t seed) {
  return random_allocation(seed, kAllocationShapes[seed % kAllocationShapes.size()]);
}

}  // namespace balai::testing
