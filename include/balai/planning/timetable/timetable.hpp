// When each class runs. From an allocation, `timetable` forms cohorts per facility and
// module and schedules them in the phase's window, day by day:
//
//   - a session is one teaching day of `session_jp` lessons in one room; a module of H JP
//     takes ceil(H / session_jp) sessions (at most kMaxSessions);
//   - sessions fall on working days that are not public holidays, in the window, at most
//     `sessions_per_day` cohorts per room per day and `teaching_hours_per_week` JP per
//     room per ISO week;
//   - a class has between class_min and min(class_max, seats per room) trainees;
//   - each trainee takes the modules of their track one after another in prerequisite
//     order (a fixed order: prerequisites first, then the catalogue's order), the next
//     starting after the previous one's last session.
//
// Modules are scheduled in that order; per facility, the trainees who need a module are
// sorted by the day they become ready and cut into balanced classes, and each class takes
// the room that lets it finish first. A module that cannot run for some trainees blocks,
// for them, only the modules that depend on it (directly or through others); they still
// take the rest, so the classes of those modules keep their size. Whatever cannot be scheduled is
// reported, per facility and module, with the reason. Dates are local dates at the facility;
// session start instants in UTC follow from the facility's time zone.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/core/ids.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/tracking/roster.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct TimetableOptions {
  // The window: the program phase's dates, or `start` and `weeks` when `start` is given.
  std::string phase = "pilot";
  std::optional<Date> start{};
  int weeks = 13;

  int class_min = 10;
  int class_max = 30;  // also capped by the facility's seats per room
  int session_jp = 6;  // JP (45-minute lessons) in one teaching day
  int sessions_per_day = 1;
  int teaching_hours_per_week = 30;              // JP a room teaches in one ISO week
  std::vector<int> working_days{1, 2, 3, 4, 5};  // ISO weekdays, 1 = Monday
  // National public holidays; std::nullopt: the embedded list for the window's years
  // (national_holidays below).
  std::optional<std::vector<Date>> holidays{};
  int session_start_minutes = 8 * 60;  // local time a teaching day starts, minutes after 0:00

  friend bool operator==(const TimetableOptions&, const TimetableOptions&) = default;
};

[[nodiscard]] std::vector<Problem> check(const TimetableOptions& options);

// Indonesia's national public holidays and collective leave days (cuti bersama) in `year`,
// as embedded in this build (2026 and 2027); empty for other years. Islamic holidays follow
// the government's decree, which may move a date by a day: pass `holidays` to override.
[[nodiscard]] std::vector<Date> national_holidays(int year);

struct ScheduledCohort {
  std::string code{};  // "<facility id>/<module code>/<n>", n from 1 per facility and module
  FacilityIndex facility{};
  ModuleIndex module{};
  int room = 0;                          // 0-based room of the facility
  std::vector<Date> sessions{};          // local dates, ascending
  std::vector<TraineeIndex> trainees{};  // ascending

  friend bool operator==(const ScheduledCohort&, const ScheduledCohort&) = default;
};

enum class UnscheduledReason : std::uint8_t {
  class_too_small,    // fewer trainees need the module at the facility than class_min
  window,             // no room has enough teaching days left in the window
  prerequisite,       // a module this one depends on is not scheduled for these trainees
  no_room,            // the facility has no rooms or no seats per room
  too_many_sessions,  // the module needs more than kMaxSessions sessions
};

template <>
struct EnumNames<UnscheduledReason> {
  static constexpr std::array<std::string_view, 5> names{
      "class_too_small", "window", "prerequisite", "no_room", "too_many_sessions"};
};

struct Unscheduled {
  FacilityIndex facility{};
  ModuleIndex module{};
  std::vector<TraineeIndex> trainees{};  // ascending
  UnscheduledReason reason = UnscheduledReason::window;
  std::string detail{};  // a sentence with the numbers, e.g. "4 trainees, class minimum 10"

  friend bool operator==(const Unscheduled&, const Unscheduled&) = default;
};

struct Timetable {
  TimetableOptions options{};
  DateRange window{};
  std::vector<Date> holidays{};            // the holidays applied, ascending
  std::vector<ScheduledCohort> cohorts{};  // by facility, then module order, then number
  std::vector<Unscheduled> unscheduled{};  // by facility, then module order
  // Per trainee (dataset order): true when every module of their track is scheduled.
  std::vector<bool> complete{};

  // Start of a session in UTC (Unix seconds): the local date and session_start_minutes in
  // the facility's time zone.
  [[nodiscard]] std::int64_t session_start(const Dataset& dataset, const ScheduledCohort& cohort,
                                           std::size_t session) const;
  friend bool operator==(const Timetable&, const Timetable&) = default;
};

// ValidationError for bad options, an allocation of another dataset, or a window the
// program does not define.
[[nodiscard]] Timetable timetable(const Dataset& dataset, const Allocation& allocation,
                                  const TimetableOptions& options = {});

// The timetable of the classes at `facilities` only (any order, no duplicates;
// ValidationError naming an unknown or repeated one): what timetable() gives for those
// facilities. The other facilities' trainees are left out (complete = false, not in
// unscheduled). Facilities share no rooms or trainees, so timetables of disjoint sets run
// anywhere (the Python layer's Dask scale-out) and merge_timetables joins them.
[[nodiscard]] Timetable timetable(const Dataset& dataset, const Allocation& allocation,
                                  const TimetableOptions& options,
                                  std::span<const FacilityIndex> facilities);

// One timetable from parts over disjoint facility sets (in any order), as timetable() over
// their union would give it: ValidationError when the parts' options, windows, holidays or
// trainee counts differ, or a facility (or a complete trainee) appears in two parts.
[[nodiscard]] Timetable merge_timetables(std::span<const Timetable> parts);

// Everything wrong with a timetable against its dataset and allocation, each problem naming
// the cohort: a room booked twice on a day (beyond sessions_per_day) or over its weekly
// hours, a class above its maximum or below its minimum, a session outside the window, on a
// holiday or a non-working day, the wrong number of sessions, a trainee in a cohort away
// from their allocated facility or twice for one module, a module the facility cannot host
// or the track does not require, a module starting before a prerequisite (or the previous
// module in the trainee's order) ends, two sessions of one trainee on one day. Empty when
// the timetable is sound.
[[nodiscard]] std::vector<Problem> verify(const Dataset& dataset, const Allocation& allocation,
                                          const Timetable& timetable);

// The most trainees one class at the facility takes: min(class_max, seats per room), 0 for
// a facility without rooms.
[[nodiscard]] int class_size_limit(const Facility& facility, const TimetableOptions& options);

// The trainees a facility can take in a timetable's window, in the scheduler's units: each
// room holds at most sessions_per_day sessions a teaching day (working days, not holidays,
// within the facility's active dates) and teaching_hours_per_week / session_jp a week; a
// class has min(class_max, seats per room) trainees (none when that is below class_min);
// one class of a track attends sum(ceil(H / session_jp)) sessions over its modules.
struct TimetableCapacity {
  // Whole classes of the longest track, one after another in each room: the places the
  // pilot allocates, which the scheduler can fill (it shares rooms across tracks and
  // modules more tightly than this).
  int places = 0;
  // Every session of every room spent on classes of the shortest track: no timetable fits
  // more trainees, so the pilot's bound uses it.
  int most = 0;

  friend bool operator==(const TimetableCapacity&, const TimetableCapacity&) = default;
};

// Per facility, in dataset order. ValidationError for bad options or a window the program
// does not define.
[[nodiscard]] std::vector<TimetableCapacity> timetable_capacity(const Dataset& dataset,
                                                                const TimetableOptions& options);

// The roster of a timetable: its cohorts (deadline: the window's last day) and one
// registration per trainee with a complete timetable (every module of the track scheduled),
// its id a version-5 UUID of the trainee id in `name_space` (the same trainee always gets
// the same registration id). A partly timetabled trainee sits in the cohorts of the modules
// scheduled for them but gets no registration. ValidationError for a timetable of another
// dataset.
[[nodiscard]] Roster timetable_roster(const Dataset& dataset, const Timetable& timetable,
                                      const Uuid& name_space);

}  // namespace balai
BALAI_EXPORT_END
