#include "flow_network.hpp"

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <utility>

#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/static_graph.h>

namespace balai::testing {
namespace {

using Graph = lemon::StaticDigraph;
using NetworkSimplex = lemon::NetworkSimplex<Graph, int, std::int64_t>;
using CostScaling = lemon::CostScaling<Graph, int, std::int64_t>;

// The network as a LEMON graph with its maps; arc and node ids are the network's indices.
class LemonNetwork {
 public:
  explicit LemonNetwork(const FlowNetwork& network) {
    std::vector<std::pair<int, int>> arcs(network.source.size());
    for (std::size_t a = 0; a < arcs.size(); ++a) arcs[a] = {network.source[a], network.target[a]};
    graph_.build(network.nodes, arcs.begin(), arcs.end());
    capacity_.emplace(graph_);
    cost_.emplace(graph_);
    supply_.emplace(graph_);
    for (std::size_t a = 0; a < arcs.size(); ++a) {
      const Graph::Arc arc = Graph::arc(static_cast<int>(a));
      (*capacity_)[arc] = network.capacity[a];
      (*cost_)[arc] = network.cost[a];
    }
    for (int n = 0; n < network.nodes; ++n) {
      (*supply_)[Graph::node(n)] = network.supply[static_cast<std::size_t>(n)];
    }
  }

  LemonNetwork(const LemonNetwork&) = delete;  // the maps point into graph_
  LemonNetwork& operator=(const LemonNetwork&) = delete;

  template <class Solver>
  void solve(Solver& solver) const {
    solver.upperMap(*capacity_).costMap(*cost_).supplyMap(*supply_);
    if (solver.run() != Solver::OPTIMAL) throw std::runtime_error("LEMON found no optimal flow");
  }

  const Graph& graph() const { return graph_; }

 private:
  Graph graph_;
  // Maps attach to a built graph, so they are made after it.
  std::optional<Graph::ArcMap<int>> capacity_;
  std::optional<Graph::ArcMap<std::int64_t>> cost_;
  std::optional<Graph::NodeMap<int>> supply_;
};

}  // namespace

const char* name_of(LemonAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case LemonAlgorithm::network_simplex: return "LEMON NetworkSimplex";
    case LemonAlgorithm::cost_scaling: return "LEMON CostScaling";
  }
  return "LEMON";
}

std::int64_t lemon_min_cost(const FlowNetwork& network, LemonAlgorithm algorithm) {
  const LemonNetwork lemon(network);
  switch (algorithm) {
    case LemonAlgorithm::network_simplex: {
      NetworkSimplex solver(lemon.graph());
      lemon.solve(solver);
      return solver.totalCost<std::int64_t>();
    }
    case LemonAlgorithm::cost_scaling: {
      CostScaling solver(lemon.graph());
      lemon.solve(solver);
      return solver.totalCost<std::int64_t>();
    }
  }
  throw std::invalid_argument("unknown LEMON algorithm");
}

FlowSolution lemon_flow(const FlowNetwork& network) {
  const LemonNetwork lemon(network);
  NetworkSimplex solver(lemon.graph());
  lemon.solve(solver);
  FlowSolution solution{solver.totalCost<std::int64_t>(), {}, {}};
  for (std::size_t a = 0; a < network.source.size(); ++a) {
    solution.flow.push_back(solver.flow(Graph::arc(static_cast<int>(a))));
  }
  for (int n = 0; n < network.nodes; ++n)
    solution.potential.push_back(solver.potential(Graph::node(n)));
  return solution;
}

}  // namespace balai::testing
