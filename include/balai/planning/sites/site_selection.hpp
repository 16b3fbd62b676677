// Which facilities to open: choose K sites among candidate facilities to serve demand
// points (trainees, or any weighted points). Two objectives on one engine:
//
//   max_coverage  maximise the weight of demand within `radius_km` of an open site;
//   p_median      minimise the weighted distance from each demand point to its nearest
//                 open site, a point with no open site among its candidates costing
//                 `max_distance_km`.
//
// Both are "minimise the sum over demand points of weight * cost(nearest open site)",
// with cost 0 within the radius and 1 (unserved) otherwise for coverage, and the distance
// capped at max_distance_km for the median. A greedy whose gains are kept exact as sites
// open (the picks lazy CELF evaluation would make; within 1 - 1/e of the optimum for
// coverage) builds a solution; a swap local search (Resende and Werneck's fast
// interchange: one pass over the demand lists evaluates every swap) then improves it until
// no swap gains or `max_swaps` is reached. A single-swap local optimum can be several
// percent off, so a tabu search on the same machinery follows: `tabu_iterations` times it
// makes the best swap that is not tabu, gaining or not (a site just closed may not reopen,
// nor one just opened close, for a few moves, unless the swap beats the best solution
// seen), and the best solution seen is the result, itself a single-swap local optimum.
// Optional per-province minimums hold throughout.
// In the SiteProblem form, a demand point's island group is its nearest candidate's.
//
// Each demand point sees its `k` nearest candidates within reach (radius or
// max_distance_km). The objective is exact over those lists; a point with more than `k`
// candidates in reach is counted in `SiteSelection::truncated`, so a caller can raise `k`
// when it matters.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/core/geo.hpp"
#include "balai/core/ids.hpp"
#include "balai/core/regions.hpp"
#include "balai/model/dataset.hpp"
#include "balai/model/facility.hpp"
#include "balai/planning/progress.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

enum class SiteObjective : std::uint8_t { max_coverage, p_median };

template <>
struct EnumNames<SiteObjective> {
  static constexpr std::array<std::string_view, 2> names{"max_coverage", "p_median"};
};

// At least `min_sites` open sites among the candidates in `province`.
struct SiteMinimum {
  ProvinceCode province = 0;
  int min_sites = 1;

  friend bool operator==(const SiteMinimum&, const SiteMinimum&) = default;
};

struct SiteSelectionOptions {
  SiteObjective objective = SiteObjective::max_coverage;
  int sites = 300;                      // K, the number of sites to open
  double radius_km = 25.0;              // max_coverage: a demand point is served within this
  double max_distance_km = 100.0;       // p_median: the cost of a point with no open site in reach
  int k = 64;                           // candidates listed per demand point, nearest first
  bool same_island_group = true;        // as in allocation: no straight lines across the sea
  std::vector<SiteMinimum> minimums{};  // at most one per province
  int max_swaps = 1'000;  // improving swaps before the tabu search; 0: greedy only, no tabu
  // Moves of the tabu search after the swaps, and on past them while the moves still improve
  // on the best solution seen; each costs about as much as an improving swap (5 to 8 ms at
  // K = 300 on the national instance). 0: none.
  int tabu_iterations = 100;
  // Dataset form only: the kinds of facility that may be chosen (all when empty), and only
  // facilities active during this phase of the program (any, when empty or no program).
  std::vector<FacilityKind> kinds{};
  std::string phase = "pilot";

  friend bool operator==(const SiteSelectionOptions&, const SiteSelectionOptions&) = default;
};

// Everything wrong with the options on their own, each problem naming its field.
[[nodiscard]] std::vector<Problem> check(const SiteSelectionOptions& options);

// The instance, independent of any Dataset: tests, oracles and benchmarks build one
// directly. Candidate i is reported as index i.
struct SiteProblem {
  std::vector<GeoPoint> candidates{};
  std::vector<ProvinceCode> candidate_province{};
  std::vector<GeoPoint> demand{};
  std::vector<double> weight{};  // per demand point, >= 0; empty: all 1

  // ValidationError naming every inconsistent field (sizes, coordinates, weights).
  void check() const;
  friend bool operator==(const SiteProblem&, const SiteProblem&) = default;
};

struct SiteSelection {
  static constexpr std::int32_t kUnserved = -1;

  SiteSelectionOptions options{};
  std::vector<std::uint32_t> selected{};  // candidate indices, ascending
  // Per demand point: the nearest open site among its candidates (kUnserved when none is
  // in reach) and the distance to it (NaN when unserved).
  std::vector<std::int32_t> assigned{};
  std::vector<double> distance_km{};
  double covered_weight = 0.0;  // weight with an open site within reach
  double total_weight = 0.0;
  double objective = 0.0;         // the minimised sum (see the header comment)
  double greedy_objective = 0.0;  // before the swaps
  // Swaps from the greedy's sites to `selected`: the improving ones, and the tabu
  // search's moves up to its best solution.
  int swaps = 0;
  std::int64_t truncated = 0;  // demand points with more than k candidates in reach

  friend bool operator==(const SiteSelection& a, const SiteSelection& b);
};

// Declared here too, so that a shared libbalai exports it (balai/core/export.hpp): a
// function declared only as a friend takes the hidden visibility balai compiles with.
bool operator==(const SiteSelection& a, const SiteSelection& b);

// ValidationError for bad options or a problem that cannot take them (K above the number
// of candidates, minimums that cannot all hold, a province minimum above its candidates).
[[nodiscard]] SiteSelection select_sites(const SiteProblem& problem,
                                         const SiteSelectionOptions& options,
                                         const ProgressCallback& progress = {});

// The facilities of `dataset` the Dataset form takes as candidates: of options.kinds (any,
// when empty), active during options.phase (UnknownReferenceError for a phase the program
// does not have), offering the features of every module of at least one track (a site
// that cannot teach the course is no site). In dataset order.
[[nodiscard]] std::vector<FacilityIndex> site_candidates(const Dataset& dataset,
                                                         const SiteSelectionOptions& options);

// Candidates are site_candidates(dataset, options); demand
// points are its trainees, weight 1. `selected` holds facility indices (as uint32).
[[nodiscard]] SiteSelection select_sites(const Dataset& dataset,
                                         const SiteSelectionOptions& options,
                                         const ProgressCallback& progress = {});

// The same among the given candidate facilities (no duplicates; options.kinds and
// options.phase are not applied again). ValidationError for an index past the dataset's
// facilities.
[[nodiscard]] SiteSelection select_sites(const Dataset& dataset,
                                         const SiteSelectionOptions& options,
                                         std::span<const FacilityIndex> candidates,
                                         const ProgressCallback& progress = {});

// `selection` with exactly `facilities` open (facility indices among `candidates`), its
// per-point assignment, coverage and objective re-evaluated under its own options; the
// search's greedy objective and swaps are kept. For a plan that opens other sites than the
// search chose (the pilot closes those that gather no class). ValidationError for a
// facility that is not a candidate.
[[nodiscard]] SiteSelection with_open_sites(const Dataset& dataset, SiteSelection selection,
                                            std::span<const FacilityIndex> candidates,
                                            std::span<const std::uint32_t> facilities);

// The objective of an arbitrary set of open sites under the same rules (for oracles and
// for checking a selection): same cost model, same candidate lists.
[[nodiscard]] double site_objective(const SiteProblem& problem, const SiteSelectionOptions& options,
                                    std::span<const std::uint32_t> open_sites);

}  // namespace balai
BALAI_EXPORT_END
