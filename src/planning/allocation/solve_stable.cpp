// Deferred acceptance with capacities (Gale and Shapley, 1962), trainees proposing: the
// stable assignment every trainee likes best among stable ones, the rule school choice
// uses when applicants rank schools and schools rank applicants.
//
// Facilities rank trainees by score (highest first; the priority bonus when no scores are
// given), then by arc cost to the facility, then by index, so every facility's order is
// strict and the outcome does not depend on the order in which trainees propose.
//
// A province's max_placed is a pool of places its trainees take when a facility first
// holds them. A trainee whose province has no place left when it proposes is turned
// away and waits. A held trainee keeps its province's place when displaced, to propose
// on; if it finds no other facility, the place goes to the trainee of the province turned
// away longest ago, who resumes with the facility that turned it away. Hence: without
// quotas the result is stable; with them, every blocking pair involves a trainee whose
// province has placed its maximum.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/text.hpp"
#include "balai/planning/allocation/allocation.hpp"

namespace balai {
namespace {

constexpr const char* kWhere = "stable allocation";

std::string trainee_at(std::size_t trainee) { return "trainee " + std::to_string(trainee); }

std::string element(const char* field, std::size_t index) {
  std::string name(field);
  name.append("[").append(std::to_string(index)).append("]");
  return name;
}

// Trainee t's choices are positions [first[t], first[t + 1]); position p is the arc
// `arc[p]`, or arc p itself when trainees rank their candidates by distance.
struct Preferences {
  std::vector<std::uint32_t> first;
  std::vector<std::uint32_t> arc;
  bool by_distance = true;

  [[nodiscard]] std::uint32_t arc_at(std::uint32_t position) const {
    return by_distance ? position : arc[position];
  }
};

Preferences preferences(const AllocationProblem& problem,
                        std::span<const std::vector<FacilityIndex>> rankings) {
  if (rankings.empty()) return {problem.first_arc, {}, true};
  if (rankings.size() != problem.trainees()) {
    throw ValidationError(
        Problem{kWhere, "rankings", std::to_string(rankings.size()) + " lists",
                "needs one per trainee (" + std::to_string(problem.trainees()) + ") or none"});
  }
  Preferences result{{0}, {}, false};
  std::vector<Problem> problems;
  // Stamps (trainee + 1) so that the arrays need no clearing between trainees.
  std::vector<std::size_t> candidate_of(problem.facilities(), 0);
  std::vector<std::size_t> ranked_by(problem.facilities(), 0);
  std::vector<std::uint32_t> arc_of(problem.facilities(), 0);
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    for (auto arc = problem.first_arc[t]; arc < problem.first_arc[t + 1]; ++arc) {
      candidate_of[problem.arc_facility[arc].pos()] = t + 1;
      arc_of[problem.arc_facility[arc].pos()] = arc;
    }
    for (std::size_t rank = 0; rank < rankings[t].size(); ++rank) {
      const std::size_t f = rankings[t][rank].pos();
      const auto field = [&] { return element("rankings", t).append(element("", rank)); };
      if (f >= problem.facilities() || candidate_of[f] != t + 1) {
        problems.push_back({trainee_at(t), field(), std::to_string(f),
                            "not a candidate: out of range or not eligible"});
      } else if (ranked_by[f] == t + 1) {
        problems.push_back({trainee_at(t), field(), std::to_string(f), "ranked twice"});
      } else {
        ranked_by[f] = t + 1;
        result.arc.push_back(arc_of[f]);
      }
    }
    result.first.push_back(static_cast<std::uint32_t>(result.arc.size()));
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
  return result;
}

void check_scores(const AllocationProblem& problem, std::span<const double> scores) {
  if (scores.empty()) return;
  if (scores.size() != problem.trainees()) {
    throw ValidationError(
        Problem{kWhere, "scores", std::to_string(scores.size()) + " values",
                "needs one per trainee (" + std::to_string(problem.trainees()) + ") or none"});
  }
  std::vector<Problem> problems;
  for (std::size_t t = 0; t < scores.size(); ++t) {
    if (!std::isfinite(scores[t])) {
      problems.push_back(
          {trainee_at(t), element("scores", t), printable(scores[t]), "must be finite"});
    }
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

// A trainee as the facility holding it sees it.
struct Held {
  double priority = 0.0;
  std::int32_t cost = 0;
  std::uint32_t trainee = 0;
};

// A function object rather than a function, so that the heap algorithms inline it.
constexpr auto ranks_above = [](const Held& a, const Held& b) {
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.cost != b.cost) return a.cost < b.cost;
  return a.trainee < b.trainee;
};

class DeferredAcceptance {
 public:
  DeferredAcceptance(const AllocationProblem& problem, Preferences preferences,
                     std::span<const double> scores)
      : problem_(problem),
        preferences_(std::move(preferences)),
        scores_(scores),
        next_(preferences_.first.begin(), preferences_.first.end() - 1),
        held_(problem.facilities()),
        facility_(problem.trainees(), AllocationSolution::kUnplaced) {
    places_left_.fill(ProvinceQuota::kUnlimited);
    for (const auto& quota : problem.quotas) places_left_[quota.province.pos()] = quota.max_placed;
  }

  std::vector<std::int32_t> run() {
    for (std::uint32_t t = 0; t < problem_.trainees(); ++t) {
      active_.push_back(t);
      while (!active_.empty()) {
        const std::uint32_t trainee = active_.back();
        active_.pop_back();
        propose(trainee);
      }
    }
    return std::move(facility_);
  }

 private:
  // Proposes down the trainee's list until a facility holds it, its province turns it
  // away, or the list ends. A trainee it displaces becomes active.
  void propose(std::uint32_t trainee) {
    const ProvinceCode province = problem_.province[trainee];
    for (; next_[trainee] < preferences_.first[trainee + 1]; ++next_[trainee]) {
      if (places_left_[province.pos()] <= 0) {
        turned_away_[province.pos()].push_back(trainee);
        return;
      }
      const std::uint32_t arc = preferences_.arc_at(next_[trainee]);
      const std::size_t facility = problem_.arc_facility[arc].pos();
      const Held offer{priority(trainee), problem_.arc_cost_m[arc], trainee};
      auto& held = held_[facility];
      if (held.size() < static_cast<std::size_t>(problem_.capacity[facility])) {
        held.push_back(offer);
        std::push_heap(held.begin(), held.end(), ranks_above);
      } else if (!held.empty() && ranks_above(offer, held.front())) {
        const std::uint32_t displaced = held.front().trainee;
        std::pop_heap(held.begin(), held.end(), ranks_above);
        held.back() = offer;
        std::push_heap(held.begin(), held.end(), ranks_above);
        facility_[displaced] = AllocationSolution::kUnplaced;
        ++places_left_[problem_.province[displaced].pos()];
        active_.push_back(displaced);
      } else {
        continue;
      }
      facility_[trainee] = static_cast<std::int32_t>(facility);
      --places_left_[province.pos()];
      ++next_[trainee];
      return;
    }
    auto& waiting = turned_away_[province.pos()];
    if (places_left_[province.pos()] > 0 && !waiting.empty()) {
      active_.push_back(waiting.front());
      waiting.pop_front();
    }
  }

  [[nodiscard]] double priority(std::uint32_t trainee) const {
    return scores_.empty() ? static_cast<double>(problem_.bonus_m[trainee]) : scores_[trainee];
  }

  const AllocationProblem& problem_;
  Preferences preferences_;
  std::span<const double> scores_;
  std::vector<std::uint32_t> next_;  // position of each trainee's next proposal
  // Per facility, the trainees it holds, the one it ranks lowest on top.
  std::vector<std::vector<Held>> held_;
  std::vector<std::int32_t> facility_;
  std::array<int, kProvinceCodes> places_left_{};
  std::array<std::deque<std::uint32_t>, kProvinceCodes> turned_away_{};
  std::vector<std::uint32_t> active_;
};

}  // namespace

AllocationSolution solve_stable(const AllocationProblem& problem,
                                std::span<const std::vector<FacilityIndex>> rankings,
                                std::span<const double> scores) {
  problem.check();
  check_scores(problem, scores);
  AllocationSolution solution;
  solution.facility = DeferredAcceptance(problem, preferences(problem, rankings), scores).run();
  solution.cost = objective(problem, solution.facility);
  return solution;
}

}  // namespace balai
