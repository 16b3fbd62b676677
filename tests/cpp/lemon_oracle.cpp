#include "lemon_oracle.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace balai::testing {
namespace {

struct Quota {
  int lower = 0;  // L
  int upper = 0;  // U
};

class NetworkBuilder {
 public:
  explicit NetworkBuilder(FlowNetwork& network) : network_(network) {}

  int add_node(int supply) {
    network_.supply.push_back(supply);
    return network_.nodes++;
  }
  void add_arc(int source, int target, int capacity, std::int64_t cost) {
    network_.source.push_back(source);
    network_.target.push_back(target);
    network_.capacity.push_back(capacity);
    network_.cost.push_back(cost);
  }

 private:
  FlowNetwork& network_;
};

}  // namespace

OracleNetwork oracle_network(const AllocationProblem& problem) {
  const int trainees = static_cast<int>(problem.trainees());
  const int facilities = static_cast<int>(problem.facilities());
  std::array<int, kProvinceCodes> trainees_of{};
  for (const ProvinceCode code : problem.province) ++trainees_of[code.pos()];
  std::array<Quota, kProvinceCodes> quotas{};
  for (std::size_t p = 0; p < quotas.size(); ++p) quotas[p] = {0, trainees_of[p]};
  for (const ProvinceQuota& quota : problem.quotas) {
    const int n = trainees_of[quota.province.pos()];
    quotas[quota.province.pos()] = {std::max(0, n - quota.max_placed), n - quota.min_placed};
  }

  OracleNetwork result;
  NetworkBuilder builder(result.network);
  // Node order: trainees, facilities, the unplaced node of each province with trainees,
  // the sink; arcs are added by source, as LEMON's StaticDigraph wants them.
  for (int t = 0; t < trainees; ++t) builder.add_node(1);
  for (int f = 0; f < facilities; ++f) builder.add_node(0);
  auto& unplaced_node = result.unplaced_node;
  for (std::size_t p = 0; p < unplaced_node.size(); ++p) {
    unplaced_node[p] = trainees_of[p] > 0 ? builder.add_node(0) : -1;
  }
  const int sink = builder.add_node(-trainees);

  const std::int64_t penalty = problem.unplaced_penalty();
  const std::int64_t q = problem.quota_penalty();
  for (int t = 0; t < trainees; ++t) {
    const auto row = static_cast<std::size_t>(t);
    for (std::uint32_t a = problem.first_arc[row]; a < problem.first_arc[row + 1]; ++a) {
      builder.add_arc(t, trainees + static_cast<int>(problem.arc_facility[a].value()), 1,
                      problem.arc_cost_m[a]);
    }
    builder.add_arc(t, unplaced_node[problem.province[row].pos()], 1,
                    penalty + problem.bonus_m[row]);
  }
  for (int f = 0; f < facilities; ++f) {
    builder.add_arc(trainees + f, sink, problem.capacity[static_cast<std::size_t>(f)], 0);
  }
  for (std::size_t p = 0; p < unplaced_node.size(); ++p) {
    if (trainees_of[p] == 0) continue;
    builder.add_arc(unplaced_node[p], sink, quotas[p].lower, -q);
    builder.add_arc(unplaced_node[p], sink, quotas[p].upper - quotas[p].lower, 0);
    builder.add_arc(unplaced_node[p], sink, trainees_of[p], q);
    result.offset += q * quotas[p].lower;
  }
  return result;
}

std::int64_t lemon_optimum(const AllocationProblem& problem, LemonAlgorithm algorithm) {
  const OracleNetwork oracle = oracle_network(problem);
  return lemon_min_cost(oracle.network, algorithm) + oracle.offset;
}

AllocationSolution lemon_solution(const AllocationProblem& problem) {
  const OracleNetwork oracle = oracle_network(problem);
  const FlowSolution flow = lemon_flow(oracle.network);
  const auto& network = oracle.network;
  const auto sink = static_cast<std::size_t>(network.nodes - 1);
  // A price is the cost of reaching the sink: the sink's potential minus the node's.
  const auto price = [&](int node) {
    return flow.potential[sink] - flow.potential[static_cast<std::size_t>(node)];
  };

  AllocationSolution solution;
  solution.cost = flow.cost + oracle.offset;
  solution.facility.assign(problem.trainees(), AllocationSolution::kUnplaced);
  // Each trainee's arcs are its candidates and then its unplaced arc, in trainee order.
  for (std::size_t a = 0, t = 0; t < problem.trainees(); ++t) {
    for (; a < network.source.size() && network.source[a] == static_cast<int>(t); ++a) {
      const int facility = network.target[a] - static_cast<int>(problem.trainees());
      if (flow.flow[a] > 0 && facility < static_cast<int>(problem.facilities())) {
        solution.facility[t] = facility;
      }
    }
  }
  // An empty facility may carry a negative potential difference; zero serves as well,
  // since no trainee takes it.
  for (std::size_t f = 0; f < problem.facilities(); ++f) {
    solution.facility_price.push_back(
        std::max<std::int64_t>(0, price(static_cast<int>(problem.trainees() + f))));
  }
  solution.province_price.assign(kProvinceCodes, 0);
  for (std::size_t p = 0; p < oracle.unplaced_node.size(); ++p) {
    if (oracle.unplaced_node[p] >= 0) solution.province_price[p] = price(oracle.unplaced_node[p]);
  }
  return solution;
}

}  // namespace balai::testing
