// mix64: a 64-bit mixing function, for the seeded generators (balai/scenario/random.hpp)
// and for hashing ids.
#pragma once

#include <cstdint>

namespace balai {

// The SplitMix64 output function (Steele, Lea and Flood, 2014): a bijection on 64-bit
// words that scatters nearby inputs, used to derive seeds and to spread sequential ids
// over a hash table.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace balai
