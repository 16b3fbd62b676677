// The allocation problem as a LEMON min-cost flow: the oracle the exact solver is tested
// and timed against. Each trainee supplies one unit to the sink, through a candidate
// facility (cost: the arc's metres; facility to sink: its capacity) or its province's
// unplaced node (cost: penalty plus bonus). Each unplaced node reaches the sink by three
// arcs that model the quota: cost -Q for the first L units, 0 for the next U - L, +Q
// beyond, where a province of n trainees has L = n - max_placed (at least 0) and
// U = n - min_placed.
#pragma once

#include <array>
#include <cstdint>

#include "balai/planning/allocation/allocation_problem.hpp"
#include "flow_network.hpp"

namespace balai::testing {

struct OracleNetwork {
  FlowNetwork network{};
  std::int64_t offset = 0;  // added to the network's cost gives balai's objective: Q * sum L
  std::array<int, kProvinceCodes> unplaced_node{};  // -1: no trainees
};

[[nodiscard]] OracleNetwork oracle_network(const AllocationProblem& problem);

// The optimal objective of `problem` in balai's terms, by LEMON.
[[nodiscard]] std::int64_t lemon_optimum(const AllocationProblem& problem,
                                         LemonAlgorithm algorithm);

// NetworkSimplex's optimal assignment with prices from its potentials: a solution found
// without balai's solver, which verify() must accept.
[[nodiscard]] AllocationSolution lemon_solution(const AllocationProblem& problem);

}  // namespace balai::testing
