#include "balai/planning/allocation/allocation_problem.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/error.hpp"
#include "objective.hpp"

namespace balai {
namespace {

constexpr std::string_view kWhere = "allocation problem";

std::string trainee_at(std::size_t trainee) { return "trainee " + std::to_string(trainee); }
std::string province_at(ProvinceCode code) { return "province " + code.to_string(); }

void check_sizes(const AllocationProblem& problem, std::vector<Problem>& problems) {
  const std::string where(kWhere);
  if (problem.first_arc.size() != problem.trainees() + 1) {
    problems.push_back({where, "first_arc", std::to_string(problem.first_arc.size()) + " entries",
                        "needs trainees + 1 = " + std::to_string(problem.trainees() + 1)});
  }
  if (problem.arc_cost_m.size() != problem.arcs()) {
    problems.push_back(
        {where, "arc_cost_m", std::to_string(problem.arc_cost_m.size()) + " entries",
         "needs one per arc of arc_facility (" + std::to_string(problem.arcs()) + ")"});
  }
  if (problem.bonus_m.size() != problem.trainees()) {
    problems.push_back({where, "bonus_m", std::to_string(problem.bonus_m.size()) + " entries",
                        "needs one per trainee (" + std::to_string(problem.trainees()) + ")"});
  }
}

// The rows must be well formed before anything reads a trainee's candidates.
bool check_rows(const AllocationProblem& problem, std::vector<Problem>& problems) {
  const auto& first = problem.first_arc;
  if (first.size() != problem.trainees() + 1) return false;
  const std::size_t before = problems.size();
  if (first.front() != 0) {
    problems.push_back({std::string(kWhere), "first_arc[0]", std::to_string(first.front()),
                        "the first trainee's arcs must start at 0"});
  }
  for (std::size_t t = 0; t + 1 < first.size(); ++t) {
    if (first[t + 1] < first[t]) {
      problems.push_back({trainee_at(t), "first_arc[" + std::to_string(t + 1) + "]",
                          std::to_string(first[t + 1]),
                          "decreases from " + std::to_string(first[t])});
    }
  }
  if (first.back() != problem.arcs()) {
    problems.push_back({std::string(kWhere), "first_arc[" + std::to_string(first.size() - 1) + "]",
                        std::to_string(first.back()),
                        "must equal the number of arcs (" + std::to_string(problem.arcs()) + ")"});
  }
  return problems.size() == before;
}

void check_facilities(const AllocationProblem& problem, std::vector<Problem>& problems) {
  for (std::size_t f = 0; f < problem.facilities(); ++f) {
    if (problem.capacity[f] < 0) {
      problems.push_back({"facility " + std::to_string(f), "capacity",
                          std::to_string(problem.capacity[f]), "must not be negative"});
    }
  }
}

void check_trainees(const AllocationProblem& problem, std::vector<Problem>& problems) {
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    if (problem.province[t] >= kProvinceCodes) {
      problems.push_back({trainee_at(t), "province", problem.province[t].to_string(),
                          "a province code is below 100"});
    }
    if (t < problem.bonus_m.size() && problem.bonus_m[t] < 0) {
      problems.push_back(
          {trainee_at(t), "bonus_m", std::to_string(problem.bonus_m[t]), "must not be negative"});
    }
  }
}

void check_arcs(const AllocationProblem& problem, bool rows_ok, std::vector<Problem>& problems) {
  const auto arc_where = [](std::size_t arc) { return "arc " + std::to_string(arc); };
  for (std::size_t a = 0; a < problem.arcs(); ++a) {
    if (problem.arc_facility[a].pos() >= problem.facilities()) {
      problems.push_back(
          {arc_where(a), "arc_facility", std::to_string(problem.arc_facility[a].pos()),
           "no such facility (there are " + std::to_string(problem.facilities()) + ")"});
    }
    if (a < problem.arc_cost_m.size() && problem.arc_cost_m[a] < 0) {
      problems.push_back({arc_where(a), "arc_cost_m", std::to_string(problem.arc_cost_m[a]),
                          "must not be negative"});
    }
  }
  if (!rows_ok) return;
  // Nearest first: solve_nearest takes the first arc with a free place, so an arc out of
  // order would send a trainee farther than need be, and verify would not see it.
  if (problem.arc_cost_m.size() == problem.arcs()) {
    for (std::size_t t = 0; t < problem.trainees(); ++t) {
      for (std::size_t a = problem.first_arc[t] + 1; a < problem.first_arc[t + 1]; ++a) {
        if (problem.arc_cost_m[a] >= problem.arc_cost_m[a - 1]) continue;
        problems.push_back({trainee_at(t), "arc_cost_m", std::to_string(problem.arc_cost_m[a]),
                            "below the previous candidate's " +
                                std::to_string(problem.arc_cost_m[a - 1]) +
                                ": a trainee's arcs are listed nearest first"});
      }
    }
  }
  // Stamps the trainee (plus one) that last listed each facility: a repeat is a duplicate.
  std::vector<std::size_t> listed_by(problem.facilities(), 0);
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    for (const FacilityIndex facility : problem.candidates(t)) {
      if (facility.pos() >= problem.facilities()) continue;
      if (listed_by[facility.pos()] == t + 1) {
        problems.push_back({trainee_at(t), "arc_facility", std::to_string(facility.pos()),
                            "facility listed twice among the trainee's candidates"});
      }
      listed_by[facility.pos()] = t + 1;
    }
  }
}

// The objective adds up to (4 trainees + 1) unplaced penalties and the flow's potentials
// span paths through every node, so costs and bonuses must leave the penalty room to
// spare in 64 bits. Computed in double: only the order of magnitude matters here.
void check_magnitude(const AllocationProblem& problem, std::vector<Problem>& problems) {
  const auto largest = [](const std::vector<std::int32_t>& values) {
    return values.empty() ? 0 : *std::ranges::max_element(values);
  };
  const double nodes = static_cast<double>(problem.trainees() + problem.facilities() + 1);
  const double per_metre = static_cast<double>(problem.facilities() + 1) * 4.0 * nodes;
  const double room = 0x1p62 / per_metre;  // largest cost plus bonus that fits
  const double cost = static_cast<double>(largest(problem.arc_cost_m));
  const double bonus = static_cast<double>(largest(problem.bonus_m));
  if (cost + bonus <= room) return;
  problems.push_back({std::string(kWhere), "arc_cost_m",
                      std::to_string(largest(problem.arc_cost_m)),
                      "plus the largest bonus_m (" + std::to_string(largest(problem.bonus_m)) +
                          ") may be at most " + std::to_string(static_cast<std::int64_t>(room)) +
                          " for these trainees and facilities, or the objective overflows"});
}

void check_quotas(const AllocationProblem& problem, std::vector<Problem>& problems) {
  std::array<int, 256> trainees_of{};
  for (const ProvinceCode code : problem.province) ++trainees_of[code.pos()];
  std::array<bool, 256> seen{};
  for (const ProvinceQuota& quota : problem.quotas) {
    const std::string where = province_at(quota.province);
    if (quota.province >= kProvinceCodes) {
      problems.push_back(
          {where, "quotas.province", quota.province.to_string(), "a province code is below 100"});
    }
    if (seen[quota.province.pos()]) {
      problems.push_back({where, "quotas.province", quota.province.to_string(),
                          "more than one quota for the province"});
    }
    seen[quota.province.pos()] = true;
    if (quota.min_placed < 0) {
      problems.push_back(
          {where, "quotas.min_placed", std::to_string(quota.min_placed), "must not be negative"});
    }
    if (quota.max_placed < quota.min_placed) {
      problems.push_back({where, "quotas.max_placed", std::to_string(quota.max_placed),
                          "below min_placed (" + std::to_string(quota.min_placed) + ")"});
    }
    if (quota.min_placed > trainees_of[quota.province.pos()]) {
      problems.push_back({where, "quotas.min_placed", std::to_string(quota.min_placed),
                          "the province has only " +
                              std::to_string(trainees_of[quota.province.pos()]) + " trainees"});
    }
  }
}

}  // namespace

std::int64_t AllocationProblem::unplaced_penalty() const noexcept {
  std::int64_t max_cost = 0;
  for (const std::int32_t cost : arc_cost_m) max_cost = std::max<std::int64_t>(max_cost, cost);
  std::int64_t max_bonus = 0;
  for (const std::int32_t bonus : bonus_m) max_bonus = std::max<std::int64_t>(max_bonus, bonus);
  return (static_cast<std::int64_t>(facilities()) + 1) * (max_cost + max_bonus) + 1;
}

std::int64_t AllocationProblem::quota_penalty() const noexcept {
  return detail::quota_penalty(unplaced_penalty());
}

void AllocationProblem::check() const {
  std::vector<Problem> problems;
  check_sizes(*this, problems);
  const bool rows_ok = check_rows(*this, problems);
  check_facilities(*this, problems);
  check_trainees(*this, problems);
  check_arcs(*this, rows_ok, problems);
  check_magnitude(*this, problems);
  check_quotas(*this, problems);
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

std::int64_t objective(const AllocationProblem& problem, std::span<const std::int32_t> facility) {
  return detail::objective(problem, facility, problem.unplaced_penalty());
}

std::int64_t detail::objective(const AllocationProblem& problem,
                               std::span<const std::int32_t> facility,
                               std::int64_t unplaced_penalty) {
  if (facility.size() != problem.trainees()) {
    throw ValidationError(
        Problem{std::string(kWhere), "facility", std::to_string(facility.size()) + " entries",
                "needs one per trainee (" + std::to_string(problem.trainees()) + ")"});
  }
  std::array<int, 256> placed{};
  std::int64_t cost = 0;
  for (std::size_t t = 0; t < facility.size(); ++t) {
    if (facility[t] == AllocationSolution::kUnplaced) {
      cost += unplaced_penalty + problem.bonus_m[t];
      continue;
    }
    const auto candidates = problem.candidates(t);
    const auto it = facility[t] < 0
                        ? candidates.end()
                        : std::find(candidates.begin(), candidates.end(),
                                    FacilityIndex(static_cast<std::uint32_t>(facility[t])));
    if (it == candidates.end()) {
      throw ValidationError(Problem{trainee_at(t), "facility", std::to_string(facility[t]),
                                    "not one of the trainee's candidate facilities"});
    }
    cost +=
        problem
            .arc_cost_m[problem.first_arc[t] + static_cast<std::size_t>(it - candidates.begin())];
    ++placed[problem.province[t].pos()];
  }
  const std::int64_t quota_penalty = detail::quota_penalty(unplaced_penalty);
  for (const ProvinceQuota& quota : problem.quotas) {
    const int count = placed[quota.province.pos()];
    const int missing = std::max(0, quota.min_placed - count);
    const int excess = std::max(0, count - quota.max_placed);
    cost += quota_penalty * (missing + excess);
  }
  return cost;
}

}  // namespace balai
