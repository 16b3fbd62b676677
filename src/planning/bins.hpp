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

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "balai/planning/allocation_problem.hpp"

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
  struct Pair {
    std::uint32_t to = 0;
    std::vector<Move> heap{};  // min-heap by (key, trainee)
  };

  explicit Bins(const AllocationProblem& problem);

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

  [[nodiscard]] std::span<Pair> pairs_from(std::uint32_t bin) noexcept { return out_[bin]; }
  // The cheapest move along `pair`, dropping stale entries; none when no trainee can move.
  [[nodiscard]] std::optional<Move> cheapest_move(Pair& pair);
  // Moves the cheapest trainee along `pair` out of `from`.
  void move_cheapest(std::uint32_t from, Pair& pair);

  // Bins with excess, grouped by connected component (bins that some trainee's options
  // link), each group in increasing bin order; components in order of their first bin.
  [[nodiscard]] std::vector<std::vector<std::uint32_t>> components_with_excess() const;
  [[nodiscard]] std::size_t total_excess() const noexcept;

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

  void add_province_bins();
  void place_everyone_at_cheapest();
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
  std::vector<std::vector<Pair>> out_;  // sorted by `to`

  std::vector<std::uint32_t> bin_of_;  // per trainee
  std::vector<std::uint32_t> stamp_;   // per trainee, bumped on every move
};

}  // namespace balai::detail
