// The pilot chain: options checked, the candidate network and the bound, site selection,
// consolidation (allocation and timetable in rounds), roster and forecast.
#include "balai/planning/pilot/pilot.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <utility>

#include "../../core/parallel.hpp"
#include "pilot_class_groups.hpp"

namespace balai {
namespace {

// Every step's options, checked before the first step runs, so a bad forecast option does
// not surface only after minutes of planning.
void check_all(const PilotOptions& options, const Dataset& dataset) {
  std::vector<Problem> problems;
  const auto add = [&](std::vector<Problem> more, const char* step) {
    for (auto& problem : more) {
      if (problem.where.empty()) problem.where = step;
      problems.push_back(std::move(problem));
    }
  };
  add(check(options.sites), "site selection options");
  if (options.min_sites_per_province < 0) {
    problems.push_back({"pilot options", "min_sites_per_province",
                        std::to_string(options.min_sites_per_province), "must be at least 0"});
  }
  if (options.max_rounds < 0) {
    problems.push_back(
        {"pilot options", "max_rounds", std::to_string(options.max_rounds), "must be at least 0"});
  }
  add(check(options.allocation), "allocation options");
  add(check(options.timetable), "timetable options");
  add(check(options.forecast), "forecast options");
  if (!problems.empty()) throw ValidationError(std::move(problems));
  check(options.allocation, dataset);
}

// options.sites for these candidates: at most one site per candidate, and the per-province
// minimums for the provinces that have candidates (a province with fewer than the minimum
// gets them all), unless options.sites names the province itself.
SiteSelectionOptions site_options(const PilotOptions& options, const Dataset& dataset,
                                  std::span<const FacilityIndex> candidates) {
  SiteSelectionOptions sites = options.sites;
  sites.sites = std::max(1, std::min(sites.sites, static_cast<int>(candidates.size())));
  if (options.min_sites_per_province == 0) return sites;
  std::map<ProvinceCode, int> per_province;
  for (const FacilityIndex f : candidates) ++per_province[dataset.facility(f).province];
  for (const auto& minimum : options.sites.minimums) per_province.erase(minimum.province);
  for (const auto& [province, count] : per_province) {
    sites.minimums.push_back({province, std::min(count, options.min_sites_per_province)});
  }
  return sites;
}

// Consolidation is a local search, so where it ends depends on where it starts. It starts
// from the site selection at the whole budget, its half, quarter and eighth (no fewer
// than the provinces' minimums), each consolidating within the whole budget; the plan is
// the start's that fully timetables the most trainees, the earlier start on a tie. Smaller
// starts open the densest places and let the rounds add the rest. A last start opens the
// class groups' best choice (pilot_class_groups.hpp) with the trainees who make its
// classes pinned there: the rounds alone miss such choices where trainees are sparse, and
// where the groups are exact (small pilots) it reaches the bound when seats and calendar
// allow (bench/README.md, "bench_pilot"). Without rounds (max_rounds = 0) there is one
// start: the chain as it comes.
constexpr int kSelectionStarts = 4;

struct Start {
  int budget = 0;                     // sites to select, when `open` is empty
  std::vector<std::uint32_t> open{};  // else: the sites it opens
  std::vector<std::int32_t> pins{};   // and the trainees they hold (consolidate)
};

std::vector<Start> starts_of(const PilotOptions& options, const SiteSelectionOptions& sites,
                             const detail::ClassGroups& groups) {
  int fewest = 0;  // a start must leave room for the provinces' minimums
  for (const SiteMinimum& minimum : sites.minimums) fewest += minimum.min_sites;
  fewest = std::max(fewest, 1);
  std::vector<Start> starts{{.budget = sites.sites}};
  if (options.max_rounds == 0) return starts;
  for (int start = 1; start < kSelectionStarts; ++start) {
    const int budget = std::max(sites.sites >> start, fewest);
    if (budget < starts.back().budget) starts.push_back({.budget = budget});
  }
  if (!groups.sites.empty() && std::cmp_less_equal(groups.sites.size(), sites.sites)) {
    starts.push_back({.open = groups.sites, .pins = groups.pin});
  }
  return starts;
}

// The starts run side by side, one per core; the user's callback is called one report at
// a time, and once it asks to stop, every start stops.
std::pair<SiteSelection, detail::Consolidated> consolidate_from_starts(
    const Dataset& dataset, const PilotOptions& options, const detail::PilotNetwork& network,
    const SiteSelectionOptions& sites, const detail::ClassGroups& groups,
    const ProgressCallback& progress) {
  if (network.candidates.empty()) {
    return {with_open_sites(dataset, SiteSelection{.options = sites}, {}, {}),
            detail::consolidate(dataset, options, network, {}, {}, sites.sites, progress)};
  }
  std::mutex reporting;
  bool stopped = false;
  ProgressCallback one_at_a_time;
  if (progress) {
    one_at_a_time = [&](const Progress& report) {
      const std::scoped_lock lock(reporting);
      stopped = stopped || !progress(report);
      return !stopped;
    };
  }
  const std::vector<Start> starts = starts_of(options, sites, groups);
  std::vector<std::pair<SiteSelection, detail::Consolidated>> ends(starts.size());
  std::atomic<std::size_t> next{0};
  detail::run_on_threads(std::min(detail::worker_count(), starts.size()), [&] {
    for (std::size_t start = next++; start < starts.size(); start = next++) {
      SiteSelection selection{.options = sites};
      if (starts[start].open.empty()) {
        SiteSelectionOptions chosen = sites;
        chosen.sites = starts[start].budget;
        selection = select_sites(dataset, chosen, network.candidates, one_at_a_time);
        selection.options = sites;
      }
      const auto& open = starts[start].open.empty() ? selection.selected : starts[start].open;
      auto consolidated = detail::consolidate(dataset, options, network, open, starts[start].pins,
                                              sites.sites, one_at_a_time);
      ends[start] = {std::move(selection), std::move(consolidated)};
    }
  });
  const auto complete = [](const auto& end) {
    return std::ranges::count(end.second.timetable.complete, true);
  };
  // max_element keeps the first of equals: the earlier start on a tie.
  return std::move(*std::ranges::max_element(
      ends, [&](const auto& a, const auto& b) { return complete(a) < complete(b); }));
}

}  // namespace

std::vector<FacilityIndex> pilot_candidates(const Dataset& dataset, const PilotOptions& options) {
  auto candidates = site_candidates(dataset, options.sites);
  const auto places = timetable_capacity(dataset, options.timetable);
  std::erase_if(candidates, [&](FacilityIndex f) { return places[f.pos()].places == 0; });
  return candidates;
}

SiteSelectionOptions pilot_site_options(const Dataset& dataset, const PilotOptions& options) {
  return site_options(options, dataset, pilot_candidates(dataset, options));
}

std::vector<int> selected_capacity(const Dataset& dataset, const SiteSelection& sites,
                                   const AllocationOptions& options) {
  const auto everywhere = phase_capacity(dataset, options);
  std::vector<int> capacity(everywhere.size(), 0);
  for (const auto site : sites.selected) {
    if (site >= capacity.size()) {
      throw ValidationError(Problem{"site selection", "selected", std::to_string(site),
                                    "is not a facility of the dataset"});
    }
    capacity[site] = everywhere[site];
  }
  return capacity;
}

std::vector<double> registration_distances(const Allocation& allocation, const Roster& roster) {
  std::vector<double> distances;
  distances.reserve(roster.registration_count());
  for (const auto& entry : roster.entries()) {
    if (entry.trainee.pos() >= allocation.distance_km.size()) {
      throw ValidationError(Problem{
          "registration_distances", "roster", std::to_string(entry.trainee.value()),
          "a trainee index past the allocation's " + std::to_string(allocation.distance_km.size()) +
              " trainees: the roster is of another dataset"});
    }
    distances.push_back(allocation.distance_km[entry.trainee.pos()]);
  }
  return distances;
}

PilotBound pilot_bound(const Dataset& dataset, const PilotOptions& options) {
  check_all(options, dataset);
  const detail::PilotNetwork network = detail::pilot_network(dataset, options, {});
  return detail::bound_of(dataset, options, network,
                          detail::class_groups(dataset, options, network));
}

std::int64_t PilotPlan::timetabled() const {
  return static_cast<std::int64_t>(roster.registration_count());
}

PilotPlan schedule_pilot(const Dataset& dataset, const PilotOptions& options,
                         const ProgressCallback& progress) {
  check_all(options, dataset);
  const detail::PilotNetwork network = detail::pilot_network(dataset, options, progress);
  PilotPlan plan;
  plan.options = options;
  const detail::ClassGroups groups = detail::class_groups(dataset, options, network);
  plan.bound = detail::bound_of(dataset, options, network, groups);

  const SiteSelectionOptions sites = site_options(options, dataset, network.candidates);
  auto [selection, consolidated] =
      consolidate_from_starts(dataset, options, network, sites, groups, progress);
  plan.sites =
      with_open_sites(dataset, std::move(selection), network.candidates, consolidated.sites);
  plan.allocation = std::move(consolidated.allocation);
  plan.timetable = std::move(consolidated.timetable);
  plan.rounds = consolidated.rounds;

  plan.roster = timetable_roster(dataset, plan.timetable, options.registration_namespace);
  plan.distance_km = registration_distances(plan.allocation, plan.roster);
  return plan;
}

PilotPlan plan_pilot(const Dataset& dataset, const PilotOptions& options,
                     const ProgressCallback& progress) {
  PilotPlan plan = schedule_pilot(dataset, options, progress);
  plan.forecast = forecast(dataset, plan.roster, plan.distance_km, options.forecast, progress);
  return plan;
}

}  // namespace balai
