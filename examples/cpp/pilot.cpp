// The pilot plan from C++, without Python: a national scenario, then sites, allocation,
// timetable and forecast in one call, and the answers an operator asks for first. Runs as
// a ctest test on a small scenario; its output is checked.
#include <cstdio>

#include "balai/planning/pilot/pilot.hpp"
#include "balai/scenario/indonesia.hpp"

int main() {
  const auto dataset = balai::indonesia({.seed = 2027, .trainees = 2'000});

  balai::PilotOptions options;
  options.sites.sites = 100;            // open 100 facilities,
  options.sites.radius_km = 30.0;       // chosen to bring the most trainees within 30 km
  options.forecast.replications = 200;  // and simulate the pilot 200 times
  const auto plan = balai::plan_pilot(dataset, options);

  std::printf("sites: %zu of %zu facilities\n", plan.sites.selected.size(),
              dataset.facilities().size());
  std::printf("placed: %lld of %zu trainees\n",
              static_cast<long long>(plan.allocation.objective.placed), dataset.trainees().size());

  std::printf("classes: %zu; registered: %zu; groups left out: %zu\n",
              plan.timetable.cohorts.size(), plan.roster.registration_count(),
              plan.timetable.unscheduled.size());

  const auto completions = plan.forecast.national();
  std::printf("completions: %.0f to %.0f (90%% band), target %d to %d\n", completions.p5,
              completions.p95, plan.forecast.target_min, plan.forecast.target_max);
  return 0;
}
