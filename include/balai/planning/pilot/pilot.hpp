// The pilot plan end to end, as one call: choose the sites, allocate the trainees among
// them, timetable the classes, register the fully timetabled trainees and forecast how
// many will complete. Each step is also a function of its own (site_selection.hpp,
// allocation.hpp, timetable.hpp, forecast.hpp), and plan_pilot makes each plan with the
// constraints of the steps after it: sites are facilities that can host a track, a place
// is a seat in a class the scheduler can run (timetable_capacity), and between allocation
// and timetable it consolidates in rounds (docs/pilot.md, "Consolidation"): a group below
// the class minimum is closed so its trainees join a class nearby, trainees left over from
// full classes or out of teaching days move elsewhere, sites that gather no class make room
// for candidates where enough unplaced trainees live. `pilot_bound` says how many trainees
// any plan could fully timetable, so a plan's figures can be judged against it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/forecast/forecast.hpp"
#include "balai/planning/progress.hpp"
#include "balai/planning/sites/site_selection.hpp"
#include "balai/planning/timetable/timetable.hpp"
#include "balai/tracking/roster.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// The default namespace of pilot registration ids, 6b0a5d1e-3c2f-4a77-9e61-0ba1a1202701: a
// fixed random UUID, so a trainee keeps their registration id from one plan to the next.
inline constexpr Uuid kPilotRegistrationNamespace{
    std::array<std::uint8_t, 16>{0x6b, 0x0a, 0x5d, 0x1e, 0x3c, 0x2f, 0x4a, 0x77, 0x9e, 0x61, 0x0b,
                                 0xa1, 0xa1, 0x20, 0x27, 0x01}};

struct PilotOptions {
  // The pilot starts where there is room for several classes at once: central and
  // regional BLK and PLUT, at most 300 of them (fewer when fewer can host a track or
  // gather a class), bringing the most trainees within 50 km.
  SiteSelectionOptions sites{
      .sites = 300,
      .radius_km = 50.0,
      .kinds = {FacilityKind::uptp, FacilityKind::uptd, FacilityKind::plut},
  };
  // At least this many sites in every province that has candidates, unless sites.minimums
  // names the province (0: none). The program trains "simultaneously across the country".
  int min_sites_per_province = 1;
  // Its capacity, when given, is per facility (the pilot takes the smaller of it and the
  // timetable's places); the facilities not selected get none.
  AllocationOptions allocation{};
  TimetableOptions timetable{};
  ForecastOptions forecast{};
  // Registration ids are version-5 UUIDs of the trainee ids in this namespace.
  Uuid registration_namespace = kPilotRegistrationNamespace;
  // Rounds of allocation and timetable at most while consolidating; each costs one
  // allocation and one timetable. 0: allocate and timetable once, as they come.
  int max_rounds = 100;

  friend bool operator==(const PilotOptions&, const PilotOptions&) = default;
};

// How many trainees any pilot plan under the options could fully timetable, with the
// counts it is made of. A trainee counts in `with_class` when some candidate site within
// range can host their track and, for each module of it, enough trainees within range of
// that site need the module to make a class. `seated` is the most of those that the
// candidates' seats hold together (a maximum flow, every candidate open at
// TimetableCapacity::most), which lets a trainee count towards a class at one site while
// going to another. `grouped` never does: a track's most exclusive module needs class_min
// of the trainees who can attend it at the site, each allocated there, and seats no more
// than its classes of min(class_max, seats per room) hold; it is the most trainees such
// sites can gather, solved exactly per region where the region is small (`grouped_exact`)
// and bounded by everyone in reach where it is not (docs/pilot.md).
// `bound` is the smaller of the two. The site budget (`sites.sites`) is part of neither:
// with fewer sites than candidates, the bound is that of opening them all.
struct PilotBound {
  std::int64_t trainees = 0;
  std::int64_t in_reach = 0;    // a candidate site that can host the track within range
  std::int64_t with_class = 0;  // ... and enough others in range to make each class
  std::int64_t seated = 0;      // ... and seats for them all at once
  std::int64_t grouped = 0;     // classes of the most exclusive modules, one site each
  bool grouped_exact = true;    // `grouped` is attained by some choice of sites
  std::int64_t bound = 0;       // min(seated, grouped)

  friend bool operator==(const PilotBound&, const PilotBound&) = default;
};

struct PilotPlan {
  PilotOptions options{};
  SiteSelection sites{};  // the sites with at least one class
  Allocation allocation{};
  Timetable timetable{};
  Roster roster{};                    // one registration per fully timetabled trainee
  std::vector<double> distance_km{};  // per registration: the allocation's travel distance
  Forecast forecast{};
  PilotBound bound{};
  int rounds = 0;  // the consolidation round the plan comes from (at most options.max_rounds)

  // Trainees with every module of their track timetabled: the roster's registrations.
  [[nodiscard]] std::int64_t timetabled() const;
};

// The capacity per facility that allocation may use: the options' capacity (or the
// phase's, as allocation derives it) at the selected sites, none elsewhere.
[[nodiscard]] std::vector<int> selected_capacity(const Dataset& dataset, const SiteSelection& sites,
                                                 const AllocationOptions& options);

// The site selection options plan_pilot uses: options.sites with at most as many sites as
// there are candidates, and the per-province minimums added for the provinces that have
// candidate facilities.
[[nodiscard]] SiteSelectionOptions pilot_site_options(const Dataset& dataset,
                                                      const PilotOptions& options);

// The candidate sites plan_pilot chooses among: site_candidates (facilities of the kinds,
// active in the phase, able to host every module of a track) with places in the
// timetable's window (timetable_capacity).
[[nodiscard]] std::vector<FacilityIndex> pilot_candidates(const Dataset& dataset,
                                                          const PilotOptions& options);

// The bound on fully timetabled trainees (see PilotBound). ValidationError for bad options.
[[nodiscard]] PilotBound pilot_bound(const Dataset& dataset, const PilotOptions& options = {});

// Per registration (roster order): the allocation's travel distance of its trainee, which
// plan_pilot hands the forecast for its segments.
[[nodiscard]] std::vector<double> registration_distances(const Allocation& allocation,
                                                         const Roster& roster);

// plan_pilot without the forecast (left empty): the bound, the sites, the consolidated
// allocation and timetable, the roster and the distances. The Dask scale-out runs it as one
// task (consolidation couples every step before the forecast) and the forecast in parts.
[[nodiscard]] PilotPlan schedule_pilot(const Dataset& dataset, const PilotOptions& options = {},
                                       const ProgressCallback& progress = {});

// Progress reports the stages of each step in turn. ValidationError for bad options (every
// step's options are checked before the first step runs).
[[nodiscard]] PilotPlan plan_pilot(const Dataset& dataset, const PilotOptions& options = {},
                                   const ProgressCallback& progress = {});

}  // namespace balai
BALAI_EXPORT_END
