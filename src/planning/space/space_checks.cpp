// What a valid inventory and a valid request are: check() on each, every problem naming
// the resource or request, the field and the value.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "balai/core/text.hpp"
#include "balai/model/nik.hpp"
#include "balai/model/places.hpp"
#include "balai/planning/space/space.hpp"
#include "space_names.hpp"

namespace balai {
namespace {

using detail::describe_resource;

bool is_kind(ResourceKind kind) noexcept {
  return static_cast<std::size_t>(kind) < EnumNames<ResourceKind>::names.size();
}

// Why `label` does not suit `kind`, or std::nullopt when it does.
std::optional<std::string> label_fault(ResourceKind kind, const std::string& label) {
  switch (kind) {
    case ResourceKind::workshop:
      if (is_feature_tag(label)) return std::nullopt;
      return "a workshop is labelled by a feature tag: 1-40 characters of a-z, 0-9 and _";
    case ResourceKind::production:
      if (label.size() == 2 && std::isdigit(static_cast<unsigned char>(label[0])) != 0 &&
          std::isdigit(static_cast<unsigned char>(label[1])) != 0) {
        return std::nullopt;
      }
      return "production is labelled by a KBLI 2020 division: two digits";
    case ResourceKind::mentoring:
    case ResourceKind::storage:
    case ResourceKind::display:
      if (label.empty()) return std::nullopt;
      return "a " + std::string(name_of(kind)) + " resource takes no label";
  }
  return std::nullopt;  // an unknown kind is reported on its own
}

// One problem for the first week of `values` that breaks `bad`, counting the others, so a
// broken list of 520 weeks reads as one line; `rule(w)` says what week w breaks.
template <class Bad, class Rule>
void check_weeks(std::vector<Problem>& problems, const std::string& where, const char* field,
                 const std::vector<int>& values, Bad bad, Rule rule) {
  std::optional<std::size_t> first;
  std::size_t count = 0;
  for (std::size_t w = 0; w < values.size(); ++w) {
    if (!bad(w)) continue;
    if (!first) first = w;
    ++count;
  }
  if (!first) return;
  std::string message = "week " + std::to_string(*first) + ": " + rule(*first);
  if (count > 1) message += " (and " + std::to_string(count - 1) + " more weeks)";
  problems.push_back({where, field, std::to_string(values[*first]), std::move(message)});
}

void check_amounts(std::vector<Problem>& problems, const std::string& where, const char* field,
                   const std::vector<int>& values) {
  check_weeks(
      problems, where, field, values,
      [&](std::size_t w) { return values[w] < 0 || values[w] > kMaxSpaceAmount; },
      [](std::size_t) { return "must be between 0 and " + std::to_string(kMaxSpaceAmount); });
}

void check_resource(std::vector<Problem>& problems, const SpaceInventory& inventory,
                    std::size_t r) {
  const Resource& resource = inventory.resources[r];
  const std::string where = describe_resource(inventory, r);
  if (resource.site >= inventory.sites.size()) {
    problems.push_back({where, "site", std::to_string(resource.site),
                        "names no site (" + std::to_string(inventory.sites.size()) + " sites)"});
  }
  if (!is_kind(resource.kind)) {
    problems.push_back({where, "kind", std::to_string(static_cast<int>(resource.kind)),
                        "expected one of " + allowed_names<ResourceKind>()});
  } else if (auto fault = label_fault(resource.kind, resource.label)) {
    problems.push_back({where, "label", printable(resource.label), std::move(*fault)});
  }
  const auto weeks = static_cast<std::size_t>(std::max(inventory.weeks, 0));
  if (resource.capacity.size() != weeks) {
    problems.push_back({where, "capacity", std::to_string(resource.capacity.size()) + " weeks",
                        "must list the window's " + std::to_string(weeks) + " weeks"});
  }
  check_amounts(problems, where, "capacity", resource.capacity);
  if (resource.training.empty()) return;
  if (resource.training.size() != weeks) {
    problems.push_back({where, "training", std::to_string(resource.training.size()) + " weeks",
                        "must be empty or list the window's " + std::to_string(weeks) + " weeks"});
  }
  check_amounts(problems, where, "training", resource.training);
  check_weeks(
      problems, where, "training", resource.training,
      [&](std::size_t w) {
        return w < resource.capacity.size() && resource.training[w] > resource.capacity[w];
      },
      [&](std::size_t w) {
        return "training uses more than the capacity of " + std::to_string(resource.capacity[w]);
      });
}

}  // namespace

std::vector<Problem> check(const SpaceInventory& inventory) {
  std::vector<Problem> problems;
  if (inventory.start.weekday() != 1) {
    problems.push_back(
        {"inventory", "start", inventory.start.to_string(), "the window starts on a Monday"});
  }
  if (inventory.weeks < 1 || inventory.weeks > kMaxSpaceWeeks) {
    problems.push_back({"inventory", "weeks", std::to_string(inventory.weeks),
                        "must be between 1 and " + std::to_string(kMaxSpaceWeeks)});
  }
  for (std::size_t s = 0; s < inventory.sites.size(); ++s) {
    const SpaceSite& site = inventory.sites[s];
    const std::string where = "site " + std::to_string(s);
    if (site.facility.empty() || !is_clean_text(site.facility)) {
      problems.push_back({where, "facility", printable(site.facility),
                          "must be a facility id: non-empty, clean UTF-8"});
    }
    if (!is_province_code(site.province)) {
      problems.push_back({where, "province", site.province.to_string(), "not a province code"});
    }
    if (auto outside = outside_indonesia(site.location)) {
      outside->where = where;
      problems.push_back(std::move(*outside));
    }
  }
  // (site, kind, label) -> the first resource holding it.
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t r = 0; r < inventory.resources.size(); ++r) {
    check_resource(problems, inventory, r);
    const Resource& resource = inventory.resources[r];
    const std::string key = std::to_string(resource.site) + '/' +
                            std::to_string(static_cast<int>(resource.kind)) + '/' + resource.label;
    if (auto [it, fresh] = seen.emplace(key, r); !fresh) {
      problems.push_back({describe_resource(inventory, r), "label", printable(resource.label),
                          "resource " + std::to_string(it->second) +
                              " already offers this kind and label at the site"});
    }
  }
  return problems;
}

std::vector<Problem> check(const SpaceRequest& request) {
  std::vector<Problem> problems;
  const auto fail = [&](const char* field, std::string value, std::string message) {
    problems.push_back({"", field, std::move(value), std::move(message)});
  };
  // Bounded so that a booking id "<request id>/<n>" stays a readable reference.
  if (request.id.empty() || request.id.size() > 64 || !is_clean_text(request.id)) {
    fail("id", hide_niks(printable(request.id)), "must be 1-64 bytes of clean UTF-8");
  } else if (holds_nik(request.id)) {
    fail("id", hide_niks(request.id), "holds a NIK: an id must not carry personal data");
  }
  if (request.business.empty() || !is_clean_text(request.business)) {
    fail("business", hide_niks(printable(request.business)), "must be non-empty clean UTF-8");
  } else if (holds_nik(request.business)) {
    fail("business", hide_niks(request.business),
         "holds a NIK: a business id must not carry personal data");
  }
  if (request.priority < 0 || request.priority > kMaxSpacePriority) {
    fail("priority", std::to_string(request.priority),
         "must be between 0 and " + std::to_string(kMaxSpacePriority));
  }
  if (!is_kind(request.kind)) {
    fail("kind", std::to_string(static_cast<int>(request.kind)),
         "expected one of " + allowed_names<ResourceKind>());
  } else if (auto fault = label_fault(request.kind, request.label)) {
    fail("label", printable(request.label), std::move(*fault));
  }
  if (request.amount < 1 || request.amount > kMaxSpaceAmount) {
    fail("amount", std::to_string(request.amount),
         "must be between 1 and " + std::to_string(kMaxSpaceAmount));
  }
  // No window is longer than kMaxSpaceWeeks, so these bounds also keep first_week + weeks
  // far from overflow for the allocator's window check.
  if (request.first_week < 0 || request.first_week >= kMaxSpaceWeeks) {
    fail("first_week", std::to_string(request.first_week),
         "must be a week between 0 and " + std::to_string(kMaxSpaceWeeks - 1));
  }
  if (request.weeks < 1 || request.weeks > kMaxSpaceWeeks) {
    fail("weeks", std::to_string(request.weeks),
         "must be between 1 and " + std::to_string(kMaxSpaceWeeks));
  }
  if (!std::isfinite(request.max_distance_km) || request.max_distance_km <= 0.0) {
    fail("max_distance_km", printable(request.max_distance_km), "must be a distance above 0 km");
  }
  if (auto outside = outside_indonesia(request.location)) problems.push_back(std::move(*outside));
  if (!is_province_code(request.province)) {
    fail("province", request.province.to_string(), "not a province code");
  }
  const std::string where = "request " + hide_niks(printable(request.id, 64));
  for (auto& problem : problems) problem.where = where;
  return problems;
}

}  // namespace balai
