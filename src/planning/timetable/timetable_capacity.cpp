// The places a facility can teach in a timetable's window, in the timetable's own units:
// rooms, teaching days, sessions per day, teaching hours per week and class sizes. The
// pilot allocates with these places, so that a place is a seat in a class the scheduler
// can run, not a share of seat-hours.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "balai/planning/timetable/timetable.hpp"
#include "timetable_calendar.hpp"

namespace balai {
namespace {

// Sessions one class of each track attends from the first module to the last: a module of
// H JP takes ceil(H / session_jp) teaching days. 0 for a track that requires no module.
std::vector<std::int64_t> track_sessions(const Dataset& dataset, const TimetableOptions& options) {
  std::vector<std::int64_t> sessions;
  for (std::size_t t = 0; t < EnumNames<Track>::names.size(); ++t) {
    std::int64_t total = 0;
    for (const ModuleIndex module : dataset.modules_for(static_cast<Track>(t))) {
      total += (dataset.module(module).hours_jp + options.session_jp - 1) / options.session_jp;
    }
    sessions.push_back(total);
  }
  return sessions;
}

// Sessions one room can hold within [first, end) of the teaching days: per day at most
// sessions_per_day, per ISO week at most the whole sessions its teaching hours allow.
std::int64_t room_sessions(const detail::TeachingDays& calendar, std::size_t first, std::size_t end,
                           const TimetableOptions& options) {
  const std::int64_t per_week = options.teaching_hours_per_week / options.session_jp;
  std::vector<std::int64_t> week(calendar.weeks, 0);
  for (std::size_t d = first; d < end; ++d) week[calendar.week[d]] += options.sessions_per_day;
  std::int64_t total = 0;
  for (const std::int64_t days : week) total += std::min(days, per_week);
  return total;
}

}  // namespace

int class_size_limit(const Facility& facility, const TimetableOptions& options) {
  return facility.rooms > 0 ? std::min(options.class_max, facility.seats / facility.rooms) : 0;
}

std::vector<TimetableCapacity> timetable_capacity(const Dataset& dataset,
                                                  const TimetableOptions& options) {
  if (auto problems = check(options); !problems.empty()) throw ValidationError(std::move(problems));
  const DateRange window = detail::timetable_window(dataset, options);
  const detail::TeachingDays calendar = detail::teaching_days(
      window, options.working_days, detail::applied_holidays(options, window));
  const auto sessions = track_sessions(dataset, options);
  const std::int64_t longest = std::max(*std::ranges::max_element(sessions), std::int64_t{1});
  std::int64_t shortest = longest;
  for (const std::int64_t s : sessions) {
    if (s > 0) shortest = std::min(shortest, s);
  }

  std::vector<TimetableCapacity> capacity;
  capacity.reserve(dataset.facilities().size());
  for (const Facility& facility : dataset.facilities()) {
    std::size_t first = 0;
    std::size_t end = calendar.days.size();
    if (facility.active) {
      const auto& days = calendar.days;
      first = static_cast<std::size_t>(
          std::lower_bound(days.begin(), days.end(), facility.active->first()) - days.begin());
      end = static_cast<std::size_t>(
          std::upper_bound(days.begin(), days.end(), facility.active->last()) - days.begin());
      end = std::max(end, first);
    }
    const std::int64_t class_size = class_size_limit(facility, options);
    // A trainee attends one session a day, so a track longer than the teaching days left
    // cannot be taught at all.
    const auto days = static_cast<std::int64_t>(end - first);
    const std::int64_t per_room =
        class_size >= options.class_min ? room_sessions(calendar, first, end, options) : 0;
    const auto places = [&](std::int64_t track_sessions, bool whole_classes) {
      if (days < track_sessions) return 0;
      const std::int64_t classes = whole_classes ? facility.rooms * (per_room / track_sessions)
                                                 : facility.rooms * per_room / track_sessions;
      return static_cast<int>(
          std::min<std::int64_t>(classes * class_size, std::numeric_limits<int>::max()));
    };
    capacity.push_back({places(longest, true), places(shortest, false)});
  }
  return capacity;
}

}  // namespace balai
