// A weighted transportation problem (src/planning/space/transport.hpp) as a LEMON min-cost
// flow: the oracle the solver, shared-space allocation and bench_space are checked against.
#pragma once

#include <cstdint>
#include <numeric>

#include "../../src/planning/space/transport.hpp"
#include "flow_network.hpp"

namespace balai::testing {

// The least total cost of the problem, by LEMON's NetworkSimplex.
// Nodes: demands (their supply), bins, the sink (minus the total). Arcs by source: each
// demand's options with its supply as capacity, its unserved arc to the sink, then each
// bin to the sink with its capacity.
inline std::int64_t lemon_optimum(const detail::TransportProblem& problem) {
  FlowNetwork network;
  const int demands = static_cast<int>(problem.demands());
  const int bins = static_cast<int>(problem.bins());
  const int sink = demands + bins;
  network.nodes = sink + 1;
  for (const std::int64_t supply : problem.supply)
    network.supply.push_back(static_cast<int>(supply));
  network.supply.resize(static_cast<std::size_t>(network.nodes), 0);
  network.supply.back() = -std::accumulate(network.supply.begin(), network.supply.end(), 0);
  const auto add_arc = [&](int source, int target, std::int64_t capacity, std::int64_t cost) {
    network.source.push_back(source);
    network.target.push_back(target);
    network.capacity.push_back(static_cast<int>(capacity));
    network.cost.push_back(cost);
  };
  for (int d = 0; d < demands; ++d) {
    const auto row = static_cast<std::size_t>(d);
    for (auto a = problem.first_arc[row]; a < problem.first_arc[row + 1]; ++a) {
      add_arc(d, demands + static_cast<int>(problem.arc_bin[a]), problem.supply[row],
              problem.arc_cost[a]);
    }
    add_arc(d, sink, problem.supply[row], problem.unserved_cost[row]);
  }
  for (int b = 0; b < bins; ++b) {
    add_arc(demands + b, sink, problem.capacity[static_cast<std::size_t>(b)], 0);
  }
  return lemon_min_cost(network, LemonAlgorithm::network_simplex);
}

}  // namespace balai::testing
