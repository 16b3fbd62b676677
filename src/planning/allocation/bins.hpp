// The state of the exact allocation (solve_optimal.cpp): where each trainee is, the load
// and price of each bin, and, for each pair of bins, the trainees that could move between
// them ordered by what the move costs.
//
// Bins 0..F-1 are the facilities; bin F + s is the unplaced node of the s-th province
// with trainees. A bin holds units at a convex cost: a facility has one free segment of
// its capacity; an unplaced node has the quota's segments (-Q up to n - max_placed, 0 up
// to n - min_placed, +Q beyond). Units a bin holds beyond what its segments absorb at its
// price are its excess. Every bin's data is only touched by the thread that owns its
// component, so components can be solved in parallel without locks.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "balai/planning/allocation/allocation_problem.hpp"

namespace balai::detail {

// Moving trainee `trainee` out of the bin it is in costs `key` more than staying; the
// entry is stale once the trainee has moved since (`stamp` differs).
struct Move {
  std::int64_t key = 0;
  std::uint32_t trainee = 0;
  std::uint32_t stamp = 0;
};

class Bins {
 public:
  // The trainees at one bin that could move to bin `to`, cheapest move first. The top of
  // the heap is never stale (a trainee that leaves clears its entries off the tops), so
  // a search reads the cheapest move's key from the pair itself.
  struct Pair {
    std::uint32_t to = 0;
    std::uint32_t ticket = 0;       // of this pair's live entry in its bin's queue
    bool queued = false;            // whether it has one
    std::int64_t queued_value = 0;  // that entry's value
    std::int64_t top_key = 0;       // key of heap.front(), when the heap is not empty
    std::vector<Move> heap{};       // min-heap by (key, trainee)
  };
  // An entry of a bin's queue of pairs: `slot` is the pair's position in Out::pairs.
  struct Queued {
    std::int64_t value = 0;
    std::uint32_t slot = 0;
    std::uint32_t ticket = 0;
  };
  // Heap order of queues: the smallest value on top.
  static constexpr auto queued_after = [](const Queued& a, const Queued& b) noexcept {
    return a.value > b.value;
  };

  // `penalty` is the cost of leaving a trainee unplaced (before its bonus): the problem's
  // own unplaced_penalty(), or that of the whole problem this one is a part of, so that a
  // part reaches the prices and costs of the whole (objective.hpp).
  Bins(const AllocationProblem& problem, std::int64_t penalty);

  [[nodiscard]] std::uint32_t size() const noexcept {
    return static_cast<std::uint32_t>(load_.size());
  }
  [[nodiscard]] std::int64_t price(std::uint32_t bin) const noexcept { return price_[bin]; }
  void raise_price(std::uint32_t bin, std::int64_t delta) noexcept { price_[bin] += delta; }

  [[nodiscard]] std::int64_t excess(std::uint32_t bin) const noexcept {
    return load_[bin] - absorbed_[bin];
  }
  // The cost of the next unit the bin's segments can absorb; none when they are full.
  [[nodiscard]] std::optional<std::int64_t> absorb_cost(std::uint32_t bin) const noexcept;
  void absorb_one(std::uint32_t bin) noexcept;

  // Calls relax(pair, value) for each pair out of `bin` whose cheapest move has a value
  // (move key + price of the destination) below `limit`, in increasing order of value;
  // relax returns the limit from then on (a search lowers it as it finds shorter paths).
  // Each bin keeps its pairs in a queue by a lower bound of that value (prices and keys
  // only rise, except when a trainee arrives, which queues the pair anew), so a search
  // looks only at the moves that can still beat the best path it knows.
  // Working memory of scan_moves, the caller's, so threads on other components need no lock.
  struct ScanScratch {
    std::vector<Queued> frontier{};
    std::vector<std::uint32_t> fixes{};
  };
  template <class Relax>
  void scan_moves(std::uint32_t bin, std::int64_t limit, ScanScratch& scratch, Relax&& relax);
  // Moves the cheapest trainee along `pair` out of `from`.
  void move_cheapest(std::uint32_t from, Pair& pair);

  // Bins with excess, grouped by connected component (bins that some trainee's options
  // link), each group in increasing bin order; components in order of their first bin.
  [[nodiscard]] std::vector<std::vector<std::uint32_t>> components_with_excess() const;
  [[nodiscard]] std::size_t total_excess() const noexcept;

  // The trainees' places, the prices and the objective (at `penalty`).
  [[nodiscard]] AllocationSolution solution() const;

 private:
  struct Segment {
    std::int64_t cost = 0;
    std::int64_t capacity = 0;
  };
  struct Segments {
    std::array<Segment, 3> list{};
    std::uint8_t count = 0;
    std::uint8_t current = 0;  // first segment with room
    std::int64_t used = 0;     // units in the current segment
  };

  [[nodiscard]] std::uint32_t unplaced_bin(std::size_t trainee) const noexcept;
  [[nodiscard]] std::int64_t option_cost(std::size_t trainee, std::uint32_t bin) const noexcept;
  // Calls visit(bin, cost) for each option of `trainee`: its candidates, then unplaced.
  template <class Visit>
  void for_each_option(std::size_t trainee, Visit&& visit) const;

  // Everything about the moves out of one bin.
  struct Out {
    std::vector<Pair> pairs{};  // append-only, so positions are stable
    std::vector<std::pair<std::uint32_t, std::uint32_t>> slot_of{};  // (to, slot), by to
    std::vector<Queued> queue{};                                     // min-heap by value
    std::size_t dead = 0;  // entries of the queue that are no pair's live entry
  };
  static constexpr std::int64_t kDeadEntry = std::numeric_limits<std::int64_t>::max();

  // Drops stale entries off the top of the pair's heap and notes the new top's key.
  void settle_top(Pair& pair);
  [[nodiscard]] Pair* find_pair(std::uint32_t from, std::uint32_t to);
  // Where (to, slot) is, or belongs, in out.slot_of.
  [[nodiscard]] static auto slot_entry(Out& out, std::uint32_t to)
      -> std::vector<std::pair<std::uint32_t, std::uint32_t>>::iterator;
  void enqueue(Out& out, std::uint32_t slot, std::int64_t value);
  // Sifts down the queue entries whose values scan_moves raised (dead ones to the
  // bottom), largest position first so each sift meets only entries already in order, and
  // drops the dead ones once they are half the queue.
  void restore_queue(Out& out, std::vector<std::uint32_t>& raised);

  void add_province_bins();
  void place_everyone_at_cheapest();
  void price_overfull_facilities();
  void absorb_initial_loads();
  void index_moves_from(std::size_t trainee, bool keep_heaps);
  Pair& pair(std::uint32_t from, std::uint32_t to);

  const AllocationProblem& problem_;
  std::int64_t penalty_;
  std::vector<std::uint32_t> slot_of_province_;  // by province code
  std::vector<ProvinceCode> province_of_slot_;

  std::vector<std::int64_t> load_;
  std::vector<std::int64_t> absorbed_;
  std::vector<std::int64_t> price_;
  std::vector<Segments> segments_;
  std::vector<Out> out_;

  std::vector<std::uint32_t> bin_of_;  // per trainee
  std::vector<std::uint32_t> stamp_;   // per trainee, bumped on every move
};

template <class Relax>
void Bins::scan_moves(std::uint32_t bin, std::int64_t limit, ScanScratch& scratch, Relax&& relax) {
  Out& out = out_[bin];
  auto& queue = out.queue;
  // The entries below the limit form a subtree at the top of the queue's heap: visit it
  // in increasing order through a small frontier heap, without popping, and only then
  // put right the entries found out of date.
  auto& frontier = scratch.frontier;
  frontier.clear();
  scratch.fixes.clear();
  const auto visit = [&](std::size_t at) {
    if (at >= queue.size() || queue[at].value >= limit) return;
    frontier.push_back({queue[at].value, static_cast<std::uint32_t>(at), 0});
    std::push_heap(frontier.begin(), frontier.end(), queued_after);
  };
  visit(0);
  while (!frontier.empty()) {
    std::pop_heap(frontier.begin(), frontier.end(), queued_after);
    const std::uint32_t at = frontier.back().slot;
    frontier.pop_back();
    if (queue[at].value >= limit) continue;
    visit(2 * std::size_t{at} + 1);
    visit(2 * std::size_t{at} + 2);

    Queued& entry = queue[at];
    Pair& pair = out.pairs[entry.slot];
    if (entry.ticket != pair.ticket || pair.heap.empty()) {
      if (entry.ticket == pair.ticket) pair.queued = false;
      entry.value = kDeadEntry;
      scratch.fixes.push_back(at);
      continue;
    }
    const std::int64_t value = pair.top_key + price_[pair.to];
    if (value > entry.value) {
      entry.value = pair.queued_value = value;
      scratch.fixes.push_back(at);
    }
    if (value < limit) limit = relax(pair, value);
  }
  restore_queue(out, scratch.fixes);
}

}  // namespace balai::detail
