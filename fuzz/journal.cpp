// Journal recovery over arbitrary bytes: the input is written to a file of its own and
// opened as a journal of fuzz_roster.hpp's roster, which replays it (cutting off a torn
// tail) or refuses it. A journal that opens is then queried, so that a record the replay
// let through must also hold up in the ledger.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "balai/io/journal.hpp"
#include "fuzz_roster.hpp"
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const balai::Roster roster = balai::fuzz::journal_roster();
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("balai-fuzz-journal-" + std::to_string(::getpid()) + ".journal");
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const int result = balai::fuzz::run([&] {
    auto journal = balai::Journal::open(path, roster);
    (void)journal.ledger().statuses();
    for (std::size_t i = 0; i < journal.ledger().size(); ++i) (void)journal.ledger().event(i);
  });
  std::filesystem::remove(path);
  return result;
}
