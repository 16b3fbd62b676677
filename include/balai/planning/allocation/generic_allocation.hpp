// Allocation over the embedder's own types: who trains where, for any random-access ranges
// of people and places, read through projections the way std::ranges algorithms take
// them, without copying anything into a Dataset.
//
//   struct Applicant { double lat, lon; Skill skill; };
//   struct Centre { GeoPoint at; int seats; std::set<Skill> teaches; };
//   const auto placed = balai::generic::allocate(
//       applicants, centres, {.k = 16, .max_distance_km = 50},
//       [](const Applicant& a) { return balai::GeoPoint{a.lat, a.lon}; },
//       &Centre::at, &Centre::seats,
//       [](const Applicant& a, const Centre& c) { return c.teaches.contains(a.skill); });
//   for (const auto& [applicant, centre, km] : placed.placements(applicants, centres)) ...
//
// The candidates are the k nearest eligible places with seats within range (exact, equal
// distances by position), costs are whole metres, and the compiled exact solver
// (solve_optimal) places as many people as the seats allow at the least total distance:
// on the same data, the Dataset path (allocate) gives the same placements.
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <ranges>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/core/geo.hpp"
#include "balai/core/projection.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/spatial_index.hpp"

BALAI_EXPORT_BEGIN
namespace balai::generic {

struct AllocationOptions {
  std::size_t k = 16;             // candidate places per person, nearest first
  double max_distance_km = 50.0;  // no candidate farther
};

// Every person may go to every place (in range, with seats).
struct AnyPlace {
  template <class Person, class Place>
  constexpr bool operator()(const Person&, const Place&) const noexcept {
    return true;
  }
};

// A person placed: references into the embedder's ranges.
template <class Person, class Place>
struct Placement {
  const Person& person;
  const Place& place;
  double distance_km;
};

struct Allocation {
  static constexpr std::int32_t kUnplaced = AllocationSolution::kUnplaced;
  std::vector<std::int32_t> place{};  // per person: the place's position, or kUnplaced
  std::vector<double> distance_km{};  // per person; NaN when unplaced

  // The placed people with their places, in the people's order; the ranges must be the
  // ones allocated, and they and this Allocation must outlive the view.
  template <std::ranges::random_access_range People, std::ranges::random_access_range Places>
  [[nodiscard]] auto placements(const People& people, const Places& places) const {
    using Person = std::ranges::range_value_t<People>;
    using Site = std::ranges::range_value_t<Places>;
    return std::views::iota(std::size_t{0}, place.size()) |
           std::views::filter([this](std::size_t p) { return place[p] != kUnplaced; }) |
           std::views::transform([this, &people, &places](std::size_t p) {
             return Placement<Person, Site>{std::ranges::begin(people)[p],
                                            std::ranges::begin(places)[place[p]], distance_km[p]};
           });
  }
};

// A SpatialIndex over any range of the embedder's points: at(point) gives its GeoPoint,
// and queries report positions in the range (Neighbour::id).
template <std::ranges::input_range Points, class At>
requires std::convertible_to<projected_t<At, Points>, GeoPoint>
[[nodiscard]] SpatialIndex spatial_index(const Points& points, At at) {
  std::vector<GeoPoint> locations;
  std::vector<std::uint32_t> ids;
  for (std::uint32_t position = 0; const auto& point : points) {
    locations.push_back(std::invoke(at, point));
    ids.push_back(position++);
  }
  return SpatialIndex(locations, ids);
}

namespace detail {

// The k nearest eligible places with seats within range of each person, as the rows of
// an AllocationProblem (the compiled solvers' input).
template <class People, class Places, class PersonAt, class PlaceAt, class Seats, class Eligible>
AllocationProblem candidate_rows(const People& people, const Places& places,
                                 const AllocationOptions& options, PersonAt& person_at,
                                 PlaceAt& place_at, Seats& seats, Eligible& eligible) {
  AllocationProblem problem;
  std::vector<GeoPoint> points;
  std::vector<std::uint32_t> ids;
  for (std::uint32_t f = 0; const auto& place : places) {
    problem.capacity.push_back(static_cast<int>(std::invoke(seats, place)));
    if (problem.capacity.back() > 0) {
      points.push_back(std::invoke(place_at, place));
      ids.push_back(f);
    }
    ++f;
  }
  const SpatialIndex index(points, ids);
  std::vector<Neighbour> near;
  const auto place_begin = std::ranges::begin(places);
  for (const auto& person : people) {
    problem.province.push_back(0);
    problem.bonus_m.push_back(0);
    // Every place in range, nearest first: the first k eligible are the k nearest eligible.
    index.nearest(std::invoke(person_at, person), index.size(), options.max_distance_km, near);
    std::size_t taken = 0;
    for (const Neighbour& n : near) {
      if (taken == options.k) break;
      if (!std::invoke(eligible, person, place_begin[n.id])) continue;
      problem.arc_facility.emplace_back(n.id);
      problem.arc_cost_m.push_back(static_cast<std::int32_t>(std::llround(n.distance_km * 1000.0)));
      ++taken;
    }
    problem.first_arc.push_back(static_cast<std::uint32_t>(problem.arc_facility.size()));
  }
  return problem;
}

}  // namespace detail

// Allocates `people` to `places`: person_at(person) and place_at(place) give a GeoPoint,
// seats(place) an integer, eligible(person, place) whether the place can train the person.
// ValidationError for negative seats (AllocationProblem::check) or a NaN range.
template <std::ranges::random_access_range People, std::ranges::random_access_range Places,
          class PersonAt, class PlaceAt, class Seats, class Eligible = AnyPlace>
requires std::convertible_to<projected_t<PersonAt, People>, GeoPoint> &&
    std::convertible_to<projected_t<PlaceAt, Places>, GeoPoint> &&
    std::integral<std::remove_cvref_t<projected_t<Seats, Places>>> &&
    std::predicate<Eligible&, std::ranges::range_reference_t<People>,
                   std::ranges::range_reference_t<Places>>
[[nodiscard]] Allocation allocate(const People& people, const Places& places,
                                  const AllocationOptions& options, PersonAt person_at,
                                  PlaceAt place_at, Seats seats, Eligible eligible = {}) {
  const AllocationProblem problem =
      detail::candidate_rows(people, places, options, person_at, place_at, seats, eligible);
  problem.check();
  const AllocationSolution solution = solve_optimal(problem);
  Allocation result{.place = solution.facility,
                    .distance_km = std::vector<double>(solution.facility.size(),
                                                       std::numeric_limits<double>::quiet_NaN())};
  for (std::size_t p = 0; p < solution.facility.size(); ++p) {
    if (solution.facility[p] == Allocation::kUnplaced) continue;
    result.distance_km[p] =
        haversine_km(std::invoke(person_at, std::ranges::begin(people)[p]),
                     std::invoke(place_at, std::ranges::begin(places)[solution.facility[p]]));
  }
  return result;
}

}  // namespace balai::generic
BALAI_EXPORT_END
