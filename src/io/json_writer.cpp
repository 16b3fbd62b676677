#include "json_writer.hpp"

#include <charconv>
#include <cmath>
#include <ostream>
#include <stdexcept>

#include "balai/core/error.hpp"
#include "balai/core/text.hpp"

namespace balai::detail {

JsonWriter& JsonWriter::begin_object() {
  before_value();
  text_ += '{';
  stack_.push_back(Frame::object_key);
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  if (stack_.empty() || stack_.back() != Frame::object_key) {
    throw std::logic_error("JsonWriter: end_object outside an object or after a key");
  }
  stack_.pop_back();
  text_ += '}';
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  text_ += '[';
  stack_.push_back(Frame::array);
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  if (stack_.empty() || stack_.back() != Frame::array) {
    throw std::logic_error("JsonWriter: end_array outside an array");
  }
  stack_.pop_back();
  text_ += ']';
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  if (stack_.empty() || stack_.back() != Frame::object_key) {
    throw std::logic_error("JsonWriter: a key outside an object or after another key");
  }
  if (!first_) text_ += ',';
  last_key_ = name;
  write_string(name);
  text_ += ':';
  stack_.back() = Frame::object_value;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  write_string(text);
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  if (!std::isfinite(number)) {
    throw ValidationError(
        Problem{"JSON", last_key_, printable(number), "JSON has no NaN or infinity"});
  }
  before_value();
  char digits[32];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  text_.append(digits, end);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  before_value();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  text_.append(digits, end);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  text_ += flag ? "true" : "false";
  return *this;
}

void JsonWriter::flush_to(std::ostream& out) {
  out.write(text_.data(), static_cast<std::streamsize>(text_.size()));
  text_.clear();
}

void JsonWriter::before_value() {
  if (stack_.empty()) {
    if (!first_) throw std::logic_error("JsonWriter: a second top-level value");
    first_ = false;
    return;
  }
  switch (stack_.back()) {
    case Frame::object_key: throw std::logic_error("JsonWriter: a value where a key is due");
    case Frame::object_value: stack_.back() = Frame::object_key; break;
    case Frame::array:
      if (!first_) text_ += ',';
      break;
  }
  first_ = false;
}

void JsonWriter::write_string(std::string_view text) {
  // Invalid UTF-8 would make the whole document invalid JSON; no one can mend it later.
  if (!is_valid_utf8(text)) {
    throw ValidationError(Problem{"JSON", last_key_, printable(text), "is not valid UTF-8"});
  }
  constexpr char kHex[] = "0123456789abcdef";
  text_ += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': text_ += "\\\""; break;
      case '\\': text_ += "\\\\"; break;
      case '\b': text_ += "\\b"; break;
      case '\f': text_ += "\\f"; break;
      case '\n': text_ += "\\n"; break;
      case '\r': text_ += "\\r"; break;
      case '\t': text_ += "\\t"; break;
      default:
        if (byte < 0x20) {
          text_ += "\\u00";
          text_ += kHex[byte >> 4];
          text_ += kHex[byte & 0x0f];
        } else {
          text_ += c;  // ASCII and UTF-8 sequences pass through: JSON is UTF-8 text
        }
    }
  }
  text_ += '"';
}

bool is_absolute_iri(std::string_view text) noexcept {
  const auto colon = text.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == text.size()) return false;
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!is_alpha(text[0])) return false;
  for (const char c : text.substr(1, colon - 1)) {
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  if (!is_valid_utf8(text)) return false;
  constexpr std::string_view kExcluded = "<>\"{}|\\^`";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || kExcluded.find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::string iri_segment(std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string segment;
  segment.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      segment += c;
    } else {
      segment += '%';
      segment += kHex[byte >> 4];
      segment += kHex[byte & 0x0f];
    }
  }
  return segment;
}

void jti_term(JsonWriter& json) {
  json.key("jti").begin_object();
  json.member("@id", "https://www.iana.org/assignments/jwt#jti").member("@type", "@id");
  json.end_object();
}

}  // namespace balai::detail
