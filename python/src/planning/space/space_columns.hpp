// Shared-space tables as numpy columns (space_columns.cpp), for register_space.cpp.
#pragma once

#include "../../bindings.hpp"  // first: the shared type casters

#include <tuple>
#include <vector>

#include "../../value_class.hpp"
#include "balai/planning/space/space.hpp"
#include "balai/planning/space/space_allocation.hpp"

namespace balai::python {

// Each a dict of column name -> numpy array or list, one entry per row.
[[nodiscard]] py::dict site_columns(const SpaceInventory& inventory);
[[nodiscard]] py::dict resource_columns(const SpaceInventory& inventory);
[[nodiscard]] py::dict request_columns(const std::vector<SpaceRequest>& requests);
[[nodiscard]] py::dict booking_columns(const std::vector<Booking>& bookings);
[[nodiscard]] py::dict outcome_columns(const std::vector<RequestOutcome>& outcomes);
[[nodiscard]] py::dict utilisation_columns(const SpaceInventory& inventory,
                                           const std::vector<Booking>& bookings);

// Bookings and outcomes from the columns above in a pickled state; FormatError naming the
// column when one is missing or the lengths disagree.
[[nodiscard]] std::vector<Booking> bookings_of(const py::handle& state);
[[nodiscard]] std::vector<RequestOutcome> outcomes_of(const py::handle& state);

// SpaceRequest's fields, in the order its constructor and the request columns take them.
inline auto request_fields() {
  return std::make_tuple(
      field("id", &SpaceRequest::id), field("business", &SpaceRequest::business),
      field("graduate", &SpaceRequest::graduate), field("priority", &SpaceRequest::priority),
      field("kind", &SpaceRequest::kind), field("label", &SpaceRequest::label),
      field("amount", &SpaceRequest::amount), field("first_week", &SpaceRequest::first_week),
      field("weeks", &SpaceRequest::weeks), field("location", &SpaceRequest::location),
      field("province", &SpaceRequest::province),
      field("max_distance_km", &SpaceRequest::max_distance_km),
      field("splittable", &SpaceRequest::splittable));
}

// Requests from a dict of columns, one list per field (location as lat and lng); every bad
// cell is a problem naming its row and column, and nothing is built when there is one.
[[nodiscard]] std::vector<SpaceRequest> requests_from_columns(const py::dict& columns);

}  // namespace balai::python
