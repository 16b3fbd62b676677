// The allocation as a min-cost flow instance, independent of any Dataset: who may go
// where at what cost, how many places each facility has, and the per-province quotas.
// `allocation_problem(dataset, options)` (allocation.hpp) builds one from a dataset; tests,
// oracles and benchmarks build or read one directly, so every solver sees the same graph.
//
// The network: each trainee supplies one unit; arc trainee -> facility costs the distance
// in metres; facility -> sink has the facility's capacity. A trainee may instead stay
// unplaced, through its province's "unplaced" node, at a penalty large enough that no
// saving in travel can pay for leaving one more trainee out. Quotas bound how many of a
// province's trainees are placed; a quota that cannot be met costs a still larger penalty
// per missing trainee, so a solution violates quotas only when no solution meets them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/core/ids.hpp"
#include "balai/core/regions.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// Province codes are two digits (BPS), so per-province arrays have this many entries.
inline constexpr std::size_t kProvinceCodes = 100;

// Bounds on how many trainees whose home is in `province` are placed.
struct ProvinceQuota {
  static constexpr int kUnlimited = std::numeric_limits<int>::max();

  ProvinceCode province = 0;
  int min_placed = 0;
  int max_placed = kUnlimited;

  friend bool operator==(const ProvinceQuota&, const ProvinceQuota&) = default;
};

struct AllocationProblem {
  // Per facility: places it offers in the phase.
  std::vector<int> capacity{};

  // Per trainee: home province and a bonus (metres, >= 0) added to the cost of leaving
  // the trainee unplaced, so favoured groups are placed first when seats are contested.
  std::vector<ProvinceCode> province{};
  std::vector<std::int32_t> bonus_m{};

  // Candidate arcs in compressed rows: trainee t's arcs are
  // [first_arc[t], first_arc[t + 1]), nearest first; first_arc has trainees + 1 entries.
  std::vector<std::uint32_t> first_arc{0};
  std::vector<FacilityIndex> arc_facility{};
  std::vector<std::int32_t> arc_cost_m{};  // >= 0

  std::vector<ProvinceQuota> quotas{};  // at most one per province

  [[nodiscard]] std::size_t trainees() const noexcept { return province.size(); }
  [[nodiscard]] std::size_t facilities() const noexcept { return capacity.size(); }
  [[nodiscard]] std::size_t arcs() const noexcept { return arc_facility.size(); }
  [[nodiscard]] std::span<const FacilityIndex> candidates(std::size_t trainee) const {
    return {arc_facility.data() + first_arc[trainee], arc_facility.data() + first_arc[trainee + 1]};
  }

  // Cost of leaving one trainee unplaced, before its bonus: more than any simple
  // augmenting path can save, (facilities + 1) * (max arc cost + max bonus) + 1.
  [[nodiscard]] std::int64_t unplaced_penalty() const noexcept;
  // Cost per trainee by which a quota is missed: three unplaced penalties.
  [[nodiscard]] std::int64_t quota_penalty() const noexcept;

  // ValidationError naming every inconsistent field (sizes, negative capacity or cost,
  // unknown facility, a trainee's arcs not nearest first or listing a facility twice,
  // province code of more than two digits, costs and bonuses so large the objective could
  // overflow, duplicate or contradictory quotas, min_placed above the number of trainees
  // of the province).
  void check() const;

  friend bool operator==(const AllocationProblem&, const AllocationProblem&) = default;
};

// A solution in the problem's terms. `facility[t]` is the facility of trainee t, or
// kUnplaced. The prices are the dual solution that proves optimality (see verify.hpp):
// every trainee sits at its cheapest option at these prices, a facility with a positive
// price is full, and each province's unplaced price lies within the slopes of its quota
// penalty at its unplaced count. Non-optimal modes leave the prices empty.
struct AllocationSolution {
  static constexpr std::int32_t kUnplaced = -1;

  std::vector<std::int32_t> facility{};
  std::vector<std::int64_t> facility_price{};  // per facility, >= 0
  std::vector<std::int64_t> province_price{};  // per province code, kProvinceCodes entries
  std::int64_t cost = 0;                       // the min-cost-flow objective

  friend bool operator==(const AllocationSolution&, const AllocationSolution&) = default;
};

// The min-cost-flow objective of an assignment: arc costs of placed trainees, the
// unplaced penalty plus bonus of each unplaced trainee, and quota_penalty per trainee
// placed below a province's minimum or above its maximum. As a network, the quota of a
// province with n trainees is a convex cost on its unplaced count u with slopes -Q below
// n - max_placed, 0 up to n - min_placed and +Q beyond; arcs of costs -Q, 0 and +Q from
// the unplaced node to the sink give the same optimum, lower by Q * (n - max_placed).
[[nodiscard]] std::int64_t objective(const AllocationProblem& problem,
                                     std::span<const std::int32_t> facility);

}  // namespace balai
BALAI_EXPORT_END
