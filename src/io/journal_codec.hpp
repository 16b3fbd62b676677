// The journal's bytes, without any I/O: the file header, record frames and the columnar
// payload of one batch. Every integer is little-endian whatever the machine, and
// is written byte by byte, never by copying a struct. The layout is documented in
// docs/journal.md; internal to src/io.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "balai/io/journal.hpp"
#include "balai/tracking/ledger.hpp"

namespace balai::detail {

inline constexpr std::size_t kJournalHeaderSize = 52;
inline constexpr std::size_t kFrameHeaderSize = 20;
// A record's payload is 1 byte to 1 GiB: more is never written, so a length outside that
// range is damage, and no reader allocates more than this for one record.
inline constexpr std::uint32_t kMaxPayloadSize = 1u << 30;

// The header of a journal of format `version` for a roster with this digest and these
// ledger options.
[[nodiscard]] std::string journal_header(const std::array<std::uint8_t, 32>& roster_digest,
                                         const LedgerOptions& options,
                                         std::uint32_t version = kJournalFormatVersion);

// Why `found`, the first bytes of a file, is not the start of the journal whose header
// is `expected` in any format version this build reads, or an empty string if it is.
// `found` may be shorter than a header; it is then judged as a header cut short.
[[nodiscard]] std::string header_mismatch(std::string_view found, std::string_view expected);

// The format version of a whole header that header_mismatch accepted.
[[nodiscard]] std::uint32_t header_version(std::string_view header) noexcept;

// A record's frame header. `write_offset` is the file offset at which the write that
// carried the record began: records written together share it, which tells the records
// of one unfinished write from those of later, completed writes.
struct Frame {
  std::uint32_t length = 0;  // of the payload
  std::uint32_t payload_crc = 0;
  std::uint64_t write_offset = 0;
};

// The fields of the frame header at the start of `bytes` (kFrameHeaderSize of them),
// unchecked; frame_intact says whether they are the ones the writer wrote.
[[nodiscard]] Frame load_frame(std::string_view bytes) noexcept;
[[nodiscard]] bool frame_intact(std::string_view bytes) noexcept;

// The most bytes the payload of `batch` can take, cheap to compute before the ledger sees
// the batch, so that a batch too large for one record is refused before anything changes.
[[nodiscard]] std::uint64_t payload_bound(const EventColumns& batch) noexcept;

// Appends the record of `batch`, which the ledger has accepted, to `out` in format
// `version`: its frame header, still without its write offset, then its payload.
void append_record(std::string& out, const EventColumns& batch, std::uint32_t version);

// Completes the frame header at `frame` (written by append_record) with the offset of the
// write that carries it, and the header's own checksum.
void seal_frame(char* frame, std::uint64_t write_offset) noexcept;

// The batch in a payload of format `version` whose checksum matched. FormatError saying
// what is wrong (without the file and offset, which the caller adds) if the bytes are not
// a payload.
[[nodiscard]] EventTable decode_batch(std::string_view payload, std::uint32_t version);

}  // namespace balai::detail
