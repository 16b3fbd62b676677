// The scheduler's calendar: the window a timetable covers, the holidays it applies and the
// teaching days that remain, each with the ISO week it falls in (weeks bound a room's
// hours).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "balai/planning/timetable/timetable.hpp"

namespace balai::detail {

// The phase's window, or `weeks` from `start`; ValidationError when the program does not
// define the phase.
inline DateRange timetable_window(const Dataset& dataset, const TimetableOptions& options) {
  if (options.start) return DateRange(*options.start, *options.start + (7 * options.weeks - 1));
  const auto& program = dataset.program();
  if (!program) {
    throw ValidationError(Problem{"timetable options", "phase", options.phase,
                                  "the dataset has no program: give a start date"});
  }
  std::string known;
  for (const auto& phase : program->phases) {
    if (phase.name == options.phase) return phase.window;
    if (!known.empty()) known += ", ";
    known += phase.name;
  }
  throw ValidationError(Problem{"timetable options", "phase", options.phase,
                                "not a phase of the program (" + known + ")"});
}

// The holidays that fall in the window, ascending and unique.
inline std::vector<Date> applied_holidays(const TimetableOptions& options,
                                          const DateRange& window) {
  std::vector<Date> dates;
  if (options.holidays) {
    dates = *options.holidays;
  } else {
    for (int year = window.first().ymd().year; year <= window.last().ymd().year; ++year) {
      const auto listed = national_holidays(year);
      dates.insert(dates.end(), listed.begin(), listed.end());
    }
  }
  std::erase_if(dates, [&](Date date) { return !window.contains(date); });
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  return dates;
}

struct TeachingDays {
  std::vector<Date> days{};           // ascending
  std::vector<std::uint32_t> week{};  // per day: ISO weeks since the window's first week
  std::size_t weeks = 0;
};

// The working days of the window that are not holidays (`holidays` ascending).
inline TeachingDays teaching_days(const DateRange& window, const std::vector<int>& working_days,
                                  const std::vector<Date>& holidays) {
  std::array<bool, 8> working{};
  for (int day : working_days) working.at(static_cast<std::size_t>(day)) = true;
  const Date first_monday = window.first() - (window.first().weekday() - 1);
  TeachingDays teaching;
  for (Date day = window.first(); day <= window.last(); day = day + 1) {
    if (!working.at(static_cast<std::size_t>(day.weekday())) ||
        std::binary_search(holidays.begin(), holidays.end(), day)) {
      continue;
    }
    teaching.days.push_back(day);
    teaching.week.push_back(static_cast<std::uint32_t>((day - first_monday) / 7));
  }
  teaching.weeks = teaching.week.empty() ? 0 : teaching.week.back() + 1;
  return teaching;
}

}  // namespace balai::detail
