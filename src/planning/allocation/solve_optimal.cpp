// The exact allocation: successive shortest paths between facilities.
//
// A generic min-cost-flow solver sees a million trainee nodes and sixteen million arcs.
// This one keeps the trainees implicit. Every trainee starts at its cheapest option (the
// nearest candidate, or its province's unplaced node), which satisfies every optimality
// condition except capacity; what remains is to move the excess out of over-full places
// at least cost. A "bin" is a place a trainee can be (a facility or a province's unplaced
// node); moving one trainee from bin a to bin b costs c(t, b) - c(t, a), and for each pair
// (a, b) a heap keeps the trainees at a ordered by that difference, so the cheapest move
// between two bins is its top. Shortest paths then run over a few thousand bins, not over
// the trainees, with prices on the bins as potentials (Dijkstra on reduced costs, stopped
// at the first bin that can absorb a unit, looking only at the moves that can still beat
// the best path found: see Bins::scan_moves). The final prices are the dual solution.
//
// The problem splits into parts by island group (allocation_parts.hpp), and each part into
// components that no trainee's options connect (regions beyond each other's range); all
// components of all parts are solved in parallel.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "../../core/parallel.hpp"
#include "../bin_label.hpp"
#include "../progress.hpp"
#include "balai/core/error.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/allocation/allocation_parts.hpp"
#include "bins.hpp"

namespace balai {
namespace {

using detail::Bins;
using detail::ProgressReporter;

constexpr std::int64_t kUnreached = std::numeric_limits<std::int64_t>::max();

// The cheapest-path search and the augmentation, with scratch reused across searches.
// One per thread and part; it only touches the bins of the component it is given.
class PathFinder {
 public:
  explicit PathFinder(Bins& bins)
      : bins_(bins),
        dist_(bins.size() + 1, kUnreached),
        from_(bins.size() + 1, 0),
        via_(bins.size() + 1, nullptr) {}

  // Moves one unit of excess out of `source` along a cheapest path and updates the prices
  // so that every arc of the residual network keeps a non-negative reduced cost.
  void push_one_unit(std::uint32_t source) {
    search(source);
    raise_prices();
    augment(source);
    reset();
  }

 private:
  using Label = detail::BinLabel;

  // The sink behind every bin's segments.
  [[nodiscard]] std::uint32_t sink() const noexcept { return bins_.size(); }

  void reach(std::uint32_t bin, std::int64_t dist, std::uint32_t from, Bins::Pair* via) {
    if (dist >= dist_[bin]) return;
    if (dist_[bin] == kUnreached) touched_.push_back(bin);
    dist_[bin] = dist;
    from_[bin] = from;
    via_[bin] = via;
    heap_.push_back({dist, bin});
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
  }

  // A path to `bin` is also one to the sink if the bin can absorb: knowing it early lets
  // the search skip every move that cannot beat it.
  void reach_through(std::uint32_t bin, std::int64_t dist, std::uint32_t from, Bins::Pair* via) {
    if (dist >= dist_[bin]) return;
    reach(bin, dist, from, via);
    if (auto absorb = bins_.absorb_cost(bin)) {
      reach(sink(), dist + *absorb - bins_.price(bin), bin, nullptr);
    }
  }

  // Dijkstra from `source` until the sink is settled. The sink is always reachable: a
  // province's unplaced node absorbs any number of trainees, and every trainee can move
  // there.
  void search(std::uint32_t source) {
    reach_through(source, 0, source, nullptr);
    while (true) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
      const Label label = heap_.back();
      heap_.pop_back();
      if (label.dist > dist_[label.bin]) continue;
      if (label.bin == sink()) return;
      settled_.push_back(label.bin);
      const std::int64_t price = bins_.price(label.bin);
      // Moves of value v reach their bin at label.dist + v - price: only those below the
      // sink's distance matter.
      const auto limit = [&] {
        return dist_[sink()] == kUnreached ? std::numeric_limits<std::int64_t>::max()
                                           : dist_[sink()] - label.dist + price;
      };
      bins_.scan_moves(label.bin, limit(), scan_scratch_,
                       [&](Bins::Pair& pair, std::int64_t value) {
                         reach_through(pair.to, label.dist + value - price, label.bin, &pair);
                         return limit();
                       });
    }
  }

  // Johnson's update with the search stopped at distance D: every settled bin's price
  // rises by D - dist, which keeps reduced costs non-negative and makes the path's zero.
  void raise_prices() {
    const std::int64_t total = dist_[sink()];
    for (auto bin : settled_) bins_.raise_price(bin, total - dist_[bin]);
  }

  // Walks the path back from the sink: the last bin absorbs a unit, and one trainee moves
  // along each pair. Moving a trainee into a bin adds pairs out of it, which only
  // invalidates pairs this walk has already used.
  void augment(std::uint32_t source) {
    std::uint32_t bin = from_[sink()];
    bins_.absorb_one(bin);
    while (bin != source) {
      bins_.move_cheapest(from_[bin], *via_[bin]);
      bin = from_[bin];
    }
  }

  void reset() {
    for (auto bin : touched_) dist_[bin] = kUnreached;
    touched_.clear();
    settled_.clear();
    heap_.clear();
  }

  Bins& bins_;
  std::vector<std::int64_t> dist_;
  std::vector<std::uint32_t> from_;  // the bin each bin was reached from
  std::vector<Bins::Pair*> via_;     // and the pair it was reached by
  std::vector<std::uint32_t> touched_;
  std::vector<std::uint32_t> settled_;
  std::vector<Label> heap_;
  Bins::ScanScratch scan_scratch_;
};

// One component of one part: the unit of work the threads share. Components share no bin,
// so workers never touch the same data.
struct Task {
  std::size_t part = 0;
  std::size_t component = 0;
  std::int64_t excess = 0;
};

// Builds each part's bins on the workers, then drains every part's components from one
// shared list, largest excess first so that no long one starts last.
std::vector<AllocationSolution> solve_parts(std::span<const AllocationPart> parts,
                                            const ProgressCallback& progress) {
  std::vector<std::optional<Bins>> bins(parts.size());
  std::vector<std::vector<std::vector<std::uint32_t>>> components(parts.size());
  std::atomic<std::size_t> next{0};
  detail::run_on_threads(std::min(detail::worker_count(), parts.size()), [&] {
    for (std::size_t p = next++; p < parts.size(); p = next++) {
      bins[p].emplace(parts[p].problem, parts[p].unplaced_penalty);
      components[p] = bins[p]->components_with_excess();
    }
  });

  std::vector<Task> tasks;
  std::size_t total = 0;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    total += bins[p]->total_excess();
    for (std::size_t c = 0; c < components[p].size(); ++c) {
      std::int64_t excess = 0;
      for (auto bin : components[p][c]) excess += bins[p]->excess(bin);
      tasks.push_back({p, c, excess});
    }
  }
  std::stable_sort(tasks.begin(), tasks.end(),
                   [](const Task& a, const Task& b) { return a.excess > b.excess; });

  ProgressReporter reporter(progress, "allocate", total);
  next = 0;
  detail::run_on_threads(std::min(detail::worker_count(), tasks.size()), [&] {
    std::vector<std::optional<PathFinder>> finders(parts.size());  // made on first use
    for (std::size_t i = next++; i < tasks.size() && !reporter.cancelled(); i = next++) {
      const Task& task = tasks[i];
      Bins& part_bins = *bins[task.part];
      auto& finder = finders[task.part];
      if (!finder) finder.emplace(part_bins);
      for (auto bin : components[task.part][task.component]) {
        while (part_bins.excess(bin) > 0 && !reporter.cancelled()) {
          finder->push_one_unit(bin);
          reporter.advance(1);
        }
      }
    }
  });
  reporter.finish();

  std::vector<AllocationSolution> solutions;
  for (const auto& part_bins : bins) solutions.push_back(part_bins->solution());
  return solutions;
}

}  // namespace

// The whole problem is solved as its parts are, so that parts solved elsewhere merge into
// exactly this solution.
AllocationSolution solve_optimal(const AllocationProblem& problem,
                                 const ProgressCallback& progress) {
  const auto parts = split_by_island_group(problem);
  return merge_solutions(problem, parts, solve_parts(parts, progress));
}

AllocationSolution solve_optimal(const AllocationPart& part, const ProgressCallback& progress) {
  part.problem.check();
  if (const auto own = part.problem.unplaced_penalty(); part.unplaced_penalty < own) {
    throw ValidationError(Problem{"allocation part", "unplaced_penalty",
                                  std::to_string(part.unplaced_penalty),
                                  "below the part's own problem's (" + std::to_string(own) +
                                      "): give the whole problem's unplaced_penalty()"});
  }
  return std::move(solve_parts(std::span(&part, 1), progress).front());
}

}  // namespace balai
