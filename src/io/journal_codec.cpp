#include "journal_codec.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <unordered_map>

#include "balai/core/error.hpp"
#include "balai/io/journal.hpp"

namespace balai::detail {
namespace {

constexpr std::string_view kMagic = "BALAIJNL";

// Header fields, as documented in docs/journal.md.
constexpr std::size_t kVersionAt = 8;
constexpr std::size_t kOptionsAt = 12;
constexpr std::size_t kDigestAt = 16;
constexpr std::size_t kHeaderCrcAt = 48;

// Frame fields.
constexpr std::size_t kPayloadCrcAt = 4;
constexpr std::size_t kWriteOffsetAt = 8;
constexpr std::size_t kFrameCrcAt = 16;

// LedgerOptions as flags.
constexpr std::uint32_t kExcusedExcluded = 1;

// Payload: event count, present columns, text count.
constexpr std::size_t kPayloadPrefix = 12;
constexpr std::size_t kColumnCount = 11;

// One table per byte position of an 8-byte word: table[k][b] is the CRC of byte b followed
// by k zero bytes, so eight bytes fold in with eight lookups.
constexpr auto kCrcTables = [] {
  std::array<std::array<std::uint32_t, 256>, 8> table{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t crc = b;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
    table[0][b] = crc;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::size_t b = 0; b < 256; ++b) {
      table[k][b] = (table[k - 1][b] >> 8) ^ table[0][table[k - 1][b] & 0xff];
    }
  }
  return table;
}();

template <class U>
void store_le(char* out, U value) noexcept {
  for (std::size_t i = 0; i < sizeof(U); ++i) out[i] = static_cast<char>(value >> (8 * i));
}

template <class U>
U load_le(const char* in) noexcept {
  U value = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i) {
    value = static_cast<U>(
        value | static_cast<U>(static_cast<U>(static_cast<unsigned char>(in[i])) << (8 * i)));
  }
  return value;
}

// The unsigned integer a column value is stored as: its two's complement, or a double's
// IEEE 754 bits.
template <class T>
struct StoredAs {
  using type = std::make_unsigned_t<T>;
};
template <>
struct StoredAs<double> {
  using type = std::uint64_t;
};
template <class T>
using Stored = typename StoredAs<T>::type;

// The eleven columns in payload order; bit i of the payload's column set is column i.
// Works for EventColumns (spans) and EventTable (vectors) alike.
template <class Batch, class Visit>
void for_each_column(Batch& batch, Visit&& visit) {
  visit(batch.id);
  visit(batch.kind);
  visit(batch.registration);
  visit(batch.module);
  visit(batch.session);
  visit(batch.time);
  visit(batch.actor);
  visit(batch.score);
  visit(batch.reason);
  visit(batch.target);
  visit(batch.result);
}

std::string hex(std::span<const std::uint8_t> bytes) {
  std::string text;
  for (const auto b : bytes) {
    char digits[3];
    std::snprintf(digits, sizeof digits, "%02x", static_cast<unsigned>(b));
    text += digits;
  }
  return text;
}

std::string describe(std::uint32_t flags) {
  return std::string("{excused_excluded=") + ((flags & kExcusedExcluded) != 0 ? "true" : "false") +
         "}";
}

// Reads a payload front to back; FormatError when it ends before what it announces.
class Reader {
 public:
  explicit Reader(std::string_view bytes) noexcept : bytes_(bytes) {}

  [[nodiscard]] std::string_view take(std::size_t count, std::string_view what) {
    if (count > bytes_.size()) {
      throw FormatError("the payload ends inside " + std::string(what) + ": " +
                        std::to_string(count) + " bytes needed, " + std::to_string(bytes_.size()) +
                        " left");
    }
    const auto taken = bytes_.substr(0, count);
    bytes_.remove_prefix(count);
    return taken;
  }
  [[nodiscard]] std::uint32_t u32(std::string_view what) {
    return load_le<std::uint32_t>(take(4, what).data());
  }
  [[nodiscard]] std::size_t left() const noexcept { return bytes_.size(); }

 private:
  std::string_view bytes_;
};

}  // namespace

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc) noexcept {
  const auto& t = kCrcTables;
  crc = ~crc;
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    const auto lo = load_le<std::uint32_t>(p) ^ crc;
    const auto hi = load_le<std::uint32_t>(p + 4);
    crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
          t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
  }
  for (; n > 0; ++p, --n) crc = (crc >> 8) ^ t[0][(crc ^ static_cast<unsigned char>(*p)) & 0xff];
  return ~crc;
}

std::string journal_header(const std::array<std::uint8_t, 32>& roster_digest,
                           const LedgerOptions& options) {
  std::string header(kJournalHeaderSize, '\0');
  std::memcpy(header.data(), kMagic.data(), kMagic.size());
  store_le(header.data() + kVersionAt, kJournalFormatVersion);
  store_le(header.data() + kOptionsAt, options.excused_excluded ? kExcusedExcluded : 0u);
  std::memcpy(header.data() + kDigestAt, roster_digest.data(), roster_digest.size());
  store_le(header.data() + kHeaderCrcAt, crc32c(std::string_view(header).substr(0, kHeaderCrcAt)));
  return header;
}

std::string header_mismatch(std::string_view found, std::string_view expected) {
  if (found.substr(0, kMagic.size()) != kMagic.substr(0, found.size())) {
    return "not a balai journal: it does not start with \"BALAIJNL\"";
  }
  if (found.size() < kJournalHeaderSize) {
    if (found == expected.substr(0, found.size())) return {};
    return "a header cut short at " + std::to_string(found.size()) + " of " +
           std::to_string(kJournalHeaderSize) + " bytes that is not this roster's and options'";
  }
  const auto version = load_le<std::uint32_t>(found.data() + kVersionAt);
  if (version > kJournalFormatVersion) {
    return "written by a newer format version " + std::to_string(version) +
           "; this build reads up to " + std::to_string(kJournalFormatVersion);
  }
  if (version != kJournalFormatVersion) {
    return "corrupted header: there is no format version " + std::to_string(version);
  }
  if (crc32c(found.substr(0, kHeaderCrcAt)) !=
      load_le<std::uint32_t>(found.data() + kHeaderCrcAt)) {
    return "corrupted header: its CRC-32C does not match";
  }
  const auto flags = load_le<std::uint32_t>(found.data() + kOptionsAt);
  const auto wanted = load_le<std::uint32_t>(expected.data() + kOptionsAt);
  if (flags != wanted) {
    return "written for ledger options " + describe(flags) + ", opened with " + describe(wanted);
  }
  const auto digest = found.substr(kDigestAt, 32);
  if (digest != expected.substr(kDigestAt, 32)) {
    auto bytes = [](std::string_view d) {
      return hex({reinterpret_cast<const std::uint8_t*>(d.data()), d.size()});
    };
    return "belongs to another roster: its roster digest is " + bytes(digest) +
           ", this roster's is " + bytes(expected.substr(kDigestAt, 32));
  }
  return {};
}

Frame load_frame(std::string_view bytes) noexcept {
  return {load_le<std::uint32_t>(bytes.data()),
          load_le<std::uint32_t>(bytes.data() + kPayloadCrcAt),
          load_le<std::uint64_t>(bytes.data() + kWriteOffsetAt)};
}

bool frame_intact(std::string_view bytes) noexcept {
  return crc32c(bytes.substr(0, kFrameCrcAt)) == load_le<std::uint32_t>(bytes.data() + kFrameCrcAt);
}

void seal_frame(char* frame, std::uint64_t write_offset) noexcept {
  store_le(frame + kWriteOffsetAt, write_offset);
  store_le(frame + kFrameCrcAt, crc32c(std::string_view(frame, kFrameCrcAt)));
}

std::uint64_t payload_bound(const EventColumns& batch) noexcept {
  std::uint64_t bytes = kPayloadPrefix;
  for (const auto& text : batch.texts) bytes += 4 + text.size();
  for_each_column(batch, [&](const auto& column) {
    bytes += column.size() * sizeof(typename std::decay_t<decltype(column)>::value_type);
  });
  return bytes;
}

void append_record(std::string& out, const EventColumns& batch) {
  // Only the texts the batch uses, in order of first use: a caller may hand a large shared
  // table with every small batch.
  std::vector<std::uint32_t> remap(batch.texts.size(), EventColumns::kNoText);
  std::vector<std::string_view> texts;
  auto compact = [&](std::span<const std::uint32_t> column) {
    std::vector<std::uint32_t> result(column.begin(), column.end());
    for (auto& t : result) {
      if (t == EventColumns::kNoText) continue;
      if (remap.at(t) == EventColumns::kNoText) {
        remap[t] = static_cast<std::uint32_t>(texts.size());
        texts.push_back(batch.texts[t]);
      }
      t = remap[t];
    }
    return result;
  };
  const auto actor = compact(batch.actor);
  const auto reason = compact(batch.reason);
  EventColumns columns = batch;
  columns.actor = actor;
  columns.reason = reason;

  std::size_t size = kPayloadPrefix;
  for (const auto text : texts) size += 4 + text.size();
  std::uint32_t present = 0;
  std::uint32_t bit = 1;
  for_each_column(columns, [&](const auto& column) {
    size += column.size() * sizeof(typename std::decay_t<decltype(column)>::value_type);
    if (!column.empty()) present |= bit;
    bit <<= 1;
  });

  const auto start = out.size();
  out.resize(start + kFrameHeaderSize + size);
  char* const frame = out.data() + start;
  char* p = frame + kFrameHeaderSize;
  auto put = [&](auto value) {
    store_le(p, value);
    p += sizeof value;
  };
  put(static_cast<std::uint32_t>(batch.size()));
  put(present);
  put(static_cast<std::uint32_t>(texts.size()));
  for (const auto text : texts) {
    put(static_cast<std::uint32_t>(text.size()));
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  }
  for_each_column(columns, [&](const auto& column) {
    using T = typename std::decay_t<decltype(column)>::value_type;
    for (const T value : column) put(std::bit_cast<Stored<T>>(value));
  });

  const auto payload = std::string_view(frame + kFrameHeaderSize, size);
  store_le(frame, static_cast<std::uint32_t>(size));
  store_le(frame + kPayloadCrcAt, crc32c(payload));
}

EventTable decode_batch(std::string_view payload) {
  Reader in(payload);
  const std::size_t n = in.u32("the event count");
  const auto present = in.u32("the column set");
  if (present >> kColumnCount != 0) {
    throw FormatError("unknown columns in the column set " + std::to_string(present));
  }
  const std::size_t text_count = in.u32("the text count");
  EventTable table;
  // Each text takes at least its 4-byte length: a count beyond that is not worth reserving.
  table.texts.reserve(std::min(text_count, in.left() / 4));
  for (std::size_t t = 0; t < text_count; ++t) {
    const auto length = in.u32("a text's length");
    table.texts.emplace_back(in.take(length, "a text"));
  }
  std::uint32_t bit = 1;
  for_each_column(table, [&](auto& column) {
    using T = typename std::decay_t<decltype(column)>::value_type;
    if ((present & bit) != 0) {
      const auto bytes = in.take(n * sizeof(T), "a column");
      column.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        column[i] = std::bit_cast<T>(load_le<Stored<T>>(bytes.data() + i * sizeof(T)));
      }
    }
    bit <<= 1;
  });
  if (table.id.size() != n) throw FormatError("the payload lacks its id column");
  if (in.left() != 0) {
    throw FormatError(std::to_string(in.left()) + " stray bytes follow the last column");
  }
  return table;
}

}  // namespace balai::detail
