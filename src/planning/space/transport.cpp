// The weighted transportation solver: successive shortest paths between bins, each path
// carrying as many units as it can, in whichever of two directions routes fewer units.
//
// Both keep the same conditions, which together prove a solution optimal: every unit sits
// at an option whose cost plus its bin's price is the least of its demand's options
// (unserved at price 0), prices are >= 0, and a bin with a positive price is full. Each
// starts from a state that breaks one thing, Push the bins' capacities and Pull the last
// condition, and repairs it a path at a time:
//
// - Push starts with every demand at its cheapest option, prices 0: some bins are
//   over-full. From each, the cheapest path carries its excess on to bins with room or to
//   unserved slots, and the bins it settles grow dearer.
// - Pull starts with every unit unserved and each bin priced so that no demand would rather
//   be there: bins with room have prices. Into each, the cheapest path brings units from
//   unserved slots or from bins that can spare them, and the bins it settles grow cheaper,
//   until the bin is full or free.
//
// Push routes the excess of the cheapest placement, Pull about what the bins hold: under
// light shortage the first is small, under heavy shortage the second (bench_space, 10^6
// requests: 2.6 s instead of 23 s of solving). Both reach the least cost; where several
// placements cost the same, they may pick different ones.
#include "transport.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "balai/core/error.hpp"
#include "transport_moves.hpp"
#include "transport_search.hpp"
#include "transport_units.hpp"

namespace balai::detail {
namespace transport {
namespace {

void require_size(std::size_t size, std::size_t expected, const char* field) {
  if (size != expected) {
    throw ValidationError(Problem{"transport problem", field, std::to_string(size),
                                  "must have " + std::to_string(expected) + " entries"});
  }
}

enum class Way { out, in };

// Calls visit(other bin, reduced cost, move) with the cheapest live move of each pair of
// `bin`'s moves, which go `way` of it: moving a unit from its option x at bin a to its
// option y at bin b costs the move's key + price(b) - price(a), which is >= 0 because x is
// one of its demand's cheapest options at these prices.
template <class Visit>
void for_each_cheapest_move(const Units& units, PairMoves& moves, std::uint32_t bin, Way way,
                            Visit&& visit) {
  const auto price = units.price(bin);
  moves.for_each_cheapest(
      [&](std::uint32_t option) { return units.has_units(option); },
      [&](std::uint32_t other, const Move& move) {
        const auto other_price = units.price(other);
        visit(other,
              way == Way::out ? move.key + other_price - price : move.key + price - other_price,
              move);
      });
}

// Each demand's cheapest option at prices 0: where Push starts, and what its excess
// would be, by which the route is chosen.
std::vector<std::uint32_t> cheapest_options(const Units& units) {
  std::vector<std::uint32_t> cheapest(units.problem().demands());
  for (std::uint32_t d = 0; d < cheapest.size(); ++d) cheapest[d] = units.cheapest_option(d);
  return cheapest;
}

// Over-full bins push their excess out. The moves out of a bin are built the first time a
// search settles it: in a problem with room to spare most bins never are, and building
// every bin's up front cost more than the searches.
class Push {
 public:
  static constexpr int kPriceSign = 1;

  // `cheapest`: cheapest_options(units).
  Push(Units& units, std::span<const std::uint32_t> cheapest)
      : units_(units),
        moves_(units.facilities()),
        built_(units.facilities(), false),
        arrived_(units.facilities()) {
    for (std::uint32_t d = 0; d < cheapest.size(); ++d) {
      const auto unserved = units.unserved_slot(d);
      if (cheapest[d] == unserved) continue;
      if (units.move(unserved, cheapest[d], units.flow(unserved))) arrived(cheapest[d]);
    }
  }

  [[nodiscard]] bool needs(std::uint32_t bin) const { return units_.excess(bin) > 0; }
  [[nodiscard]] std::int64_t end_cost(std::uint32_t bin, std::int64_t dist) const {
    return units_.room(bin) > 0 ? dist : kUnbounded;
  }
  [[nodiscard]] bool passes_through(std::uint32_t bin) const { return units_.room(bin) <= 0; }
  [[nodiscard]] std::int64_t amount(std::uint32_t start, std::uint32_t end) const {
    return std::min(units_.excess(start), units_.room(end));
  }

  template <class Visit>
  void for_each_move(std::uint32_t bin, Visit&& visit) {
    if (!built_[bin]) build(bin);
    for_each_cheapest_move(units_, moves_[bin], bin, Way::out, visit);
  }

  void arrived(std::uint32_t option) {
    const auto bin = units_.bin_of(option);
    if (bin == units_.unserved_bin()) return;
    if (built_[bin]) {
      queue_moves(option, &PairMoves::push);
    } else {
      arrived_[bin].push_back(option);
    }
  }

 private:
  // An arc listed twice (its units left and came back) queues its moves twice, which costs
  // a little room and nothing else.
  void build(std::uint32_t bin) {
    for (const auto arc : std::exchange(arrived_[bin], {})) {
      if (units_.has_units(arc)) queue_moves(arc, &PairMoves::append);
    }
    moves_[bin].make_heaps();
    built_[bin] = true;
  }

  // Units arrived at the arc `from`: each other option of its demand at another bin is a
  // move out of from's bin. A move queued before, while `from` last had units, may still
  // be in its heap; the copy costs a little room and nothing else.
  void queue_moves(std::uint32_t from, void (PairMoves::*queue)(std::uint32_t, const Move&)) {
    const auto bin = units_.bin_of(from);
    units_.for_each_option(units_.demand_of(from), [&](std::uint32_t to) {
      const auto to_bin = units_.bin_of(to);
      if (to_bin != bin)
        (moves_[bin].*queue)(to_bin, {units_.cost(to) - units_.cost(from), from, to});
    });
  }

  Units& units_;
  std::vector<PairMoves> moves_;  // per facility: the moves out of it, by destination
  std::vector<bool> built_;
  std::vector<std::vector<std::uint32_t>> arrived_;  // per facility: arcs that received
                                                     // units before its moves were built
};

// Bins with room and a price pull units in. A bin's moves in are built the first time a
// search settles it, from the units where they are then; later arrivals are queued into the
// bins already built.
class Pull {
 public:
  static constexpr int kPriceSign = -1;

  explicit Pull(Units& units)
      : units_(units),
        moves_(units.facilities()),
        built_(units.facilities(), false),
        first_arc_at_(units.facilities() + 1, 0),
        arcs_at_(units.problem().arc_bin.size()) {
    // A bin's price is the most any demand that has units would save by being there
    // instead of unserved, so that every unit's unserved slot is one of its cheapest.
    const auto& problem = units.problem();
    for (std::uint32_t arc = 0; arc < arcs_at_.size(); ++arc) {
      const auto bin = problem.arc_bin[arc];
      ++first_arc_at_[bin + 1];
      const auto demand = units.demand_of(arc);
      const auto saving = problem.unserved_cost[demand] - problem.arc_cost[arc];
      if (problem.supply[demand] > 0 && saving > units.price(bin)) {
        units.add_to_price(bin, saving - units.price(bin));
      }
    }
    for (std::size_t bin = 0; bin < units.facilities(); ++bin) {
      first_arc_at_[bin + 1] += first_arc_at_[bin];
    }
    auto next = first_arc_at_;
    for (std::uint32_t arc = 0; arc < arcs_at_.size(); ++arc) {
      arcs_at_[next[problem.arc_bin[arc]]++] = arc;
    }
  }

  [[nodiscard]] bool needs(std::uint32_t bin) const {
    return units_.room(bin) > 0 && units_.price(bin) > 0;
  }
  // A path may end at an unserved slot, or at a bin that gives units up: the update then
  // lowers its price to 0 (by price + dist - D, D its end cost), as a bin with room needs.
  // The start's own end, at its price, is the update alone: the bin keeps its room, free.
  [[nodiscard]] std::int64_t end_cost(std::uint32_t bin, std::int64_t dist) const {
    return bin == units_.unserved_bin() ? dist : dist + units_.price(bin);
  }
  [[nodiscard]] bool passes_through(std::uint32_t bin) const {
    return bin != units_.unserved_bin();
  }
  [[nodiscard]] std::int64_t amount(std::uint32_t start, std::uint32_t /*end*/) const {
    return units_.room(start);
  }

  template <class Visit>
  void for_each_move(std::uint32_t bin, Visit&& visit) {
    if (!built_[bin]) build(bin);
    for_each_cheapest_move(units_, moves_[bin], bin, Way::in, visit);
  }

  // Units arrived at the arc `from`: a move into each other bin of its demand whose moves
  // are built (the others find it when they are).
  void arrived(std::uint32_t from) {
    const auto bin = units_.bin_of(from);
    units_.for_each_option(units_.demand_of(from), [&](std::uint32_t to) {
      const auto to_bin = units_.bin_of(to);
      if (to_bin != bin && to_bin != units_.unserved_bin() && built_[to_bin]) {
        moves_[to_bin].push(bin, {units_.cost(to) - units_.cost(from), from, to});
      }
    });
  }

 private:
  void build(std::uint32_t bin) {
    for (auto i = first_arc_at_[bin]; i < first_arc_at_[bin + 1]; ++i) {
      const auto to = arcs_at_[i];
      units_.for_each_option(units_.demand_of(to), [&](std::uint32_t from) {
        const auto from_bin = units_.bin_of(from);
        if (from_bin != bin && units_.has_units(from)) {
          moves_[bin].append(from_bin, {units_.cost(to) - units_.cost(from), from, to});
        }
      });
    }
    moves_[bin].make_heaps();
    built_[bin] = true;
  }

  Units& units_;
  std::vector<PairMoves> moves_;  // per facility: the moves into it, by origin
  std::vector<bool> built_;
  // The arcs at each facility: arcs_at_[first_arc_at_[b], first_arc_at_[b + 1]).
  std::vector<std::uint32_t> first_arc_at_;
  std::vector<std::uint32_t> arcs_at_;
};

// Pull when the cheapest placement's excess is over 2/5 of the bins' capacity: where the
// two directions' solving times crossed over in bench_space's week problems at 10^5,
// 3 x 10^5 and 10^6 requests.
TransportRoute choose_route(const Units& units, std::span<const std::uint32_t> cheapest) {
  const auto& problem = units.problem();
  std::vector<std::int64_t> load(problem.bins(), 0);
  for (std::uint32_t d = 0; d < cheapest.size(); ++d) {
    if (cheapest[d] != units.unserved_slot(d)) load[units.bin_of(cheapest[d])] += problem.supply[d];
  }
  // Capacities are not bounded by the supplies, so they are summed as doubles.
  double excess = 0;
  double capacity = 0;
  for (std::size_t bin = 0; bin < problem.bins(); ++bin) {
    excess += static_cast<double>(std::max<std::int64_t>(0, load[bin] - problem.capacity[bin]));
    capacity += static_cast<double>(problem.capacity[bin]);
  }
  return 5 * excess > 2 * capacity ? TransportRoute::pull : TransportRoute::push;
}

template <class Direction>
void repair(Units& units, Direction direction) {
  CheapestPaths<Direction> paths(units, direction);
  for (std::uint32_t bin = 0; bin < units.facilities(); ++bin) {
    while (direction.needs(bin)) paths.step(bin);
  }
}

}  // namespace
}  // namespace transport

TransportSolution solve_transport(const TransportProblem& problem, TransportRoute route) {
  using transport::require_size;
  require_size(problem.first_arc.size(), problem.demands() + 1, "first_arc");
  require_size(problem.unserved_cost.size(), problem.demands(), "unserved_cost");
  require_size(problem.arc_bin.size(), problem.first_arc.back(), "arc_bin");
  require_size(problem.arc_cost.size(), problem.first_arc.back(), "arc_cost");

  transport::Units units(problem);
  const auto cheapest = transport::cheapest_options(units);
  if (route == TransportRoute::automatic) route = transport::choose_route(units, cheapest);
  if (route == TransportRoute::pull) {
    transport::repair(units, transport::Pull(units));
  } else {
    transport::repair(units, transport::Push(units, cheapest));
  }
  return std::move(units).take_solution();
}

}  // namespace balai::detail
