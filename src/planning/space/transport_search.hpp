// The transportation solver's step (transport.cpp): the cheapest path between bins from a
// bin that breaks an optimality condition, the prices updated, and as many units as the
// path carries moved along it. Internal to src/planning/space.
//
// The search is Dijkstra over bins on reduced costs, with the bins' prices as potentials,
// in the direction `Direction` gives (transport.cpp's Push and Pull). It provides:
//   needs(bin)                   whether the bin still breaks a condition;
//   for_each_move(bin, visit)    visit(next, reduced cost, move) per neighbouring bin;
//   end_cost(bin, dist)          the cost of a path that ends at the bin when the bin is
//                                reached at `dist`, or kUnbounded;
//   passes_through(bin)          whether a path may go on beyond the bin;
//   amount(start, end)           the most a path from start to end may carry, its
//                                options aside;
//   arrived(option)              units arrived at an option that had none;
//   kPriceSign                   +1 if settled bins' prices rise, -1 if they fall.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "../bin_label.hpp"
#include "transport_moves.hpp"
#include "transport_units.hpp"

namespace balai::detail::transport {

template <class Direction>
class CheapestPaths {
 public:
  CheapestPaths(Units& units, Direction& direction)
      : units_(units),
        direction_(direction),
        dist_(units.bins(), kUnbounded),
        parent_(units.bins(), 0),
        from_(units.bins(), 0),
        to_(units.bins(), 0) {}

  void step(std::uint32_t start) {
    search(start);
    update_prices();
    augment(start);
    reset();
  }

 private:
  using Label = BinLabel;

  // A label no shorter than the best end found cannot lead to a better one, so it is not
  // kept.
  void reach(std::uint32_t bin, std::int64_t dist, std::uint32_t parent, const Move& move) {
    if (dist >= dist_[bin] || dist >= best_) return;
    if (dist_[bin] == kUnbounded) touched_.push_back(bin);
    dist_[bin] = dist;
    parent_[bin] = parent;
    from_[bin] = move.from;
    to_[bin] = move.to;
    if (const auto end = direction_.end_cost(bin, dist); end < best_) {
      best_ = end;
      end_ = bin;
    }
    if (!direction_.passes_through(bin)) return;
    heap_.push_back({dist, bin});
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
  }

  // From `start` until no label is shorter than the best end. Each move's reduced cost is
  // >= 0 because every unit sits at one of its demand's cheapest options at these prices.
  void search(std::uint32_t start) {
    best_ = kUnbounded;
    reach(start, 0, start, Move{});
    while (!heap_.empty() && heap_.front().dist < best_) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
      const Label label = heap_.back();
      heap_.pop_back();
      if (label.dist > dist_[label.bin]) continue;
      settled_.push_back(label.bin);
      direction_.for_each_move(
          label.bin, [&](std::uint32_t next, std::int64_t reduced_cost, const Move& move) {
            reach(next, label.dist + reduced_cost, label.bin, move);
          });
    }
  }

  // Johnson's update with the search stopped at the best end's cost D: every settled bin's
  // price moves by D - dist, which keeps reduced costs non-negative and makes the path's
  // zero.
  void update_prices() {
    for (const auto bin : settled_) {
      units_.add_to_price(bin, Direction::kPriceSign * (best_ - dist_[bin]));
    }
  }

  // Walks the path back from its end twice: once for the bottleneck, once to move the
  // units. Each option loses units at most once (the path's bins are distinct and an
  // option belongs to one bin), so its units before the walk bound what it can give. A path
  // that ends where it starts moves nothing: the price update was the step.
  void augment(std::uint32_t start) {
    std::int64_t units = direction_.amount(start, end_);
    for (auto bin = end_; bin != start; bin = parent_[bin]) {
      units = std::min(units, units_.flow(from_[bin]));
    }
    for (auto bin = end_; bin != start; bin = parent_[bin]) {
      if (units_.move(from_[bin], to_[bin], units)) direction_.arrived(to_[bin]);
    }
  }

  void reset() {
    for (const auto bin : touched_) dist_[bin] = kUnbounded;
    touched_.clear();
    settled_.clear();
    heap_.clear();
  }

  Units& units_;
  Direction& direction_;
  std::vector<std::int64_t> dist_;
  std::vector<std::uint32_t> parent_;  // per bin: the bin its label came from
  std::vector<std::uint32_t> from_;    // and the move: the option whose units it takes
  std::vector<std::uint32_t> to_;      // and the option they go to
  std::vector<std::uint32_t> touched_;
  std::vector<std::uint32_t> settled_;
  std::vector<Label> heap_;
  std::int64_t best_ = kUnbounded;  // the cheapest end found
  std::uint32_t end_ = 0;           // that end
};

}  // namespace balai::detail::transport
