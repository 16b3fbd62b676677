// The program both consumer projects build: it uses balai the way an embedding service
// would and exits non-zero on any wrong answer, so the test proves that the package links
// and works, not only that it configures.
#include <cmath>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>

#include <balai/core/error.hpp>
#include <balai/core/geo.hpp>
#include <balai/core/regions.hpp>
#include <balai/model/dataset.hpp>
#include <balai/model/nik.hpp>
#include <balai/version.hpp>

namespace {

int failures = 0;

void expect(bool ok, std::string_view what) {
  if (!ok) {
    std::cerr << "wrong: " << what << '\n';
    ++failures;
  }
}

balai::Facility facility(std::string id) {
  balai::Facility f;
  f.id = std::move(id);
  f.name = "BLK Bandung";
  f.kind = balai::FacilityKind::uptd;
  f.owner = balai::OwnerLevel::province;
  f.location = balai::GeoPoint(-6.9217, 107.6060);
  f.province = 32;
  f.rooms = 2;
  f.seats = 40;
  f.features = {"classroom"};
  return f;
}

}  // namespace

int main() {
  std::cout << "balai " << balai::version << '\n';

  const auto& jabar = balai::province(32);
  expect(jabar.name == "Jawa Barat" && jabar.capital == "Bandung", "province 32");
  expect(balai::provinces().size() == 38, "38 provinces");

  const double km =
      balai::haversine_km(balai::province(31).capital_location, jabar.capital_location);
  std::cout << "Jakarta-Bandung: " << km << " km\n";
  expect(std::abs(km - 119.0) < 2.0, "Jakarta-Bandung distance");

  balai::Module module;
  module.code = "ENT-101";
  module.title = "Memulai usaha";
  module.hours_jp = 16;
  module.required_features = {"classroom"};
  module.tracks = {balai::Track::new_entrepreneur};

  balai::Dataset dataset;
  dataset.add(balai::Batch{{facility("BLK-3273-001")}, {module}, {}, {}});
  std::cout << dataset.facilities().size() << " facility, " << dataset.modules().size()
            << " module\n";
  expect(dataset.facilities().size() == 1 && dataset.modules().size() == 1, "dataset counts");
  expect(dataset.can_host(balai::FacilityIndex{0}, balai::ModuleIndex{0}), "can_host");

  // A bad batch is refused whole and leaves the dataset as it was.
  try {
    dataset.add(balai::Batch{{facility("BLK-3273-002"), facility("BLK-3273-001")}, {}, {}, {}});
    expect(false, "a duplicate facility id was accepted");
  } catch (const balai::ValidationError& error) {
    std::cout << "refused: " << error.what() << '\n';
  }
  expect(dataset.facilities().size() == 1, "a failed batch changed the dataset");

  // NIK protection links OpenSSL's libcrypto through the exported dependencies.
  const balai::NikKey key("consumer-test-key-0123456789");
  const auto nik = balai::protect_nik("3273014101900001", key);
  expect(nik.masked == "3273********0001", "masked NIK");
  expect(balai::nik_matches(nik, "3273014101900001", key), "NIK match");

  return failures == 0 ? 0 : 1;
}
