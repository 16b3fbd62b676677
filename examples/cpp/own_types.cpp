// balai on a service's own records: its applicants and training centres, not balai's
// types. Selects where to open, allocates the applicants there, lists the placements
// lazily, and finds the centres nearest to the applicant left out (docs/cpp.md, "On your
// own types").
#include <balai/planning/allocation/generic_allocation.hpp>
#include <balai/planning/sites/generic_sites.hpp>
#include <cstdio>
#include <string>
#include <vector>

namespace {

struct Applicant {  // what the registration service keeps
  std::string ticket;
  double lat;
  double lon;
};

struct Centre {  // what the ministry's facility register keeps
  std::string code;
  balai::GeoPoint at;
  int province;
  int seats;
};

}  // namespace

int main() {
  const std::vector<Centre> centres{{"BDG-1", balai::GeoPoint(-6.917, 107.619), 32, 2},
                                    {"CMH-1", balai::GeoPoint(-6.873, 107.542), 32, 2},
                                    {"SMD-1", balai::GeoPoint(-6.858, 107.920), 32, 2}};
  const std::vector<Applicant> applicants{{"A-01", -6.90, 107.60},
                                          {"A-02", -6.91, 107.63},
                                          {"A-03", -6.88, 107.55},
                                          {"A-04", -6.86, 107.54},
                                          {"A-05", -6.86, 107.91}};
  const auto home = [](const Applicant& a) { return balai::GeoPoint(a.lat, a.lon); };

  // Open two of the three centres, where most applicants live within 10 km.
  balai::SiteSelectionOptions two;
  two.sites = 2;
  two.radius_km = 10.0;
  const auto opened =
      balai::generic::select_sites(centres, applicants, two, &Centre::at, &Centre::province, home);
  std::vector<Centre> open;
  for (const Centre& centre : balai::generic::selected(opened, centres)) open.push_back(centre);

  // Allocate everyone among the open centres, two seats each, within 50 km.
  const auto placed = balai::generic::allocate(applicants, open, {.k = 4, .max_distance_km = 50},
                                               home, &Centre::at, &Centre::seats);
  std::printf("opened:");
  for (const Centre& centre : open) std::printf(" %s", centre.code.c_str());
  std::printf("\n");
  for (const auto& [applicant, centre, km] : placed.placements(applicants, open)) {
    std::printf("%s -> %s (%.1f km)\n", applicant.ticket.c_str(), centre.code.c_str(), km);
  }

  // The applicant left out asks for the nearest centres, open or not: k-nearest over the
  // register's own records, reported as positions in it.
  const auto register_index = balai::generic::spatial_index(centres, &Centre::at);
  std::vector<balai::Neighbour> nearest;
  register_index.nearest(home(applicants.back()), 2, 100.0, nearest);
  std::printf("nearest to %s:", applicants.back().ticket.c_str());
  for (const balai::Neighbour& centre : nearest)
    std::printf(" %s", centres[centre.id].code.c_str());
  std::printf("\n");
  return 0;
}
