// The journal's checksum: the processor's crc32 instruction and the portable tables give
// the CRC-32C a bitwise definition gives, at every length and alignment, and continue.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "../../src/io/crc32c.hpp"
#include "crc32c_oracle.hpp"

using balai::testing::bitwise_crc32c;

TEST_CASE("CRC-32C has its published check value", "[journal][quick]") {
  CHECK(balai::detail::crc32c("123456789") == 0xe3069283u);
  CHECK(balai::detail::crc32c_portable("123456789") == 0xe3069283u);
  CHECK(balai::detail::crc32c("") == 0);
}

TEST_CASE("CRC-32C is the same by instruction, tables and bits", "[journal][quick]") {
  std::string bytes(300, '\0');
  std::uint32_t state = 12345;
  for (auto& b : bytes) {
    state = state * 1664525u + 1013904223u;
    b = static_cast<char>(state >> 24);
  }
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t length = 0; offset + length <= bytes.size(); length += 1 + length / 8) {
      CAPTURE(offset, length);
      const auto piece = std::string_view(bytes).substr(offset, length);
      const auto expected = bitwise_crc32c(piece);
      REQUIRE(balai::detail::crc32c(piece) == expected);
      REQUIRE(balai::detail::crc32c_portable(piece) == expected);
      // Continued over a split, as a checksum of several parts is.
      const auto head = piece.substr(0, length / 3);
      const auto tail = piece.substr(length / 3);
      REQUIRE(balai::detail::crc32c(tail, balai::detail::crc32c(head)) == expected);
      REQUIRE(balai::detail::crc32c_portable(tail, balai::detail::crc32c_portable(head)) ==
              expected);
    }
  }
}
