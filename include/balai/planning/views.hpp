// Lazy views over plans, on range-v3 (see balai/model/views.hpp): an allocation's
// placements with the dataset's entities, and the classes a timetable runs at a facility.
// The views borrow the plan and the dataset, which must outlive them.
//
//   for (const auto& p : balai::views::placements(dataset, allocation)) {
//     use(p.trainee.value.id, p.facility.value.name, p.distance_km);
//   }
#pragma once

#include <cstdint>
#include <range/v3/view/enumerate.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/transform.hpp>

#include "balai/core/export.hpp"
#include "balai/model/views.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/timetable/timetable.hpp"

BALAI_EXPORT_BEGIN
namespace balai::views {

// A placed trainee, where and how far.
struct Placement {
  Entry<TraineeIndex, Trainee> trainee;
  Entry<FacilityIndex, Facility> facility;
  double distance_km;
};

// The placed trainees of an allocation of `dataset`, in dataset order.
[[nodiscard]] inline auto placements(const Dataset& dataset, const Allocation& allocation) {
  return ranges::views::enumerate(allocation.facility) |
         ranges::views::filter(
             [](const auto& pair) { return pair.second != Allocation::kUnplaced; }) |
         ranges::views::transform([&dataset, &allocation](const auto& pair) {
           const TraineeIndex t(static_cast<std::uint32_t>(pair.first));
           const FacilityIndex f(static_cast<std::uint32_t>(pair.second));
           return Placement{
               {t, dataset.trainee(t)}, {f, dataset.facility(f)}, allocation.distance_km[t.pos()]};
         });
}

// The classes a timetable runs at the facility, in the timetable's order.
[[nodiscard]] inline auto cohorts_at(const Timetable& timetable, FacilityIndex facility) {
  return timetable.cohorts | ranges::views::filter([facility](const ScheduledCohort& cohort) {
           return cohort.facility == facility;
         });
}

}  // namespace balai::views
BALAI_EXPORT_END
