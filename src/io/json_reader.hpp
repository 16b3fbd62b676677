// A strict JSON reader (RFC 8259) for the little that balai reads back: a JWS header, a
// signed credential's payload and a public JWK. It rejects what a signature verifier must
// not guess about: trailing text, invalid UTF-8, lone surrogates and duplicate member
// names (RFC 7515 section 4 lets a JWS parser refuse them, and two "alg" members would
// let two readers see two headers).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace balai::detail {

struct JsonValue {
  enum class Type { null, boolean, number, string, array, object };
  // An object's member. Declared here and defined below: a std::pair of a type still
  // incomplete does not compile with every standard library (libstdc++ under clang).
  struct Member;

  Type type = Type::null;
  std::string text;              // a string's value, a number's literal, "true" or "false"
  std::vector<JsonValue> items;  // an array's elements
  std::vector<Member> members;   // an object's, in document order

  // The member named `name` of an object, or null.
  [[nodiscard]] const JsonValue* find(std::string_view name) const noexcept;
  // The member named `name` if it is a string, or null.
  [[nodiscard]] const std::string* find_string(std::string_view name) const noexcept;
};

struct JsonValue::Member {
  std::string name;
  JsonValue value;
};

// The value `text` holds, or nothing if it is not one JSON value (whitespace around it
// allowed). Nesting deeper than 64 levels is refused rather than recursed into.
[[nodiscard]] std::optional<JsonValue> parse_json(std::string_view text);

}  // namespace balai::detail
