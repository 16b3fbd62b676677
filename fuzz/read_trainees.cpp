// read_trainees over arbitrary text, with a NIK key, so that a clear `nik` column is read
// (and protected) rather than refused outright.
#include <cstddef>
#include <cstdint>

#include "balai/io/tables.hpp"
#include "table_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const balai::CsvReadOptions options{balai::NikKey("fuzz-key-0123456789abcdef")};
  return balai::fuzz::load_table(data, size, "trainees.csv", [](balai::CsvReader& csv) {
    return balai::read_trainees(csv, options);
  });
}
