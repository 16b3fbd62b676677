// The moves of units between bins that the transportation solver's searches read
// (transport.cpp): per bin, a heap for each other bin of the moves between the two,
// cheapest first. Internal to src/planning/space.
//
// Prices are per bin, so they shift all of a pair's moves alike and never reorder its heap;
// a search reads one move per pair however many demands share the two bins. Scanning every
// demand at each settled bin, and each of its options, was what made the searches slow
// under heavy shortage, where every search settles many bins (bench/README.md, bench_space).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <tuple>
#include <vector>

namespace balai::detail::transport {

// Units of a demand at option `from` could go to its option `to` at another bin, for
// `key` = cost(to) - cost(from) a unit before prices. A move is stale once `from` has no
// units left; it is dropped when it reaches the top of its heap.
struct Move {
  std::int64_t key = 0;
  std::uint32_t from = 0;
  std::uint32_t to = 0;
};

// Heap order: the cheapest move on top, ties by option numbers (the same on every
// platform).
constexpr auto move_after = [](const Move& a, const Move& b) noexcept {
  return std::tie(a.key, a.from, a.to) > std::tie(b.key, b.from, b.to);
};

// The moves between one bin and each other bin, in one direction (out of the bin, or into
// it), a heap per other bin. The cheapest move of each heap is also kept in `tops_`, so that
// a search reads a bin's tops from one array rather than following each heap's pointer. A
// bin has tens of other bins, not thousands, kept in order: a new move finds its heap by
// binary search, and searches visit them in that order.
class PairMoves {
 public:
  // Adds a move; until make_heaps(), the heaps are not in order and the tops not set.
  void append(std::uint32_t other_bin, const Move& move) {
    heaps_[slot_of(other_bin)].push_back(move);
  }
  void make_heaps() {
    for (std::size_t slot = 0; slot < heaps_.size(); ++slot) {
      std::make_heap(heaps_[slot].begin(), heaps_[slot].end(), move_after);
      tops_[slot] = heaps_[slot].front();
    }
  }
  void push(std::uint32_t other_bin, const Move& move) {
    const std::size_t slot = slot_of(other_bin);
    auto& heap = heaps_[slot];
    heap.push_back(move);
    std::push_heap(heap.begin(), heap.end(), move_after);
    tops_[slot] = heap.front();
  }

  // Calls visit(other_bin, move) with the cheapest live move of each pair, dropping the
  // stale moves it finds on top; live(option) says whether an option has units.
  template <class Live, class Visit>
  void for_each_cheapest(const Live& live, Visit&& visit) {
    for (std::size_t slot = 0; slot < tops_.size(); ++slot) {
      if (tops_[slot].from == kNoMove) continue;
      if (!live(tops_[slot].from) && !drop_stale(slot, live)) continue;
      visit(other_bins_[slot], tops_[slot]);
    }
  }

 private:
  static constexpr std::uint32_t kNoMove = std::numeric_limits<std::uint32_t>::max();

  std::size_t slot_of(std::uint32_t other_bin) {
    const auto at = std::lower_bound(other_bins_.begin(), other_bins_.end(), other_bin);
    const auto slot = static_cast<std::size_t>(at - other_bins_.begin());
    if (at == other_bins_.end() || *at != other_bin) {
      other_bins_.insert(at, other_bin);
      tops_.insert(tops_.begin() + static_cast<std::ptrdiff_t>(slot), Move{});
      heaps_.insert(heaps_.begin() + static_cast<std::ptrdiff_t>(slot), std::vector<Move>{});
    }
    return slot;
  }

  // Pops the stale moves off the heap's top; false when none is left.
  template <class Live>
  bool drop_stale(std::size_t slot, const Live& live) {
    auto& heap = heaps_[slot];
    while (!heap.empty() && !live(heap.front().from)) {
      std::pop_heap(heap.begin(), heap.end(), move_after);
      heap.pop_back();
    }
    if (heap.empty()) {
      tops_[slot].from = kNoMove;
      return false;
    }
    tops_[slot] = heap.front();
    return true;
  }

  std::vector<std::uint32_t> other_bins_;
  std::vector<Move> tops_;
  std::vector<std::vector<Move>> heaps_;
};

}  // namespace balai::detail::transport
