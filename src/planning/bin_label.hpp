// A label of the shortest-path searches between bins (solve_optimal.cpp, transport.cpp):
// a tentative distance to a bin. The heap orders labels by distance, then by bin, so that
// equal distances settle in the same order on every platform.
#pragma once

#include <cstdint>

namespace balai::detail {

struct BinLabel {
  std::int64_t dist;
  std::uint32_t bin;
  friend bool operator>(const BinLabel& a, const BinLabel& b) {
    return a.dist != b.dist ? a.dist > b.dist : a.bin > b.bin;
  }
};

}  // namespace balai::detail
