// The scheduler. Per facility, module by module in prerequisite order, the trainees who
// need a module are sorted by the day they become ready, cut into balanced classes, and
// each class takes the room where its sessions end first. A module that cannot run for a
// trainee blocks only the modules that depend on it: the trainee still joins the classes
// of the others, which keeps those classes above their minimum for everyone else. Facilities share
// no rooms and no trainees, so they are scheduled on all cores; the result does not depend on which
// core took which facility, nor on which other facilities a call schedules: timetables of disjoint
// sets of facilities merge into the timetable of all.
#include "balai/planning/timetable/timetable.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../../core/count_text.hpp"
#include "../../core/parallel.hpp"
#include "timetable_calendar.hpp"

namespace balai {
namespace {

using detail::count_of;

constexpr int kMaxWeeks = 520;
constexpr std::int64_t kMinutesPerDay = 24 * 60;
constexpr std::size_t kReasons = EnumNames<UnscheduledReason>::names.size();

// Every module a track requires, in one order that contains each track's order
// (Dataset::modules_for: prerequisites first, then catalogue order). Because a track also
// requires its modules' prerequisites, the next module of that combined order is always the
// head of some track's remaining order: the lowest-numbered head.
std::vector<ModuleIndex> scheduling_order(const Dataset& dataset) {
  std::vector<std::vector<ModuleIndex>> tracks;
  for (std::size_t t = 0; t < EnumNames<Track>::names.size(); ++t) {
    tracks.push_back(dataset.modules_for(static_cast<Track>(t)));
  }
  std::vector<std::size_t> next(tracks.size(), 0);
  std::vector<bool> taken(dataset.modules().size(), false);
  std::vector<ModuleIndex> order;
  for (;;) {
    const ModuleIndex* head = nullptr;
    for (std::size_t t = 0; t < tracks.size(); ++t) {
      while (next[t] < tracks[t].size() && taken[tracks[t][next[t]].pos()]) ++next[t];
      if (next[t] < tracks[t].size() && (head == nullptr || tracks[t][next[t]] < *head)) {
        head = &tracks[t][next[t]];
      }
    }
    if (head == nullptr) return order;
    taken[head->pos()] = true;
    order.push_back(*head);
  }
}

// An allocation of this dataset: one entry per trainee, each a facility or kUnplaced.
void check_allocation(const Dataset& dataset, const Allocation& allocation) {
  const auto trainees = dataset.trainees().size();
  const auto facilities = static_cast<std::int64_t>(dataset.facilities().size());
  if (allocation.facility.size() != trainees) {
    throw ValidationError(
        Problem{"allocation", "facility", count_of(allocation.facility.size(), "trainee"),
                "an allocation of another dataset: this one has " + count_of(trainees, "trainee")});
  }
  std::vector<Problem> problems;
  for (std::size_t t = 0; t < trainees; ++t) {
    const std::int32_t f = allocation.facility[t];
    if (f != Allocation::kUnplaced && (f < 0 || f >= facilities)) {
      problems.push_back({"trainee " + dataset.trainees()[t].id, "facility", std::to_string(f),
                          "not a facility of the dataset: an allocation of another dataset"});
    }
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

// Per facility of the dataset: whether it is among `facilities`. ValidationError naming
// each unknown or repeated facility.
std::vector<bool> selection(const Dataset& dataset, std::span<const FacilityIndex> facilities) {
  const std::size_t count = dataset.facilities().size();
  std::vector<bool> selected(count, false);
  std::vector<Problem> problems;
  for (const FacilityIndex facility : facilities) {
    if (facility.pos() >= count) {
      problems.push_back({"timetable", "facilities", std::to_string(facility.value()),
                          "not a facility of the dataset (it has " + std::to_string(count) + ")"});
    } else if (selected[facility.pos()]) {
      problems.push_back({"timetable", "facilities", std::to_string(facility.value()),
                          "listed twice (facility " + dataset.facility(facility).id + ")"});
    } else {
      selected[facility.pos()] = true;
    }
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
  return selected;
}

// What every facility's scheduler reads.
struct Plan {
  const Dataset& dataset;
  const TimetableOptions& options;
  DateRange window;
  detail::TeachingDays calendar;
  std::vector<ModuleIndex> order;
};

struct FacilityResult {
  std::vector<ScheduledCohort> cohorts{};
  std::vector<Unscheduled> unscheduled{};
  std::vector<TraineeIndex> complete{};
};

class FacilityScheduler {
 public:
  FacilityScheduler(const Plan& plan, FacilityIndex facility, std::vector<TraineeIndex> trainees);
  FacilityResult run() &&;

 private:
  // A booked room: classes per teaching day and JP per week.
  struct Room {
    std::vector<int> day_load;
    std::vector<int> week_jp;
  };
  // A trainee who needs the module: the first teaching day they may start, and their slot.
  struct Pending {
    std::size_t ready;
    std::size_t slot;
  };
  // The trainees of one module that cannot be scheduled, by reason, each reason with the
  // numbers that explain it.
  struct Lost {
    std::array<std::vector<TraineeIndex>, kReasons> trainees{};
    std::array<std::string, kReasons> why{};
  };

  // A reason no class of a module can run at the facility at all, with its numbers.
  struct Blocked {
    UnscheduledReason reason;
    std::string why;
  };

  void schedule(ModuleIndex module);
  void form_classes(ModuleIndex module, std::vector<Pending>& pending, std::size_t sessions,
                    Lost& lost);
  void report(ModuleIndex module, Lost& lost);
  void run_class(ModuleIndex module, std::span<const Pending> members, const std::vector<int>& jp,
                 Lost& lost);
  [[nodiscard]] bool fit(const Room& room, std::size_t from, const std::vector<int>& jp,
                         std::vector<std::size_t>& days) const;
  [[nodiscard]] std::optional<Blocked> blocked(ModuleIndex module, std::size_t sessions) const;
  void lose(Lost& lost, ModuleIndex module, UnscheduledReason reason,
            std::span<const Pending> pending, std::string why);
  [[nodiscard]] bool missed(std::size_t slot, ModuleIndex module) const {
    return missed_[slot * module_count_ + module.pos()];
  }

  const Plan& plan_;
  FacilityIndex facility_;
  const Facility& info_;
  std::vector<TraineeIndex> trainees_;  // ascending
  std::vector<std::size_t> ready_;      // per slot: first teaching day the next module may use
  std::size_t module_count_;
  std::vector<bool> missed_;      // per slot and module: required but not scheduled
  std::vector<bool> incomplete_;  // per slot: some module of theirs is missed
  std::size_t first_day_ = 0;     // teaching days within the facility's active dates
  std::size_t end_day_ = 0;
  std::size_t class_cap_ = 0;
  std::vector<Room> rooms_;
  FacilityResult result_;
};

FacilityScheduler::FacilityScheduler(const Plan& plan, FacilityIndex facility,
                                     std::vector<TraineeIndex> trainees)
    : plan_(plan),
      facility_(facility),
      info_(plan.dataset.facility(facility)),
      trainees_(std::move(trainees)),
      module_count_(plan.dataset.modules().size()),
      missed_(trainees_.size() * module_count_, false),
      incomplete_(trainees_.size(), false) {
  const auto& days = plan.calendar.days;
  end_day_ = days.size();
  if (info_.active) {
    first_day_ = static_cast<std::size_t>(
        std::lower_bound(days.begin(), days.end(), info_.active->first()) - days.begin());
    end_day_ = static_cast<std::size_t>(
        std::upper_bound(days.begin(), days.end(), info_.active->last()) - days.begin());
    end_day_ = std::max(end_day_, first_day_);
  }
  ready_.assign(trainees_.size(), first_day_);
  class_cap_ = static_cast<std::size_t>(class_size_limit(info_, plan.options));
  rooms_.assign(static_cast<std::size_t>(info_.rooms),
                Room{std::vector<int>(days.size(), 0), std::vector<int>(plan.calendar.weeks, 0)});
}

FacilityResult FacilityScheduler::run() && {
  for (ModuleIndex module : plan_.order) schedule(module);
  for (std::size_t slot = 0; slot < trainees_.size(); ++slot) {
    if (!incomplete_[slot]) result_.complete.push_back(trainees_[slot]);
  }
  return std::move(result_);
}

std::optional<FacilityScheduler::Blocked> FacilityScheduler::blocked(ModuleIndex module,
                                                                     std::size_t sessions) const {
  const auto& options = plan_.options;
  if (sessions > kMaxSessions) {
    return Blocked{UnscheduledReason::too_many_sessions,
                   std::to_string(plan_.dataset.module(module).hours_jp) + " JP in sessions of " +
                       std::to_string(options.session_jp) + " JP take " + std::to_string(sessions) +
                       " sessions, more than " + std::to_string(kMaxSessions)};
  }
  if (!plan_.dataset.can_host(facility_, module)) {
    return Blocked{UnscheduledReason::no_room, "the facility lacks a feature the module requires"};
  }
  if (info_.rooms == 0) return Blocked{UnscheduledReason::no_room, "the facility has no rooms"};
  if (const int seats = info_.seats / info_.rooms; seats < options.class_min) {
    return Blocked{UnscheduledReason::no_room, std::to_string(seats) +
                                                   " seats per room, class minimum " +
                                                   std::to_string(options.class_min)};
  }
  return std::nullopt;
}

void FacilityScheduler::lose(Lost& lost, ModuleIndex module, UnscheduledReason reason,
                             std::span<const Pending> pending, std::string why) {
  const auto r = static_cast<std::size_t>(reason);
  for (const auto& p : pending) {
    missed_[p.slot * module_count_ + module.pos()] = true;
    incomplete_[p.slot] = true;
    lost.trainees[r].push_back(trainees_[p.slot]);
  }
  if (lost.why[r].empty()) lost.why[r] = std::move(why);
}

void FacilityScheduler::schedule(ModuleIndex module) {
  const Module& info = plan_.dataset.module(module);
  const auto prerequisites = plan_.dataset.prerequisites(module);
  std::vector<Pending> pending;
  std::vector<Pending> orphans;
  for (std::size_t slot = 0; slot < trainees_.size(); ++slot) {
    if (!info.required_by(plan_.dataset.trainee(trainees_[slot]).track)) continue;
    // Prerequisites come first in the scheduling order, so a missed one is known by now,
    // and a module missed for want of its own prerequisite is missed too: the check
    // reaches every module this one depends on.
    const bool blocked = std::ranges::any_of(
        prerequisites, [&](ModuleIndex before) { return missed(slot, before); });
    (blocked ? orphans : pending).push_back({ready_[slot], slot});
  }
  if (pending.empty() && orphans.empty()) return;

  Lost lost;
  lose(lost, module, UnscheduledReason::prerequisite, orphans,
       "a module it depends on is not scheduled for them");
  const auto session_jp = static_cast<std::size_t>(plan_.options.session_jp);
  const std::size_t sessions =
      (static_cast<std::size_t>(info.hours_jp) + session_jp - 1) / session_jp;
  if (auto block = blocked(module, sessions)) {
    lose(lost, module, block->reason, pending, std::move(block->why));
  } else if (pending.size() < static_cast<std::size_t>(plan_.options.class_min)) {
    lose(lost, module, UnscheduledReason::class_too_small, pending,
         "class minimum " + std::to_string(plan_.options.class_min));
  } else {
    form_classes(module, pending, sessions, lost);
  }
  report(module, lost);
}

void FacilityScheduler::form_classes(ModuleIndex module, std::vector<Pending>& pending,
                                     std::size_t sessions, Lost& lost) {
  const Module& info = plan_.dataset.module(module);
  const auto session_jp = static_cast<std::size_t>(plan_.options.session_jp);
  const auto hours = static_cast<std::size_t>(info.hours_jp);
  std::vector<int> jp;
  for (std::size_t k = 0; k < sessions; ++k) {
    jp.push_back(static_cast<int>(std::min(session_jp, hours - k * session_jp)));
  }
  std::sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    return a.ready != b.ready ? a.ready < b.ready : a.slot < b.slot;
  });
  const std::size_t n = pending.size();
  const auto class_min = static_cast<std::size_t>(plan_.options.class_min);
  std::size_t classes = (n + class_cap_ - 1) / class_cap_;
  std::size_t kept = n;
  if (n < classes * class_min) {
    // No number of classes holds them all between the minimum and the cap: full classes
    // for the earliest ready, fewer than class_min left over.
    classes = n / class_cap_;
    kept = classes * class_cap_;
    lose(lost, module, UnscheduledReason::class_too_small, std::span(pending).subspan(kept),
         "left over from full classes of " + std::to_string(class_cap_) + ", class minimum " +
             std::to_string(class_min));
  }
  const std::size_t first_cohort = result_.cohorts.size();
  std::size_t begin = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    const std::size_t size = kept / classes + (c < kept % classes ? 1 : 0);
    run_class(module, std::span(pending).subspan(begin, size), jp, lost);
    begin += size;
  }
  for (std::size_t c = first_cohort; c < result_.cohorts.size(); ++c) {
    result_.cohorts[c].code =
        info_.id + "/" + info.code + "/" + std::to_string(c - first_cohort + 1);
  }
}

void FacilityScheduler::report(ModuleIndex module, Lost& lost) {
  for (std::size_t r = 0; r < kReasons; ++r) {
    auto& trainees = lost.trainees[r];
    if (trainees.empty()) continue;
    std::sort(trainees.begin(), trainees.end());
    const std::size_t count = trainees.size();
    result_.unscheduled.push_back({facility_, module, std::move(trainees),
                                   static_cast<UnscheduledReason>(r),
                                   count_of(count, "trainee") + ", " + lost.why[r]});
  }
}

bool FacilityScheduler::fit(const Room& room, std::size_t from, const std::vector<int>& jp,
                            std::vector<std::size_t>& days) const {
  const auto& week = plan_.calendar.week;
  const auto& options = plan_.options;
  days.clear();
  // JP this class already takes in the week of day d: its own sessions count too.
  std::uint32_t this_week = 0;
  int own_jp = 0;
  for (std::size_t d = from; d < end_day_ && days.size() < jp.size(); ++d) {
    if (week[d] != this_week) {
      this_week = week[d];
      own_jp = 0;
    }
    const int next = jp[days.size()];
    if (room.day_load[d] < options.sessions_per_day &&
        room.week_jp[this_week] + own_jp + next <= options.teaching_hours_per_week) {
      days.push_back(d);
      own_jp += next;
    }
  }
  return days.size() == jp.size();
}

void FacilityScheduler::run_class(ModuleIndex module, std::span<const Pending> members,
                                  const std::vector<int>& jp, Lost& lost) {
  const std::size_t from = members.back().ready;  // members are sorted by readiness
  std::vector<std::size_t> best;
  std::vector<std::size_t> days;
  std::size_t best_room = 0;
  for (std::size_t r = 0; r < rooms_.size(); ++r) {
    if (fit(rooms_[r], from, jp, days) && (best.empty() || days.back() < best.back())) {
      best.swap(days);
      best_room = r;
    }
  }
  if (best.empty()) {
    const Date last =
        end_day_ > first_day_ ? plan_.calendar.days[end_day_ - 1] : plan_.window.last();
    lose(lost, module, UnscheduledReason::window, members,
         "no room has " + count_of(jp.size(), "free teaching day") + " for them by " +
             last.to_string());
    return;
  }
  Room& room = rooms_[best_room];
  ScheduledCohort cohort;
  cohort.facility = facility_;
  cohort.module = module;
  cohort.room = static_cast<int>(best_room);
  for (std::size_t k = 0; k < best.size(); ++k) {
    ++room.day_load[best[k]];
    room.week_jp[plan_.calendar.week[best[k]]] += jp[k];
    cohort.sessions.push_back(plan_.calendar.days[best[k]]);
  }
  for (const auto& member : members) {
    ready_[member.slot] = best.back() + 1;
    cohort.trainees.push_back(trainees_[member.slot]);
  }
  std::sort(cohort.trainees.begin(), cohort.trainees.end());
  result_.cohorts.push_back(std::move(cohort));
}

}  // namespace

std::vector<Problem> check(const TimetableOptions& options) {
  std::vector<Problem> problems;
  const auto fail = [&](const char* field, const std::string& value, std::string message) {
    problems.push_back({"timetable options", field, value, std::move(message)});
  };
  if (!options.start && options.phase.empty()) {
    fail("phase", "", "name a phase of the program, or give a start date");
  }
  if (options.weeks < 1 || options.weeks > kMaxWeeks) {
    fail("weeks", std::to_string(options.weeks),
         "must be between 1 and " + std::to_string(kMaxWeeks));
  }
  if (options.class_min < 1) {
    fail("class_min", std::to_string(options.class_min), "must be at least 1");
  }
  if (options.class_max < options.class_min) {
    fail("class_max", std::to_string(options.class_max),
         "must be at least class_min (" + std::to_string(options.class_min) + ")");
  }
  if (options.session_jp < 1) {
    fail("session_jp", std::to_string(options.session_jp), "must be at least 1");
  }
  if (options.sessions_per_day < 1) {
    fail("sessions_per_day", std::to_string(options.sessions_per_day), "must be at least 1");
  }
  if (options.teaching_hours_per_week < std::max(options.session_jp, 1)) {
    fail("teaching_hours_per_week", std::to_string(options.teaching_hours_per_week),
         "must hold at least one session of " + std::to_string(options.session_jp) + " JP");
  }
  if (options.working_days.empty()) fail("working_days", "", "must name at least one weekday");
  std::array<bool, 8> seen{};
  for (int day : options.working_days) {
    if (day < 1 || day > 7) {
      fail("working_days", std::to_string(day), "ISO weekdays run from 1 (Monday) to 7 (Sunday)");
    } else if (seen.at(static_cast<std::size_t>(day))) {
      fail("working_days", std::to_string(day), "listed twice");
    } else {
      seen.at(static_cast<std::size_t>(day)) = true;
    }
  }
  const std::int64_t start = options.session_start_minutes;
  if (start < 0 || start >= kMinutesPerDay) {
    fail("session_start_minutes", std::to_string(start), "must lie between 0 and 1439");
  } else if (options.session_jp >= 1 && options.sessions_per_day >= 1 &&
             start + std::int64_t{options.sessions_per_day} * options.session_jp * kMinutesPerJp >
                 kMinutesPerDay) {
    fail("sessions_per_day", std::to_string(options.sessions_per_day),
         std::to_string(options.sessions_per_day) + " sessions of " +
             std::to_string(options.session_jp) + " JP from minute " + std::to_string(start) +
             " run past midnight");
  }
  return problems;
}

Timetable timetable(const Dataset& dataset, const Allocation& allocation,
                    const TimetableOptions& options) {
  std::vector<FacilityIndex> all;
  for (std::uint32_t f = 0; f < dataset.facilities().size(); ++f) all.emplace_back(f);
  return timetable(dataset, allocation, options, all);
}

Timetable timetable(const Dataset& dataset, const Allocation& allocation,
                    const TimetableOptions& options, std::span<const FacilityIndex> facilities) {
  if (auto problems = check(options); !problems.empty()) throw ValidationError(std::move(problems));
  check_allocation(dataset, allocation);
  const std::vector<bool> selected = selection(dataset, facilities);

  Timetable result;
  result.options = options;
  result.window = detail::timetable_window(dataset, options);
  result.holidays = detail::applied_holidays(options, result.window);
  const Plan plan{dataset, options, result.window,
                  detail::teaching_days(result.window, options.working_days, result.holidays),
                  scheduling_order(dataset)};

  const std::size_t facility_count = dataset.facilities().size();
  std::vector<std::vector<TraineeIndex>> placed(facility_count);
  for (std::size_t t = 0; t < allocation.facility.size(); ++t) {
    if (allocation.facility[t] == Allocation::kUnplaced) continue;
    const auto f = static_cast<std::size_t>(allocation.facility[t]);
    if (selected[f]) placed[f].emplace_back(static_cast<TraineeIndex::value_type>(t));
  }
  std::vector<std::size_t> busy;
  for (std::size_t f = 0; f < facility_count; ++f) {
    if (!placed[f].empty()) busy.push_back(f);
  }

  std::vector<FacilityResult> results(facility_count);
  std::atomic<std::size_t> next{0};
  detail::run_on_threads(
      std::min(detail::worker_count(), std::max<std::size_t>(busy.size(), 1)), [&] {
        for (std::size_t i = next++; i < busy.size(); i = next++) {
          const std::size_t f = busy[i];
          results[f] = FacilityScheduler(plan, FacilityIndex(static_cast<std::uint32_t>(f)),
                                         std::move(placed[f]))
                           .run();
        }
      });

  result.complete.assign(dataset.trainees().size(), false);
  for (auto& facility : results) {
    for (auto& cohort : facility.cohorts) result.cohorts.push_back(std::move(cohort));
    for (auto& lost : facility.unscheduled) result.unscheduled.push_back(std::move(lost));
    for (TraineeIndex t : facility.complete) result.complete[t.pos()] = true;
  }
  return result;
}

Timetable merge_timetables(std::span<const Timetable> parts) {
  if (parts.empty()) {
    throw ValidationError(Problem{"timetable parts", "parts", "0", "needs at least one part"});
  }
  const Timetable& first = parts.front();
  std::vector<Problem> problems;
  // Per facility, the part (plus one) that schedules its trainees; per trainee, the part
  // that completes them.
  std::vector<std::size_t> owner;
  std::vector<std::size_t> completer(first.complete.size(), 0);
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const Timetable& part = parts[p];
    const std::string where = "timetable part " + std::to_string(p);
    const auto differs = [&](const char* field, bool same, std::string value) {
      if (!same) problems.push_back({where, field, std::move(value), "differs from part 0's"});
      return !same;
    };
    if (differs("options", part.options == first.options, "") ||
        differs("window", part.window == first.window, part.window.first().to_string()) ||
        differs("holidays", part.holidays == first.holidays,
                count_of(part.holidays.size(), "holiday")) ||
        differs("complete", part.complete.size() == first.complete.size(),
                count_of(part.complete.size(), "trainee"))) {
      continue;
    }
    const auto claim = [&](FacilityIndex facility) {
      if (owner.size() <= facility.pos()) owner.resize(facility.pos() + 1, 0);
      auto& by = owner[facility.pos()];
      if (by == 0) by = p + 1;
      if (by == p + 1) return;
      problems.push_back({where, "facility", std::to_string(facility.value()),
                          "also in timetable part " + std::to_string(by - 1)});
      by = p + 1;  // reported once per pair of parts
    };
    for (const auto& cohort : part.cohorts) claim(cohort.facility);
    for (const auto& lost : part.unscheduled) claim(lost.facility);
    for (std::size_t t = 0; t < part.complete.size(); ++t) {
      if (!part.complete[t]) continue;
      if (completer[t] != 0) {
        problems.push_back({where, "complete[" + std::to_string(t) + "]", "true",
                            "also complete in timetable part " + std::to_string(completer[t] - 1)});
        break;
      }
      completer[t] = p + 1;
    }
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));

  Timetable merged;
  merged.options = first.options;
  merged.window = first.window;
  merged.holidays = first.holidays;
  merged.complete.assign(first.complete.size(), false);
  for (const auto& part : parts) {
    merged.cohorts.insert(merged.cohorts.end(), part.cohorts.begin(), part.cohorts.end());
    merged.unscheduled.insert(merged.unscheduled.end(), part.unscheduled.begin(),
                              part.unscheduled.end());
  }
  for (std::size_t t = 0; t < completer.size(); ++t) merged.complete[t] = completer[t] != 0;
  // Each facility's entries come from one part, already in module order.
  const auto by_facility = [](const auto& a, const auto& b) { return a.facility < b.facility; };
  std::stable_sort(merged.cohorts.begin(), merged.cohorts.end(), by_facility);
  std::stable_sort(merged.unscheduled.begin(), merged.unscheduled.end(), by_facility);
  return merged;
}

std::int64_t Timetable::session_start(const Dataset& dataset, const ScheduledCohort& cohort,
                                      std::size_t session) const {
  if (cohort.facility.pos() >= dataset.facilities().size()) {
    throw ValidationError(Problem{"cohort " + cohort.code, "facility",
                                  std::to_string(cohort.facility.value()),
                                  "not a facility of the dataset"});
  }
  if (session >= cohort.sessions.size()) {
    throw ValidationError(Problem{"cohort " + cohort.code, "session", std::to_string(session),
                                  "the cohort has " + count_of(cohort.sessions.size(), "session")});
  }
  const TimeZone zone = province(dataset.facility(cohort.facility).province).time_zone;
  return utc_instant(cohort.sessions[session], zone,
                     std::int64_t{options.session_start_minutes} * 60);
}

}  // namespace balai
