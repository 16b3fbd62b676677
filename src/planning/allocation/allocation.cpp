// The allocation chain on a dataset: options checked, problem built, solved by the chosen
// mode, and the solution turned into an Allocation the operators can read.
#include "balai/planning/allocation/allocation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/text.hpp"

namespace balai {
namespace {

constexpr const char* kWhere = "allocation options";

std::vector<ProvinceCount> count_by_province(const Dataset& dataset,
                                             const std::vector<std::int32_t>& facility) {
  std::vector<ProvinceCount> counts(kProvinceCodes);
  for (std::size_t t = 0; t < facility.size(); ++t) {
    auto& count = counts[dataset.trainees()[t].province.pos()];
    ++(facility[t] == Allocation::kUnplaced ? count.unplaced : count.placed);
  }
  std::vector<ProvinceCount> present;
  for (std::size_t code = 0; code < counts.size(); ++code) {
    if (counts[code].placed + counts[code].unplaced == 0) continue;
    present.push_back(counts[code]);
    present.back().province = static_cast<ProvinceCode>(code);
  }
  return present;
}

// An exact solver meets every minimum that can be met together with the others; a
// minimum it misses cannot be.
void require_minimums_met(const AllocationOptions& options,
                          const std::vector<ProvinceCount>& provinces) {
  std::string missed;
  for (const auto& quota : options.quotas) {
    int placed = 0;
    for (const auto& count : provinces) {
      if (count.province == quota.province) placed = count.placed;
    }
    if (placed >= quota.min_placed) continue;
    if (!missed.empty()) missed.append("; ");
    missed.append("province ")
        .append(quota.province.to_string())
        .append(" (")
        .append(province(quota.province).name)
        .append("): min_placed ")
        .append(std::to_string(quota.min_placed))
        .append(" but at most ")
        .append(std::to_string(placed))
        .append(" can be placed");
  }
  if (!missed.empty()) {
    throw InfeasibleError("the quotas cannot be met together: " + missed +
                          " within range and capacity, given the other quotas");
  }
}

// Per province code: whether it has placed its maximum, found once rather than per
// unplaced trainee.
std::vector<bool> maximum_reached(const AllocationProblem& problem,
                                  const std::vector<ProvinceCount>& provinces) {
  std::vector<int> placed(kProvinceCodes, 0);
  for (const auto& count : provinces) placed[count.province.pos()] = count.placed;
  std::vector<bool> reached(kProvinceCodes, false);
  for (const auto& quota : problem.quotas) {
    reached[quota.province.pos()] = placed[quota.province.pos()] >= quota.max_placed;
  }
  return reached;
}

PlacementStatus why_unplaced(const AllocationProblem& problem, std::size_t trainee,
                             const std::vector<bool>& maximum_reached) {
  if (problem.first_arc[trainee] == problem.first_arc[trainee + 1]) {
    return PlacementStatus::out_of_range;
  }
  return maximum_reached[problem.province[trainee].pos()] ? PlacementStatus::quota
                                                          : PlacementStatus::capacity;
}

// A solution of `problem`, and `problem` one of the dataset, before anything indexes by
// them.
void check_solution(const Dataset& dataset, const AllocationProblem& problem,
                    const AllocationSolution& solution) {
  std::vector<Problem> problems;
  const auto sized = [&](const char* field, std::size_t size, std::size_t expected,
                         const char* per) {
    if (size == expected) return;
    problems.push_back(
        {"allocation solution", field, std::to_string(size) + " entries",
         "needs one per " + std::string(per) + " (" + std::to_string(expected) + ")"});
  };
  sized("problem.province", problem.trainees(), dataset.trainees().size(),
        "trainee of the dataset");
  sized("problem.capacity", problem.facilities(), dataset.facilities().size(),
        "facility of the dataset");
  sized("facility", solution.facility.size(), problem.trainees(), "trainee");
  if (!solution.facility_price.empty()) {
    sized("facility_price", solution.facility_price.size(), problem.facilities(), "facility");
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
  for (std::size_t t = 0; t < solution.facility.size(); ++t) {
    const std::int32_t f = solution.facility[t];
    if (f == Allocation::kUnplaced ||
        (f >= 0 && static_cast<std::size_t>(f) < problem.facilities())) {
      continue;
    }
    throw ValidationError(Problem{"allocation solution", "facility[" + std::to_string(t) + "]",
                                  std::to_string(f), "not a facility of the problem"});
  }
}

}  // namespace

std::vector<Problem> check(const Priority& priority) {
  std::vector<Problem> problems;
  const auto check_km = [&](const char* field, double km) {
    if (std::isfinite(km) && km >= 0.0 && km <= 1.0e4) return;
    problems.push_back(
        {"priority", field, printable(km), "must be a distance between 0 and 10000 km"});
  };
  check_km("female_km", priority.female_km);
  check_km("accessibility_km", priority.accessibility_km);
  check_km("micro_km", priority.micro_km);
  return problems;
}

std::vector<Problem> check(const ProvinceQuota& quota) {
  std::vector<Problem> problems;
  const std::string where = "quota of province " + quota.province.to_string();
  if (!is_province_code(quota.province)) {
    problems.push_back({where, "province", quota.province.to_string(), "is not a province code"});
  }
  if (quota.min_placed < 0) {
    problems.push_back(
        {where, "min_placed", std::to_string(quota.min_placed), "must not be negative"});
  }
  if (quota.max_placed < std::max(quota.min_placed, 0)) {
    problems.push_back({where, "max_placed", std::to_string(quota.max_placed),
                        "must be at least min_placed (" + std::to_string(quota.min_placed) + ")"});
  }
  return problems;
}

std::vector<Problem> check(const AllocationOptions& options) {
  std::vector<Problem> problems;
  if (!(std::isfinite(options.max_distance_km) && options.max_distance_km > 0.0 &&
        options.max_distance_km <= 20'100.0)) {
    problems.push_back({kWhere, "max_distance_km", printable(options.max_distance_km),
                        "must be a distance above 0 and at most 20100 km (half the Earth)"});
  }
  if (options.k < 1 || options.k > kMaxCandidates) {
    problems.push_back({kWhere, "k", std::to_string(options.k),
                        "must be between 1 and " + std::to_string(kMaxCandidates)});
  }
  if (options.teaching_hours_per_week < 1 || options.teaching_hours_per_week > 168) {
    problems.push_back({kWhere, "teaching_hours_per_week",
                        std::to_string(options.teaching_hours_per_week),
                        "must be between 1 and 168 hours"});
  }
  for (std::size_t f = 0; f < options.capacity.size(); ++f) {
    if (options.capacity[f] >= 0) continue;
    problems.push_back({kWhere, "capacity[" + std::to_string(f) + "]",
                        std::to_string(options.capacity[f]), "must not be negative"});
  }
  std::vector<bool> has_quota(kProvinceCodes, false);
  for (const auto& quota : options.quotas) {
    for (auto& problem : check(quota)) problems.push_back(std::move(problem));
    if (quota.province >= kProvinceCodes) continue;
    if (has_quota[quota.province.pos()]) {
      problems.push_back(
          {kWhere, "quotas", quota.province.to_string(), "more than one quota for this province"});
    }
    has_quota[quota.province.pos()] = true;
  }
  for (auto& problem : check(options.priority)) problems.push_back(std::move(problem));
  return problems;
}

void check(const AllocationOptions& options, const Dataset& dataset) {
  std::vector<Problem> problems = check(options);
  if (!options.capacity.empty() && options.capacity.size() != dataset.facilities().size()) {
    problems.push_back(
        {kWhere, "capacity", std::to_string(options.capacity.size()) + " entries",
         "needs one entry per facility (" + std::to_string(dataset.facilities().size()) + ")"});
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

bool operator==(const Allocation& a, const Allocation& b) {
  const auto same_distance = [](double x, double y) {
    return x == y || (std::isnan(x) && std::isnan(y));
  };
  return a.options == b.options && a.facility == b.facility &&
         std::ranges::equal(a.distance_km, b.distance_km, same_distance) && a.status == b.status &&
         a.capacity == b.capacity && a.load == b.load && a.price == b.price &&
         a.provinces == b.provinces && a.objective == b.objective;
}

double Allocation::utilisation(FacilityIndex index) const {
  const int places = capacity.at(index.pos());
  return places == 0 ? 0.0 : static_cast<double>(load.at(index.pos())) / places;
}

std::optional<FacilityIndex> Allocation::facility_of(TraineeIndex trainee) const {
  if (trainee.pos() >= facility.size()) {
    throw UnknownReferenceError("trainee", std::to_string(trainee.value()));
  }
  const std::int32_t placed = facility[trainee.pos()];
  if (placed == kUnplaced) return std::nullopt;
  return FacilityIndex(static_cast<std::uint32_t>(placed));
}

AllocationSolution solve_allocation(const AllocationProblem& problem,
                                    const AllocationOptions& options,
                                    const ProgressCallback& progress) {
  switch (options.mode) {
    case AllocationMode::optimal: return solve_optimal(problem, progress);
    case AllocationMode::nearest: return solve_nearest(problem);
    case AllocationMode::stable: return solve_stable(problem, options.rankings, options.scores);
  }
  throw ValidationError(std::vector<Problem>{
      {kWhere, "mode", std::to_string(static_cast<int>(options.mode)), "is not a mode"}});
}

Allocation allocate(const Dataset& dataset, const AllocationOptions& options,
                    const ProgressCallback& progress) {
  const AllocationProblem problem = allocation_problem(dataset, options, progress);
  return allocation_result(dataset, options, problem, solve_allocation(problem, options, progress));
}

Allocation allocation_result(const Dataset& dataset, const AllocationOptions& options,
                             const AllocationProblem& problem, AllocationSolution solution) {
  check(options, dataset);
  check_solution(dataset, problem, solution);
  Allocation result;
  result.options = options;
  result.capacity = problem.capacity;
  result.load.assign(problem.facilities(), 0);
  result.provinces = count_by_province(dataset, solution.facility);
  if (options.mode == AllocationMode::optimal) require_minimums_met(options, result.provinces);

  const std::size_t trainees = problem.trainees();
  const std::vector<bool> reached = maximum_reached(problem, result.provinces);
  result.distance_km.resize(trainees, std::numeric_limits<double>::quiet_NaN());
  result.status.resize(trainees, PlacementStatus::placed);
  for (std::size_t t = 0; t < trainees; ++t) {
    const std::int32_t f = solution.facility[t];
    if (f == Allocation::kUnplaced) {
      result.status[t] = why_unplaced(problem, t, reached);
      ++result.objective.unplaced;
      continue;
    }
    ++result.load[static_cast<std::size_t>(f)];
    result.distance_km[t] = haversine_km(
        dataset.trainees()[t].location, dataset.facilities()[static_cast<std::size_t>(f)].location);
    result.objective.distance_km += result.distance_km[t];
    ++result.objective.placed;
  }
  result.objective.cost = solution.cost;
  result.facility = std::move(solution.facility);
  result.price = std::move(solution.facility_price);
  return result;
}

}  // namespace balai
