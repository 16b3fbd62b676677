// The ledger's columns (src/tracking/event_column.hpp): what std::vector would hold after
// the same operations, in small blocks and in mapped ones, and across the step between.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "../../src/tracking/event_column.hpp"
#include "balai/scenario/random.hpp"

using balai::detail::EventColumn;
using balai::detail::kMappedBytes;

namespace {

template <class T>
void check_same(const EventColumn<T>& column, const std::vector<T>& expected) {
  REQUIRE(column.size() == expected.size());
  CHECK(column.capacity() >= column.size());
  CHECK(std::vector<T>(column.begin(), column.end()) == expected);
}

}  // namespace

TEST_CASE("event column: grows, shrinks and copies as a vector does", "[ledger][quick]") {
  // Batches of every size up to past the mapped threshold and back, as appends and failed
  // batches (which shrink the columns) would leave them.
  EventColumn<std::uint64_t> column;
  std::vector<std::uint64_t> expected;
  balai::SplitMix64 random(20);
  for (int step = 0; step < 60; ++step) {
    const auto size = random.next() % (kMappedBytes / 8 * 3);
    column.resize(size);
    const auto* const fresh = column.begin() + std::min(expected.size(), size);
    CHECK(std::all_of(fresh, column.end(), [](std::uint64_t value) { return value == 0; }));
    expected.resize(size);
    for (std::size_t i = size / 2; i < size; i += 97) column[i] = expected[i] = random.next();
    check_same(column, expected);
    const auto copy = column;
    check_same(copy, expected);
  }
  auto moved = std::move(column);
  check_same(moved, expected);
  EventColumn<std::uint64_t> assigned;
  assigned = moved;
  check_same(assigned, expected);
}

TEST_CASE("event column: assign fills", "[ledger][quick]") {
  for (const std::size_t size : {std::size_t{0}, std::size_t{5}, kMappedBytes}) {
    EventColumn<std::uint16_t> column;
    column.resize(3);
    column.assign(size, 0xffff);
    check_same(column, std::vector<std::uint16_t>(size, 0xffff));
  }
}
