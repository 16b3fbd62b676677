#include "journal_codec.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <limits>
#include <type_traits>

#include "balai/core/error.hpp"
#include "balai/io/journal.hpp"
#include "crc32c.hpp"
#include "little_endian.hpp"

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

// The oldest format version this build reads and appends to, and the first whose columns
// are narrowed (see Narrowing).
constexpr std::uint32_t kOldestJournalFormat = 1;
constexpr std::uint32_t kNarrowedColumns = 2;

// Payload: event count, present columns, text count.
constexpr std::size_t kPayloadPrefix = 12;
constexpr std::size_t kColumnCount = 11;

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

// A column of format 1: every value at its full width.
template <class T>
void take_full(Reader& in, std::size_t n, std::vector<T>& column) {
  const auto bytes = in.take(n * sizeof(T), "a column");
  column.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    column[i] = std::bit_cast<T>(load_le<Stored<T>>(bytes.data() + i * sizeof(T)));
  }
}

// A column of format 2 and later, frame of reference: a width byte, a base (the smallest
// value in the column's own order) and each value's distance from the base in `width`
// bytes, the fewest of 0, 1, 2, 4 or 8 that hold the largest distance. A column of one
// value (one actor, no reasons, no scores) then takes no bytes an event, and the rising
// ids and times of a batch two or four: a fifth to two thirds of format 1's bytes.
struct Narrowing {
  std::uint64_t base = 0;
  std::uint8_t width = 0;
};

template <class T>
Narrowing narrowed(std::span<const T> column) noexcept {
  using U = Stored<T>;
  // With its sign bit flipped, a signed column's two's complement sorts like its numbers;
  // a double's bits need no order, only a base and distances that fit.
  constexpr U flip =
      std::is_integral_v<T> && std::is_signed_v<T> ? U{1} << (8 * sizeof(U) - 1) : U{0};
  U low = std::numeric_limits<U>::max();
  U high = 0;
  for (const T value : column) {
    const U key = std::bit_cast<U>(value) ^ flip;
    low = std::min(low, key);
    high = std::max(high, key);
  }
  const std::uint64_t range = static_cast<U>(high - low);
  const std::uint8_t width = range == 0                ? 0
                             : range <= 0xff           ? 1
                             : range <= 0xffff         ? 2
                             : range <= 0xffff'ffffULL ? 4
                                                       : 8;
  return {static_cast<U>(low ^ flip), width};
}

// Writes `column` narrowed at `p`; returns the end of what it wrote.
template <class T>
char* put_narrowed(char* p, std::span<const T> column, Narrowing narrowing) noexcept {
  using U = Stored<T>;
  const auto base = static_cast<U>(narrowing.base);
  *p++ = static_cast<char>(narrowing.width);
  store_le(p, base);
  p += sizeof base;
  auto put = [&]<class W>(W) {
    for (const T value : column) {
      store_le(p, static_cast<W>(static_cast<U>(std::bit_cast<U>(value) - base)));
      p += sizeof(W);
    }
  };
  switch (narrowing.width) {
    case 1: put(std::uint8_t{}); break;
    case 2: put(std::uint16_t{}); break;
    case 4: put(std::uint32_t{}); break;
    case 8: put(std::uint64_t{}); break;
    default: break;  // 0: the base alone
  }
  return p;
}

template <class T>
void take_narrowed(Reader& in, std::size_t n, std::vector<T>& column) {
  using U = Stored<T>;
  const auto width =
      static_cast<std::size_t>(static_cast<unsigned char>(in.take(1, "a column's width").front()));
  if (width > sizeof(U) || (width & (width - 1)) != 0) {
    throw FormatError("a column of " + std::to_string(sizeof(U)) + "-byte values stored " +
                      std::to_string(width) + " bytes wide");
  }
  const auto base = load_le<U>(in.take(sizeof(U), "a column's base").data());
  const auto bytes = in.take(n * width, "a column");
  column.resize(n);
  auto take = [&]<class W>(W) {
    for (std::size_t i = 0; i < n; ++i) {
      column[i] = std::bit_cast<T>(static_cast<U>(base + load_le<W>(bytes.data() + i * sizeof(W))));
    }
  };
  switch (width) {
    case 0: std::fill(column.begin(), column.end(), std::bit_cast<T>(base)); break;
    case 1: take(std::uint8_t{}); break;
    case 2: take(std::uint16_t{}); break;
    case 4: take(std::uint32_t{}); break;
    default: take(std::uint64_t{}); break;
  }
}

// `header` with its format version set to `version`, and its checksum to match.
std::string with_version(std::string header, std::uint32_t version) {
  store_le(header.data() + kVersionAt, version);
  store_le(header.data() + kHeaderCrcAt, crc32c(std::string_view(header).substr(0, kHeaderCrcAt)));
  return header;
}

}  // namespace

std::string journal_header(const std::array<std::uint8_t, 32>& roster_digest,
                           const LedgerOptions& options, std::uint32_t version) {
  std::string header(kJournalHeaderSize, '\0');
  std::memcpy(header.data(), kMagic.data(), kMagic.size());
  store_le(header.data() + kOptionsAt, options.excused_excluded ? kExcusedExcluded : 0u);
  std::memcpy(header.data() + kDigestAt, roster_digest.data(), roster_digest.size());
  return with_version(std::move(header), version);
}

std::string header_mismatch(std::string_view found, std::string_view expected) {
  if (found.substr(0, kMagic.size()) != kMagic.substr(0, found.size())) {
    return "not a balai journal: it does not start with \"BALAIJNL\"";
  }
  if (found.size() < kJournalHeaderSize) {
    // The creation of a file, by this build or an earlier one, that a crash cut short.
    for (auto version = kOldestJournalFormat; version <= kJournalFormatVersion; ++version) {
      if (found == with_version(std::string(expected), version).substr(0, found.size())) return {};
    }
    return "a header cut short at " + std::to_string(found.size()) + " of " +
           std::to_string(kJournalHeaderSize) + " bytes that is not this roster's and options'";
  }
  const auto version = load_le<std::uint32_t>(found.data() + kVersionAt);
  if (version > kJournalFormatVersion) {
    return "written by a newer format version " + std::to_string(version) +
           "; this build reads up to " + std::to_string(kJournalFormatVersion);
  }
  if (version < kOldestJournalFormat) {
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

std::uint32_t header_version(std::string_view header) noexcept {
  return load_le<std::uint32_t>(header.data() + kVersionAt);
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
    // Every value at full width, and a narrowed column's width and base.
    constexpr auto size = sizeof(typename std::decay_t<decltype(column)>::value_type);
    bytes += column.size() * size + 1 + size;
  });
  return bytes;
}

void append_record(std::string& out, const EventColumns& batch, std::uint32_t version) {
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

  const bool narrow = version >= kNarrowedColumns;
  std::array<Narrowing, kColumnCount> narrowing{};
  std::size_t size = kPayloadPrefix;
  for (const auto text : texts) size += 4 + text.size();
  std::uint32_t present = 0;
  std::size_t c = 0;
  for_each_column(columns, [&](const auto& column) {
    using T = typename std::decay_t<decltype(column)>::value_type;
    if (!column.empty()) {
      present |= 1u << c;
      if (narrow) {
        narrowing[c] = narrowed(column);
        size += 1 + sizeof(T) + column.size() * narrowing[c].width;
      } else {
        size += column.size() * sizeof(T);
      }
    }
    ++c;
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
  c = 0;
  for_each_column(columns, [&](const auto& column) {
    using T = typename std::decay_t<decltype(column)>::value_type;
    if (narrow && !column.empty()) {
      p = put_narrowed(p, column, narrowing[c]);
    } else {
      for (const T value : column) put(std::bit_cast<Stored<T>>(value));  // none if absent
    }
    ++c;
  });

  const auto payload = std::string_view(frame + kFrameHeaderSize, size);
  store_le(frame, static_cast<std::uint32_t>(size));
  store_le(frame + kPayloadCrcAt, crc32c(payload));
}

EventTable decode_batch(std::string_view payload, std::uint32_t version) {
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
  // The writer refuses a batch whose columns at full width would pass kMaxPayloadSize, so
  // a count beyond that is damage; in format 2, where a column of one value takes a few
  // bytes however many events it has, nothing else would bound what decoding allocates.
  std::uint64_t full_width = kPayloadPrefix;
  std::uint32_t bit = 1;
  for_each_column(table, [&](const auto& column) {
    if ((present & bit) != 0)
      full_width += n * sizeof(typename std::decay_t<decltype(column)>::value_type);
    bit <<= 1;
  });
  if (full_width > kMaxPayloadSize) {
    throw FormatError("an event count of " + std::to_string(n) +
                      " whose columns would pass a record's 1 GiB");
  }
  bit = 1;
  for_each_column(table, [&](auto& column) {
    if ((present & bit) != 0) {
      if (version >= kNarrowedColumns) {
        take_narrowed(in, n, column);
      } else {
        take_full(in, n, column);
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
