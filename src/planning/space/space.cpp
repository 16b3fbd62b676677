// The shared-space model's plain facts: units, the window's weeks, free capacity, the
// sites a dataset's facilities give, and how problems name a resource.
#include "balai/planning/space/space.hpp"

#include <string>

#include "balai/core/text.hpp"
#include "space_names.hpp"

namespace balai {
namespace detail {

std::string describe_resource(const SpaceInventory& inventory, std::size_t r) {
  const Resource& resource = inventory.resources[r];
  std::string text = "resource " + std::to_string(r) + " (";
  text += resource.site < inventory.sites.size()
              ? printable(inventory.sites[resource.site].facility, 64)
              : "site " + std::to_string(resource.site);
  text.append(" ").append(name_of(resource.kind));
  if (!resource.label.empty()) text.append(":").append(printable(resource.label, 40));
  return text + ")";
}

}  // namespace detail

std::string_view unit_of(ResourceKind kind) noexcept {
  switch (kind) {
    case ResourceKind::workshop:
    case ResourceKind::mentoring: return "hours";
    case ResourceKind::production: return "slots";
    case ResourceKind::storage:
    case ResourceKind::display: return "m2";
  }
  return "?";
}

// Tolerant of an inventory that does not check (verify runs on any): a week a list does
// not reach counts as nothing.
int SpaceInventory::free(std::size_t resource, int week) const {
  if (resource >= resources.size() || week < 0) return 0;
  const Resource& r = resources[resource];
  const auto w = static_cast<std::size_t>(week);
  const int capacity = w < r.capacity.size() ? r.capacity[w] : 0;
  const int training = w < r.training.size() ? r.training[w] : 0;
  return std::max(capacity - training, 0);
}

std::optional<int> SpaceInventory::week_of(Date date) const {
  const std::int32_t days = date - start;
  if (days < 0 || days >= 7 * weeks) return std::nullopt;
  return days / 7;
}

SpaceInventory space_sites(const Dataset& dataset, Date start, int weeks) {
  SpaceInventory inventory;
  inventory.start = start;
  inventory.weeks = weeks;
  if (auto problems = check(inventory); !problems.empty()) throw ValidationError(problems);
  for (const Facility& facility : dataset.facilities()) {
    inventory.sites.push_back({facility.id, facility.kind, facility.location, facility.province});
  }
  return inventory;
}

}  // namespace balai
