// Lazy views over a Dataset's entities, on range-v3: the common selections without
// building vectors. Each element is an Entry, the entity's strong index beside a
// reference to it; the views borrow the dataset, which must outlive them.
//
//   for (const auto& [index, trainee] : balai::views::trainees_in_province(dataset, 32)) ...
//   auto blk = balai::views::facilities_of_kind(dataset, balai::FacilityKind::uptd)
//            | ranges::to<std::vector>();
//
// range-v3 rather than std::ranges here: C++20 has no enumerate (C++23 does), and the
// views compose with range-v3's chunk, group_by and to, which C++20 also lacks.
#pragma once

#include <cstdint>
#include <range/v3/view/enumerate.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/transform.hpp>
#include <span>

#include "balai/core/export.hpp"
#include "balai/model/dataset.hpp"

BALAI_EXPORT_BEGIN
namespace balai::views {

// An entity with its index in the dataset.
template <class Index, class Entity>
struct Entry {
  Index index;
  const Entity& value;
};

namespace detail {

// The entities of `all` with their indices, where keep(entity).
template <class Index, class Entity, class Keep>
auto entries_where(std::span<const Entity> all, Keep keep) {
  return ranges::views::enumerate(all) |
         ranges::views::filter([keep](const auto& pair) { return keep(pair.second); }) |
         ranges::views::transform([](const auto& pair) {
           return Entry<Index, Entity>{Index(static_cast<std::uint32_t>(pair.first)), pair.second};
         });
}

}  // namespace detail

// The trainees living in the province, in dataset order.
[[nodiscard]] inline auto trainees_in_province(const Dataset& dataset, ProvinceCode province) {
  return detail::entries_where<TraineeIndex>(
      dataset.trainees(), [province](const Trainee& t) { return t.province == province; });
}

// The trainees living in the regency, in dataset order.
[[nodiscard]] inline auto trainees_in_regency(const Dataset& dataset, RegencyCode regency) {
  return detail::entries_where<TraineeIndex>(
      dataset.trainees(), [regency](const Trainee& t) { return t.regency == regency; });
}

// The facilities of one kind, in dataset order.
[[nodiscard]] inline auto facilities_of_kind(const Dataset& dataset, FacilityKind kind) {
  return detail::entries_where<FacilityIndex>(dataset.facilities(),
                                              [kind](const Facility& f) { return f.kind == kind; });
}

// The facilities in the province, in dataset order.
[[nodiscard]] inline auto facilities_in_province(const Dataset& dataset, ProvinceCode province) {
  return detail::entries_where<FacilityIndex>(
      dataset.facilities(), [province](const Facility& f) { return f.province == province; });
}

}  // namespace balai::views
BALAI_EXPORT_END
