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
#include "transport.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <tuple>
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

// Where every unit is, and the bins' loads and prices.
class Placement {
 public:
  explicit Placement(const TransportProblem& problem)
      : problem_(problem),
        arcs_(static_cast<std::uint32_t>(problem.arc_bin.size())),
        unserved_bin_(static_cast<std::uint32_t>(problem.bins())),
        demand_of_arc_(arcs_),
        by_cost_(arcs_ + problem.demands()),
        flow_(arcs_ + problem.demands(), 0),
        listed_(arcs_, false),
        load_(problem.bins(), 0),
        price_(problem.bins() + 1, 0),
        members_(problem.bins()) {
    for (std::uint32_t d = 0; d < problem.demands(); ++d) {
      std::fill(demand_of_arc_.begin() + problem.first_arc[d],
                demand_of_arc_.begin() + problem.first_arc[d + 1], d);
      sort_options(d);
      add(options_by_cost(d).front(), problem.supply[d]);
    }
  }

  [[nodiscard]] std::uint32_t bins() const noexcept { return unserved_bin_ + 1; }
  [[nodiscard]] bool is_unserved_bin(std::uint32_t bin) const noexcept {
    return bin == unserved_bin_;
  }
  [[nodiscard]] std::int64_t excess(std::uint32_t bin) const noexcept {
    return load_[bin] - problem_.capacity[bin];
  }
  // How many more units the bin takes at its current price.
  [[nodiscard]] std::int64_t room(std::uint32_t bin) const noexcept {
    return is_unserved_bin(bin) ? kUnreached : -excess(bin);
  }
  [[nodiscard]] std::int64_t price(std::uint32_t bin) const noexcept { return price_[bin]; }
  void raise_price(std::uint32_t bin, std::int64_t delta) noexcept { price_[bin] += delta; }

  [[nodiscard]] std::int64_t flow(std::uint32_t option) const noexcept { return flow_[option]; }
  [[nodiscard]] std::uint32_t bin_of(std::uint32_t option) const noexcept {
    return option < arcs_ ? problem_.arc_bin[option] : unserved_bin_;
  }
  [[nodiscard]] std::int64_t cost(std::uint32_t option) const noexcept {
    return option < arcs_ ? problem_.arc_cost[option] : problem_.unserved_cost[option - arcs_];
  }
  // What one unit costs at the option, its bin's price included.
  [[nodiscard]] std::int64_t priced_cost(std::uint32_t option) const noexcept {
    return cost(option) + price_[bin_of(option)];
  }
  [[nodiscard]] std::uint32_t demand_of(std::uint32_t option) const noexcept {
    return option < arcs_ ? demand_of_arc_[option] : option - arcs_;
  }

  // The demand's options by increasing (cost, bin, option): its cheapest first, ties to
  // the lowest bin, unserved after any arc as dear.
  [[nodiscard]] std::span<const std::uint32_t> options_by_cost(std::uint32_t demand) const {
    return {by_cost_.data() + first_option(demand), by_cost_.data() + first_option(demand + 1)};
  }

  // Calls visit(option) for each option with flow at the facility `bin`, dropping from its
  // list the options that have lost their flow since the last visit.
  template <class Visit>
  void for_each_member(std::uint32_t bin, Visit&& visit) {
    auto& members = members_[bin];
    std::erase_if(members, [&](std::uint32_t arc) {
      if (flow_[arc] > 0) return false;
      listed_[arc] = false;
      return true;
    });
    for (const auto arc : members) visit(arc);
  }

  void move(std::uint32_t from, std::uint32_t to, std::int64_t units) {
    add(from, -units);
    add(to, units);
  }

  [[nodiscard]] TransportSolution solution() const {
    TransportSolution solution;
    solution.flow.assign(flow_.begin(), flow_.begin() + arcs_);
    solution.unserved.assign(flow_.begin() + arcs_, flow_.end());
    solution.price.assign(price_.begin(), price_.end() - 1);
    for (std::uint32_t option = 0; option < flow_.size(); ++option) {
      solution.cost += flow_[option] * cost(option);
    }
    return solution;
  }

 private:
  // Options of demand d are at [first_arc[d] + d, first_arc[d + 1] + d + 1) in by_cost_.
  [[nodiscard]] std::size_t first_option(std::uint32_t demand) const noexcept {
    return std::size_t{problem_.first_arc[demand]} + demand;
  }

  void sort_options(std::uint32_t demand) {
    std::uint32_t* begin = by_cost_.data() + first_option(demand);
    std::uint32_t* end = by_cost_.data() + first_option(demand + 1);
    std::iota(begin, end - 1, problem_.first_arc[demand]);
    *(end - 1) = arcs_ + demand;
    std::sort(begin, end, [&](std::uint32_t a, std::uint32_t b) {
      return std::tuple{cost(a), bin_of(a), a} < std::tuple{cost(b), bin_of(b), b};
    });
  }

  void add(std::uint32_t option, std::int64_t units) {
    flow_[option] += units;
    if (option >= arcs_) return;
    load_[problem_.arc_bin[option]] += units;
    if (flow_[option] > 0 && !listed_[option]) {
      listed_[option] = true;
      members_[problem_.arc_bin[option]].push_back(option);
    }
  }

  const TransportProblem& problem_;
  std::uint32_t arcs_;
  std::uint32_t unserved_bin_;
  std::vector<std::uint32_t> demand_of_arc_;
  std::vector<std::uint32_t> by_cost_;  // each demand's options, see options_by_cost
  std::vector<std::int64_t> flow_;      // per option
  std::vector<bool> listed_;            // per arc: whether it is in its bin's member list
  std::vector<std::int64_t> load_;      // per facility
  std::vector<std::int64_t> price_;     // per bin, the unserved bin's stays 0
  std::vector<std::vector<std::uint32_t>> members_;  // per facility: arcs with flow, and some
                                                     // that lost it since the last visit
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
  // best path to a bin with room. Moving one unit of a demand's from option x at bin a to
  // its option y at bin b costs priced_cost(y) - priced_cost(x) >= 0.
  void search(std::uint32_t source) {
    best_ = kUnreached;
    reach(source, 0, 0, 0);
    while (!heap_.empty() && heap_.front().dist < best_) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
      const Label label = heap_.back();
      heap_.pop_back();
      if (label.dist > dist_[label.bin]) continue;
      settled_.push_back(label.bin);
      placement_.for_each_member(label.bin, [&](std::uint32_t from) {
        // Prices are >= 0, so once an option's cost alone cannot beat the best path,
        // neither can the dearer ones after it.
        const std::int64_t base = label.dist - placement_.priced_cost(from);
        for (const auto to : placement_.options_by_cost(placement_.demand_of(from))) {
          const std::int64_t least = base + placement_.cost(to);
          if (least >= best_) break;
          const std::uint32_t bin = placement_.bin_of(to);
          if (bin != label.bin) reach(bin, least + placement_.price(bin), from, to);
        }
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
  return placement.solution();
}

}  // namespace balai::detail
