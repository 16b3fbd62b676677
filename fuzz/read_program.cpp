// read_program over arbitrary text: program.csv, then a line "%%", then phases.csv. An
// input without that line is program.csv with an empty phase table.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "balai/io/tables.hpp"
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return balai::fuzz::run([&] {
    constexpr std::string_view kSeparator = "\n%%\n";
    const std::string input = balai::fuzz::text(data, size);
    const auto split = input.find(kSeparator);
    std::string phases = "name,first,last\n";
    if (split != std::string::npos) phases = input.substr(split + kSeparator.size());
    balai::CsvReader program_csv(input.substr(0, split), "program.csv");
    balai::CsvReader phases_csv(std::move(phases), "phases.csv");
    (void)balai::read_program(program_csv, phases_csv);
  });
}
