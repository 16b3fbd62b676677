// A min-cost flow instance in plain arrays, and LEMON's solvers on it. This header and
// lemon_solve.cpp stay within C++17: LEMON 1.3's graph maps call std::allocator members
// that C++20 removed, so its headers compile only in a C++17 translation unit, which must
// not see balai's C++20 headers.
#pragma once

#include <cstdint>
#include <vector>

namespace balai::testing {

struct FlowNetwork {
  int nodes = 0;
  std::vector<int> supply{};  // per node, summing to zero

  // Per arc, sorted by source.
  std::vector<int> source{};
  std::vector<int> target{};
  std::vector<int> capacity{};
  std::vector<std::int64_t> cost{};
};

enum class LemonAlgorithm { network_simplex, cost_scaling };

[[nodiscard]] const char* name_of(LemonAlgorithm algorithm) noexcept;

// The least total cost of a flow that meets every supply; std::runtime_error when no
// flow does or the costs are unbounded below.
[[nodiscard]] std::int64_t lemon_min_cost(const FlowNetwork& network, LemonAlgorithm algorithm);

// An optimal flow by NetworkSimplex with its dual: the reduced cost of arc (u, v),
// cost + potential[u] - potential[v], is >= 0 where the arc has room and <= 0 where it
// carries flow.
struct FlowSolution {
  std::int64_t cost = 0;
  std::vector<int> flow{};                // per arc
  std::vector<std::int64_t> potential{};  // per node
};
[[nodiscard]] FlowSolution lemon_flow(const FlowNetwork& network);

}  // namespace balai::testing
