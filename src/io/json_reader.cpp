#include "json_reader.hpp"

#include <algorithm>
#include <cstdint>

#include "balai/core/text.hpp"

namespace balai::detail {
namespace {

constexpr int kMaxDepth = 64;

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  std::optional<JsonValue> document() {
    JsonValue value;
    skip_space();
    if (!read_value(value, 0)) return std::nullopt;
    skip_space();
    if (at_ != text_.size()) return std::nullopt;
    return value;
  }

 private:
  bool read_value(JsonValue& value, int depth) {
    if (depth > kMaxDepth || at_ >= text_.size()) return false;
    switch (text_[at_]) {
      case '{': return read_object(value, depth);
      case '[': return read_array(value, depth);
      case '"': value.type = JsonValue::Type::string; return read_string(value.text);
      case 't': value.type = JsonValue::Type::boolean; return read_word("true", value);
      case 'f': value.type = JsonValue::Type::boolean; return read_word("false", value);
      case 'n': value.type = JsonValue::Type::null; return read_word("null", value);
      default: value.type = JsonValue::Type::number; return read_number(value.text);
    }
  }

  bool read_object(JsonValue& value, int depth) {
    value.type = JsonValue::Type::object;
    ++at_;
    skip_space();
    if (consume('}')) return true;
    do {
      skip_space();
      std::string name;
      if (at_ >= text_.size() || text_[at_] != '"' || !read_string(name)) return false;
      if (value.find(name) != nullptr) return false;
      skip_space();
      if (!consume(':')) return false;
      skip_space();
      JsonValue member;
      if (!read_value(member, depth + 1)) return false;
      value.members.push_back({std::move(name), std::move(member)});
      skip_space();
    } while (consume(','));
    return consume('}');
  }

  bool read_array(JsonValue& value, int depth) {
    value.type = JsonValue::Type::array;
    ++at_;
    skip_space();
    if (consume(']')) return true;
    do {
      skip_space();
      JsonValue item;
      if (!read_value(item, depth + 1)) return false;
      value.items.push_back(std::move(item));
      skip_space();
    } while (consume(','));
    return consume(']');
  }

  bool read_word(std::string_view word, JsonValue& value) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    value.text = word;
    return true;
  }

  // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  bool read_number(std::string& out) {
    const std::size_t start = at_;
    consume('-');
    if (!consume('0') && !digits()) return false;
    if (consume('.') && !digits()) return false;
    if (consume('e') || consume('E')) {
      if (!consume('+')) consume('-');
      if (!digits()) return false;
    }
    out = text_.substr(start, at_ - start);
    return true;
  }

  bool digits() {
    const std::size_t start = at_;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
    return at_ > start;
  }

  bool read_string(std::string& out) {
    ++at_;  // the opening quote
    out.clear();
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return is_valid_utf8(out);
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (at_ >= text_.size()) return false;
      switch (text_[at_++]) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u':
          if (!read_escaped_code_point(out)) return false;
          break;
        default: return false;
      }
    }
    return false;
  }

  // After "\u": four hex digits, or a surrogate pair written as two escapes.
  bool read_escaped_code_point(std::string& out) {
    auto code = hex4();
    if (!code) return false;
    std::uint32_t point = *code;
    if (point >= 0xDC00 && point <= 0xDFFF) return false;
    if (point >= 0xD800 && point <= 0xDBFF) {
      if (text_.substr(at_, 2) != "\\u") return false;
      at_ += 2;
      const auto low = hex4();
      if (!low || *low < 0xDC00 || *low > 0xDFFF) return false;
      point = 0x10000 + ((point - 0xD800) << 10) + (*low - 0xDC00);
    }
    append_utf8(out, point);
    return true;
  }

  std::optional<std::uint32_t> hex4() {
    if (text_.size() - at_ < 4) return std::nullopt;
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[at_++];
      std::uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return std::nullopt;
      }
      value = value * 16 + digit;
    }
    return value;
  }

  static void append_utf8(std::string& out, std::uint32_t point) {
    if (point < 0x80) {
      out.push_back(static_cast<char>(point));
    } else if (point < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (point >> 6)));
      out.push_back(static_cast<char>(0x80 | (point & 0x3F)));
    } else if (point < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (point >> 12)));
      out.push_back(static_cast<char>(0x80 | ((point >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (point & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (point >> 18)));
      out.push_back(static_cast<char>(0x80 | ((point >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((point >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (point & 0x3F)));
    }
  }

  bool consume(char c) {
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }

  void skip_space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view name) const noexcept {
  const auto it = std::ranges::find_if(members, [&](const Member& m) { return m.name == name; });
  return it == members.end() ? nullptr : &it->value;
}

const std::string* JsonValue::find_string(std::string_view name) const noexcept {
  const JsonValue* value = find(name);
  return value != nullptr && value->type == Type::string ? &value->text : nullptr;
}

std::optional<JsonValue> parse_json(std::string_view text) { return Reader(text).document(); }

}  // namespace balai::detail
