// The program both consumer projects build: it uses balai the way an embedding service
// would and exits non-zero on any wrong answer, so the test proves that the package links
// and works, not only that it configures.
#include <cmath>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <balai/core/error.hpp>
#include <balai/core/geo.hpp>
#include <balai/core/regions.hpp>
#include <balai/model/dataset.hpp>
#include <balai/model/nik.hpp>
#include <balai/planning/allocation/generic_allocation.hpp>
#include <balai/planning/sites/generic_sites.hpp>
#include <balai/tracking/generic_ingest.hpp>
#include <balai/tracking/ledger.hpp>
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

  // The generic layer on the service's own records: two centres of one seat each, three
  // applicants; the one in Jakarta is out of range, the other two fill both seats.
  struct Applicant {
    int ticket;
    double lat, lon;
  };
  struct Centre {
    std::string code;
    balai::GeoPoint at;
    int seats;
  };
  const std::vector<Applicant> applicants{
      {101, -6.90, 107.60}, {102, -6.88, 107.55}, {103, -6.20, 106.82}};
  const std::vector<Centre> centres{{"BDG", balai::GeoPoint(-6.92, 107.61), 1},
                                    {"CMH", balai::GeoPoint(-6.87, 107.54), 1}};
  const auto placed = balai::generic::allocate(
      applicants, centres, {.k = 4, .max_distance_km = 50.0},
      [](const Applicant& a) { return balai::GeoPoint(a.lat, a.lon); }, &Centre::at,
      &Centre::seats);
  std::string seen;
  for (const auto& [applicant, centre, distance] : placed.placements(applicants, centres)) {
    seen += std::to_string(applicant.ticket) + "@" + centre.code + " ";
  }
  std::cout << "placed: " << seen << '\n';
  expect(seen == "101@BDG 102@CMH ", "generic allocation of the service's own types");

  // One site for those within 5 km, applicant 102 counting twice: Cimahi.
  balai::SiteSelectionOptions one_site;
  one_site.sites = 1;
  one_site.radius_km = 5.0;
  one_site.minimums.clear();
  const auto chosen = balai::generic::select_sites(
      centres, applicants, one_site, &Centre::at, [](const Centre&) { return 32; },
      [](const Applicant& a) { return balai::GeoPoint(a.lat, a.lon); },
      [](const Applicant& a) { return a.ticket == 102 ? 2.0 : 1.0; });
  std::string opened;
  for (const Centre& centre : balai::generic::selected(chosen, centres)) opened += centre.code;
  std::cout << "opened: " << opened << '\n';
  expect(opened == "CMH", "generic site selection of the service's own types");

  // Attendance from the service's own rows, fed to a ledger through the generic layer:
  // the same statuses as appending balai's events one by one.
  balai::Trainee trainee;
  trainee.id = "T-1";
  trainee.gender = balai::Gender::female;
  trainee.birth_year = 1990;
  trainee.province = 32;
  trainee.regency = balai::RegencyCode(3273);
  trainee.location = balai::GeoPoint(-6.90, 107.62);
  trainee.track = balai::Track::new_entrepreneur;
  trainee.umkm_class = balai::UmkmClass::micro;
  trainee.sector = balai::Kbli{balai::KbliVersion::kbli2020, "10792"};
  balai::Program program;
  program.name = "Pelatihan Kewirausahaan";
  program.ministries = {"Kementerian UMKM"};
  program.phases = {
      balai::Phase{"pilot", balai::DateRange(balai::Date(2027, 1, 4), balai::Date(2027, 4, 4))}};
  dataset.add(balai::Batch{{}, {}, {trainee}, program});
  const std::string registration_id = "6b1e0b52-3a57-4c1e-9d43-1c0f2f6f1a01";
  const balai::Roster roster(dataset,
                             {balai::Cohort{"C-1",
                                            "ENT-101",
                                            "BLK-3273-001",
                                            {balai::Date(2027, 1, 4), balai::Date(2027, 1, 5)},
                                            {}}},
                             {balai::Registration{registration_id, "T-1", {"C-1"}}});
  struct AttendanceRow {
    long serial;
    std::string registration;
    int session;
    std::int64_t at;
  };
  const std::int64_t day = 86'400;
  const std::int64_t jan4 = std::int64_t{balai::Date(2027, 1, 4).days()} * day;
  const std::vector<AttendanceRow> rows{{11, registration_id, 1, jan4 + 3600},
                                        {12, registration_id, 2, jan4 + day + 3600}};
  const auto event_of = [&](const AttendanceRow& row) {
    balai::Event event;
    event.id = static_cast<balai::EventId>(row.serial);
    event.kind = balai::EventKind::attended;
    event.registration = roster.find_registration(row.registration).value();
    event.module = balai::ModuleIndex(0);
    event.session = row.session;
    event.time = row.at;
    event.actor = "kiosk";
    return event;
  };
  balai::Event enrolled = event_of(rows.front());
  enrolled.id = 10;
  enrolled.kind = balai::EventKind::enrolled;
  enrolled.module.reset();
  enrolled.session.reset();
  balai::Ledger direct(roster);
  balai::Ledger generic(roster);
  (void)direct.append(std::vector<balai::Event>{enrolled});
  (void)generic.append(std::vector<balai::Event>{enrolled});
  for (const AttendanceRow& row : rows) (void)direct.append(std::vector{event_of(row)});
  const auto appended = balai::generic::append(generic, rows, event_of);
  const auto status = generic.statuses().program(balai::RegistrationIndex(0)).status;
  std::cout << "ingested: " << appended.added << " events, " << balai::name_of(status) << '\n';
  expect(appended.added == 2 && generic == direct, "generic ingest equals appending events");
  expect(status == balai::Status::completed, "two sessions attended complete the module");

  return failures == 0 ? 0 : 1;
}
