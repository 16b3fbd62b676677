// The pilot plan end to end, as one call: choose the sites, allocate the trainees among
// them, timetable the classes, register the timetabled trainees and forecast how many
// will complete. Each step is also a function of its own (site_selection.hpp,
// allocation.hpp, timetable.hpp, forecast.hpp); `plan_pilot` only chains them, passing
// each step's value to the next, so a caller can stop after any step or replace one.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "balai/model/dataset.hpp"
#include "balai/planning/allocation.hpp"
#include "balai/planning/forecast.hpp"
#include "balai/planning/progress.hpp"
#include "balai/planning/site_selection.hpp"
#include "balai/planning/timetable.hpp"
#include "balai/tracking/roster.hpp"

namespace balai {

// The default namespace of pilot registration ids, 6b0a5d1e-3c2f-4a77-9e61-0ba1a1202701: a
// fixed random UUID, so a trainee keeps their registration id from one plan to the next.
inline constexpr Uuid kPilotRegistrationNamespace{
    std::array<std::uint8_t, 16>{0x6b, 0x0a, 0x5d, 0x1e, 0x3c, 0x2f, 0x4a, 0x77, 0x9e, 0x61, 0x0b,
                                 0xa1, 0xa1, 0x20, 0x27, 0x01}};

struct PilotOptions {
  // The pilot starts where there is room for several classes at once: central and
  // regional BLK and PLUT, 300 of them, bringing the most trainees within 50 km.
  SiteSelectionOptions sites{
      .sites = 300,
      .radius_km = 50.0,
      .kinds = {FacilityKind::uptp, FacilityKind::uptd, FacilityKind::plut},
  };
  // At least this many sites in every province that has candidates, unless sites.minimums
  // names the province (0: none). The program trains "simultaneously across the country".
  int min_sites_per_province = 1;
  // Its capacity, when given, is per facility; the facilities not selected get none.
  AllocationOptions allocation{};
  TimetableOptions timetable{};
  ForecastOptions forecast{};
  // Registration ids are version-5 UUIDs of the trainee ids in this namespace.
  Uuid registration_namespace = kPilotRegistrationNamespace;

  friend bool operator==(const PilotOptions&, const PilotOptions&) = default;
};

struct PilotPlan {
  PilotOptions options{};
  SiteSelection sites{};
  Allocation allocation{};
  Timetable timetable{};
  Roster roster{};
  std::vector<double> distance_km{};  // per registration: the allocation's travel distance
  Forecast forecast{};
};

// The capacity per facility that allocation may use: the options' capacity (or the
// phase's, as allocation derives it) at the selected sites, none elsewhere.
[[nodiscard]] std::vector<int> selected_capacity(const Dataset& dataset, const SiteSelection& sites,
                                                 const AllocationOptions& options);

// The site selection options plan_pilot uses: options.sites with the per-province
// minimums added for the provinces that have candidate facilities.
[[nodiscard]] SiteSelectionOptions pilot_site_options(const Dataset& dataset,
                                                      const PilotOptions& options);

// Per registration (roster order): the allocation's travel distance of its trainee, which
// plan_pilot hands the forecast for its segments.
[[nodiscard]] std::vector<double> registration_distances(const Allocation& allocation,
                                                         const Roster& roster);

// Progress reports the stages of each step in turn. ValidationError for bad options (every
// step's options are checked before the first step runs).
[[nodiscard]] PilotPlan plan_pilot(const Dataset& dataset, const PilotOptions& options = {},
                                   const ProgressCallback& progress = {});

}  // namespace balai
