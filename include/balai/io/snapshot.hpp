// Binary snapshots of a Dataset: the fastest way to store one and load it back, and the
// byte form the Python layer pickles. A snapshot is a small envelope around a
// Boost.Serialization binary archive of the dataset's content (regencies, facilities,
// modules, trainees, program). Loading rebuilds the dataset through its validating
// constructor, so a snapshot can never smuggle in data that a batch could not.
//
// Envelope, every integer in the byte order of the machine that wrote it:
//
//   offset  size  field
//        0     8  magic "BALAISNP"
//        8     4  format version (u32), kSnapshotFormatVersion when written
//       12     4  byte-order mark (u32) 0x01020304
//       16     8  payload length in bytes (u64)
//       24     4  CRC-32 (ISO-HDLC, as zlib) of the payload (u32)
//       28     …  payload: the Boost binary archive
//
// Loading a file that is truncated, corrupted, foreign, written on a machine of the other
// byte order or by a newer format version throws FormatError saying which; it never
// crashes and never returns a partial dataset. Every format version ever released stays
// readable: tests/data holds a snapshot of each and the tests load them.
//
// The same dataset gives the same bytes on the same platform and Boost release.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "balai/core/export.hpp"
#include "balai/model/dataset.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// The format version this build writes; it reads every version from 1 up to this one.
inline constexpr std::uint32_t kSnapshotFormatVersion = 1;

// The snapshot's bytes, and the dataset they hold (FormatError if they hold none).
[[nodiscard]] std::string to_snapshot_bytes(const Dataset& dataset);
[[nodiscard]] Dataset from_snapshot_bytes(std::string_view bytes);

// Writes atomically: the bytes go to "<path>.tmp" in the same directory, are flushed to
// disk, and the file is then renamed over `path`, so a crash leaves either the old
// snapshot or the new one, never a mix. Error naming the path if the file cannot be
// written (an existing snapshot at `path` is then left as it was).
void save_snapshot(const Dataset& dataset, const std::filesystem::path& path);

// Error naming the path if the file cannot be opened or read; FormatError naming the path
// if it is not a snapshot this build can load.
[[nodiscard]] Dataset load_snapshot(const std::filesystem::path& path);

}  // namespace balai
BALAI_EXPORT_END
