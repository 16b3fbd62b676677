// timetable_roster(): the bridge from planning to tracking. Each scheduled cohort becomes a
// roster cohort due by the window's last day, and each trainee with a complete timetable
// becomes a registration whose id is derived from the trainee id, so rebuilding the roster
// from the same timetable gives the same registration ids. A partly timetabled trainee is
// not registered: the program could not let them finish, so a forecast must not count them.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "balai/planning/timetable/timetable.hpp"

namespace balai {
namespace {

// ValidationError unless the cohort's indices are the dataset's.
void require_known(const Dataset& dataset, const ScheduledCohort& cohort) {
  const auto bad = [&](const char* field, std::uint32_t value) {
    throw ValidationError(Problem{"cohort " + cohort.code, field, std::to_string(value),
                                  "not an index of the dataset"});
  };
  if (cohort.facility.pos() >= dataset.facilities().size())
    bad("facility", cohort.facility.value());
  if (cohort.module.pos() >= dataset.modules().size()) bad("module", cohort.module.value());
  for (TraineeIndex t : cohort.trainees) {
    if (t.pos() >= dataset.trainees().size()) bad("trainees", t.value());
  }
}

}  // namespace

Roster timetable_roster(const Dataset& dataset, const Timetable& timetable,
                        const Uuid& name_space) {
  if (timetable.complete.size() != dataset.trainees().size()) {
    throw ValidationError(Problem{"timetable", "complete",
                                  std::to_string(timetable.complete.size()) + " flags",
                                  "a timetable of another dataset: this one has " +
                                      std::to_string(dataset.trainees().size()) + " trainees"});
  }
  std::vector<Cohort> cohorts;
  cohorts.reserve(timetable.cohorts.size());
  // Cohort positions per trainee; the timetable lists a facility's cohorts in module order,
  // and a trainee's cohorts all lie at one facility, so each list is in the track's order.
  std::vector<std::vector<std::size_t>> taken(dataset.trainees().size());
  for (std::size_t c = 0; c < timetable.cohorts.size(); ++c) {
    const ScheduledCohort& scheduled = timetable.cohorts[c];
    require_known(dataset, scheduled);
    cohorts.push_back({scheduled.code, dataset.module(scheduled.module).code,
                       dataset.facility(scheduled.facility).id, scheduled.sessions,
                       timetable.window.last()});
    for (TraineeIndex t : scheduled.trainees) taken[t.pos()].push_back(c);
  }

  std::vector<Registration> registrations;
  for (std::size_t t = 0; t < taken.size(); ++t) {
    if (taken[t].empty() || !timetable.complete[t]) continue;
    const std::string& trainee = dataset.trainees()[t].id;
    Registration registration{Uuid::v5(name_space, trainee).to_string(), trainee, {}};
    registration.cohorts.reserve(taken[t].size());
    for (std::size_t c : taken[t]) registration.cohorts.push_back(cohorts[c].code);
    registrations.push_back(std::move(registration));
  }
  return Roster(dataset, std::move(cohorts), std::move(registrations));
}

}  // namespace balai
