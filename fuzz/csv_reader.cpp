// CsvReader over arbitrary text: the header, every record, and every column read through
// every typed accessor, each of which may refuse a cell with a ParseError without ending
// the run, so that one input exercises all of them.
#include <cstddef>
#include <cstdint>

#include "balai/io/csv.hpp"
#include "balai/model/facility.hpp"
#include "balai/model/trainee.hpp"
#include "fuzz_target.hpp"

namespace {

using balai::CsvColumn;
using balai::CsvReader;

template <class Read>
void attempt(Read&& read) {
  try {
    read();
  } catch (const balai::ParseError&) {
  }
}

void read_cell(const CsvReader& csv, const CsvColumn& column) {
  (void)csv.string(column);
  (void)csv.optional_string(column);
  attempt([&] { (void)csv.integer(column); });
  attempt([&] { (void)csv.integer<std::int32_t>(column, -5, 2000); });
  attempt([&] { (void)csv.optional_integer<std::uint16_t>(column); });
  attempt([&] { (void)csv.real(column); });
  attempt([&] { (void)csv.optional_real(column); });
  attempt([&] { (void)csv.date(column); });
  attempt([&] { (void)csv.optional_date(column); });
  attempt([&] { (void)csv.enumeration<balai::Track>(column); });
  attempt([&] { (void)csv.optional_enumeration<balai::FacilityKind>(column); });
  attempt([&] { (void)csv.list(column); });
  attempt([&] { (void)csv.string_list(column); });
  attempt([&] { (void)csv.enumeration_list<balai::Need>(column); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return balai::fuzz::run([&] {
    CsvReader csv(balai::fuzz::text(data, size), "fuzz.csv");
    std::vector<CsvColumn> columns;
    for (const auto& name : csv.header()) columns.push_back(csv.column(name));
    columns.push_back(csv.optional_column("not-in-the-header"));
    while (csv.next()) {
      for (const auto& column : columns) read_cell(csv, column);
    }
  });
}
