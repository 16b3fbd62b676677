// The snapshot's archive parser behind a sound envelope. The input is a payload (the
// bytes after the 28-byte header; the seeds are real ones); the harness writes the header
// a writer would, with the payload's length and CRC-32, so that almost every mutation
// reaches the Boost archive and the dataset's validation instead of the CRC check.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/crc.hpp>

#include "balai/io/snapshot.hpp"
#include "fuzz_target.hpp"

namespace {

template <class T>
void append_native(std::string& bytes, T value) {
  bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::crc_32_type crc;
  crc.process_bytes(data, size);
  std::string bytes = "BALAISNP";
  append_native(bytes, balai::kSnapshotFormatVersion);
  append_native(bytes, std::uint32_t{0x01020304});
  append_native(bytes, std::uint64_t{size});
  append_native(bytes, std::uint32_t{crc.checksum()});
  bytes.append(reinterpret_cast<const char*>(data), size);
  return balai::fuzz::run([&] { (void)balai::from_snapshot_bytes(bytes); });
}
