// from_snapshot_bytes over arbitrary bytes: the envelope first, and behind it, for inputs
// that keep a sound header and CRC (the seeds are real snapshots), the archive.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "balai/io/snapshot.hpp"
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return balai::fuzz::run([&] {
    (void)balai::from_snapshot_bytes(std::string_view(reinterpret_cast<const char*>(data), size));
  });
}
