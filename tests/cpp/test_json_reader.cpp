// The strict JSON reader behind vc+jwt verification: what it accepts, the escapes it
// decodes, and everything a verifier must not guess about (duplicate names, trailing
// text, lone surrogates, invalid UTF-8, control characters, deep nesting).
#include <catch2/catch.hpp>

#include <string>

#include "../../src/io/json_reader.hpp"

using balai::detail::JsonValue;
using balai::detail::parse_json;

TEST_CASE("JSON reader: values, members in order, escapes", "[json][quick]") {
  const auto value = parse_json(
      " {\"a\": [1, -0.5e+3, true, false, null], \"b\": {\"c\": \"\\u00e9\\ud83d\\ude00\\n\"}} ");
  REQUIRE(value);
  REQUIRE(value->type == JsonValue::Type::object);
  REQUIRE(value->members.size() == 2);
  CHECK(value->members[0].name == "a");
  const JsonValue* a = value->find("a");
  REQUIRE(a);
  REQUIRE(a->items.size() == 5);
  CHECK(a->items[1].type == JsonValue::Type::number);
  CHECK(a->items[1].text == "-0.5e+3");
  CHECK(a->items[2].text == "true");
  CHECK(a->items[4].type == JsonValue::Type::null);
  const std::string* c = value->find("b")->find_string("c");
  REQUIRE(c);
  CHECK(*c == "\xc3\xa9\xf0\x9f\x98\x80\n");
  CHECK(value->find_string("a") == nullptr);  // not a string
  CHECK(value->find("z") == nullptr);
  CHECK(parse_json("\"\\\"\\\\\\/\\b\\f\\r\\t\"")->text == "\"\\/\b\f\r\t");
}

TEST_CASE("JSON reader: what it refuses", "[json][quick]") {
  for (const std::string bad : {
           "",
           "{\"a\":1,\"a\":1}",  // duplicate member name
           "{} {}",              // trailing text
           "{\"a\":1,}",         // trailing comma
           "[1 2]",
           "01",
           "1.",
           "-",
           "1e",
           "tru",
           "\"\\ud83d\"",         // lone high surrogate
           "\"\\ude00\"",         // lone low surrogate
           "\"\\ud83d\\u0041\"",  // high surrogate and no low one
           "\"\\x41\"",           // not a JSON escape
           "\"\\u12G4\"",
           "\"a\nb\"",  // control character
           "\"\xff\"",  // invalid UTF-8
           "\"unterminated",
           "{\"a\" 1}",
           "{1:2}",
       }) {
    CAPTURE(bad);
    CHECK_FALSE(parse_json(bad));
  }
  // 64 levels are read; deeper is refused rather than recursed into.
  CHECK(parse_json(std::string(65, '[') + std::string(65, ']')));
  CHECK_FALSE(parse_json(std::string(66, '[') + std::string(66, ']')));
  CHECK_FALSE(parse_json(std::string(100'000, '[')));
}
