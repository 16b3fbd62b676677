#include "crc32c.hpp"

#include <array>
#include <cstring>

#include "little_endian.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define BALAI_CRC32C_SSE42 1
#endif

namespace balai::detail {
namespace {

// One table per byte position of an 8-byte word: table[k][b] is the CRC of byte b followed
// by k zero bytes, so eight bytes fold in with eight lookups.
constexpr auto kCrcTables = [] {
  std::array<std::array<std::uint32_t, 256>, 8> table{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t crc = b;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
    table[0][b] = crc;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::size_t b = 0; b < 256; ++b) {
      table[k][b] = (table[k - 1][b] >> 8) ^ table[0][table[k - 1][b] & 0xff];
    }
  }
  return table;
}();

#ifdef BALAI_CRC32C_SSE42
// The instruction folds in eight bytes at a time (little-endian, as x86-64 always is); at
// one word a cycle, against about one byte a cycle for the tables, a journal of hundreds
// of megabytes checksums in tens of milliseconds.
[[gnu::target("sse4.2")]] std::uint32_t crc32c_sse42(std::string_view bytes,
                                                     std::uint32_t crc) noexcept {
  std::uint64_t state = ~crc;
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, 8);
    state = _mm_crc32_u64(state, word);
  }
  auto state32 = static_cast<std::uint32_t>(state);
  for (; n > 0; ++p, --n) state32 = _mm_crc32_u8(state32, static_cast<unsigned char>(*p));
  return ~state32;
}

// Before main() runs, the processor's features may not be read yet: ask for them first.
const bool kHasSse42 = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2") != 0;
}();
#endif

}  // namespace

std::uint32_t crc32c_portable(std::string_view bytes, std::uint32_t crc) noexcept {
  const auto& t = kCrcTables;
  crc = ~crc;
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    const auto lo = load_le<std::uint32_t>(p) ^ crc;
    const auto hi = load_le<std::uint32_t>(p + 4);
    crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
          t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
  }
  for (; n > 0; ++p, --n) crc = (crc >> 8) ^ t[0][(crc ^ static_cast<unsigned char>(*p)) & 0xff];
  return ~crc;
}

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc) noexcept {
#ifdef BALAI_CRC32C_SSE42
  if (kHasSse42) return crc32c_sse42(bytes, crc);
#endif
  return crc32c_portable(bytes, crc);
}

}  // namespace balai::detail
