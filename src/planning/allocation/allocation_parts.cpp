// Splitting an allocation problem by island group and merging the parts' solutions. The
// parts are the seams of the min-cost-flow network: a part holds every arc of its trainees,
// every facility they reach and the quotas of their provinces, so nothing in one part's
// optimum depends on another's once all use the whole problem's unplaced penalty.
#include "balai/planning/allocation/allocation_parts.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../../core/count_text.hpp"
#include "balai/core/error.hpp"
#include "balai/core/regions.hpp"

namespace balai {
namespace {

using detail::count_of;

constexpr std::size_t kIslandGroups = 10;  // the first digit of a province code
constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

// Union-find over the island groups, joined by facilities that trainees of two groups reach.
class Groups {
 public:
  Groups() { std::iota(parent_.begin(), parent_.end(), std::size_t{0}); }
  std::size_t root(std::size_t group) noexcept {
    while (parent_[group] != group) group = parent_[group];
    return group;
  }
  void join(std::size_t a, std::size_t b) noexcept {
    a = root(a);
    b = root(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::array<std::size_t, kIslandGroups> parent_{};
};

std::size_t group_of(const AllocationProblem& problem, std::size_t trainee) {
  return static_cast<std::size_t>(island_group(problem.province[trainee]));
}

// What is wrong with one part's solution against the part and the whole problem (the first
// thing found: one mismatch means the solution belongs elsewhere). Marks the part's
// trainees and facilities as taken.
std::optional<Problem> mismatch(const AllocationProblem& problem, const AllocationPart& part,
                                const AllocationSolution& solution, std::size_t index,
                                std::vector<bool>& trainee_taken,
                                std::vector<bool>& facility_taken) {
  const std::string where = "part " + std::to_string(index);
  const auto sized = [&](const char* field, std::size_t size, std::size_t expected,
                         const char* noun, const char* plural = "") -> std::optional<Problem> {
    if (size == expected) return std::nullopt;
    return Problem{where, field, count_of(size, "entry", "entries"),
                   "the part has " + count_of(expected, noun, plural)};
  };
  const std::size_t trainees = part.problem.trainees();
  const std::size_t facilities = part.problem.facilities();
  if (auto p = sized("trainees", part.trainees.size(), trainees, "trainee")) return p;
  if (auto p = sized("facilities", part.facilities.size(), facilities, "facility", "facilities"))
    return p;
  if (auto p = sized("solution.facility", solution.facility.size(), trainees, "trainee")) return p;
  if (auto p = sized("solution.facility_price", solution.facility_price.size(), facilities,
                     "facility", "facilities")) {
    return p;
  }
  if (auto p = sized("solution.province_price", solution.province_price.size(), kProvinceCodes,
                     "province code")) {
    return p;
  }
  for (const FacilityIndex f : part.facilities) {
    if (f.pos() >= problem.facilities() || facility_taken[f.pos()]) {
      return Problem{where, "facilities", std::to_string(f.pos()),
                     f.pos() >= problem.facilities() ? "not a facility of the problem"
                                                     : "already in an earlier part"};
    }
    facility_taken[f.pos()] = true;
  }
  for (std::size_t i = 0; i < trainees; ++i) {
    const TraineeIndex t = part.trainees[i];
    if (t.pos() >= problem.trainees() || trainee_taken[t.pos()]) {
      return Problem{where, "trainees", std::to_string(t.pos()),
                     t.pos() >= problem.trainees() ? "not a trainee of the problem"
                                                   : "already in an earlier part"};
    }
    trainee_taken[t.pos()] = true;
    if (part.problem.province[i] != problem.province[t.pos()]) {
      return Problem{where, "problem.province", part.problem.province[i].to_string(),
                     "trainee " + std::to_string(t.pos()) + " is of province " +
                         problem.province[t.pos()].to_string() + " in the problem"};
    }
    const std::int32_t f = solution.facility[i];
    if (f != AllocationSolution::kUnplaced &&
        (f < 0 || static_cast<std::size_t>(f) >= facilities)) {
      return Problem{where, "solution.facility", std::to_string(f),
                     "not a facility of the part (it has " + std::to_string(facilities) + ")"};
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<AllocationPart> split_by_island_group(const AllocationProblem& problem) {
  problem.check();
  Groups groups;
  std::vector<std::uint32_t> group_of_facility(problem.facilities(), kNone);
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    for (const FacilityIndex f : problem.candidates(t)) {
      auto& group = group_of_facility[f.pos()];
      if (group == kNone) group = static_cast<std::uint32_t>(group_of(problem, t));
      groups.join(group, group_of(problem, t));
    }
  }

  const std::int64_t penalty = problem.unplaced_penalty();  // a pass over every arc
  std::vector<AllocationPart> parts;
  std::array<std::uint32_t, kIslandGroups> part_of_root{};
  part_of_root.fill(kNone);
  const auto part_of = [&](std::size_t group) -> AllocationPart& {
    auto& part = part_of_root[groups.root(group)];
    if (part == kNone) {
      part = static_cast<std::uint32_t>(parts.size());
      parts.emplace_back().unplaced_penalty = penalty;
    }
    return parts[part];
  };
  // Facilities first, so that each trainee's arcs can be renumbered as they are copied.
  std::vector<std::uint32_t> local(problem.facilities(), kNone);
  std::vector<std::uint32_t> part_of_trainee(problem.trainees());
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    AllocationPart& part = part_of(group_of(problem, t));
    part_of_trainee[t] = static_cast<std::uint32_t>(&part - parts.data());
  }
  for (std::size_t f = 0; f < problem.facilities(); ++f) {
    if (group_of_facility[f] == kNone) continue;
    AllocationPart& part = part_of(group_of_facility[f]);
    local[f] = static_cast<std::uint32_t>(part.facilities.size());
    part.facilities.emplace_back(static_cast<std::uint32_t>(f));
    part.problem.capacity.push_back(problem.capacity[f]);
  }

  std::array<std::uint32_t, kProvinceCodes> part_of_province{};
  part_of_province.fill(kNone);
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    AllocationPart& part = parts[part_of_trainee[t]];
    AllocationProblem& sub = part.problem;
    part.trainees.emplace_back(static_cast<std::uint32_t>(t));
    sub.province.push_back(problem.province[t]);
    sub.bonus_m.push_back(problem.bonus_m[t]);
    for (auto arc = problem.first_arc[t]; arc < problem.first_arc[t + 1]; ++arc) {
      sub.arc_facility.emplace_back(local[problem.arc_facility[arc].pos()]);
      sub.arc_cost_m.push_back(problem.arc_cost_m[arc]);
    }
    sub.first_arc.push_back(static_cast<std::uint32_t>(sub.arc_facility.size()));
    part_of_province[problem.province[t].pos()] = part_of_trainee[t];
  }
  for (const ProvinceQuota& quota : problem.quotas) {
    if (part_of_province[quota.province.pos()] == kNone) continue;
    parts[part_of_province[quota.province.pos()]].problem.quotas.push_back(quota);
  }
  return parts;
}

AllocationSolution merge_solutions(const AllocationProblem& problem,
                                   std::span<const AllocationPart> parts,
                                   std::span<const AllocationSolution> solutions) {
  if (parts.size() != solutions.size()) {
    throw ValidationError(Problem{"allocation parts", "solutions",
                                  count_of(solutions.size(), "solution"),
                                  "needs one per part (" + count_of(parts.size(), "part") + ")"});
  }
  std::vector<bool> trainee_taken(problem.trainees(), false);
  std::vector<bool> facility_taken(problem.facilities(), false);
  std::vector<Problem> problems;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    if (auto wrong = mismatch(problem, parts[p], solutions[p], p, trainee_taken, facility_taken)) {
      problems.push_back(std::move(*wrong));
    }
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
  if (const auto covered =
          static_cast<std::size_t>(std::count(trainee_taken.begin(), trainee_taken.end(), true));
      covered != problem.trainees()) {
    throw ValidationError(Problem{"allocation parts", "trainees", count_of(covered, "trainee"),
                                  "the parts must hold every trainee of the problem (" +
                                      std::to_string(problem.trainees()) + ") once"});
  }

  AllocationSolution merged;
  merged.facility.assign(problem.trainees(), AllocationSolution::kUnplaced);
  merged.facility_price.assign(problem.facilities(), 0);
  merged.province_price.assign(kProvinceCodes, 0);
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const AllocationPart& part = parts[p];
    const AllocationSolution& solution = solutions[p];
    for (std::size_t i = 0; i < part.trainees.size(); ++i) {
      const std::int32_t f = solution.facility[i];
      if (f != AllocationSolution::kUnplaced) {
        merged.facility[part.trainees[i].pos()] =
            static_cast<std::int32_t>(part.facilities[static_cast<std::size_t>(f)].pos());
      }
      const ProvinceCode code = part.problem.province[i];
      merged.province_price[code.pos()] = solution.province_price[code.pos()];
    }
    for (std::size_t f = 0; f < part.facilities.size(); ++f) {
      merged.facility_price[part.facilities[f].pos()] = solution.facility_price[f];
    }
    merged.cost += solution.cost;
  }
  return merged;
}

}  // namespace balai
