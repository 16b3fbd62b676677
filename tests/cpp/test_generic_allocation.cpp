// The generic allocation (balai/planning/allocation/generic_allocation.hpp) on the embedder's own
// types against the Dataset path on the same data.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "balai/planning/allocation/generic_allocation.hpp"
#include "balai/planning/sites/generic_sites.hpp"
#include "balai/scenario/indonesia.hpp"

using namespace balai;

namespace {

// An embedder's own records: other names, other id types, no balai types inside.
struct Applicant {
  std::string nik_hash;
  double lat;
  double lon;
  int track;
};
struct Centre {
  long long code;
  GeoPoint at;
  int places;
  std::vector<int> tracks;  // the tracks it can teach
};

}  // namespace

TEST_CASE("generic allocation equals the Dataset path on the same data", "[generic][quick]") {
  const Dataset dataset = indonesia({.seed = 5, .trainees = 3'000});
  AllocationOptions options;
  options.same_island_group = false;  // the embedder's rule here: distance alone
  options.capacity = phase_capacity(dataset, options);
  const Allocation expected = allocate(dataset, options);

  std::vector<Applicant> applicants;
  for (const Trainee& t : dataset.trainees()) {
    applicants.push_back({t.id, t.location.lat(), t.location.lng(), static_cast<int>(t.track)});
  }
  std::vector<Centre> centres;
  for (std::uint32_t f = 0; f < dataset.facilities().size(); ++f) {
    Centre centre{f, dataset.facilities()[f].location, options.capacity[f], {}};
    for (const Track track : {Track::umkm_owner, Track::new_entrepreneur}) {
      const auto modules = dataset.modules_for(track);
      if (std::ranges::all_of(
              modules, [&](ModuleIndex m) { return dataset.can_host(FacilityIndex(f), m); })) {
        centre.tracks.push_back(static_cast<int>(track));
      }
    }
    centres.push_back(std::move(centre));
  }

  const auto placed = generic::allocate(
      applicants, centres, {.k = 16, .max_distance_km = 50.0},
      [](const Applicant& a) {
        return GeoPoint{a.lat, a.lon};
      },
      &Centre::at, &Centre::places,
      [](const Applicant& a, const Centre& c) {
        return std::ranges::find(c.tracks, a.track) != c.tracks.end();
      });
  REQUIRE(placed.place.size() == applicants.size());
  CHECK(placed.place == expected.facility);
  for (std::size_t p = 0; p < applicants.size(); ++p) {
    if (std::isnan(expected.distance_km[p])) {
      CHECK(std::isnan(placed.distance_km[p]));
    } else {
      CHECK(placed.distance_km[p] == Approx(expected.distance_km[p]).margin(1e-9));
    }
  }
  // The placements view hands back the embedder's own objects.
  std::size_t count = 0;
  for (const auto& [applicant, centre, km] : placed.placements(applicants, centres)) {
    const auto p = static_cast<std::size_t>(&applicant - applicants.data());
    CHECK(centre.code == expected.facility[p]);
    CHECK(km == placed.distance_km[p]);
    ++count;
  }
  CHECK(count == static_cast<std::size_t>(expected.objective.placed));
}

TEST_CASE("generic allocation refuses negative seats and places nobody without any",
          "[generic][quick][bad-input]") {
  const std::vector<GeoPoint> people{{-6.9, 107.6}, {-6.91, 107.61}};
  const std::vector<GeoPoint> none{};
  const auto at = [](const GeoPoint& p) { return p; };
  const auto nowhere =
      generic::allocate(people, none, {}, at, at, [](const GeoPoint&) { return 1; });
  CHECK(nowhere.place ==
        std::vector<std::int32_t>{generic::Allocation::kUnplaced, generic::Allocation::kUnplaced});
  const std::vector<GeoPoint> one{{-6.9, 107.6}};
  CHECK_THROWS_AS(generic::allocate(people, one, {}, at, at, [](const GeoPoint&) { return -1; }),
                  ValidationError);
  const auto single = generic::allocate(people, one, {}, at, at, [](const GeoPoint&) { return 1; });
  CHECK(std::ranges::count(single.place, 0) == 1);
}

TEST_CASE("generic site selection equals the Dataset path on the same data", "[generic][quick]") {
  const Dataset dataset = indonesia({.seed = 5, .trainees = 3'000});
  SiteSelectionOptions options;
  options.sites = 40;
  options.same_island_group = false;
  const auto candidates = site_candidates(dataset, options);
  const SiteSelection expected = select_sites(dataset, options, candidates);

  std::vector<Centre> centres;
  for (const FacilityIndex f : candidates) {
    centres.push_back({f.value(), dataset.facility(f).location, 0, {}});
  }
  struct Home {
    GeoPoint at;
  };
  std::vector<Home> homes;
  for (const Trainee& t : dataset.trainees()) homes.push_back({t.location});
  const auto province_of = [&](const Centre& c) {
    return dataset.facility(FacilityIndex(static_cast<std::uint32_t>(c.code))).province;
  };
  const SiteSelection chosen =
      generic::select_sites(centres, homes, options, &Centre::at, province_of, &Home::at);
  std::vector<std::uint32_t> facilities;
  for (const Centre& centre : generic::selected(chosen, centres)) {
    facilities.push_back(static_cast<std::uint32_t>(centre.code));
  }
  CHECK(facilities == expected.selected);
  CHECK(chosen.objective == expected.objective);
}

TEST_CASE("a spatial index over the embedder's points reports their positions",
          "[generic][quick]") {
  const Dataset dataset = indonesia({.seed = 5, .trainees = 10});
  struct Site {
    int code;
    GeoPoint where;
  };
  std::vector<Site> sites;
  std::vector<GeoPoint> points;
  std::vector<std::uint32_t> ids;
  for (std::uint32_t f = 0; f < dataset.facilities().size(); ++f) {
    sites.push_back({static_cast<int>(f) * 7, dataset.facilities()[f].location});
    points.push_back(dataset.facilities()[f].location);
    ids.push_back(f);
  }
  const SpatialIndex theirs = generic::spatial_index(sites, &Site::where);
  const SpatialIndex ours(points, ids);
  std::vector<Neighbour> a;
  std::vector<Neighbour> b;
  for (const Trainee& t : dataset.trainees()) {
    theirs.nearest(t.location, 8, 60.0, a);
    ours.nearest(t.location, 8, 60.0, b);
    CHECK(a == b);
  }
}
