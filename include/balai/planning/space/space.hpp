// Shared space: the capacity facilities have besides classroom seats, week by week, and
// the bookings UMKM hold on it. Training only uses part of a facility's week; what the
// timetable leaves free can serve businesses without anyone building new infrastructure.
//
// An inventory lists the sites (one per facility) and their resources: workshop or
// production-line hours by feature, PLUT mentor hours, RPB production slots by sector,
// storage and display space. Each resource has a capacity per week of the inventory's
// window and the part of it training uses; a booking holds an amount per week of one
// resource over consecutive weeks. Everything here is a plain value: the inventory is
// self-contained (like a Roster, it never points into a Dataset), bookings name it by
// index, and `verify` checks a set of bookings against it with no solver involved.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/core/geo.hpp"
#include "balai/core/regions.hpp"
#include "balai/model/dataset.hpp"
#include "balai/model/facility.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct Timetable;

// What a resource offers, each in its own unit per week (`unit_of`).
enum class ResourceKind : std::uint8_t {
  workshop,    // hours of a workshop or production line; label: the facility feature tag
  mentoring,   // hours of business mentors (PLUT consultants)
  production,  // production slots of a shared production house; label: KBLI 2020 division
  storage,     // square metres of storage
  display,     // square metres of display or showroom space
};

template <>
struct EnumNames<ResourceKind> {
  static constexpr std::array<std::string_view, 5> names{"workshop", "mentoring", "production",
                                                         "storage", "display"};
};

// "hours", "slots" or "m2".
[[nodiscard]] std::string_view unit_of(ResourceKind kind) noexcept;

// Where a resource is: a facility, by its external id, with what utilisation reports group
// by and allocation measures travel from.
struct SpaceSite {
  std::string facility{};  // the facility's external id
  FacilityKind kind = FacilityKind::uptd;
  GeoPoint location{};
  ProvinceCode province = 0;

  friend bool operator==(const SpaceSite&, const SpaceSite&) = default;
};

struct Resource {
  std::uint32_t site = 0;  // index into SpaceInventory::sites
  ResourceKind kind = ResourceKind::workshop;
  // workshop: a feature tag; production: a KBLI 2020 division (two digits); others empty.
  std::string label{};
  std::vector<int> capacity{};  // per week of the window, in the kind's unit
  std::vector<int> training{};  // per week: what the timetable's classes use; empty: none

  friend bool operator==(const Resource&, const Resource&) = default;
};

struct SpaceInventory {
  Date start{};    // the Monday the first week starts
  int weeks = 13;  // 1..kMaxSpaceWeeks
  std::vector<SpaceSite> sites{};
  std::vector<Resource> resources{};  // at most one per (site, kind, label)

  // What shared use may take: capacity less training, never below zero.
  [[nodiscard]] int free(std::size_t resource, int week) const;
  // The 0-based week `date` falls in; std::nullopt outside the window.
  [[nodiscard]] std::optional<int> week_of(Date date) const;

  friend bool operator==(const SpaceInventory&, const SpaceInventory&) = default;
};

inline constexpr int kMaxSpaceWeeks = 520;
inline constexpr int kMaxSpaceAmount = 1'000'000;  // units per week of one resource or request

// Everything wrong with the inventory, each problem naming the site or resource and the
// field: a start that is not a Monday, weeks out of range, a site without facility id or
// with a bad province, a resource naming no site, a label where the kind takes none (or
// none where it needs one, or a production label that is not two digits), a capacity or
// training list of the wrong length, a negative or too large amount, training above
// capacity, two resources for one (site, kind, label).
[[nodiscard]] std::vector<Problem> check(const SpaceInventory& inventory);

// The inventory's sites, one per facility of `dataset` in dataset order (so a resource's
// site index is its FacilityIndex), with no resources yet.
[[nodiscard]] SpaceInventory space_sites(const Dataset& dataset, Date start, int weeks);

// The inventory with every resource's `training` computed from the timetable: a workshop
// resource is used for each session of a module that requires its feature tag, and a
// mentoring resource for each session at its facility (the PLUT's consultants teach the
// classes held there), each session counting session_jp lessons of 45 minutes, summed per
// week and rounded up to whole hours. Other kinds are not used by training. Sessions
// outside the window are ignored. ValidationError naming the resource and the week when
// training needs more than the capacity, or when the inventory's sites are not the
// dataset's facilities.
[[nodiscard]] SpaceInventory with_training(SpaceInventory inventory, const Dataset& dataset,
                                           const Timetable& timetable);

// A UMKM's request for space: an amount per week of one kind of resource over consecutive
// weeks, within a distance of where the business is.
struct SpaceRequest {
  std::string id{};        // unique among requests and bookings
  std::string business{};  // the UMKM's id; an opaque reference, never a NIK
  bool graduate = false;   // a graduate of the program (served first by default)
  int priority = 0;        // 0..kMaxSpacePriority; higher is served first among equals
  ResourceKind kind = ResourceKind::workshop;
  std::string label{};  // as Resource::label; must match exactly
  int amount = 0;       // per week, 1..kMaxSpaceAmount
  int first_week = 0;   // 0-based week of the inventory's window
  int weeks = 1;        // consecutive weeks from first_week, all within the window
  GeoPoint location{};
  ProvinceCode province = 0;
  double max_distance_km = 25.0;
  bool splittable = false;  // may be served by several facilities (and week by week)

  friend bool operator==(const SpaceRequest&, const SpaceRequest&) = default;
};

inline constexpr int kMaxSpacePriority = 1'000;

// Everything wrong with a request on its own, each problem naming its field.
[[nodiscard]] std::vector<Problem> check(const SpaceRequest& request);

// An amount per week of one resource, held for one request over consecutive weeks.
struct Booking {
  std::string id{};  // "<request id>/<n>", n from 1: stable while the booking lives
  std::string request{};
  std::uint32_t resource = 0;  // index into SpaceInventory::resources
  int first_week = 0;
  int weeks = 1;
  int amount = 0;  // per week
  double distance_km = 0.0;

  friend bool operator==(const Booking&, const Booking&) = default;
};

// Everything wrong with `bookings` against the inventory: an empty or duplicate id, an
// unknown resource, weeks outside the window, an amount below 1, a distance that is not a
// finite number of km (0 or more), and every week of every resource booked beyond what
// training leaves free. Shares no code with the allocator.
[[nodiscard]] std::vector<Problem> verify(const SpaceInventory& inventory,
                                          std::span<const Booking> bookings);

// How one week of one resource was used: training takes its share first, bookings
// (shared use) the next, and the rest stays idle.
struct SpaceUse {
  std::uint32_t resource = 0;
  int week = 0;
  int capacity = 0;
  int training = 0;
  int shared = 0;
  int idle = 0;

  friend bool operator==(const SpaceUse&, const SpaceUse&) = default;
};

// One row per resource and week, resource-major. ValidationError when the bookings do not
// verify against the inventory.
[[nodiscard]] std::vector<SpaceUse> utilisation(const SpaceInventory& inventory,
                                                std::span<const Booking> bookings);

}  // namespace balai
BALAI_EXPORT_END
