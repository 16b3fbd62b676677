// verify(): the timetable's oracle. It shares no code with the scheduler: it derives the
// window and the holidays from the options again and checks every rule of timetable.hpp on
// the cohorts as they are, plus the timetable's own account of itself (which trainees are
// complete, and that whatever is not scheduled is reported).
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "balai/planning/timetable/timetable.hpp"

namespace balai {
namespace {

std::string dates_text(const std::vector<Date>& dates) {
  std::string text;
  for (Date date : dates) {
    if (!text.empty()) text += ' ';
    text += date.to_string();
  }
  return text;
}

class Verifier {
 public:
  Verifier(const Dataset& dataset, const Allocation& allocation, const Timetable& timetable)
      : dataset_(dataset),
        allocation_(allocation),
        timetable_(timetable),
        options_(timetable.options) {}

  std::vector<Problem> run() && {
    problems_ = check(options_);
    if (!problems_.empty()) return std::move(problems_);
    if (allocation_.facility.size() != dataset_.trainees().size()) {
      add("allocation", "facility", std::to_string(allocation_.facility.size()),
          "one entry per trainee expected, the dataset has " +
              std::to_string(dataset_.trainees().size()));
      return std::move(problems_);
    }
    check_calendar();
    for (std::size_t c = 0; c < timetable_.cohorts.size(); ++c) check_cohort(c);
    check_rooms();
    check_trainees();
    check_account();
    return std::move(problems_);
  }

 private:
  void add(std::string where, std::string field, std::string value, std::string message) {
    problems_.push_back({std::move(where), std::move(field), std::move(value), std::move(message)});
  }
  [[nodiscard]] std::string where(std::size_t c) const {
    return "cohort " + timetable_.cohorts[c].code;
  }
  [[nodiscard]] bool valid(const ScheduledCohort& cohort) const {
    return cohort.facility.pos() < dataset_.facilities().size() &&
           cohort.module.pos() < dataset_.modules().size();
  }
  [[nodiscard]] int jp_of(const ScheduledCohort& cohort, std::size_t session) const {
    const int done = static_cast<int>(session) * options_.session_jp;
    return std::min(options_.session_jp, dataset_.module(cohort.module).hours_jp - done);
  }

  // The window and holidays the options call for, against those the timetable states.
  void check_calendar() {
    window_ = timetable_.window;
    if (options_.start) {
      window_ = DateRange(*options_.start, *options_.start + (7 * options_.weeks - 1));
    } else if (const auto& program = dataset_.program()) {
      const auto it = std::find_if(program->phases.begin(), program->phases.end(),
                                   [&](const Phase& p) { return p.name == options_.phase; });
      if (it != program->phases.end())
        window_ = it->window;
      else
        add("timetable", "window", options_.phase, "the program has no such phase");
    } else {
      add("timetable", "window", options_.phase, "the dataset has no program");
    }
    if (timetable_.window != window_) {
      add("timetable", "window",
          timetable_.window.first().to_string() + " " + timetable_.window.last().to_string(),
          "the options call for " + window_.first().to_string() + " " + window_.last().to_string());
    }
    std::vector<Date> listed;
    if (options_.holidays) {
      listed = *options_.holidays;
    } else {
      for (int year = window_.first().ymd().year; year <= window_.last().ymd().year; ++year) {
        for (Date day : national_holidays(year)) listed.push_back(day);
      }
    }
    for (Date day : listed) {
      if (window_.contains(day)) holidays_.insert(day);
    }
    const std::vector<Date> expected(holidays_.begin(), holidays_.end());
    if (timetable_.holidays != expected) {
      add("timetable", "holidays", dates_text(timetable_.holidays),
          "the options call for " + dates_text(expected));
    }
    for (int day : options_.working_days) working_.insert(day);
  }

  void check_cohort(std::size_t c) {
    const ScheduledCohort& cohort = timetable_.cohorts[c];
    if (!codes_.insert(cohort.code).second) add(where(c), "code", cohort.code, "duplicate code");
    if (!valid(cohort)) {
      add(where(c), "facility",
          std::to_string(cohort.facility.value()) + " " + std::to_string(cohort.module.value()),
          "not a facility and module of the dataset");
      return;
    }
    const Facility& facility = dataset_.facility(cohort.facility);
    const Module& module = dataset_.module(cohort.module);
    if (!dataset_.can_host(cohort.facility, cohort.module)) {
      add(where(c), "module", module.code, "the facility cannot host it");
    }
    if (cohort.room < 0 || cohort.room >= facility.rooms) {
      add(where(c), "room", std::to_string(cohort.room),
          "the facility has " + std::to_string(facility.rooms) + " rooms");
    }

    const int sessions = (module.hours_jp + options_.session_jp - 1) / options_.session_jp;
    if (std::ssize(cohort.sessions) != sessions || cohort.sessions.size() > kMaxSessions) {
      add(where(c), "sessions", std::to_string(cohort.sessions.size()),
          std::to_string(module.hours_jp) + " JP take " + std::to_string(sessions) +
              " sessions (at most " + std::to_string(kMaxSessions) + ")");
    }
    for (std::size_t s = 0; s < cohort.sessions.size(); ++s) {
      const Date day = cohort.sessions[s];
      const std::string value = day.to_string();
      if (s > 0 && day <= cohort.sessions[s - 1]) {
        add(where(c), "sessions", value, "not after the session before it");
      }
      if (!window_.contains(day)) add(where(c), "sessions", value, "outside the window");
      if (facility.active && !facility.active->contains(day)) {
        add(where(c), "sessions", value, "outside the facility's active dates");
      }
      if (holidays_.contains(day)) add(where(c), "sessions", value, "a public holiday");
      if (!working_.contains(day.weekday())) add(where(c), "sessions", value, "not a working day");
    }

    const auto size = static_cast<int>(cohort.trainees.size());
    const int most = class_size_limit(facility, options_);
    if (size < options_.class_min) {
      add(where(c), "trainees", std::to_string(size),
          "below the class minimum " + std::to_string(options_.class_min));
    }
    if (size > most) {
      add(where(c), "trainees", std::to_string(size),
          "above the class maximum " + std::to_string(most));
    }
    for (std::size_t i = 0; i < cohort.trainees.size(); ++i) {
      const TraineeIndex t = cohort.trainees[i];
      const std::string value = std::to_string(t.value());
      if (i > 0 && t <= cohort.trainees[i - 1]) {
        add(where(c), "trainees", value, "not in ascending order, or listed twice");
      }
      if (t.pos() >= dataset_.trainees().size()) {
        add(where(c), "trainees", value, "not a trainee of the dataset");
        continue;
      }
      const Trainee& trainee = dataset_.trainee(t);
      if (allocation_.facility[t.pos()] != static_cast<std::int32_t>(cohort.facility.value())) {
        add(where(c), "trainees", trainee.id, "allocated to another facility");
      }
      if (!module.required_by(trainee.track)) {
        add(where(c), "trainees", trainee.id, "their track does not require " + module.code);
      }
      // A cohort without sessions (reported above) has no dates to order modules by.
      if (!cohort.sessions.empty()) taken_.push_back({t, cohort.module, c});
    }
  }

  // No room holds more than sessions_per_day classes on a day or teaches more than
  // teaching_hours_per_week JP in an ISO week.
  void check_rooms() {
    std::map<std::tuple<std::uint32_t, int, std::int32_t>, int> per_day;
    std::map<std::tuple<std::uint32_t, int, int, int>, int> per_week;
    for (std::size_t c = 0; c < timetable_.cohorts.size(); ++c) {
      const ScheduledCohort& cohort = timetable_.cohorts[c];
      if (!valid(cohort)) continue;
      const auto f = cohort.facility.value();
      for (std::size_t s = 0; s < cohort.sessions.size(); ++s) {
        const Date day = cohort.sessions[s];
        const IsoWeek week = day.iso_week();
        // Each limit is reported once, naming the cohort whose session crosses it.
        const int classes = ++per_day[{f, cohort.room, day.days()}];
        const int added = jp_of(cohort, s);
        const int jp = per_week[{f, cohort.room, week.year, week.week}] += added;
        if (classes == options_.sessions_per_day + 1) {
          add(where(c), "room", std::to_string(cohort.room) + " " + day.to_string(),
              std::to_string(classes) + " classes on one day, at most " +
                  std::to_string(options_.sessions_per_day));
        }
        if (jp > options_.teaching_hours_per_week &&
            jp - added <= options_.teaching_hours_per_week) {
          add(where(c), "room",
              std::to_string(cohort.room) + " " + std::to_string(week.year) + "-W" +
                  std::to_string(week.week),
              std::to_string(jp) + " JP in one week, at most " +
                  std::to_string(options_.teaching_hours_per_week));
        }
      }
    }
  }

  // Per trainee: one cohort per module, modules in the track's order with each starting
  // after its prerequisites and the previous module end, never two sessions on one day.
  void check_trainees() {
    std::sort(taken_.begin(), taken_.end());
    for (std::size_t i = 1; i < taken_.size(); ++i) {
      if (taken_[i].trainee == taken_[i - 1].trainee && taken_[i].module == taken_[i - 1].module) {
        add(where(taken_[i].cohort), "trainees", dataset_.trainee(taken_[i].trainee).id,
            "also in cohort " + timetable_.cohorts[taken_[i - 1].cohort].code +
                " for the same module");
      }
    }
    for (std::size_t begin = 0; begin < taken_.size();) {
      std::size_t end = begin;
      while (end < taken_.size() && taken_[end].trainee == taken_[begin].trainee) ++end;
      check_order(begin, end);
      check_days(begin, end);
      begin = end;
    }
  }

  void check_order(std::size_t begin, std::size_t end) {
    const TraineeIndex t = taken_[begin].trainee;
    const Trainee& trainee = dataset_.trainee(t);
    std::map<ModuleIndex, std::size_t> cohort_of;
    for (std::size_t i = begin; i < end; ++i) cohort_of.emplace(taken_[i].module, taken_[i].cohort);
    const auto order = dataset_.modules_for(trainee.track);
    // The trainee's previous scheduled module: one a trainee misses (and whose dependants
    // they miss with it) does not hold up the modules that do not depend on it.
    std::optional<ModuleIndex> previous;
    for (std::size_t k = 0; k < order.size(); ++k) {
      const auto it = cohort_of.find(order[k]);
      if (it == cohort_of.end()) continue;
      auto before = std::vector<ModuleIndex>(dataset_.prerequisites(order[k]).begin(),
                                             dataset_.prerequisites(order[k]).end());
      if (previous) before.push_back(*previous);
      previous = order[k];
      std::sort(before.begin(), before.end());
      before.erase(std::unique(before.begin(), before.end()), before.end());
      const Date first = timetable_.cohorts[it->second].sessions.front();
      for (ModuleIndex earlier : before) {
        const auto done = cohort_of.find(earlier);
        const std::string& code = dataset_.module(earlier).code;
        if (done == cohort_of.end()) {
          add(where(it->second), "trainees", trainee.id, "not scheduled for " + code + " before");
        } else if (first <= timetable_.cohorts[done->second].sessions.back()) {
          add(where(it->second), "sessions", first.to_string(),
              "trainee " + trainee.id + " starts before " + code + " ends");
        }
      }
    }
  }

  void check_days(std::size_t begin, std::size_t end) {
    std::vector<std::pair<Date, std::size_t>> days;
    for (std::size_t i = begin; i < end; ++i) {
      for (Date day : timetable_.cohorts[taken_[i].cohort].sessions) {
        days.emplace_back(day, taken_[i].cohort);
      }
    }
    std::sort(days.begin(), days.end());
    for (std::size_t i = 1; i < days.size(); ++i) {
      if (days[i].first == days[i - 1].first && days[i].second != days[i - 1].second) {
        add(where(days[i].second), "sessions", days[i].first.to_string(),
            "trainee " + dataset_.trainee(taken_[begin].trainee).id +
                " also has a session of cohort " + timetable_.cohorts[days[i - 1].second].code);
      }
    }
  }

  // `complete` names exactly the trainees scheduled in every module of their track, and
  // each module a placed trainee needs is either scheduled or reported.
  void check_account() {
    const auto trainees = dataset_.trainees().size();
    if (timetable_.complete.size() != trainees) {
      add("timetable", "complete", std::to_string(timetable_.complete.size()),
          "one flag per trainee expected, the dataset has " + std::to_string(trainees));
      return;
    }
    std::set<std::pair<TraineeIndex, ModuleIndex>> scheduled;
    for (const auto& entry : taken_) scheduled.emplace(entry.trainee, entry.module);
    std::set<std::pair<TraineeIndex, ModuleIndex>> reported;
    for (const auto& lost : timetable_.unscheduled) {
      const bool known = lost.facility.pos() < dataset_.facilities().size() &&
                         lost.module.pos() < dataset_.modules().size();
      const std::string here =
          "unscheduled " +
          (known
               ? dataset_.facility(lost.facility).id + "/" + dataset_.module(lost.module).code
               : std::to_string(lost.facility.value()) + "/" + std::to_string(lost.module.value()));
      for (TraineeIndex t : lost.trainees) {
        if (!known || t.pos() >= trainees ||
            allocation_.facility[t.pos()] != static_cast<std::int32_t>(lost.facility.value())) {
          add(here, "trainees", std::to_string(t.value()), "not a trainee of this facility");
        } else if (scheduled.contains({t, lost.module})) {
          add(here, "trainees", dataset_.trainee(t).id, "scheduled in this module after all");
        } else {
          reported.emplace(t, lost.module);
        }
      }
    }
    std::vector<std::vector<ModuleIndex>> orders;
    for (std::size_t track = 0; track < EnumNames<Track>::names.size(); ++track) {
      orders.push_back(dataset_.modules_for(static_cast<Track>(track)));
    }
    for (std::size_t i = 0; i < trainees; ++i) {
      const TraineeIndex t(static_cast<TraineeIndex::value_type>(i));
      const Trainee& trainee = dataset_.trainee(t);
      const bool placed = allocation_.facility[i] != Allocation::kUnplaced;
      bool complete = placed;
      for (ModuleIndex m : orders.at(static_cast<std::size_t>(trainee.track))) {
        if (scheduled.contains({t, m})) continue;
        complete = false;
        if (placed && !reported.contains({t, m})) {
          add("trainee " + trainee.id, "unscheduled", dataset_.module(m).code,
              "neither scheduled nor reported");
        }
      }
      if (timetable_.complete[i] != complete) {
        add("trainee " + trainee.id, "complete", timetable_.complete[i] ? "true" : "false",
            complete ? "every module of the track is scheduled" : "a module is not scheduled");
      }
    }
  }

  struct Taken {
    TraineeIndex trainee;
    ModuleIndex module;
    std::size_t cohort;
    friend auto operator<=>(const Taken&, const Taken&) = default;
  };

  const Dataset& dataset_;
  const Allocation& allocation_;
  const Timetable& timetable_;
  const TimetableOptions& options_;
  std::vector<Problem> problems_;
  DateRange window_;
  std::set<Date> holidays_;
  std::set<int> working_;
  std::set<std::string> codes_;
  std::vector<Taken> taken_;
};

}  // namespace

std::vector<Problem> verify(const Dataset& dataset, const Allocation& allocation,
                            const Timetable& timetable) {
  return Verifier(dataset, allocation, timetable).run();
}

}  // namespace balai
