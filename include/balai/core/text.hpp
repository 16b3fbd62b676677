// UTF-8 checks for text that crosses the boundary, and a printable rendering of any
// bytes for error messages (a message must stay readable and valid UTF-8 even when the
// input that caused it was not).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or values past
// U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

// Valid UTF-8 without control characters other than tab.
[[nodiscard]] bool is_clean_text(std::string_view text) noexcept;

// `text` with control characters and bytes that are not valid UTF-8 written as \xNN,
// cut to `max_size` bytes with "..." appended when longer.
[[nodiscard]] std::string printable(std::string_view text, std::size_t max_size = 80);

// `bytes` as lower-case hex, two digits a byte: digests and verification codes.
[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);

// A number as a Problem's value, exactly: the shortest text that reads back as the same
// double ("100.0000001", "1e+300"), "nan" and "inf" included.
[[nodiscard]] std::string printable(double value);

}  // namespace balai
BALAI_EXPORT_END
