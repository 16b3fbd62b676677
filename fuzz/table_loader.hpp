// A harness for one table loader: the input is the text of the table's CSV file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "balai/io/csv.hpp"
#include "fuzz_target.hpp"

namespace balai::fuzz {

template <class Load>
int load_table(const std::uint8_t* data, std::size_t size, const std::string& file, Load&& load) {
  return run([&] {
    CsvReader csv(text(data, size), file);
    (void)load(csv);
  });
}

}  // namespace balai::fuzz
