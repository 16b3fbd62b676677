// Little-endian integers in byte buffers, whatever the machine: written and read byte by
// byte, never by copying a struct (the compilers merge the bytes into one access). The
// journal's file format and its checksum use them. Internal to src/io.
#pragma once

#include <cstddef>

namespace balai::detail {

template <class U>
void store_le(char* out, U value) noexcept {
  for (std::size_t i = 0; i < sizeof(U); ++i) out[i] = static_cast<char>(value >> (8 * i));
}

template <class U>
[[nodiscard]] U load_le(const char* in) noexcept {
  U value = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i) {
    value = static_cast<U>(
        value | static_cast<U>(static_cast<U>(static_cast<unsigned char>(in[i])) << (8 * i)));
  }
  return value;
}

}  // namespace balai::detail
