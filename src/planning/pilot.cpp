// The pilot chain: each step's value feeds the next; nothing is shared but the dataset.
#include "balai/planning/pilot.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

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
  add(check(options.allocation), "allocation options");
  add(check(options.timetable), "timetable options");
  add(check(options.forecast), "forecast options");
  if (!problems.empty()) throw ValidationError(std::move(problems));
  check(options.allocation, dataset);
}

}  // namespace

SiteSelectionOptions pilot_site_options(const Dataset& dataset, const PilotOptions& options) {
  SiteSelectionOptions sites = options.sites;
  if (options.min_sites_per_province == 0) return sites;
  // Candidates per province; a province with fewer than the minimum gets them all.
  std::map<ProvinceCode, int> candidates;
  for (const FacilityIndex f : site_candidates(dataset, sites)) {
    ++candidates[dataset.facility(f).province];
  }
  for (const auto& minimum : options.sites.minimums) candidates.erase(minimum.province);
  for (const auto& [province, count] : candidates) {
    sites.minimums.push_back({province, std::min(count, options.min_sites_per_province)});
  }
  return sites;
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

PilotPlan plan_pilot(const Dataset& dataset, const PilotOptions& options,
                     const ProgressCallback& progress) {
  check_all(options, dataset);
  PilotPlan plan;
  plan.options = options;
  plan.sites = select_sites(dataset, pilot_site_options(dataset, options), progress);

  AllocationOptions allocation = options.allocation;
  allocation.capacity = selected_capacity(dataset, plan.sites, options.allocation);
  plan.allocation = allocate(dataset, allocation, progress);

  plan.timetable = timetable(dataset, plan.allocation, options.timetable);
  plan.roster = timetable_roster(dataset, plan.timetable, options.registration_namespace);
  plan.distance_km = registration_distances(plan.allocation, plan.roster);
  plan.forecast = forecast(dataset, plan.roster, plan.distance_km, options.forecast, progress);
  return plan;
}

}  // namespace balai
