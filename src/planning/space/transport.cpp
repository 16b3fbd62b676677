// The weighted transportation solver: successive shortest paths between bins, each path
// carrying as many units as it can.
//
// An "option" is where a demand's units can be: one of its arcs, or its unserved slot.
// Options are numbered arcs first (0..A-1), then one unserved slot per demand (A + d), so
// one flow vector holds both and an option names its demand. The unserved slots together
// form one more bin, after the facilities, with no capacity limit and price 0.
//
// Invariants between augmentations: every unit sits at an option whose cost plus its bin's
// price is the least of its demand's options (unserved at price 0), prices are >= 0, and a
// bin with a positive price is full or over-full. Only capacity is violated, as excess,
// and each augmentation lowers the total excess without breaking the rest.
//
// The searches run on the bins, not on the demands: for each pair of bins (a, b), a heap
// holds the moves of units from a to b, cheapest first. Prices are per bin, so they shift
// all of a pair's moves alike and never reorder its heap; a search reads one move per pair
// however many demands share the two bins. Scanning every demand at each settled bin, and
// each of its options, was what made the searches slow under heavy shortage, where every
// search settles many bins (bench/README.md, bench_space).
#include "transport.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "../bin_label.hpp"
#include "balai/core/error.hpp"

namespace balai::detail {
namespace {

constexpr std::int64_t kUnreached = std::numeric_limits<std::int64_t>::max();

void require_size(std::size_t size, std::size_t expected, const char* field) {
  if (size != expected) {
    throw ValidationError(Problem{"transport problem", field, std::to_string(size),
                                  "must have " + std::to_string(expected) + " entries"});
  }
}

// Units of a demand at option `from` could go to its option `to` at a bin of their own,
// for `key` = cost(to) - cost(from) a unit before prices. A move is stale once `from` has
// no units left; it is dropped when it reaches the top of its heap.
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

// The moves out of one bin, a heap per destination bin. The cheapest move of each heap is
// also kept in `tops_`, so that a search reads a bin's tops from one array rather than
// following each heap's pointer. A bin has tens of destinations, not thousands, kept in
// order: a new move finds its heap by binary search, and searches visit them in that order.
class MovesFrom {
 public:
  // Adds a move; until make_heaps(), the heaps are not in order and the tops not set.
  void append(std::uint32_t to_bin, const Move& move) { heaps_[slot_of(to_bin)].push_back(move); }
  void make_heaps() {
    for (std::size_t slot = 0; slot < heaps_.size(); ++slot) {
      std::make_heap(heaps_[slot].begin(), heaps_[slot].end(), move_after);
      tops_[slot] = heaps_[slot].front();
    }
  }
  void push(std::uint32_t to_bin, const Move& move) {
    const std::size_t slot = slot_of(to_bin);
    auto& heap = heaps_[slot];
    heap.push_back(move);
    std::push_heap(heap.begin(), heap.end(), move_after);
    tops_[slot] = heap.front();
  }

  // Calls visit(to_bin, move) with the cheapest live move to each destination, dropping
  // the stale moves it finds on top; live(option) says whether an option has units.
  template <class Live, class Visit>
  void for_each_cheapest(const Live& live, Visit&& visit) {
    for (std::size_t slot = 0; slot < tops_.size(); ++slot) {
      if (tops_[slot].from == kNoMove) continue;
      if (!live(tops_[slot].from) && !drop_stale(slot, live)) continue;
      visit(to_bins_[slot], tops_[slot]);
    }
  }

 private:
  static constexpr std::uint32_t kNoMove = std::numeric_limits<std::uint32_t>::max();

  std::size_t slot_of(std::uint32_t to_bin) {
    const auto at = std::lower_bound(to_bins_.begin(), to_bins_.end(), to_bin);
    const auto slot = static_cast<std::size_t>(at - to_bins_.begin());
    if (at == to_bins_.end() || *at != to_bin) {
      to_bins_.insert(at, to_bin);
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

  std::vector<std::uint32_t> to_bins_;
  std::vector<Move> tops_;
  std::vector<std::vector<Move>> heaps_;
};

// Where every unit is, the bins' loads and prices, and the moves between bins.
class Placement {
 public:
  explicit Placement(const TransportProblem& problem)
      : problem_(problem),
        arcs_(static_cast<std::uint32_t>(problem.arc_bin.size())),
        unserved_bin_(static_cast<std::uint32_t>(problem.bins())),
        demand_of_arc_(arcs_),
        flow_(arcs_ + problem.demands(), 0),
        has_units_(arcs_, false),
        load_(problem.bins(), 0),
        price_(problem.bins() + 1, 0),
        moves_(problem.bins()),
        moves_built_(problem.bins(), false),
        arrived_(problem.bins()) {
    for (std::uint32_t d = 0; d < problem.demands(); ++d) {
      std::fill(demand_of_arc_.begin() + problem.first_arc[d],
                demand_of_arc_.begin() + problem.first_arc[d + 1], d);
      add(cheapest_option(d), problem.supply[d]);
    }
  }

  [[nodiscard]] std::uint32_t bins() const noexcept { return unserved_bin_ + 1; }
  [[nodiscard]] std::int64_t excess(std::uint32_t bin) const noexcept {
    return load_[bin] - problem_.capacity[bin];
  }
  // How many more units the bin takes at its current price.
  [[nodiscard]] std::int64_t room(std::uint32_t bin) const noexcept {
    return bin == unserved_bin_ ? kUnreached : -excess(bin);
  }
  [[nodiscard]] std::int64_t price(std::uint32_t bin) const noexcept { return price_[bin]; }
  void raise_price(std::uint32_t bin, std::int64_t delta) noexcept { price_[bin] += delta; }

  [[nodiscard]] std::int64_t flow(std::uint32_t option) const noexcept { return flow_[option]; }
  [[nodiscard]] std::uint32_t bin_of(std::uint32_t option) const noexcept {
    return option < arcs_ ? problem_.arc_bin[option] : unserved_bin_;
  }

  // Calls visit(to_bin, move) with the cheapest live move of each pair out of the
  // facility `bin`, dropping the stale moves it finds on top.
  template <class Visit>
  void for_each_cheapest_move(std::uint32_t bin, Visit&& visit) {
    if (!moves_built_[bin]) build_moves(bin);
    moves_[bin].for_each_cheapest([&](std::uint32_t arc) { return has_units_[arc]; }, visit);
  }

  void move(std::uint32_t from, std::uint32_t to, std::int64_t units) {
    add(from, -units);
    add(to, units);
  }

  // The solution, built from the placement's own flows after its moves are freed, so that
  // a problem's peak memory is its search's rather than its search's and a copy of its
  // flows. The placement is spent afterwards.
  [[nodiscard]] TransportSolution take_solution() {
    moves_ = {};
    arrived_ = {};
    TransportSolution solution;
    for (std::uint32_t option = 0; option < flow_.size(); ++option) {
      solution.cost += flow_[option] * cost(option);
    }
    solution.unserved.assign(flow_.begin() + arcs_, flow_.end());
    flow_.resize(arcs_);
    solution.flow = std::move(flow_);
    solution.price.assign(price_.begin(), price_.end() - 1);
    return solution;
  }

 private:
  [[nodiscard]] std::int64_t cost(std::uint32_t option) const noexcept {
    return option < arcs_ ? problem_.arc_cost[option] : problem_.unserved_cost[option - arcs_];
  }

  // The least by (cost, bin, option): ties to the lowest bin, unserved after any arc as
  // dear (its bin comes after every facility).
  [[nodiscard]] std::uint32_t cheapest_option(std::uint32_t demand) const {
    std::uint32_t best = arcs_ + demand;
    const auto order = [&](std::uint32_t option) {
      return std::tuple{cost(option), bin_of(option), option};
    };
    for (auto arc = problem_.first_arc[demand]; arc < problem_.first_arc[demand + 1]; ++arc) {
      if (order(arc) < order(best)) best = arc;
    }
    return best;
  }

  void add(std::uint32_t option, std::int64_t units) {
    const bool arrives = flow_[option] == 0 && units > 0;
    flow_[option] += units;
    if (option >= arcs_) return;
    const std::uint32_t bin = problem_.arc_bin[option];
    load_[bin] += units;
    has_units_[option] = flow_[option] > 0;
    if (!arrives) return;
    if (moves_built_[bin]) {
      queue_moves(option, &MovesFrom::push);
    } else {
      arrived_[bin].push_back(option);
    }
  }

  // A bin's moves are built the first time a search settles it: in a problem with room to
  // spare most bins never are, and building every bin's up front cost more than the
  // searches. An arc listed twice (its units left and came back) queues its moves twice,
  // which costs a little room and nothing else.
  void build_moves(std::uint32_t bin) {
    for (const auto arc : std::exchange(arrived_[bin], {})) {
      if (has_units_[arc]) queue_moves(arc, &MovesFrom::append);
    }
    moves_[bin].make_heaps();
    moves_built_[bin] = true;
  }

  // Units arrived at the arc `from`: each other option of its demand at another bin is a
  // move out of from's bin. A move queued before, while `from` last had units, may still
  // be in its heap; the copy costs a little room and nothing else.
  void queue_moves(std::uint32_t from, void (MovesFrom::*queue_move)(std::uint32_t, const Move&)) {
    const std::uint32_t bin = problem_.arc_bin[from];
    const std::uint32_t demand = demand_of_arc_[from];
    const auto queue = [&](std::uint32_t to) {
      const std::uint32_t to_bin = bin_of(to);
      if (to_bin == bin) return;
      (moves_[bin].*queue_move)(to_bin, {cost(to) - cost(from), from, to});
    };
    for (auto to = problem_.first_arc[demand]; to < problem_.first_arc[demand + 1]; ++to) {
      queue(to);
    }
    queue(arcs_ + demand);
  }

  const TransportProblem& problem_;
  std::uint32_t arcs_;
  std::uint32_t unserved_bin_;
  std::vector<std::uint32_t> demand_of_arc_;
  std::vector<std::int64_t> flow_;  // per option
  // Per arc, whether it has units: what a search checks for every move it reads, small
  // enough to stay in cache where flow_ is not.
  std::vector<bool> has_units_;
  std::vector<std::int64_t> load_;   // per facility
  std::vector<std::int64_t> price_;  // per bin, the unserved bin's stays 0
  std::vector<MovesFrom> moves_;     // per facility: the moves out of it, once built
  std::vector<bool> moves_built_;    // per facility
  std::vector<std::vector<std::uint32_t>> arrived_;  // per facility: arcs that received
                                                     // units before its moves were built
};

// The cheapest-path search and the augmentation, with scratch reused across searches.
class PathFinder {
 public:
  explicit PathFinder(Placement& placement)
      : placement_(placement),
        dist_(placement.bins(), kUnreached),
        out_of_(placement.bins(), 0),
        into_(placement.bins(), 0) {}

  // Moves as much of the source's excess as one cheapest path carries, and updates the
  // prices so that every move keeps a non-negative reduced cost.
  void push_excess(std::uint32_t source) {
    search(source);
    raise_prices();
    augment(source);
    reset();
  }

 private:
  using Label = detail::BinLabel;

  // A bin that can take units ends a path; a label no shorter than the best such path
  // cannot lead to a better one, so it is not kept.
  void reach(std::uint32_t bin, std::int64_t dist, std::uint32_t out_of, std::uint32_t into) {
    if (dist >= dist_[bin] || dist >= best_) return;
    if (dist_[bin] == kUnreached) touched_.push_back(bin);
    dist_[bin] = dist;
    out_of_[bin] = out_of;
    into_[bin] = into;
    if (placement_.room(bin) > 0) {
      best_ = dist;
      end_ = bin;
      return;
    }
    heap_.push_back({dist, bin});
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
  }

  // Dijkstra over bins on reduced costs, from `source` until no label is shorter than the
  // best path to a bin with room. Moving one unit of a demand from its option x at bin a
  // to its option y at bin b costs the move's key + price(b) - price(a), which is >= 0
  // because x is one of the demand's cheapest options at these prices.
  void search(std::uint32_t source) {
    best_ = kUnreached;
    reach(source, 0, 0, 0);
    while (!heap_.empty() && heap_.front().dist < best_) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
      const Label label = heap_.back();
      heap_.pop_back();
      if (label.dist > dist_[label.bin]) continue;
      settled_.push_back(label.bin);
      const std::int64_t from_price = placement_.price(label.bin);
      placement_.for_each_cheapest_move(label.bin, [&](std::uint32_t to_bin, const Move& move) {
        reach(to_bin, label.dist + move.key + placement_.price(to_bin) - from_price, move.from,
              move.to);
      });
    }
  }

  // Johnson's update with the search stopped at distance D: every settled bin's price
  // rises by D - dist, which keeps reduced costs non-negative and makes the path's zero.
  // Bins with room are never settled, so their prices stay 0.
  void raise_prices() {
    for (auto bin : settled_) placement_.raise_price(bin, best_ - dist_[bin]);
  }

  // Walks the path back from its end twice: once for the bottleneck, once to move the
  // units. Each option loses units at most once (the path's bins are distinct and an
  // option belongs to one bin), so its flow before the walk bounds what it can give.
  void augment(std::uint32_t source) {
    std::int64_t units = std::min(placement_.excess(source), placement_.room(end_));
    for (auto bin = end_; bin != source; bin = placement_.bin_of(out_of_[bin])) {
      units = std::min(units, placement_.flow(out_of_[bin]));
    }
    for (auto bin = end_; bin != source; bin = placement_.bin_of(out_of_[bin])) {
      placement_.move(out_of_[bin], into_[bin], units);
    }
  }

  void reset() {
    for (auto bin : touched_) dist_[bin] = kUnreached;
    touched_.clear();
    settled_.clear();
    heap_.clear();
  }

  Placement& placement_;
  std::vector<std::int64_t> dist_;
  std::vector<std::uint32_t> out_of_;  // per bin: the option whose units reached it
  std::vector<std::uint32_t> into_;    // and the option they arrived at
  std::vector<std::uint32_t> touched_;
  std::vector<std::uint32_t> settled_;
  std::vector<Label> heap_;
  std::int64_t best_ = kUnreached;  // the shortest path to a bin with room
  std::uint32_t end_ = 0;           // that bin
};

}  // namespace

TransportSolution solve_transport(const TransportProblem& problem) {
  require_size(problem.first_arc.size(), problem.demands() + 1, "first_arc");
  require_size(problem.unserved_cost.size(), problem.demands(), "unserved_cost");
  require_size(problem.arc_bin.size(), problem.first_arc.back(), "arc_bin");
  require_size(problem.arc_cost.size(), problem.first_arc.back(), "arc_cost");

  Placement placement(problem);
  PathFinder finder(placement);
  for (std::uint32_t bin = 0; bin < problem.bins(); ++bin) {
    while (placement.excess(bin) > 0) finder.push_excess(bin);
  }
  return placement.take_solution();
}

}  // namespace balai::detail
