// Which trainee trains where. `allocate` places every trainee of a dataset at a facility
// that offers every feature the trainee's track requires, within a maximum distance and
// (by default) on the trainee's island group, respecting each facility's capacity for the
// phase and optional per-province quotas. Three modes:
//
//   optimal  places as many trainees as possible, then minimises total travel; exact
//            (min-cost flow), with dual prices that prove it (verify.hpp);
//   nearest  the greedy baseline: trainees in index order, each to the nearest candidate
//            with room;
//   stable   deferred acceptance: trainees propose in order of their ranking (nearest
//            first unless given), facilities keep the trainees they prioritise (priority
//            bonus, then distance, then index).
//
// The result is a plain value: facility, distance and status per trainee, load and price
// per facility, counts per province, the objective and the options used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/enum_names.hpp"
#include "balai/core/export.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/allocation/allocation_problem.hpp"
#include "balai/planning/progress.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

enum class AllocationMode : std::uint8_t { optimal, nearest, stable };

// Why a trainee has, or has no, place.
enum class PlacementStatus : std::uint8_t {
  placed,
  out_of_range,  // no facility with places that can host the trainee's track within range
  capacity,      // every candidate facility is full
  quota,         // the province's maximum placed was reached
  // (pilot) an open site within range has places, but no class there can take the
  // trainee: too few of their track nearby to make one, or its classes are full
  no_class,
};

template <>
struct EnumNames<AllocationMode> {
  static constexpr std::array<std::string_view, 3> names{"optimal", "nearest", "stable"};
};
template <>
struct EnumNames<PlacementStatus> {
  static constexpr std::array<std::string_view, 5> names{"placed", "out_of_range", "capacity",
                                                         "quota", "no_class"};
};

// Groups the program favours, as kilometres of travel a placement of one of them is
// worth: when seats are contested, a trainee with a larger total bonus is placed first.
// Bonuses never trade against the number placed.
struct Priority {
  double female_km = 0.0;
  double accessibility_km = 0.0;  // any accessibility need
  double micro_km = 0.0;          // micro businesses (UMKM class micro)

  friend bool operator==(const Priority&, const Priority&) = default;
};

// The most candidate facilities listed per trainee (AllocationOptions::k).
inline constexpr int kMaxCandidates = 1'024;

struct AllocationOptions {
  AllocationMode mode = AllocationMode::optimal;
  double max_distance_km = 50.0;
  int k = 16;                     // candidate facilities per trainee, nearest first
  bool same_island_group = true;  // straight-line distance across sea misleads

  // Capacity: given per facility (in dataset order), or derived for the phase as
  // seats * teaching hours per week * weeks / the longest track's hours, where weeks count
  // the days the facility is active within the phase's window.
  std::vector<int> capacity{};
  std::string phase = "pilot";
  int teaching_hours_per_week = 30;  // JP (45-minute lesson hours) a room teaches

  std::vector<ProvinceQuota> quotas{};
  Priority priority{};

  // Stable mode only: each trainee's ranked facilities (empty: candidates by distance),
  // and a priority score per trainee that facilities rank by, highest first (empty: the
  // priority bonus, then distance).
  std::vector<std::vector<FacilityIndex>> rankings{};
  std::vector<double> scores{};

  friend bool operator==(const AllocationOptions&, const AllocationOptions&) = default;
};

// What is wrong with a value on its own, each problem naming its field; empty when valid.
[[nodiscard]] std::vector<Problem> check(const Priority& priority);
[[nodiscard]] std::vector<Problem> check(const ProvinceQuota& quota);
// Ranges, quotas (one per province) and priorities; everything that needs no dataset.
[[nodiscard]] std::vector<Problem> check(const AllocationOptions& options);
// ValidationError with the problems above and those against the dataset (a capacity per
// facility).
void check(const AllocationOptions& options, const Dataset& dataset);

struct ProvinceCount {
  ProvinceCode province = 0;
  int placed = 0;
  int unplaced = 0;

  friend bool operator==(const ProvinceCount&, const ProvinceCount&) = default;
};

struct Objective {
  std::int64_t placed = 0;
  std::int64_t unplaced = 0;
  double distance_km = 0.0;  // total over placed trainees
  std::int64_t cost = 0;     // the min-cost-flow objective (allocation_problem.hpp)

  friend bool operator==(const Objective&, const Objective&) = default;
};

struct Allocation {
  static constexpr std::int32_t kUnplaced = AllocationSolution::kUnplaced;

  AllocationOptions options{};
  // Per trainee, in dataset order.
  std::vector<std::int32_t> facility{};  // facility index or kUnplaced
  std::vector<double> distance_km{};     // NaN when unplaced
  std::vector<PlacementStatus> status{};
  // Per facility, in dataset order.
  std::vector<int> capacity{};
  std::vector<int> load{};
  std::vector<std::int64_t> price{};       // dual price (optimal mode); empty otherwise
  std::vector<ProvinceCount> provinces{};  // provinces with trainees, by code
  Objective objective{};

  [[nodiscard]] double utilisation(FacilityIndex facility) const;
  // The trainee's facility as the dataset's strong index, or nothing when unplaced:
  // `dataset.facility(*allocation.facility_of(t))`. (`facility` keeps plain 32-bit
  // positions with kUnplaced, the column the solvers write and Python reads as numpy.)
  // UnknownReferenceError for a trainee outside the allocation.
  [[nodiscard]] std::optional<FacilityIndex> facility_of(TraineeIndex trainee) const;
  // Equal values, with the NaN distances of unplaced trainees equal to each other.
  friend bool operator==(const Allocation& a, const Allocation& b);
};

// Declared here too, so that a shared libbalai exports it (balai/core/export.hpp): a
// function declared only as a friend takes the hidden visibility balai compiles with.
bool operator==(const Allocation& a, const Allocation& b);

// Places for each facility in the phase, as AllocationOptions describes.
[[nodiscard]] std::vector<int> phase_capacity(const Dataset& dataset,
                                              const AllocationOptions& options);

// The candidate graph, capacities, bonuses and quotas of `dataset` under `options`.
[[nodiscard]] AllocationProblem allocation_problem(const Dataset& dataset,
                                                   const AllocationOptions& options,
                                                   const ProgressCallback& progress = {});

// Solvers on a problem. `solve_optimal` is exact; the others are the baselines.
[[nodiscard]] AllocationSolution solve_optimal(const AllocationProblem& problem,
                                               const ProgressCallback& progress = {});
[[nodiscard]] AllocationSolution solve_nearest(const AllocationProblem& problem);
[[nodiscard]] AllocationSolution solve_stable(const AllocationProblem& problem,
                                              std::span<const std::vector<FacilityIndex>> rankings,
                                              std::span<const double> scores);

// The solver options.mode names, on `problem` (stable mode with options.rankings and
// options.scores).
[[nodiscard]] AllocationSolution solve_allocation(const AllocationProblem& problem,
                                                  const AllocationOptions& options,
                                                  const ProgressCallback& progress = {});

// The Allocation that allocate() returns for `solution` of allocation_problem(dataset,
// options) (statuses, distances, loads, province counts, objective): for a solution found
// elsewhere (in parts, allocation_parts.hpp). ValidationError for a solution of another
// problem (sizes, facilities); InfeasibleError as allocate() for quotas an optimal
// solution misses.
[[nodiscard]] Allocation allocation_result(const Dataset& dataset, const AllocationOptions& options,
                                           const AllocationProblem& problem,
                                           AllocationSolution solution);

// The whole chain. InfeasibleError naming the provinces whose quotas cannot be met
// together; ValidationError for bad options.
[[nodiscard]] Allocation allocate(const Dataset& dataset, const AllocationOptions& options = {},
                                  const ProgressCallback& progress = {});

}  // namespace balai
BALAI_EXPORT_END
