// Names for balai's enumerations, so that every enum reads and writes the same strings
// in CSV files, Python and messages. An enum opts in with a specialisation of EnumNames
// listing its names in the order of its (contiguous, zero-based) values.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "balai/core/error.hpp"
#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

template <class E>
struct EnumNames;  // specialise: static constexpr std::array<std::string_view, N> names;

template <class E>
concept NamedEnum = std::is_enum_v<E> && requires {
  EnumNames<E>::names;
};

template <NamedEnum E>
[[nodiscard]] constexpr std::string_view name_of(E value) noexcept {
  const auto position = static_cast<std::size_t>(value);
  return position < EnumNames<E>::names.size() ? EnumNames<E>::names[position] : "?";
}

template <NamedEnum E>
[[nodiscard]] std::string allowed_names() {
  std::string text;
  for (auto name : EnumNames<E>::names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

// The enumerator named `text`; ValidationError naming `field` and the allowed names.
template <NamedEnum E>
[[nodiscard]] E parse_enum(std::string_view text, std::string_view field) {
  const auto& names = EnumNames<E>::names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  throw ValidationError(
      Problem{"", std::string(field), std::string(text), "expected one of " + allowed_names<E>()});
}

}  // namespace balai
BALAI_EXPORT_END
