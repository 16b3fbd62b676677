// A small streaming JSON writer for the exports (xAPI statements, Open Badges). It writes
// RFC 8259 JSON with no insignificant whitespace: strings must be valid UTF-8 and pass
// through unchanged except for '"', '\\' and control characters, which are escaped;
// doubles are written in the shortest form that reads back to the same value. Text and
// numbers JSON cannot carry (invalid UTF-8, NaN, infinities) are a ValidationError naming
// the key being written, never silently changed.
//
// The writer keeps the nesting in a stack and inserts the commas, so a caller only says
// what comes next; misuse (a value where a key is due, an unbalanced end) is a logic
// error in balai and throws std::logic_error.
//
// Below the writer: the forms of values that the JSON exports share.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace balai::detail {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(double number);
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(bool flag);

  // key(name).value(v), the common case.
  template <class T>
  JsonWriter& member(std::string_view name, const T& v) {
    return key(name).value(v);
  }

  // Whether every object and array begun has ended (and something was written).
  [[nodiscard]] bool complete() const noexcept { return stack_.empty() && !first_; }
  // The text written so far.
  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  // Moves the text written so far to `out` and forgets it, keeping the nesting: long
  // exports go to a stream piece by piece instead of building one huge string.
  void flush_to(std::ostream& out);

 private:
  enum class Frame : std::uint8_t { object_key, object_value, array };

  void before_value();
  void write_string(std::string_view text);

  std::string text_;
  std::vector<Frame> stack_;
  bool first_ = true;     // no element yet in the innermost object or array (or document)
  std::string last_key_;  // for error messages
};

// Whether `text` is an absolute IRI (RFC 3987) as far as a producer needs to know: a
// scheme, ':', and at least one more character, none of them a space, a control
// character or one of "<>\"{}|\\^`.
[[nodiscard]] bool is_absolute_iri(std::string_view text) noexcept;

// `text` as one IRI path segment: unreserved ASCII (letters, digits, "-._~") as is,
// every other byte percent-encoded, so a code with '/' or ' ' stays one segment.
[[nodiscard]] std::string iri_segment(std::string_view text);

// The term definition of "jti", written as a member of a credential's inline context. A
// signed credential carries the JWT claim jti (balai/io/vc_jose.hpp), which, unlike iss,
// sub, nbf and exp, the credentials v2 context leaves undefined, so a JSON-LD processor
// would drop it.
void jti_term(JsonWriter& json);

}  // namespace balai::detail
