// CRC-32C bit by bit, from its definition (reflected polynomial 0x82F63B78, initial value
// and final XOR 0xFFFFFFFF): an oracle independent of the library's instruction and table
// versions, for the checksum tests and for journal files written by hand.
#pragma once

#include <cstdint>
#include <string_view>

namespace balai::testing {

inline std::uint32_t bitwise_crc32c(std::string_view bytes) {
  std::uint32_t crc = 0xffffffffu;
  for (const char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

}  // namespace balai::testing
