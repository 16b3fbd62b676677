// CRC-32C (Castagnoli, reflected, as iSCSI and ext4 use it): the journal's checksum.
// Internal to src/io.
#pragma once

#include <cstdint>
#include <string_view>

namespace balai::detail {

// The CRC-32C of `bytes`; `crc` continues a checksum over earlier bytes. The processor's
// crc32 instruction where it has one (x86-64 with SSE4.2, checked once at run time), else
// slicing-by-8 tables: the same value either way.
[[nodiscard]] std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc = 0) noexcept;

// The table version alone, so that tests can hold the two paths to each other.
[[nodiscard]] std::uint32_t crc32c_portable(std::string_view bytes, std::uint32_t crc = 0) noexcept;

}  // namespace balai::detail
