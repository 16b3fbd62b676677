// A transportation problem with weighted supplies, solved exactly: shared space's
// splittable requests in one week (space_allocation.cpp), where one request asks for many
// units, so the allocation engine's one-unit-per-trainee bins do not fit.
//
// Each demand has `supply` units; it may send them to any of its options (bin, cost per
// unit) or leave them unserved at `unserved_cost` per unit. Bins hold at most their
// capacity. The solution has the least total cost. The solver keeps bin prices under which
// every unit is at one of its demand's cheapest options, and repairs what else an optimum
// needs along shortest paths between bins (Dijkstra on reduced costs with the prices as
// potentials), each path carrying as many units as its narrowest step allows: it pushes
// over-full bins' excess out, or pulls units into bins that are priced but not full
// (transport.cpp says which when). The final prices are the dual solution.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace balai::detail {

struct TransportProblem {
  std::vector<std::int64_t> capacity{};  // per bin, >= 0

  // Per demand.
  std::vector<std::int64_t> supply{};         // >= 0
  std::vector<std::int64_t> unserved_cost{};  // per unit, >= 0
  // Options in compressed rows: demand d's are [first_arc[d], first_arc[d + 1]).
  std::vector<std::uint32_t> first_arc{0};
  std::vector<std::uint32_t> arc_bin{};
  std::vector<std::int64_t> arc_cost{};  // per unit, >= 0

  [[nodiscard]] std::size_t bins() const noexcept { return capacity.size(); }
  [[nodiscard]] std::size_t demands() const noexcept { return supply.size(); }
};

struct TransportSolution {
  std::vector<std::int64_t> flow{};      // per arc
  std::vector<std::int64_t> unserved{};  // per demand
  // Per bin, >= 0: a demand pays arc cost + price at each bin it uses, no more than at any
  // other option (unserved has price 0), and a bin with room left has price 0.
  std::vector<std::int64_t> price{};
  std::int64_t cost = 0;  // sum of flow x arc cost + unserved x unserved cost
};

// Which way the solver repairs: `automatic` chooses by the problem's shortage; the tests
// force each.
enum class TransportRoute { automatic, push, pull };

// The sizes must agree, bins in range, amounts and costs non-negative, and
// supply x cost sums must fit in 62 bits; the callers build problems that do.
[[nodiscard]] TransportSolution solve_transport(const TransportProblem& problem,
                                                TransportRoute route = TransportRoute::automatic);

}  // namespace balai::detail
