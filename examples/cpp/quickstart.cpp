// The C++ quickstart shown in the README (a test checks that the two agree): look up a
// province in the embedded table, build a Dataset holding one facility and one module,
// and ask whether the facility can host the module.
#include <balai/model/dataset.hpp>
#include <iostream>

int main() {
  const balai::Province& jabar = balai::province(32);  // Jawa Barat, from the embedded table
  balai::Facility blk{.id = "BLK-3273-001",
                      .name = "UPTD BLK Bandung",
                      .location = jabar.capital_location,
                      .province = jabar.code,
                      .rooms = 4,
                      .seats = 80,
                      .features = {"classroom"}};
  balai::Module module{.code = "ENT-101",
                       .title = "Memulai usaha",
                       .hours_jp = 16,
                       .required_features = {"classroom"}};
  balai::Dataset dataset;
  dataset.add({.facilities = {blk}, .modules = {module}});  // all or nothing
  std::cout << jabar.name << ": " << dataset.facilities().size()
            << " facility, hosts ENT-101: " << std::boolalpha
            << dataset.can_host(balai::FacilityIndex{0}, balai::ModuleIndex{0}) << '\n';
}
