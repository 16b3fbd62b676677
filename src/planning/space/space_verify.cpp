// The independent check of bookings against an inventory (it shares no code with the
// allocator), and the per-week account of use built on it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "balai/core/text.hpp"
#include "balai/planning/space/space.hpp"
#include "space_names.hpp"

namespace balai {

using detail::describe_resource;

std::vector<Problem> verify(const SpaceInventory& inventory, std::span<const Booking> bookings) {
  std::vector<Problem> problems;
  // A window beyond the limit would make every booking fit it and the sums below huge.
  const int weeks = std::clamp(inventory.weeks, 0, kMaxSpaceWeeks);
  if (weeks != inventory.weeks) {
    problems.push_back({"inventory", "weeks", std::to_string(inventory.weeks),
                        "must be between 1 and " + std::to_string(kMaxSpaceWeeks)});
  }
  std::unordered_map<std::string_view, std::size_t> ids;
  std::vector<std::size_t> sound;  // bookings whose resource and weeks are usable
  for (std::size_t b = 0; b < bookings.size(); ++b) {
    const Booking& booking = bookings[b];
    const std::size_t before = problems.size();
    const auto fail = [&](const char* field, std::string value, std::string message) {
      problems.push_back({"", field, std::move(value), std::move(message)});
    };
    if (booking.id.empty()) {
      fail("id", "", "must not be empty");
    } else if (auto [it, fresh] = ids.emplace(booking.id, b); !fresh) {
      fail("id", printable(booking.id, 64),
           "also the id of booking #" + std::to_string(it->second));
    }
    if (booking.resource >= inventory.resources.size()) {
      fail("resource", std::to_string(booking.resource),
           "names no resource (" + std::to_string(inventory.resources.size()) + " resources)");
    }
    if (booking.first_week < 0 || booking.first_week >= weeks) {
      fail("first_week", std::to_string(booking.first_week),
           "outside the window's weeks 0-" + std::to_string(weeks - 1));
    } else if (booking.weeks < 1 || booking.weeks > weeks - booking.first_week) {
      fail("weeks", std::to_string(booking.weeks),
           "must be 1 or more and end within the window's " + std::to_string(weeks) + " weeks");
    }
    if (booking.amount < 1) fail("amount", std::to_string(booking.amount), "must be at least 1");
    if (!std::isfinite(booking.distance_km) || booking.distance_km < 0.0) {
      fail("distance_km", printable(booking.distance_km),
           "must be a finite distance of 0 km or more");
    }
    if (problems.size() == before) {
      sound.push_back(b);
      continue;
    }
    const std::string where = booking.id.empty() ? "booking #" + std::to_string(b)
                                                 : "booking " + printable(booking.id, 64);
    for (auto p = before; p < problems.size(); ++p) problems[p].where = where;
  }
  // Resource by resource, so only the weeks of booked resources are ever summed.
  std::stable_sort(sound.begin(), sound.end(), [&](std::size_t a, std::size_t b) {
    return bookings[a].resource < bookings[b].resource;
  });
  std::vector<std::int64_t> booked;
  for (auto group = sound.begin(); group != sound.end();) {
    const std::uint32_t r = bookings[*group].resource;
    booked.assign(static_cast<std::size_t>(weeks), 0);
    auto next = group;
    for (; next != sound.end() && bookings[*next].resource == r; ++next) {
      const Booking& booking = bookings[*next];
      for (int w = booking.first_week; w < booking.first_week + booking.weeks; ++w) {
        booked[static_cast<std::size_t>(w)] += booking.amount;
      }
    }
    for (int w = 0; w < weeks; ++w) {
      const std::int64_t total = booked[static_cast<std::size_t>(w)];
      const int free = inventory.free(r, w);
      if (total <= free) continue;
      problems.push_back({describe_resource(inventory, r), "week", std::to_string(w),
                          "booked " + std::to_string(total) + " " +
                              std::string(unit_of(inventory.resources[r].kind)) + ", " +
                              std::to_string(free) + " free"});
    }
    group = next;
  }
  return problems;
}

std::vector<SpaceUse> utilisation(const SpaceInventory& inventory,
                                  std::span<const Booking> bookings) {
  auto problems = check(inventory);
  if (problems.empty()) problems = verify(inventory, bookings);
  if (!problems.empty()) throw ValidationError(std::move(problems));
  const auto weeks = static_cast<std::size_t>(inventory.weeks);
  std::vector<int> shared(inventory.resources.size() * weeks, 0);
  for (const Booking& booking : bookings) {
    for (int w = booking.first_week; w < booking.first_week + booking.weeks; ++w) {
      shared[booking.resource * weeks + static_cast<std::size_t>(w)] += booking.amount;
    }
  }
  std::vector<SpaceUse> rows;
  rows.reserve(shared.size());
  for (std::size_t r = 0; r < inventory.resources.size(); ++r) {
    const Resource& resource = inventory.resources[r];
    for (std::size_t w = 0; w < weeks; ++w) {
      SpaceUse use;
      use.resource = static_cast<std::uint32_t>(r);
      use.week = static_cast<int>(w);
      use.capacity = resource.capacity[w];
      use.training = resource.training.empty() ? 0 : resource.training[w];
      use.shared = shared[r * weeks + w];
      use.idle = use.capacity - use.training - use.shared;
      rows.push_back(use);
    }
  }
  return rows;
}

}  // namespace balai
