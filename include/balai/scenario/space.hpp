// Plausible shared space for a scenario: the resources each kind of facility has, and a
// stream of UMKM requests for them, so the main command shows shared use end to end.
//
// Resources by facility kind (capacity per week, scaled by the week's working days that
// are not national holidays and zero while the facility is inactive):
//
//   UPTP / UPTD    a workshop per practical feature (kitchen, sewing, ...) and computer
//                  lab, 35-45 h; storage 100-300 m2 (UPTP) or 50-150 m2 (UPTD)
//   BLK Komunitas  a workshop per practical feature, 20-30 h; storage 10-30 m2
//   PLUT           mentoring 60-120 h (3-6 consultants); display 30-80 m2
//   RPB            production slots for its sector's KBLI division, 10-30; storage
//                  50-100 m2; a workshop per processing feature, 40-50 h
//
// Workshops whose feature a module of the dataset requires (in the national catalogue, the
// computer lab) and mentoring offer at least what the facility's rooms teach in a week at
// the timetable's defaults (rooms x 30 JP x 45 minutes, rounded up to 23 h per room): the
// timetable may teach such a module in every room at once, so the resource counts the
// hours of all its rooms, and training always fits.
//
// Requests: a share from graduates of the program (the dataset's UMKM-owner trainees, at
// their homes), the rest from other UMKM placed where the dataset's trainees live, a few
// kilometres apart. Kinds, amounts, weeks and distances are drawn from documented ranges
// (space.cpp); every draw comes from the seed, so the stream is the same on every platform.
#pragma once

#include <cstdint>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/space/space.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct SpaceScenarioOptions {
  std::uint64_t seed = 2027;
  int requests = 20'000;        // 0..kMaxScenarioRequests
  double graduate_share = 0.3;  // of requests from graduates, while the dataset has any
  double splittable_share = 0.5;
  // National holidays lower a week's capacity; std::nullopt: the embedded list
  // (national_holidays in timetable.hpp).
  std::optional<std::vector<Date>> holidays{};

  friend bool operator==(const SpaceScenarioOptions&, const SpaceScenarioOptions&) = default;
};

inline constexpr int kMaxScenarioRequests = 10'000'000;

[[nodiscard]] std::vector<Problem> check(const SpaceScenarioOptions& options);

// Sites for every facility of the dataset (space_sites) and the resources above, for
// `weeks` weeks from the Monday `start`. ValidationError for bad options or window.
[[nodiscard]] SpaceInventory scenario_inventory(const Dataset& dataset, Date start, int weeks,
                                                const SpaceScenarioOptions& options = {});

// A stream of requests for what `inventory` offers, ids "UMKM-REQ-000001" onwards, each
// within the window. ValidationError for bad options.
[[nodiscard]] std::vector<SpaceRequest> scenario_requests(const Dataset& dataset,
                                                          const SpaceInventory& inventory,
                                                          const SpaceScenarioOptions& options = {});

}  // namespace balai
BALAI_EXPORT_END
