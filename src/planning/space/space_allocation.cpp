// allocate_space: tiers in priority order; in each, the whole requests greedily, then the
// splittable ones as one exact transportation problem per (kind, label) and week
// (transport.hpp). Grants of units per request, resource and week are merged into
// bookings at the end.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "../../core/parallel.hpp"
#include "../progress.hpp"
#include "balai/core/enum_names.hpp"
#include "balai/planning/space/space_allocation.hpp"
#include "space_candidates.hpp"
#include "space_steps.hpp"
#include "transport.hpp"

namespace balai {
namespace {

using detail::SpaceCandidates;

// What this allocation may still take, per resource and week: free capacity less the
// existing bookings and the grants made so far.
class Availability {
 public:
  Availability(const SpaceInventory& inventory, std::span<const Booking> existing)
      : weeks_(static_cast<std::size_t>(inventory.weeks)),
        left_(inventory.resources.size() * weeks_) {
    for (std::size_t r = 0; r < inventory.resources.size(); ++r) {
      for (int w = 0; w < inventory.weeks; ++w) at(r, w) = inventory.free(r, w);
    }
    for (const Booking& booking : existing) {
      for (int w = booking.first_week; w < booking.first_week + booking.weeks; ++w)
        at(booking.resource, w) -= booking.amount;
    }
  }
  [[nodiscard]] int& at(std::size_t resource, int week) {
    return left_[resource * weeks_ + static_cast<std::size_t>(week)];
  }

 private:
  std::size_t weeks_;
  std::vector<int> left_;
};

// The order requests are served in: tiers by (graduate, priority), highest first; a tier
// lists its requests in input order.
std::vector<std::vector<std::uint32_t>> tiers_of(std::span<const SpaceRequest> requests,
                                                 const SpaceOptions& options) {
  std::map<std::pair<bool, int>, std::vector<std::uint32_t>, std::greater<>> tiers;
  for (std::uint32_t r = 0; r < requests.size(); ++r) {
    const bool first = options.graduates_first && requests[r].graduate;
    tiers[{first, requests[r].priority}].push_back(r);
  }
  std::vector<std::vector<std::uint32_t>> result;
  for (auto& [key, members] : tiers) result.push_back(std::move(members));
  return result;
}

std::int64_t metres(double km) { return std::llround(km * 1000.0); }

// Requests that cannot be split, largest (amount x weeks) first: each to the nearest
// candidate with the full amount left in every week it asks for.
void place_whole(std::vector<std::uint32_t> members, std::span<const SpaceRequest> requests,
                 const SpaceCandidates& candidates, Availability& left,
                 std::vector<detail::Grant>& grants) {
  const auto volume = [&](std::uint32_t r) {
    return std::int64_t{requests[r].amount} * requests[r].weeks;
  };
  std::stable_sort(members.begin(), members.end(),
                   [&](auto a, auto b) { return volume(a) > volume(b); });
  for (auto r : members) {
    const SpaceRequest& request = requests[r];
    const auto weeks = [&](auto visit) {
      for (int w = request.first_week; w < request.first_week + request.weeks; ++w) visit(w);
    };
    for (const auto& candidate : candidates.of(r)) {
      bool fits = true;
      weeks([&](int w) { fits = fits && left.at(candidate.resource, w) >= request.amount; });
      if (!fits) continue;
      weeks([&](int w) {
        left.at(candidate.resource, w) -= request.amount;
        grants.push_back({r, candidate.resource, w, request.amount});
      });
      break;
    }
  }
}

// The splittable requests of one tier that want (kind, label) in one week: a
// transportation problem over the resources among their candidates.
struct WeekProblem {
  std::vector<std::uint32_t> demands{};  // request indices
  int week = 0;
};

std::vector<WeekProblem> week_problems(std::span<const std::uint32_t> members,
                                       std::span<const SpaceRequest> requests) {
  std::map<std::tuple<ResourceKind, std::string, int>, WeekProblem> problems;
  for (auto r : members) {
    const SpaceRequest& request = requests[r];
    for (int w = request.first_week; w < request.first_week + request.weeks; ++w) {
      WeekProblem& problem = problems[{request.kind, request.label, w}];
      problem.week = w;
      problem.demands.push_back(r);
    }
  }
  std::vector<WeekProblem> result;
  result.reserve(problems.size());
  for (auto& [key, problem] : problems) result.push_back(std::move(problem));
  return result;
}

// Solves one week's problem and takes what it grants from `left`. Problems of different
// (kind, label) or weeks share no resource-week, so they may run in parallel.
class WeekSolver {
 public:
  WeekSolver(std::span<const SpaceRequest> requests, const SpaceCandidates& candidates,
             std::size_t resources)
      : requests_(requests), candidates_(candidates), local_(resources, kNone) {}

  std::vector<detail::Grant> solve(const WeekProblem& week, Availability& left) {
    build(week, left);
    const auto solution = detail::solve_transport(problem_);
    std::vector<detail::Grant> grants;
    for (std::size_t d = 0; d < week.demands.size(); ++d) {
      for (auto arc = problem_.first_arc[d]; arc < problem_.first_arc[d + 1]; ++arc) {
        const auto amount = static_cast<int>(solution.flow[arc]);
        if (amount == 0) continue;
        const std::uint32_t resource = bins_[problem_.arc_bin[arc]];
        left.at(resource, week.week) -= amount;
        grants.push_back({week.demands[d], resource, week.week, amount});
      }
    }
    for (auto resource : bins_) local_[resource] = kNone;
    return grants;
  }

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  void build(const WeekProblem& week, Availability& left) {
    problem_ = {};
    bins_.clear();
    std::int64_t max_cost = 0;
    std::int64_t units = 0;
    for (auto r : week.demands) {
      for (const auto& candidate : candidates_.of(r)) {
        std::uint32_t& bin = local_[candidate.resource];
        if (bin == kNone) {
          bin = static_cast<std::uint32_t>(bins_.size());
          bins_.push_back(candidate.resource);
          problem_.capacity.push_back(std::max(0, left.at(candidate.resource, week.week)));
        }
        problem_.arc_bin.push_back(bin);
        problem_.arc_cost.push_back(metres(candidate.distance_km));
        max_cost = std::max(max_cost, problem_.arc_cost.back());
      }
      problem_.first_arc.push_back(static_cast<std::uint32_t>(problem_.arc_bin.size()));
      problem_.supply.push_back(requests_[r].amount);
      units += requests_[r].amount;
    }
    // Leaving a unit unserved costs more than any path of moves can save (a path visits
    // each bin at most once), so the solver serves the most units before it saves travel.
    const std::int64_t unserved = (static_cast<std::int64_t>(bins_.size()) + 1) * (max_cost + 1);
    detail::check_fits(units, unserved);
    problem_.unserved_cost.assign(week.demands.size(), unserved);
  }

  std::span<const SpaceRequest> requests_;
  const SpaceCandidates& candidates_;
  std::vector<std::uint32_t> local_;  // per resource: its bin in the current problem
  std::vector<std::uint32_t> bins_;   // per bin: its resource
  detail::TransportProblem problem_;
};

void place_split(std::span<const std::uint32_t> members, std::span<const SpaceRequest> requests,
                 const SpaceCandidates& candidates, const SpaceInventory& inventory,
                 const SpaceOptions& options, Availability& left,
                 detail::ProgressReporter& reporter, std::vector<detail::Grant>& grants) {
  const auto problems = week_problems(members, requests);
  // The largest problems first, so that no thread is left with a large one at the end
  // while the others wait. The problems share nothing, so the order changes no result.
  std::vector<std::size_t> order(problems.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return problems[a].demands.size() > problems[b].demands.size();
  });
  std::vector<std::vector<detail::Grant>> granted(problems.size());
  std::atomic<std::size_t> next{0};
  const auto workers = detail::worker_count(options.threads);
  detail::run_on_threads(std::min(workers, std::max<std::size_t>(problems.size(), 1)), [&] {
    WeekSolver solver(requests, candidates, inventory.resources.size());
    for (std::size_t i = next++; i < order.size() && !reporter.cancelled(); i = next++) {
      const std::size_t p = order[i];
      granted[p] = solver.solve(problems[p], left);
      reporter.advance(problems[p].demands.size());
    }
  });
  for (auto& part : granted) grants.insert(grants.end(), part.begin(), part.end());
}

}  // namespace

std::vector<Problem> check(const SpaceOptions& options) {
  std::vector<Problem> problems;
  if (options.k < 1 || options.k > 256)
    problems.push_back({"space options", "k", std::to_string(options.k), "must be 1..256"});
  if (options.threads < 0)
    problems.push_back(
        {"space options", "threads", std::to_string(options.threads), "must be 0 or more"});
  return problems;
}

SpaceAllocation allocate_space(const SpaceInventory& inventory,
                               std::span<const SpaceRequest> requests, const SpaceOptions& options,
                               std::span<const Booking> existing,
                               const ProgressCallback& progress) {
  detail::check_inputs(inventory, requests, options, existing);
  const SpaceCandidates candidates = detail::space_candidates(inventory, requests, options);
  Availability left(inventory, existing);

  std::size_t request_weeks = 0;
  for (const auto& request : requests) request_weeks += static_cast<std::size_t>(request.weeks);
  detail::ProgressReporter reporter(progress, "shared space", request_weeks);

  std::vector<detail::Grant> grants;
  for (const auto& tier : tiers_of(requests, options)) {
    std::vector<std::uint32_t> whole;
    std::vector<std::uint32_t> split;
    for (auto r : tier) (requests[r].splittable ? split : whole).push_back(r);
    place_whole(whole, requests, candidates, left, grants);
    for (auto r : whole) reporter.advance(static_cast<std::size_t>(requests[r].weeks));
    place_split(split, requests, candidates, inventory, options, left, reporter, grants);
  }
  reporter.finish();

  return detail::collect(requests, candidates, options, std::move(grants));
}

}  // namespace balai
