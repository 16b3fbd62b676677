#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/geo.hpp"
#include "balai/planning/spatial_index.hpp"
#include "balai/scenario/random.hpp"

using namespace balai;

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The oracle: every point, exact distances, sorted by (distance, id).
std::vector<Neighbour> scan(const std::vector<GeoPoint>& points,
                            const std::vector<std::uint32_t>& ids, const GeoPoint& from,
                            std::size_t k, double max_km) {
  std::vector<Neighbour> all;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double distance = haversine_km(from, points[i]);
    if (distance <= max_km) all.push_back({ids[i], distance});
  }
  std::sort(all.begin(), all.end(), [](const Neighbour& a, const Neighbour& b) {
    return a.distance_km != b.distance_km ? a.distance_km < b.distance_km : a.id < b.id;
  });
  if (all.size() > k) all.resize(k);
  return all;
}

GeoPoint random_point(Rng& rng, double lat_low, double lat_high, double lng_low, double lng_high) {
  return GeoPoint(lat_low + (lat_high - lat_low) * rng.uniform(),
                  lng_low + (lng_high - lng_low) * rng.uniform());
}

GeoPoint jitter(Rng& rng, const GeoPoint& centre, double degrees) {
  const double lat = std::clamp(centre.lat() + degrees * (2 * rng.uniform() - 1), -90.0, 90.0);
  const double lng = std::clamp(centre.lng() + degrees * (2 * rng.uniform() - 1), -180.0, 180.0);
  return GeoPoint(lat, lng);
}

struct Instance {
  std::vector<GeoPoint> points;
  std::vector<std::uint32_t> ids;
};

// Points over Indonesia: uniform, in tight clusters, or with many exact duplicates (ties
// that only the id can break). Ids are shuffled so that tree order is not id order.
Instance random_instance(std::uint64_t seed) {
  Rng rng(seed);
  Instance instance;
  const auto size = static_cast<std::size_t>(rng.between(1, 400));
  const auto shape = seed % 3;
  std::vector<GeoPoint> centres;
  for (int c = 0; c < 5; ++c) centres.push_back(random_point(rng, -11, 6, 95, 141));
  while (instance.points.size() < size) {
    if (shape == 0) {
      instance.points.push_back(random_point(rng, -11, 6, 95, 141));
    } else if (shape == 1) {
      instance.points.push_back(jitter(rng, centres[rng.below(centres.size())], 0.05));
    } else if (instance.points.empty() || rng.chance(0.5)) {
      instance.points.push_back(jitter(rng, centres[rng.below(centres.size())], 0.5));
    } else {
      instance.points.push_back(instance.points[rng.below(instance.points.size())]);
    }
  }
  for (std::uint32_t i = 0; i < size; ++i) instance.ids.push_back(i);
  for (std::size_t i = size; i > 1; --i) std::swap(instance.ids[i - 1], instance.ids[rng.below(i)]);
  return instance;
}

void check_against_scan(const Instance& instance, const std::vector<GeoPoint>& queries,
                        const std::vector<std::size_t>& ks, const std::vector<double>& limits) {
  const SpatialIndex index(instance.points, instance.ids);
  REQUIRE(index.size() == instance.points.size());
  std::vector<Neighbour> found;
  for (const auto& from : queries) {
    for (const auto k : ks) {
      for (const auto max_km : limits) {
        index.nearest(from, k, max_km, found);
        INFO("from " << to_string(from) << " k " << k << " max_km " << max_km);
        REQUIRE(found == scan(instance.points, instance.ids, from, k, max_km));
      }
    }
  }
}

}  // namespace

TEST_CASE("k nearest equals a full scan on random instances", "[spatial][quick]") {
  for (std::uint64_t seed = 0; seed < 150; ++seed) {
    INFO("seed " << seed);
    const Instance instance = random_instance(seed);
    Rng rng(seed + 1000);
    std::vector<GeoPoint> queries;
    for (int q = 0; q < 8; ++q) queries.push_back(random_point(rng, -11, 6, 95, 141));
    // Queries on top of indexed points give distance-0 ties with their duplicates.
    for (int q = 0; q < 4; ++q)
      queries.push_back(instance.points[rng.below(instance.points.size())]);
    check_against_scan(instance, queries, {1, 3, 16, 500}, {0.0, 5.0, 50.0, 400.0, kInfinity});
  }
}

TEST_CASE("equal distances are ordered by id", "[spatial][quick]") {
  // Mirror images across the query's meridian are exactly as far.
  const std::vector<GeoPoint> points{GeoPoint(0, 0.5),  GeoPoint(0, -0.5), GeoPoint(0.5, 0),
                                     GeoPoint(-0.5, 0), GeoPoint(0, 0.25), GeoPoint(0, -0.25)};
  const std::vector<std::uint32_t> ids{7, 3, 9, 1, 20, 10};
  const SpatialIndex index(points, ids);
  std::vector<Neighbour> found;
  index.nearest(GeoPoint(0, 0), 3, kInfinity, found);
  REQUIRE(found.size() == 3);
  CHECK(found[0].id == 10);
  CHECK(found[1].id == 20);
  CHECK(found[0].distance_km == found[1].distance_km);
  CHECK(found[2].id == 1);  // 1 (south) and 9 (north) tie; 3 and 7 are further
  CHECK(found == scan(points, ids, GeoPoint(0, 0), 3, kInfinity));
}

TEST_CASE("distances are haversine_km exactly", "[spatial][quick]") {
  const std::vector<GeoPoint> points{GeoPoint(-6.1702, 106.8310), GeoPoint(-6.9217, 107.6060)};
  const SpatialIndex index(points, std::vector<std::uint32_t>{0, 1});
  std::vector<Neighbour> found;
  const GeoPoint from(-6.5, 107.0);
  index.nearest(from, 2, 1000.0, found);
  REQUIRE(found.size() == 2);
  CHECK(found[0].distance_km == haversine_km(from, points[found[0].id]));
  CHECK(found[1].distance_km == haversine_km(from, points[found[1].id]));
  // A limit of exactly the second distance keeps it.
  index.nearest(from, 2, found[1].distance_km, found);
  CHECK(found.size() == 2);
}

TEST_CASE("points across the antimeridian are near each other", "[spatial][quick]") {
  Rng rng(42);
  Instance instance;
  for (std::uint32_t i = 0; i < 300; ++i) {
    const double lng = rng.chance(0.5) ? 180.0 - 2.0 * rng.uniform() : -180.0 + 2.0 * rng.uniform();
    instance.points.push_back(GeoPoint(-20.0 + 10.0 * rng.uniform(), lng));
    instance.ids.push_back(i);
  }
  instance.points.push_back(GeoPoint(-15, 180));
  instance.points.push_back(GeoPoint(-15, -180));
  instance.ids.push_back(300);
  instance.ids.push_back(301);
  const std::vector<GeoPoint> queries{GeoPoint(-15, 180), GeoPoint(-15, -180),
                                      GeoPoint(-12, 179.99), GeoPoint(-18, -179.95)};
  check_against_scan(instance, queries, {1, 5, 16, 400}, {0.0, 30.0, 100.0, kInfinity});

  const SpatialIndex index(instance.points, instance.ids);
  std::vector<Neighbour> found;
  index.nearest(GeoPoint(-15, 180), 2, 1e-6, found);
  REQUIRE(found.size() == 2);  // lng 180 and -180 are the same meridian
  CHECK(found[0].id == 300);
  CHECK(found[1].id == 301);
}

TEST_CASE("queries near the poles and the antipodes work", "[spatial][quick]") {
  Rng rng(7);
  Instance instance;
  for (std::uint32_t i = 0; i < 200; ++i) {
    const double lat = rng.chance(0.5) ? 89.0 + rng.uniform() : -90.0 + rng.uniform();
    instance.points.push_back(GeoPoint(lat, -180.0 + 360.0 * rng.uniform()));
    instance.ids.push_back(i);
  }
  instance.points.push_back(GeoPoint(90, 0));
  instance.points.push_back(GeoPoint(90, 123));  // the same place as (90, 0)
  instance.ids.push_back(200);
  instance.ids.push_back(201);
  const std::vector<GeoPoint> queries{GeoPoint(90, 0), GeoPoint(-90, 45), GeoPoint(89.5, -170),
                                      GeoPoint(0, 0)};
  check_against_scan(instance, queries, {1, 16, 300}, {0.0, 50.0, 20000.0, kInfinity});
}

TEST_CASE("degenerate queries return nothing or everything", "[spatial][quick]") {
  std::vector<Neighbour> found{{1, 2.0}};
  const SpatialIndex empty;
  empty.nearest(GeoPoint(0, 0), 5, kInfinity, found);
  CHECK(found.empty());
  CHECK(empty.size() == 0);

  const SpatialIndex from_empty_spans(std::vector<GeoPoint>{}, std::vector<std::uint32_t>{});
  from_empty_spans.nearest(GeoPoint(0, 0), 5, kInfinity, found);
  CHECK(found.empty());

  const std::vector<GeoPoint> points{GeoPoint(1, 1), GeoPoint(1, 1), GeoPoint(2, 2)};
  const std::vector<std::uint32_t> ids{5, 4, 6};
  const SpatialIndex index(points, ids);
  found = {{1, 2.0}};
  index.nearest(GeoPoint(1, 1), 0, kInfinity, found);
  CHECK(found.empty());
  index.nearest(GeoPoint(1, 1), 3, -1.0, found);
  CHECK(found.empty());
  index.nearest(GeoPoint(1, 1), 3, 0.0, found);
  CHECK(found == std::vector<Neighbour>{{4, 0.0}, {5, 0.0}});
  index.nearest(GeoPoint(1, 1.001), 3, 0.0, found);
  CHECK(found.empty());
  index.nearest(GeoPoint(0, 0), 1000, kInfinity, found);
  CHECK(found == scan(points, ids, GeoPoint(0, 0), 1000, kInfinity));
  CHECK(found.size() == 3);
}

TEST_CASE("spatial index rejects inconsistent input", "[spatial][quick][bad-input]") {
  const std::vector<GeoPoint> points{GeoPoint(1, 1), GeoPoint(2, 2)};
  CHECK_THROWS_AS(SpatialIndex(points, std::vector<std::uint32_t>{1}), ValidationError);
  CHECK_THROWS_WITH(SpatialIndex(points, std::vector<std::uint32_t>{1}),
                    Catch::Contains("ids") && Catch::Contains("1"));
  const SpatialIndex index(points, std::vector<std::uint32_t>{1, 2});
  std::vector<Neighbour> found;
  CHECK_THROWS_AS(index.nearest(GeoPoint(0, 0), 1, std::nan(""), found), ValidationError);
  CHECK_THROWS_WITH(index.nearest(GeoPoint(0, 0), 1, std::nan(""), found),
                    Catch::Contains("max_km"));
}

TEST_CASE("concurrent queries give the sequential answers", "[spatial][quick]") {
  const Instance instance = random_instance(4);
  const SpatialIndex index(instance.points, instance.ids);
  Rng rng(99);
  std::vector<GeoPoint> queries;
  for (int q = 0; q < 2000; ++q) queries.push_back(random_point(rng, -11, 6, 95, 141));
  std::vector<std::vector<Neighbour>> expected(queries.size());
  for (std::size_t q = 0; q < queries.size(); ++q) {
    index.nearest(queries[q], 16 + q % 7, 300.0, expected[q]);
  }

  constexpr std::size_t kThreads = 4;
  std::vector<std::vector<std::vector<Neighbour>>> results(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      results[t].resize(queries.size());
      for (std::size_t q = 0; q < queries.size(); ++q) {
        index.nearest(queries[q], 16 + q % 7, 300.0, results[t][q]);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) CHECK(result == expected);
}
