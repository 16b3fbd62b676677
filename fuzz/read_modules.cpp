// read_modules over arbitrary text.
#include <cstddef>
#include <cstdint>

#include "balai/io/tables.hpp"
#include "table_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return balai::fuzz::load_table(data, size, "modules.csv",
                                 [](balai::CsvReader& csv) { return balai::read_modules(csv); });
}
