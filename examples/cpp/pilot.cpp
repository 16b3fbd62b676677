// The pilot plan from C++, without Python: a national scenario, then sites, allocation,
// timetable and forecast in one call, the answers an operator asks for first, and the
// lazy views over the plan (docs/cpp.md, "Lazy views"). Runs as a ctest test on a small
// scenario; its output is checked.
#include <cstdio>
#include <range/v3/view/chunk.hpp>

#include "balai/model/views.hpp"
#include "balai/planning/pilot/pilot.hpp"
#include "balai/planning/views.hpp"
#include "balai/scenario/indonesia.hpp"

int main() {
  const auto dataset = balai::indonesia({.seed = 2027, .trainees = 2'000});

  balai::PilotOptions options;
  options.sites.sites = 100;            // open up to 100 facilities (those gathering a class),
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

  // Selections without building vectors: the views read the dataset and the plan.
  const auto jabar = ranges::distance(balai::views::trainees_in_province(dataset, 32));
  const auto plut =
      ranges::distance(balai::views::facilities_of_kind(dataset, balai::FacilityKind::plut));
  std::printf("Jawa Barat trainees: %td; PLUT: %td\n", jabar, plut);
  std::size_t batches = 0;  // placements sent 500 at a time, as to a ministry service
  for (const auto& batch :
       balai::views::placements(dataset, plan.allocation) | ranges::views::chunk(500)) {
    batches += ranges::distance(batch) > 0 ? 1 : 0;
  }
  const balai::FacilityIndex site = plan.timetable.cohorts.front().facility;
  std::printf("placement batches: %zu; classes at %s: %td\n", batches,
              dataset.facility(site).id.c_str(),
              ranges::distance(balai::views::cohorts_at(plan.timetable, site)));
  return 0;
}
