// read_regencies over arbitrary text.
#include <cstddef>
#include <cstdint>

#include "balai/io/regions_csv.hpp"
#include "table_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return balai::fuzz::load_table(data, size, "regencies.csv",
                                 [](balai::CsvReader& csv) { return balai::read_regencies(csv); });
}
