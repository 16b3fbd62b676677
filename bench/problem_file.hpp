// An AllocationProblem in a flat binary file, so that the C++ and Python benchmarks time
// their solvers on the very same graph. Little-endian, no padding:
//
//   char[8]  magic "BALAIAP1"
//   u64      trainees T, facilities F, arcs A, quotas Q
//   i32[F]   capacity
//   u8[T]    province
//   i32[T]   bonus_m
//   u32[T+1] first_arc
//   u32[A]   arc_facility
//   i32[A]   arc_cost_m
//   i32[3Q]  per quota: province, min_placed, max_placed
//
// bench_allocation.py reads and writes the same layout with numpy.
#pragma once

#include <filesystem>

#include "balai/planning/allocation/allocation_problem.hpp"

namespace balai::bench {

void write_problem(const AllocationProblem& problem, const std::filesystem::path& file);

// FormatError for a file that is not a whole problem in this layout.
[[nodiscard]] AllocationProblem read_problem(const std::filesystem::path& file);

}  // namespace balai::bench
