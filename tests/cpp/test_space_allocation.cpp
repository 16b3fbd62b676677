// allocate_space and SpaceBook: hand-computed cases, the splittable part against LEMON
// (week by week, tier by tier), the whole requests against exhaustive search, training
// never displaced, the book's cancel and change, and bad input.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "balai/core/geo.hpp"
#include "balai/planning/space/space_allocation.hpp"
#include "balai/scenario/random.hpp"
#include "transport_oracle.hpp"

namespace balai {
namespace {

const Date kMonday(2027, 1, 4);

SpaceSite site(std::string id, double lat, double lng, ProvinceCode province = 32) {
  return {std::move(id), FacilityKind::blk_komunitas, GeoPoint(lat, lng), province};
}

Resource kitchen(std::uint32_t at, std::vector<int> capacity, std::vector<int> training = {}) {
  return {at, ResourceKind::workshop, "kitchen", std::move(capacity), std::move(training)};
}

SpaceRequest request(std::string id, int amount, GeoPoint where, int first_week = 0,
                     int weeks = 1) {
  SpaceRequest request;
  request.id = std::move(id);
  request.business = request.id + "-UMKM";
  request.kind = ResourceKind::workshop;
  request.label = "kitchen";
  request.amount = amount;
  request.first_week = first_week;
  request.weeks = weeks;
  request.location = where;
  request.province = 32;
  request.max_distance_km = 30.0;
  return request;
}

// Two kitchens in Bandung, 10 km apart, two weeks.
SpaceInventory two_kitchens(std::vector<int> near, std::vector<int> far) {
  SpaceInventory inventory{kMonday, 2, {}, {}};
  inventory.sites = {site("BLK-A", -6.90, 107.60), site("BLK-B", -6.90, 107.69)};
  inventory.resources = {kitchen(0, std::move(near)), kitchen(1, std::move(far))};
  return inventory;
}

const GeoPoint kAtA(-6.90, 107.60);

}  // namespace

TEST_CASE("whole requests go to the nearest kitchen with room and the largest go first",
          "[space-allocation][quick]") {
  const auto inventory = two_kitchens({10, 10}, {10, 10});
  const std::vector<SpaceRequest> requests{request("R1", 4, kAtA, 0, 2),
                                           request("R2", 8, kAtA, 0, 2)};
  const auto allocation = allocate_space(inventory, requests);
  // R2 (16 units) is placed first and takes A; R1 no longer fits there and goes to B.
  REQUIRE(allocation.bookings.size() == 2);
  CHECK(allocation.bookings[0].id == "R1/1");
  CHECK(allocation.bookings[0].resource == 1);
  CHECK(allocation.bookings[0].weeks == 2);
  CHECK(allocation.bookings[0].distance_km == Approx(haversine_km(kAtA, GeoPoint(-6.90, 107.69))));
  CHECK(allocation.bookings[1].id == "R2/1");
  CHECK(allocation.bookings[1].resource == 0);
  CHECK(allocation.served == 24);
  CHECK(allocation.requested == 24);
  CHECK(allocation.outcomes[0].status == RequestStatus::served);
  CHECK(verify(inventory, allocation.bookings).empty());
}

TEST_CASE("graduates come first and then priority", "[space-allocation][quick]") {
  const auto inventory = two_kitchens({6, 6}, {0, 0});
  auto other = request("OTHER", 6, kAtA);
  other.priority = 3;
  auto graduate = request("GRAD", 6, kAtA);
  graduate.graduate = true;
  const std::vector<SpaceRequest> requests{other, graduate};

  auto allocation = allocate_space(inventory, requests);
  CHECK(allocation.outcomes[0].status == RequestStatus::capacity);
  CHECK(allocation.outcomes[1].status == RequestStatus::served);
  CHECK(allocation.outcomes[0].detail ==
        "none of the 2 candidates within 30.0 km had 6 hours free in week 0");

  allocation = allocate_space(inventory, requests, {.graduates_first = false});
  CHECK(allocation.outcomes[0].status == RequestStatus::served);
  CHECK(allocation.outcomes[1].status == RequestStatus::capacity);
}

TEST_CASE("splittable requests share kitchens week by week", "[space-allocation][quick]") {
  const auto inventory = two_kitchens({5, 2}, {3, 9});
  auto r = request("R", 8, kAtA, 0, 2);
  r.splittable = true;
  const auto allocation = allocate_space(inventory, std::vector{r});
  // Week 0: 5 at A, 3 at B; week 1: 2 at A, 6 at B.
  CHECK(allocation.served == 16);
  std::map<std::pair<std::uint32_t, int>, int> held;
  for (const auto& booking : allocation.bookings) {
    for (int w = booking.first_week; w < booking.first_week + booking.weeks; ++w)
      held[{booking.resource, w}] += booking.amount;
  }
  CHECK(held[{0, 0}] == 5);
  CHECK(held[{1, 0}] == 3);
  CHECK(held[{0, 1}] == 2);
  CHECK(held[{1, 1}] == 6);
  CHECK(allocation.bookings.size() == 4);
  CHECK(allocation.bookings.front().id == "R/1");
}

TEST_CASE("each unserved request says why", "[space-allocation][quick]") {
  auto inventory = two_kitchens({4, 4}, {0, 0});
  inventory.resources.push_back({0, ResourceKind::storage, "", {10, 10}, {}});
  auto none = request("NONE", 2, kAtA);
  none.kind = ResourceKind::mentoring;
  none.label = "";
  auto far = request("FAR", 2, GeoPoint(-7.80, 110.36));  // Yogyakarta, about 300 km away
  far.province = 34;
  auto part = request("PART", 6, kAtA);
  part.splittable = true;
  const std::vector<SpaceRequest> requests{none, far, part};

  const auto allocation = allocate_space(inventory, requests);
  CHECK(allocation.outcomes[0].status == RequestStatus::no_resource);
  CHECK(allocation.outcomes[0].detail == "no site offers mentoring on the request's island group");
  CHECK(allocation.outcomes[1].status == RequestStatus::out_of_range);
  CHECK_THAT(allocation.outcomes[1].detail,
             Catch::StartsWith("no workshop:kitchen within 30.0 km; the nearest is"));
  CHECK(allocation.outcomes[2].status == RequestStatus::partly_served);
  CHECK(allocation.outcomes[2].served == 4);
  CHECK(allocation.outcomes[2].detail ==
        "4 of 6 hours served; the 2 candidates within 30.0 km had no more free in week 0");
}

namespace {

// A small random instance on one island group: up to 6 sites around Bandung with a
// kitchen each, 4 weeks, requests within 20-80 km. k exceeds the sites, so a request's
// candidates are every kitchen in range.
struct Instance {
  SpaceInventory inventory;
  std::vector<SpaceRequest> requests;
};

Instance random_instance(std::uint64_t seed, bool splittable, int max_requests) {
  Rng rng = Rng::stream(seed, 0x5041434b, 0);
  const auto point = [&] {
    return GeoPoint(-6.6 - 0.6 * rng.uniform(), 107.2 + 0.8 * rng.uniform());
  };
  Instance instance;
  instance.inventory = {kMonday, 4, {}, {}};
  const auto sites = rng.between(1, 6);
  for (std::int64_t s = 0; s < sites; ++s) {
    const auto location = point();
    instance.inventory.sites.push_back(
        site(std::to_string(s) + "-SITE", location.lat(), location.lng()));
    Resource resource = kitchen(static_cast<std::uint32_t>(s), {}, {});
    for (int w = 0; w < 4; ++w) {
      const auto capacity = static_cast<int>(rng.between(0, 20));
      resource.capacity.push_back(capacity);
      resource.training.push_back(static_cast<int>(rng.between(0, capacity / 2)));
    }
    instance.inventory.resources.push_back(resource);
  }
  const auto requests = rng.between(1, max_requests);
  for (std::int64_t r = 0; r < requests; ++r) {
    const auto first = static_cast<int>(rng.between(0, 3));
    auto req = request(std::to_string(r) + "-REQ", static_cast<int>(rng.between(1, 8)), point(),
                       first, static_cast<int>(rng.between(1, 4 - first)));
    req.max_distance_km = 20.0 + 60.0 * rng.uniform();
    req.splittable = splittable;
    req.graduate = rng.chance(0.3);
    req.priority = static_cast<int>(rng.between(0, 1));
    instance.requests.push_back(req);
  }
  return instance;
}

std::int64_t metres(double km) { return std::llround(km * 1000.0); }

// Per resource and week, what a set of bookings holds.
std::vector<std::vector<int>> held_by(const SpaceInventory& inventory,
                                      std::span<const Booking> bookings) {
  std::vector<std::vector<int>> held(inventory.resources.size(),
                                     std::vector<int>(static_cast<std::size_t>(inventory.weeks)));
  for (const auto& booking : bookings) {
    for (int w = booking.first_week; w < booking.first_week + booking.weeks; ++w)
      held[booking.resource][static_cast<std::size_t>(w)] += booking.amount;
  }
  return held;
}

// The best (most units, then least unit-metres) one week of `members` can get from what is
// left, by LEMON: a transportation problem with every kitchen in range (a site's kitchen is
// resource of the same index) at its metres, unserved at a penalty above any travel.
struct Best {
  std::int64_t served = 0;
  std::int64_t unit_metres = 0;
};

Best lemon_week(const Instance& instance, std::span<const std::uint32_t> members, int week,
                const std::vector<std::vector<int>>& left) {
  constexpr std::int64_t kUnserved = 1'000'000'000;
  const auto& sites = instance.inventory.sites;
  detail::TransportProblem problem;
  for (const auto& weeks : left) problem.capacity.push_back(weeks[static_cast<std::size_t>(week)]);
  std::int64_t asked = 0;
  for (auto r : members) {
    const auto& req = instance.requests[r];
    if (week < req.first_week || week >= req.first_week + req.weeks) continue;
    for (std::uint32_t k = 0; k < sites.size(); ++k) {
      const double km = haversine_km(req.location, sites[k].location);
      if (km > req.max_distance_km) continue;
      problem.arc_bin.push_back(k);
      problem.arc_cost.push_back(metres(km));
    }
    problem.first_arc.push_back(static_cast<std::uint32_t>(problem.arc_bin.size()));
    problem.supply.push_back(req.amount);
    problem.unserved_cost.push_back(kUnserved);
    asked += req.amount;
  }
  const std::int64_t cost = testing::lemon_optimum(problem);
  return {asked - cost / kUnserved, cost % kUnserved};
}

}  // namespace

TEST_CASE("splittable requests: every tier's every week is a min-cost flow optimum",
          "[space-allocation][oracle][quick]") {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    CAPTURE(seed);
    const auto instance = random_instance(seed, true, 12);
    const SpaceOptions options{.k = 32};
    const auto allocation = allocate_space(instance.inventory, instance.requests, options);
    REQUIRE(verify(instance.inventory, allocation.bookings).empty());

    // Tier by tier, the oracle starts from what training and the higher tiers left.
    std::map<std::pair<bool, int>, std::vector<std::uint32_t>, std::greater<>> tiers;
    for (std::uint32_t r = 0; r < instance.requests.size(); ++r)
      tiers[{instance.requests[r].graduate, instance.requests[r].priority}].push_back(r);
    std::vector<std::vector<int>> left(instance.inventory.resources.size());
    for (std::size_t r = 0; r < left.size(); ++r) {
      for (int w = 0; w < 4; ++w) left[r].push_back(instance.inventory.free(r, w));
    }
    for (const auto& [key, members] : tiers) {
      std::vector<Booking> tier_bookings;
      for (const auto& booking : allocation.bookings) {
        const auto owner = std::find_if(members.begin(), members.end(), [&](std::uint32_t r) {
          return instance.requests[r].id == booking.request;
        });
        if (owner != members.end()) tier_bookings.push_back(booking);
      }
      const auto held = held_by(instance.inventory, tier_bookings);
      for (int w = 0; w < 4; ++w) {
        CAPTURE(w);
        const Best best = lemon_week(instance, members, w, left);
        Best got;
        for (const auto& booking : tier_bookings) {
          if (w < booking.first_week || w >= booking.first_week + booking.weeks) continue;
          got.served += booking.amount;
          got.unit_metres += booking.amount * metres(booking.distance_km);
        }
        CHECK(got.served == best.served);
        CHECK(got.unit_metres == best.unit_metres);
      }
      for (std::size_t r = 0; r < left.size(); ++r) {
        for (std::size_t w = 0; w < 4; ++w) left[r][w] -= held[r][w];
      }
    }
  }
}

namespace {

// The most units whole requests can get, by trying every assignment (none, or one
// kitchen in range for all its weeks).
std::int64_t best_whole(const Instance& instance) {
  const auto& requests = instance.requests;
  const auto resources = instance.inventory.resources.size();
  std::vector<std::vector<int>> left(resources);
  for (std::size_t r = 0; r < resources; ++r) {
    for (int w = 0; w < 4; ++w) left[r].push_back(instance.inventory.free(r, w));
  }
  std::int64_t best = 0;
  std::int64_t served = 0;
  const auto search = [&](auto&& self, std::size_t next) -> void {
    if (next == requests.size()) {
      best = std::max(best, served);
      return;
    }
    self(self, next + 1);
    const auto& req = requests[next];
    for (std::size_t r = 0; r < resources; ++r) {
      if (haversine_km(req.location, instance.inventory.sites[r].location) > req.max_distance_km)
        continue;
      bool fits = true;
      for (int w = req.first_week; w < req.first_week + req.weeks; ++w)
        fits = fits && left[r][static_cast<std::size_t>(w)] >= req.amount;
      if (!fits) continue;
      for (int w = req.first_week; w < req.first_week + req.weeks; ++w)
        left[r][static_cast<std::size_t>(w)] -= req.amount;
      served += std::int64_t{req.amount} * req.weeks;
      self(self, next + 1);
      served -= std::int64_t{req.amount} * req.weeks;
      for (int w = req.first_week; w < req.first_week + req.weeks; ++w)
        left[r][static_cast<std::size_t>(w)] += req.amount;
    }
  };
  search(search, 0);
  return best;
}

}  // namespace

TEST_CASE("whole requests are feasible and maximal and near exhaustive search",
          "[space-allocation][oracle][quick]") {
  std::int64_t greedy_total = 0;
  std::int64_t best_total = 0;
  int optimal = 0;
  constexpr int kInstances = 150;
  for (std::uint64_t seed = 0; seed < kInstances; ++seed) {
    CAPTURE(seed);
    auto instance = random_instance(seed, false, 7);
    for (auto& req : instance.requests) {
      req.graduate = false;
      req.priority = 0;
    }
    const auto allocation = allocate_space(instance.inventory, instance.requests, {.k = 32});
    REQUIRE(verify(instance.inventory, allocation.bookings).empty());

    // Whole: one booking of every requested week, or none.
    for (std::size_t r = 0; r < instance.requests.size(); ++r) {
      const auto& outcome = allocation.outcomes[r];
      CHECK((outcome.served == 0 || outcome.served == outcome.requested));
    }
    // Maximal: no unserved request fits anywhere in range around the others.
    const auto held = held_by(instance.inventory, allocation.bookings);
    for (std::size_t r = 0; r < instance.requests.size(); ++r) {
      if (allocation.outcomes[r].served > 0) continue;
      const auto& req = instance.requests[r];
      for (std::size_t k = 0; k < instance.inventory.resources.size(); ++k) {
        if (haversine_km(req.location, instance.inventory.sites[k].location) > req.max_distance_km)
          continue;
        bool fits = true;
        for (int w = req.first_week; w < req.first_week + req.weeks; ++w) {
          fits = fits &&
                 instance.inventory.free(k, w) - held[k][static_cast<std::size_t>(w)] >= req.amount;
        }
        CHECK_FALSE(fits);
      }
    }
    const auto best = best_whole(instance);
    CHECK(allocation.served <= best);
    greedy_total += allocation.served;
    best_total += best;
    optimal += allocation.served == best ? 1 : 0;
  }
  // Measured when written: 2,337 of the optimum's 2,369 units (98.6%), optimal on 143 of
  // the 150 instances. A regression guard, not a guarantee: the greedy has none.
  CHECK(static_cast<double>(greedy_total) >= 0.97 * static_cast<double>(best_total));
  CHECK(optimal >= 135);
}

TEST_CASE("shared use never takes what training uses", "[space-allocation][quick]") {
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    CAPTURE(seed);
    auto instance = random_instance(seed, seed % 2 == 0, 30);
    for (auto& req : instance.requests) req.amount *= 4;  // far more than is free
    const auto allocation = allocate_space(instance.inventory, instance.requests, {.k = 32});
    const auto rows = utilisation(instance.inventory, allocation.bookings);
    for (const auto& row : rows) {
      const auto& resource = instance.inventory.resources[row.resource];
      CHECK(row.training == resource.training[static_cast<std::size_t>(row.week)]);
      CHECK(row.shared <= row.capacity - row.training);
      CHECK(row.idle == row.capacity - row.training - row.shared);
    }
  }
}

TEST_CASE("the result does not depend on threads and is the same every run",
          "[space-allocation][quick]") {
  const auto instance = random_instance(7, true, 40);
  const auto one = allocate_space(instance.inventory, instance.requests, {.k = 32, .threads = 1});
  const auto two = allocate_space(instance.inventory, instance.requests, {.k = 32, .threads = 2});
  CHECK(one.bookings == two.bookings);
  CHECK(one.outcomes == two.outcomes);
  CHECK(allocate_space(instance.inventory, instance.requests, {.k = 32, .threads = 1}) == one);
}

TEST_CASE("a book keeps bookings apart: cancel and change touch only their own",
          "[space-allocation][book][quick]") {
  SpaceBook book(two_kitchens({10, 10}, {10, 10}));
  auto first = book.allocate(std::vector{request("R1", 6, kAtA, 0, 2)});
  auto second = book.allocate(std::vector{request("R2", 6, kAtA, 0, 2)});
  REQUIRE(first.bookings.size() == 1);
  REQUIRE(second.bookings.size() == 1);
  CHECK(second.bookings[0].resource == 1);  // A has only 4 hours left
  CHECK(book.available(0, 0) == 4);
  const Booking r2 = book.booking("R2/1");

  const Booking cancelled = book.cancel("R1/1");
  CHECK(cancelled == first.bookings[0]);
  CHECK(book.available(0, 0) == 10);
  CHECK(book.booking("R2/1") == r2);
  CHECK_THROWS_AS(book.booking("R1/1"), UnknownReferenceError);
  CHECK_THROWS_AS(book.cancel("R1/1"), UnknownReferenceError);

  // Growing R2 to the whole of B in week 0 fits; beyond it does not, and nothing changes.
  const Booking grown = book.change("R2/1", 10, 0, 1);
  CHECK(grown.id == "R2/1");
  CHECK(book.available(1, 0) == 0);
  CHECK(book.available(1, 1) == 10);
  const SpaceBook before = book;
  try {
    (void)book.change("R2/1", 11, 0, 2);
    FAIL("over-booking accepted");
  } catch (const ValidationError& error) {
    REQUIRE(error.problems().size() == 2);
    CHECK(error.problems()[0].message == "week 0 has 10 hours left for it");
  }
  CHECK(book == before);

  // A new request is served around the live bookings, and its ids cannot collide.
  const auto third = book.allocate(std::vector{request("R3", 10, kAtA, 0, 1)});
  CHECK(third.bookings.at(0).resource == 0);
  CHECK_THROWS_AS(book.allocate(std::vector{request("R3", 1, kAtA)}), ValidationError);
  CHECK(verify(book.inventory(), book.bookings()).empty());
}

TEST_CASE("a book refuses over-booking all or nothing",
          "[space-allocation][book][bad-input][quick]") {
  SpaceBook book(two_kitchens({10, 10}, {10, 10}));
  const std::vector<Booking> fine{{"X/1", "X", 0, 0, 2, 6, 0.0}};
  book.add(fine);
  const SpaceBook before = book;
  const std::vector<Booking> too_much{{"Y/1", "Y", 1, 0, 1, 3, 0.0}, {"Z/1", "Z", 0, 1, 1, 5, 0.0}};
  CHECK_THROWS_AS(book.add(too_much), ValidationError);
  CHECK(book == before);
  CHECK_THROWS_AS(book.add(fine), ValidationError);  // duplicate id
  CHECK(book == before);
  CHECK_THROWS_AS(book.available(2, 0), ValidationError);
  CHECK_THROWS_AS(book.available(0, 2), ValidationError);
  CHECK_THROWS_AS((void)book.change("X/1", 0, 0, 1), ValidationError);
  CHECK_THROWS_AS((void)book.change("X/1", 1, 1, 2), ValidationError);
  CHECK(book == before);
}

TEST_CASE("allocate_space names every bad request and books nothing",
          "[space-allocation][bad-input][quick]") {
  const auto inventory = two_kitchens({10, 10}, {10, 10});
  auto negative = request("NEG", -3, kAtA);
  auto late = request("LATE", 2, kAtA, 1, 2);
  auto twice = request("NEG", 2, kAtA);
  const std::vector<SpaceRequest> requests{negative, late, twice};
  try {
    (void)allocate_space(inventory, requests);
    FAIL("bad requests accepted");
  } catch (const ValidationError& error) {
    std::vector<std::string> seen;
    for (const auto& problem : error.problems())
      seen.push_back(problem.where + " " + problem.field);
    CHECK(std::find(seen.begin(), seen.end(), "request 0 (NEG) amount") != seen.end());
    CHECK(std::find(seen.begin(), seen.end(), "request 1 (LATE) weeks") != seen.end());
    CHECK(std::find(seen.begin(), seen.end(), "request 2 (NEG) id") != seen.end());
  }
  CHECK_THROWS_AS(allocate_space(inventory, std::vector{request("A", 1, kAtA)}, {.k = 0}),
                  ValidationError);
  const std::vector<Booking> unknown{{"B/1", "B", 7, 0, 1, 1, 0.0}};
  CHECK_THROWS_AS(allocate_space(inventory, std::vector{request("A", 1, kAtA)}, {}, unknown),
                  ValidationError);
  const std::vector<Booking> taken{{"A/1", "OTHER", 0, 0, 1, 1, 0.0}};
  CHECK_THROWS_AS(allocate_space(inventory, std::vector{request("A", 1, kAtA)}, {}, taken),
                  ValidationError);
}

}  // namespace balai
