// The pilot's consolidation starts run side by side (pilot.cpp): the plan must not depend
// on which thread finished first, and under ThreadSanitizer (preset tsan) the starts must
// share the dataset and the network without a race.
#include <catch2/catch.hpp>

#include "balai/planning/pilot/pilot.hpp"
#include "balai/scenario/indonesia.hpp"

using namespace balai;

TEST_CASE("the pilot's parallel starts give the same plan every time", "[pilot][threads]") {
  const Dataset dataset = indonesia({.seed = 6, .trainees = 400});
  const PilotPlan first = schedule_pilot(dataset);
  REQUIRE(first.timetabled() > 0);
  for (int again = 0; again < 2; ++again) {
    const PilotPlan plan = schedule_pilot(dataset);
    CHECK(plan.sites.selected == first.sites.selected);
    CHECK(plan.allocation.facility == first.allocation.facility);
    CHECK(plan.timetable.complete == first.timetable.complete);
    CHECK(plan.rounds == first.rounds);
  }
}

TEST_CASE("a progress callback that stops the pilot stops every start", "[pilot][threads]") {
  const Dataset dataset = indonesia({.seed = 6, .trainees = 400});
  bool stopped = false;
  int reports_after_stop = 0;
  const ProgressCallback stop_at_consolidation = [&](const Progress& progress) {
    if (stopped) ++reports_after_stop;
    stopped = stopped || progress.stage == "consolidation";
    return !stopped;
  };
  CHECK_THROWS_AS(schedule_pilot(dataset, {}, stop_at_consolidation), CancelledError);
  CHECK(stopped);
  CHECK(reports_after_stop == 0);  // the other starts are not heard from again
}
