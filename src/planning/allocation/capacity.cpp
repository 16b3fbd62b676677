#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/planning/allocation/allocation.hpp"

namespace balai {
namespace {

constexpr std::int64_t kMaxCapacity = std::numeric_limits<int>::max();

// The hours a trainee of the longest track spends in class: the conservative unit of a
// place, since a facility may host either track.
std::int64_t longest_track_hours(const Dataset& dataset) {
  std::int64_t longest = 0;
  for (auto track : {Track::umkm_owner, Track::new_entrepreneur}) {
    std::int64_t hours = 0;
    for (auto module : dataset.modules_for(track)) hours += dataset.module(module).hours_jp;
    longest = std::max(longest, hours);
  }
  return longest;
}

// Days the facility can be used within the window.
std::int64_t active_days(const Facility& facility, const DateRange& window) {
  if (!facility.active) return window.days();
  const Date first = std::max(facility.active->first(), window.first());
  const Date last = std::min(facility.active->last(), window.last());
  return last < first ? 0 : last - first + 1;
}

}  // namespace

std::vector<int> phase_capacity(const Dataset& dataset, const AllocationOptions& options) {
  if (!options.capacity.empty()) return options.capacity;
  if (!dataset.program()) {
    throw ValidationError(
        std::vector<Problem>{{"allocation options", "capacity", "empty",
                              "give a capacity per facility, or a program whose phase window "
                              "derives it"}});
  }
  const DateRange window = dataset.program()->phase(options.phase).window;
  const std::int64_t hours = std::max<std::int64_t>(longest_track_hours(dataset), 1);

  std::vector<int> capacity;
  capacity.reserve(dataset.facilities().size());
  for (const auto& facility : dataset.facilities()) {
    const std::int64_t seat_hours = std::int64_t{facility.seats} * options.teaching_hours_per_week *
                                    active_days(facility, window);
    const std::int64_t places = seat_hours / (7 * hours);
    capacity.push_back(static_cast<int>(std::min<std::int64_t>(places, kMaxCapacity)));
  }
  return capacity;
}

}  // namespace balai
