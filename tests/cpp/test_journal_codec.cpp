// The journal's record codec on its own: any columns, not only the ones a ledger accepts,
// come back bit for bit from both formats, and format 2 narrows each column to the widths
// docs/journal.md gives.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "../../src/io/journal_codec.hpp"
#include "balai/core/error.hpp"
#include "balai/scenario/random.hpp"

using namespace balai;

namespace {

// The unsigned integer of T's size, whose arithmetic format 2's distances use.
template <class T>
struct BitsOf {
  using type = std::make_unsigned_t<T>;
};
template <>
struct BitsOf<double> {
  using type = std::uint64_t;
};
template <class T>
using Bits = typename BitsOf<T>::type;

// A value of T near the edges of what format 2 narrows: a base plus a distance just under
// or at a width's limit, the type's extremes, or anything.
template <class T>
T edgy(SplitMix64& random, T base) {
  using U = Bits<T>;
  static constexpr std::uint64_t kSpans[] = {0,      1,       0xff,          0x100,
                                             0xffff, 0x10000, 0xffffffffULL, 0x100000000ULL};
  switch (random.next() % 4) {
    case 0:
      return std::bit_cast<T>(
          static_cast<U>(std::bit_cast<U>(base) + static_cast<U>(kSpans[random.next() % 8])));
    case 1: return std::numeric_limits<T>::lowest();
    case 2: return std::numeric_limits<T>::max();
    default: return std::bit_cast<T>(static_cast<U>(random.next()));
  }
}

template <class T>
std::vector<T> column(SplitMix64& random, std::size_t n) {
  std::vector<T> values(n);
  const auto base = std::bit_cast<T>(static_cast<Bits<T>>(random.next()));
  const auto kind = random.next() % 3;  // constant, near the base, or anything
  for (auto& v : values) v = kind == 0 ? base : edgy(random, base);
  if (random.next() % 5 == 0) values.clear();  // an absent column
  return values;
}

EventTable random_table(SplitMix64& random) {
  const std::size_t n = 1 + random.next() % 200;
  EventTable t;
  t.id = column<EventId>(random, n);
  t.id.resize(n, 42);  // the id column is never absent
  t.kind = column<std::uint8_t>(random, n);
  t.registration = column<std::uint32_t>(random, n);
  t.module = column<std::int32_t>(random, n);
  t.session = column<std::int32_t>(random, n);
  t.time = column<Timestamp>(random, n);
  t.score = column<double>(random, n);
  t.target = column<EventId>(random, n);
  t.result = column<std::uint8_t>(random, n);
  // Text columns index the batch's texts, or hold none.
  t.texts = {"kiosk", "operator-1", "tested out"};
  for (auto* texts : {&t.actor, &t.reason}) {
    if (random.next() % 4 == 0) continue;
    texts->resize(n);
    for (auto& x : *texts) {
      x = random.next() % 4 == 0 ? EventColumns::kNoText
                                 : static_cast<std::uint32_t>(random.next() % 3);
    }
  }
  return t;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(T)) != 0) return false;
  }
  return true;
}

// The text an entry of a text column names, as the codec may renumber the texts.
std::vector<std::string> texts_of(const std::vector<std::uint32_t>& column,
                                  const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  for (const auto t : column) out.push_back(t == EventColumns::kNoText ? "-" : texts.at(t));
  return out;
}

std::string payload_of(const EventTable& table, std::uint32_t version) {
  std::string record;
  detail::append_record(record, table.columns(), version);
  return record.substr(detail::kFrameHeaderSize);
}

}  // namespace

TEST_CASE("records of any columns decode to the same bits in both formats",
          "[journal][quick][bad-input]") {
  SplitMix64 random(2027);
  for (int round = 0; round < 400; ++round) {
    const auto table = random_table(random);
    for (const std::uint32_t version : {1u, 2u}) {
      CAPTURE(round, version, table.id.size());
      const auto back = detail::decode_batch(payload_of(table, version), version);
      REQUIRE(same_bits(back.id, table.id));
      REQUIRE(same_bits(back.kind, table.kind));
      REQUIRE(same_bits(back.registration, table.registration));
      REQUIRE(same_bits(back.module, table.module));
      REQUIRE(same_bits(back.session, table.session));
      REQUIRE(same_bits(back.time, table.time));
      REQUIRE(same_bits(back.score, table.score));
      REQUIRE(same_bits(back.target, table.target));
      REQUIRE(same_bits(back.result, table.result));
      REQUIRE(texts_of(back.actor, back.texts) == texts_of(table.actor, table.texts));
      REQUIRE(texts_of(back.reason, back.texts) == texts_of(table.reason, table.texts));
    }
  }
}

TEST_CASE("format 2 stores each column in the fewest bytes its spread needs", "[journal][quick]") {
  // Payload: 12 bytes, then the id column: a width byte, an 8-byte base, n distances.
  const auto id_column_bytes = [](std::vector<EventId> ids) {
    EventTable table;
    table.id = std::move(ids);
    return payload_of(table, 2).size() - 12;
  };
  CHECK(id_column_bytes({7, 7, 7}) == 1 + 8);
  CHECK(id_column_bytes({7, 7 + 0xff}) == 1 + 8 + 2 * 1);
  CHECK(id_column_bytes({7, 7 + 0x100}) == 1 + 8 + 2 * 2);
  CHECK(id_column_bytes({7, 7 + 0xffff}) == 1 + 8 + 2 * 2);
  CHECK(id_column_bytes({7, 7 + 0x10000}) == 1 + 8 + 2 * 4);
  CHECK(id_column_bytes({7, 7 + 0xffffffffULL}) == 1 + 8 + 2 * 4);
  CHECK(id_column_bytes({7, 7 + 0x100000000ULL}) == 1 + 8 + 2 * 8);
  CHECK(id_column_bytes({0, std::numeric_limits<EventId>::max()}) == 1 + 8 + 2 * 8);

  // Signed columns spread by their numbers: -1 (none) to 3 is one byte, not four.
  EventTable modules;
  modules.id = {1, 2, 3};
  modules.module = {-1, 3, 0};
  CHECK(payload_of(modules, 2).size() == 12 + (1 + 8 + 3 * 1) + (1 + 4 + 3 * 1));
  CHECK(same_bits(detail::decode_batch(payload_of(modules, 2), 2).module, modules.module));
}

TEST_CASE("a format 2 column of a width no type has is a format error",
          "[journal][quick][bad-input]") {
  EventTable table;
  table.id = {5, 6};
  table.kind = {1, 2};
  auto payload = payload_of(table, 2);
  const std::size_t kind_width_at = 12 + 1 + 8 + 2 * 1;  // after the id column
  REQUIRE(payload[12] == 1);
  REQUIRE(payload[kind_width_at] == 1);
  for (const int width : {2, 3, 4, 8, 16}) {  // a kind is one byte: only 0 and 1 fit
    CAPTURE(width);
    payload[kind_width_at] = static_cast<char>(width);
    CHECK_THROWS_WITH(detail::decode_batch(payload, 2),
                      Catch::Contains("1-byte values stored " + std::to_string(width)));
  }
  payload[12] = 3;  // ids: eight bytes wide at most, and a power of two
  CHECK_THROWS_AS(detail::decode_batch(payload, 2), FormatError);
  // A format 1 reader takes the same bytes as full-width columns, and finds them short.
  CHECK_THROWS_AS(detail::decode_batch(payload_of(table, 2), 1), FormatError);
}

TEST_CASE("a format 2 event count no record holds is a format error, not an allocation",
          "[journal][quick][bad-input]") {
  // Four billion events of one id: nine bytes of column, 32 GB decoded.
  std::string payload;
  for (const std::uint32_t field : {0xffffffffu, 1u, 0u}) {  // events, columns (id), texts
    for (std::size_t i = 0; i < 4; ++i) payload.push_back(static_cast<char>(field >> (8 * i)));
  }
  payload.push_back('\0');    // width 0
  payload.append(8, '\x07');  // base
  CHECK_THROWS_WITH(detail::decode_batch(payload, 2),
                    Catch::Contains("would pass a record's 1 GiB"));
}
