// Site selection's public face: the checks of options and problems, the Dataset form,
// site_objective, and the result a caller reads. The search itself is site_search.cpp.
//
// The reported objective is evaluated from exact (double) distances over the same lists
// the search used, so select_sites and site_objective agree to the last bit.
#include "balai/planning/sites/site_selection.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "../../core/parallel.hpp"
#include "balai/core/text.hpp"
#include "balai/planning/allocation/allocation_problem.hpp"
#include "site_search.hpp"

namespace balai {
namespace {

constexpr const char* kOptions = "site selection options";
constexpr const char* kProblem = "site problem";
constexpr double kHalfEarthKm = 20'100.0;
constexpr std::size_t kMaxReportedPerField = 10;
constexpr std::size_t kEvaluationRanges = 16;

// A distance option: finite, above 0, at most half the Earth's circumference.
void check_km(std::vector<Problem>& problems, const char* field, double km) {
  if (std::isfinite(km) && km > 0.0 && km <= kHalfEarthKm) return;
  problems.push_back({kOptions, field, printable(km),
                      "must be a distance above 0 and at most 20100 km (half the Earth)"});
}

void check_minimums(std::vector<Problem>& problems, const SiteSelectionOptions& options) {
  std::vector<bool> seen(kProvinceCodes, false);
  long long total = 0;
  for (const auto& minimum : options.minimums) {
    const std::string where = "minimum of province " + minimum.province.to_string();
    if (!is_province_code(minimum.province)) {
      problems.push_back(
          {where, "province", minimum.province.to_string(), "is not a province code"});
    } else if (seen[minimum.province.pos()]) {
      problems.push_back({kOptions, "minimums", minimum.province.to_string(),
                          "more than one minimum for this province"});
    }
    if (minimum.province < kProvinceCodes) seen[minimum.province.pos()] = true;
    if (minimum.min_sites < 0) {
      problems.push_back(
          {where, "min_sites", std::to_string(minimum.min_sites), "must not be negative"});
    }
    total += std::max(minimum.min_sites, 0);
  }
  if (total > options.sites && options.sites > 0) {
    problems.push_back({kOptions, "minimums", std::to_string(total) + " sites in all",
                        "must sum to at most sites (" + std::to_string(options.sites) + ")"});
  }
}

// K and the minimums against the candidates they choose from.
void check_fits(const SiteSelectionOptions& options, std::span<const ProvinceCode> province) {
  std::vector<Problem> problems;
  if (static_cast<std::size_t>(options.sites) > province.size()) {
    problems.push_back(
        {kOptions, "sites", std::to_string(options.sites),
         "must be at most the number of candidates (" + std::to_string(province.size()) + ")"});
  }
  std::vector<int> candidates(kProvinceCodes, 0);
  for (const auto code : province) ++candidates[code.pos()];
  for (const auto& minimum : options.minimums) {
    if (minimum.min_sites <= candidates[minimum.province.pos()]) continue;
    problems.push_back({"minimum of province " + minimum.province.to_string(), "min_sites",
                        std::to_string(minimum.min_sites),
                        "must be at most the province's candidates (" +
                            std::to_string(candidates[minimum.province.pos()]) + ")"});
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

void require(const SiteSelectionOptions& options) {
  auto problems = check(options);
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

// Points whose coordinates are not a place on Earth; a GeoPoint cannot be built so, but
// one can be copied in from raw memory.
void check_points(std::vector<Problem>& problems, const char* field,
                  std::span<const GeoPoint> points) {
  std::size_t reported = 0;
  for (std::size_t i = 0; i < points.size() && reported < kMaxReportedPerField; ++i) {
    const GeoPoint& point = points[i];
    if (std::abs(point.lat()) <= 90.0 && std::abs(point.lng()) <= 180.0) continue;
    problems.push_back({kProblem, std::string(field) + "[" + std::to_string(i) + "]",
                        printable(point.lat()) + ", " + printable(point.lng()),
                        "must have -90 <= lat <= 90 and -180 <= lng <= 180"});
    ++reported;
  }
}

struct Evaluation {
  std::vector<std::int32_t> assigned;
  std::vector<double> distance_km;
  double covered_weight = 0.0;
  double total_weight = 0.0;
  double objective = 0.0;
};

// Each point's first open site in its list, at its exact distance. The haversine distances
// are most of the cost on a national instance, so the points are split over the workers in
// fixed ranges whose sums are added in range order: the same result on any machine.
Evaluation evaluate(const detail::SiteInstance& instance, const detail::SiteLists& lists,
                    const SiteSelectionOptions& options, std::span<const std::uint32_t> open) {
  const bool coverage = options.objective == SiteObjective::max_coverage;
  std::vector<bool> is_open(instance.candidates.size(), false);
  for (const auto site : open) is_open[site] = true;
  Evaluation result;
  result.assigned.assign(lists.points(), SiteSelection::kUnserved);
  result.distance_km.assign(lists.points(), std::nan(""));
  struct Sums {
    double covered = 0.0;
    double total = 0.0;
    double objective = 0.0;
  };
  std::array<Sums, kEvaluationRanges> sums{};
  std::atomic<std::size_t> next{0};
  detail::run_on_threads(detail::worker_count(), [&] {
    for (std::size_t range = next++; range < kEvaluationRanges; range = next++) {
      Sums& sum = sums[range];
      const std::size_t end = lists.points() * (range + 1) / kEvaluationRanges;
      for (std::size_t i = lists.points() * range / kEvaluationRanges; i < end; ++i) {
        const std::uint32_t point = lists.order[i];
        const double weight = instance.weight.empty() ? 1.0 : instance.weight[point];
        sum.total += weight;
        const auto begin = lists.site.begin() + static_cast<std::ptrdiff_t>(lists.first[i]);
        const auto last = lists.site.begin() + static_cast<std::ptrdiff_t>(lists.first[i + 1]);
        const auto site = std::find_if(begin, last, [&](std::uint32_t c) { return is_open[c]; });
        if (site == last) {
          sum.objective += weight * (coverage ? 1.0 : options.max_distance_km);
          continue;
        }
        const double distance = haversine_km(instance.demand[point], instance.candidates[*site]);
        result.assigned[point] = static_cast<std::int32_t>(*site);
        result.distance_km[point] = distance;
        sum.covered += weight;
        if (!coverage) sum.objective += weight * distance;
      }
    }
  });
  for (const Sums& sum : sums) {
    result.covered_weight += sum.covered;
    result.total_weight += sum.total;
    result.objective += sum.objective;
  }
  return result;
}

SiteSelection select(const detail::SiteInstance& instance, const SiteSelectionOptions& options,
                     const ProgressCallback& progress) {
  const detail::SiteLists lists = detail::build_site_lists(instance, options, progress);
  const detail::SiteSearch search = detail::search_sites(instance, lists, options, progress);
  Evaluation evaluation = evaluate(instance, lists, options, search.open);

  SiteSelection result;
  result.options = options;
  result.selected = search.open;
  result.assigned = std::move(evaluation.assigned);
  result.distance_km = std::move(evaluation.distance_km);
  result.covered_weight = evaluation.covered_weight;
  result.total_weight = evaluation.total_weight;
  result.objective = evaluation.objective;
  result.greedy_objective = evaluate(instance, lists, options, search.greedy).objective;
  result.swaps = search.swaps;
  result.truncated = lists.truncated;
  return result;
}

detail::SiteInstance instance_of(const SiteProblem& problem) {
  return {problem.candidates, problem.candidate_province, problem.demand, {}, problem.weight};
}

// A dataset's facilities as candidates and its trainees as demand points (each in its own
// province's island group), with the way back from candidate to facility index.
struct DatasetSites {
  SiteProblem problem;
  std::vector<ProvinceCode> demand_province;
  std::vector<std::uint32_t> facility_of;

  DatasetSites(const Dataset& dataset, std::span<const FacilityIndex> candidates) {
    for (const FacilityIndex f : candidates) {
      if (f.pos() >= dataset.facilities().size()) {
        throw ValidationError(Problem{"select_sites", "candidates", std::to_string(f.value()),
                                      "not a facility of the dataset (it has " +
                                          std::to_string(dataset.facilities().size()) + ")"});
      }
      const Facility& facility = dataset.facility(f);
      problem.candidates.push_back(facility.location);
      problem.candidate_province.push_back(facility.province);
      facility_of.push_back(f.value());
    }
    demand_province.reserve(dataset.trainees().size());
    problem.demand.reserve(dataset.trainees().size());
    for (const auto& trainee : dataset.trainees()) {
      problem.demand.push_back(trainee.location);
      demand_province.push_back(trainee.province);
    }
  }

  [[nodiscard]] detail::SiteInstance instance() const {
    detail::SiteInstance instance = instance_of(problem);
    instance.demand_province = demand_province;
    return instance;
  }

  // Candidate indices in `selection` to facility indices.
  void to_facilities(SiteSelection& selection) const {
    for (auto& site : selection.selected) site = facility_of[site];
    for (auto& site : selection.assigned) {
      if (site != SiteSelection::kUnserved) {
        site = static_cast<std::int32_t>(facility_of[static_cast<std::size_t>(site)]);
      }
    }
  }
};

}  // namespace

std::vector<Problem> check(const SiteSelectionOptions& options) {
  std::vector<Problem> problems;
  if (static_cast<std::size_t>(options.objective) >= EnumNames<SiteObjective>::names.size()) {
    problems.push_back({kOptions, "objective", std::to_string(static_cast<int>(options.objective)),
                        "expected one of " + allowed_names<SiteObjective>()});
  }
  if (options.sites < 1) {
    problems.push_back({kOptions, "sites", std::to_string(options.sites), "must be at least 1"});
  }
  check_km(problems, "radius_km", options.radius_km);
  check_km(problems, "max_distance_km", options.max_distance_km);
  if (options.k < 1 || options.k > 1'024) {
    problems.push_back({kOptions, "k", std::to_string(options.k), "must be between 1 and 1024"});
  }
  check_minimums(problems, options);
  if (options.max_swaps < 0) {
    problems.push_back(
        {kOptions, "max_swaps", std::to_string(options.max_swaps), "must not be negative"});
  }
  if (options.tabu_iterations < 0) {
    problems.push_back({kOptions, "tabu_iterations", std::to_string(options.tabu_iterations),
                        "must not be negative"});
  }
  for (const auto kind : options.kinds) {
    if (static_cast<std::size_t>(kind) < EnumNames<FacilityKind>::names.size()) continue;
    problems.push_back({kOptions, "kinds", std::to_string(static_cast<int>(kind)),
                        "expected one of " + allowed_names<FacilityKind>()});
  }
  return problems;
}

void SiteProblem::check() const {
  std::vector<Problem> problems;
  if (candidate_province.size() != candidates.size()) {
    problems.push_back(
        {kProblem, "candidate_province", std::to_string(candidate_province.size()) + " entries",
         "needs one entry per candidate (" + std::to_string(candidates.size()) + ")"});
  }
  std::size_t reported = 0;
  for (std::size_t c = 0; c < candidate_province.size() && reported < kMaxReportedPerField; ++c) {
    if (is_province_code(candidate_province[c])) continue;
    problems.push_back({kProblem, "candidate_province[" + std::to_string(c) + "]",
                        candidate_province[c].to_string(), "is not a province code"});
    ++reported;
  }
  check_points(problems, "candidates", candidates);
  check_points(problems, "demand", demand);
  if (!weight.empty() && weight.size() != demand.size()) {
    problems.push_back(
        {kProblem, "weight", std::to_string(weight.size()) + " entries",
         "needs one entry per demand point (" + std::to_string(demand.size()) + "), or none"});
  }
  reported = 0;
  for (std::size_t i = 0; i < weight.size() && reported < kMaxReportedPerField; ++i) {
    if (std::isfinite(weight[i]) && weight[i] >= 0.0) continue;
    problems.push_back({kProblem, "weight[" + std::to_string(i) + "]", printable(weight[i]),
                        "must be a finite number at least 0"});
    ++reported;
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

bool operator==(const SiteSelection& a, const SiteSelection& b) {
  const auto same_distance = [](double x, double y) {
    return x == y || (std::isnan(x) && std::isnan(y));
  };
  return a.options == b.options && a.selected == b.selected && a.assigned == b.assigned &&
         std::ranges::equal(a.distance_km, b.distance_km, same_distance) &&
         a.covered_weight == b.covered_weight && a.total_weight == b.total_weight &&
         a.objective == b.objective && a.greedy_objective == b.greedy_objective &&
         a.swaps == b.swaps && a.truncated == b.truncated;
}

SiteSelection select_sites(const SiteProblem& problem, const SiteSelectionOptions& options,
                           const ProgressCallback& progress) {
  require(options);
  problem.check();
  check_fits(options, problem.candidate_province);
  return select(instance_of(problem), options, progress);
}

std::vector<FacilityIndex> site_candidates(const Dataset& dataset,
                                           const SiteSelectionOptions& options) {
  // An unknown phase is an UnknownReferenceError, as in allocation.
  const Phase* phase = dataset.program() && !options.phase.empty()
                           ? &dataset.program()->phase(options.phase)
                           : nullptr;
  std::array<std::vector<ModuleIndex>, EnumNames<Track>::names.size()> tracks;
  for (std::size_t t = 0; t < tracks.size(); ++t) {
    tracks[t] = dataset.modules_for(static_cast<Track>(t));
  }
  std::vector<FacilityIndex> candidates;
  const auto facilities = dataset.facilities();
  for (std::uint32_t f = 0; f < facilities.size(); ++f) {
    const Facility& facility = facilities[f];
    if (!options.kinds.empty() &&
        std::ranges::find(options.kinds, facility.kind) == options.kinds.end())
      continue;
    if (phase && facility.active && !facility.active->overlaps(phase->window)) continue;
    const auto hosts = [&](const std::vector<ModuleIndex>& track) {
      return !track.empty() && std::ranges::all_of(track, [&](ModuleIndex module) {
        return dataset.can_host(FacilityIndex(f), module);
      });
    };
    if (!std::ranges::any_of(tracks, hosts)) continue;
    candidates.emplace_back(f);
  }
  return candidates;
}

SiteSelection select_sites(const Dataset& dataset, const SiteSelectionOptions& options,
                           const ProgressCallback& progress) {
  return select_sites(dataset, options, site_candidates(dataset, options), progress);
}

SiteSelection select_sites(const Dataset& dataset, const SiteSelectionOptions& options,
                           std::span<const FacilityIndex> candidates,
                           const ProgressCallback& progress) {
  require(options);
  const DatasetSites sites(dataset, candidates);
  check_fits(options, sites.problem.candidate_province);
  SiteSelection result = select(sites.instance(), options, progress);
  sites.to_facilities(result);
  return result;
}

SiteSelection with_open_sites(const Dataset& dataset, SiteSelection selection,
                              std::span<const FacilityIndex> candidates,
                              std::span<const std::uint32_t> facilities) {
  require(selection.options);
  const DatasetSites sites(dataset, candidates);
  std::vector<std::uint32_t> open;
  open.reserve(facilities.size());
  for (const std::uint32_t facility : facilities) {
    const auto it = std::ranges::find(sites.facility_of, facility);
    if (it == sites.facility_of.end()) {
      throw ValidationError(Problem{"with_open_sites", "facilities", std::to_string(facility),
                                    "not one of the candidates"});
    }
    open.push_back(static_cast<std::uint32_t>(it - sites.facility_of.begin()));
  }
  std::ranges::sort(open);
  const detail::SiteInstance instance = sites.instance();
  const detail::SiteLists lists = detail::build_site_lists(instance, selection.options, {});
  Evaluation evaluation = evaluate(instance, lists, selection.options, open);
  selection.selected = std::move(open);
  selection.assigned = std::move(evaluation.assigned);
  selection.distance_km = std::move(evaluation.distance_km);
  selection.covered_weight = evaluation.covered_weight;
  selection.total_weight = evaluation.total_weight;
  selection.objective = evaluation.objective;
  selection.truncated = lists.truncated;
  sites.to_facilities(selection);
  return selection;
}

double site_objective(const SiteProblem& problem, const SiteSelectionOptions& options,
                      std::span<const std::uint32_t> open_sites) {
  require(options);
  problem.check();
  for (const auto site : open_sites) {
    if (site < problem.candidates.size()) continue;
    throw ValidationError(
        Problem{"site_objective", "open_sites", std::to_string(site),
                "must be a candidate index below " + std::to_string(problem.candidates.size())});
  }
  const detail::SiteInstance instance = instance_of(problem);
  const detail::SiteLists lists = detail::build_site_lists(instance, options, {});
  return evaluate(instance, lists, options, open_sites).objective;
}

}  // namespace balai
