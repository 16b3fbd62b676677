// The journal's record decoder and replay behind sound checksums. The input is one record's
// payload (the seeds are payloads of real records); the harness writes the 52-byte file
// header of fuzz_roster.hpp's roster and a frame header with the payload's length and
// CRC-32C, both as docs/journal.md lays them out, so that mutations reach the decoder and
// the ledger instead of failing a checksum and being cut off as a torn tail.
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/crc.hpp>

#include "balai/io/journal.hpp"
#include "fuzz_roster.hpp"
#include "fuzz_target.hpp"

namespace {

std::uint32_t crc32c(const void* bytes, std::size_t size) {
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  crc.process_bytes(bytes, size);
  return crc.checksum();
}

// Little-endian, as the journal is on every machine.
template <class T>
void append_le(std::string& bytes, T value) {
  for (std::size_t i = 0; i < sizeof value; ++i) {
    bytes.push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff));
  }
}

void append_crc(std::string& bytes, std::size_t from) {
  append_le(bytes, crc32c(bytes.data() + from, bytes.size() - from));
}

constexpr std::uint32_t kExcusedExcluded = 1;  // ledger options, bit 0

std::string file_header(const balai::Roster& roster) {
  std::string bytes = "BALAIJNL";
  append_le(bytes, balai::kJournalFormatVersion);
  append_le(bytes, kExcusedExcluded);
  for (const auto byte : roster.digest()) bytes.push_back(static_cast<char>(byte));
  append_crc(bytes, 0);
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const balai::Roster roster = balai::fuzz::journal_roster();
  static const std::string header = file_header(roster);
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("balai-fuzz-journal-record-" + std::to_string(::getpid()) + ".journal");
  std::string bytes = header;
  const std::size_t frame = bytes.size();
  append_le(bytes, static_cast<std::uint32_t>(size));
  append_le(bytes, crc32c(data, size));
  append_le(bytes, static_cast<std::uint64_t>(frame));
  append_crc(bytes, frame);
  bytes.append(reinterpret_cast<const char*>(data), size);
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  const int result = balai::fuzz::run([&] {
    const auto journal = balai::Journal::open(path, roster);
    (void)journal.ledger().statuses();
  });
  std::filesystem::remove(path);
  return result;
}
