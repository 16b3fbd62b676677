// "3 trainees", "1 entry": a count and its noun for error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace balai::detail {

// `plural` defaults to the noun with an "s" ("entry" needs "entries").
[[nodiscard]] inline std::string count_of(std::size_t count, std::string_view noun,
                                          std::string_view plural = {}) {
  std::string text = std::to_string(count);
  text += ' ';
  if (count == 1) {
    text += noun;
  } else if (plural.empty()) {
    text += noun;
    text += 's';
  } else {
    text += plural;
  }
  return text;
}

}  // namespace balai::detail
