// What the timetable's classes take of an inventory: workshop hours for modules that need
// the workshop's feature, and PLUT mentor hours for every class held at a PLUT site.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "balai/core/text.hpp"
#include "balai/planning/space/space.hpp"
#include "balai/planning/timetable/timetable.hpp"

namespace balai {
namespace {

// Past any capacity, so a week that needs more still reads as too much after the cast.
constexpr std::int64_t kMaxHours = std::int64_t{kMaxSpaceAmount} + 1;

void require_sites_of(const SpaceInventory& inventory, const Dataset& dataset) {
  const auto facilities = dataset.facilities();
  if (inventory.sites.size() != facilities.size()) {
    throw ValidationError(Problem{"inventory", "sites", std::to_string(inventory.sites.size()),
                                  "the dataset has " + std::to_string(facilities.size()) +
                                      " facilities; the sites must be those, in order"});
  }
  for (std::size_t s = 0; s < facilities.size(); ++s) {
    if (inventory.sites[s].facility != facilities[s].id) {
      throw ValidationError(
          Problem{"site " + std::to_string(s), "facility", inventory.sites[s].facility,
                  "the dataset's facility " + std::to_string(s) + " is " + facilities[s].id});
    }
  }
}

// The resources training can use at each site: its workshops by feature tag and its
// mentoring, if any.
struct SiteResources {
  std::unordered_map<std::string, std::size_t> workshops;
  std::optional<std::size_t> mentoring;
};

std::vector<SiteResources> index_sites(const SpaceInventory& inventory) {
  std::vector<SiteResources> sites(inventory.sites.size());
  for (std::size_t r = 0; r < inventory.resources.size(); ++r) {
    const Resource& resource = inventory.resources[r];
    SiteResources& site = sites[resource.site];
    if (resource.kind == ResourceKind::workshop) site.workshops.emplace(resource.label, r);
    if (resource.kind == ResourceKind::mentoring) site.mentoring = r;
  }
  return sites;
}

}  // namespace

SpaceInventory with_training(SpaceInventory inventory, const Dataset& dataset,
                             const Timetable& timetable) {
  if (auto problems = check(inventory); !problems.empty()) throw ValidationError(problems);
  require_sites_of(inventory, dataset);
  const auto weeks = static_cast<std::size_t>(inventory.weeks);
  const std::vector<SiteResources> sites = index_sites(inventory);
  const std::int64_t session_minutes = std::int64_t{timetable.options.session_jp} * kMinutesPerJp;

  std::vector<std::int64_t> minutes(inventory.resources.size() * weeks, 0);
  for (const ScheduledCohort& cohort : timetable.cohorts) {
    if (cohort.facility.pos() >= sites.size() || cohort.module.pos() >= dataset.modules().size()) {
      throw ValidationError(Problem{"timetable", "cohorts", printable(cohort.code, 64),
                                    "names a facility or module the dataset does not have"});
    }
    const SiteResources& site = sites[cohort.facility.pos()];
    std::vector<std::size_t> used;
    for (const auto& tag : dataset.module(cohort.module).required_features) {
      if (auto it = site.workshops.find(tag); it != site.workshops.end()) {
        used.push_back(it->second);
      }
    }
    if (site.mentoring) used.push_back(*site.mentoring);
    for (Date date : cohort.sessions) {
      const auto week = inventory.week_of(date);
      if (!week) continue;
      for (std::size_t r : used)
        minutes[r * weeks + static_cast<std::size_t>(*week)] += session_minutes;
    }
  }

  for (std::size_t r = 0; r < inventory.resources.size(); ++r) {
    Resource& resource = inventory.resources[r];
    resource.training.clear();
    if (resource.kind != ResourceKind::workshop && resource.kind != ResourceKind::mentoring) {
      continue;
    }
    for (std::size_t w = 0; w < weeks; ++w) {
      const std::int64_t hours = (minutes[r * weeks + w] + 59) / 60;
      resource.training.push_back(static_cast<int>(std::min<std::int64_t>(hours, kMaxHours)));
    }
  }
  // The inventory was sound, so whatever check finds now is training beyond capacity,
  // named by resource and week the one way the model names them.
  if (auto problems = check(inventory); !problems.empty()) throw ValidationError(problems);
  return inventory;
}

}  // namespace balai
