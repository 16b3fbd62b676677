// The shared-space tables that cross to and from numpy as columns rather than a Python
// object per row: the columns the frames of python/balai/space.py read, the columnar
// pickles of bookings and outcomes, and requests built from a frame's columns.
#include "space_columns.hpp"

#include <pybind11/numpy.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <numeric>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "../../arrays.hpp"
#include "../../value_class.hpp"
#include "balai/core/text.hpp"

namespace balai::python {

namespace {

// ---- columns -------------------------------------------------------------------------

template <class T, class Row, class Get>
py::array_t<T> numbers(const std::vector<Row>& rows, Get get) {
  return column<T>(rows.size(),
                   [&](std::size_t i) { return static_cast<T>(std::invoke(get, rows[i])); });
}

template <class Row, class Get>
py::list texts(const std::vector<Row>& rows, Get get) {
  py::list out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = py::str(std::invoke(get, rows[i]));
  return out;
}

std::int64_t total(const std::vector<int>& weeks) {
  return std::accumulate(weeks.begin(), weeks.end(), std::int64_t{0});
}
}  // namespace

py::dict site_columns(const SpaceInventory& inventory) {
  const auto& sites = inventory.sites;
  py::dict d;
  d["facility"] = texts(sites, &SpaceSite::facility);
  d["facility_kind"] = numbers<std::uint8_t>(sites, &SpaceSite::kind);
  d["province"] =
      numbers<std::int32_t>(sites, [](const SpaceSite& site) { return site.province.value(); });
  d["lat"] = numbers<double>(sites, [](const SpaceSite& s) { return s.location.lat(); });
  d["lng"] = numbers<double>(sites, [](const SpaceSite& s) { return s.location.lng(); });
  return d;
}

py::dict resource_columns(const SpaceInventory& inventory) {
  const auto& resources = inventory.resources;
  py::dict d;
  d["site"] = numbers<std::uint32_t>(resources, &Resource::site);
  d["kind"] = numbers<std::uint8_t>(resources, &Resource::kind);
  d["label"] = texts(resources, &Resource::label);
  d["capacity_total"] =
      numbers<std::int64_t>(resources, [](const Resource& r) { return total(r.capacity); });
  d["training_total"] =
      numbers<std::int64_t>(resources, [](const Resource& r) { return total(r.training); });
  d["free_total"] = column<std::int64_t>(resources.size(), [&](std::size_t r) {
    std::int64_t free = 0;
    for (int w = 0; w < inventory.weeks; ++w) free += inventory.free(r, w);
    return free;
  });
  return d;
}

py::dict request_columns(const std::vector<SpaceRequest>& requests) {
  py::dict d;
  d["id"] = texts(requests, &SpaceRequest::id);
  d["business"] = texts(requests, &SpaceRequest::business);
  d["graduate"] = numbers<bool>(requests, &SpaceRequest::graduate);
  d["priority"] = numbers<std::int32_t>(requests, &SpaceRequest::priority);
  d["kind"] = numbers<std::uint8_t>(requests, &SpaceRequest::kind);
  d["label"] = texts(requests, &SpaceRequest::label);
  d["amount"] = numbers<std::int32_t>(requests, &SpaceRequest::amount);
  d["first_week"] = numbers<std::int32_t>(requests, &SpaceRequest::first_week);
  d["weeks"] = numbers<std::int32_t>(requests, &SpaceRequest::weeks);
  d["lat"] = numbers<double>(requests, [](const SpaceRequest& r) { return r.location.lat(); });
  d["lng"] = numbers<double>(requests, [](const SpaceRequest& r) { return r.location.lng(); });
  d["province"] = numbers<std::int32_t>(
      requests, [](const SpaceRequest& request) { return request.province.value(); });
  d["max_distance_km"] = numbers<double>(requests, &SpaceRequest::max_distance_km);
  d["splittable"] = numbers<bool>(requests, &SpaceRequest::splittable);
  return d;
}

py::dict booking_columns(const std::vector<Booking>& bookings) {
  py::dict d;
  d["id"] = texts(bookings, &Booking::id);
  d["request"] = texts(bookings, &Booking::request);
  d["resource"] = numbers<std::uint32_t>(bookings, &Booking::resource);
  d["first_week"] = numbers<std::int32_t>(bookings, &Booking::first_week);
  d["weeks"] = numbers<std::int32_t>(bookings, &Booking::weeks);
  d["amount"] = numbers<std::int32_t>(bookings, &Booking::amount);
  d["distance_km"] = numbers<double>(bookings, &Booking::distance_km);
  return d;
}

py::dict outcome_columns(const std::vector<RequestOutcome>& outcomes) {
  py::dict d;
  d["requested"] = numbers<std::int64_t>(outcomes, &RequestOutcome::requested);
  d["served"] = numbers<std::int64_t>(outcomes, &RequestOutcome::served);
  d["status"] = numbers<std::uint8_t>(outcomes, &RequestOutcome::status);
  d["detail"] = texts(outcomes, &RequestOutcome::detail);
  return d;
}

py::dict utilisation_columns(const SpaceInventory& inventory,
                             const std::vector<Booking>& bookings) {
  std::vector<SpaceUse> rows;
  {
    const py::gil_scoped_release release;
    rows = utilisation(inventory, bookings);
  }
  py::dict d;
  d["resource"] = numbers<std::uint32_t>(rows, &SpaceUse::resource);
  d["week"] = numbers<std::int32_t>(rows, &SpaceUse::week);
  d["capacity"] = numbers<std::int32_t>(rows, &SpaceUse::capacity);
  d["training"] = numbers<std::int32_t>(rows, &SpaceUse::training);
  d["shared"] = numbers<std::int32_t>(rows, &SpaceUse::shared);
  d["idle"] = numbers<std::int32_t>(rows, &SpaceUse::idle);
  return d;
}
namespace {

// ---- pickles -------------------------------------------------------------------------
// Bookings and outcomes pickle as their columns (booking_columns, outcome_columns): as
// 100,000 Python objects, each pickled on its own, they take seconds.

// Column `name` of a pickled state; FormatError naming `what` when there is none.
py::object column_of(const py::handle& state, const char* name, const char* what) {
  if (!py::isinstance<py::dict>(state) || !py::reinterpret_borrow<py::dict>(state).contains(name)) {
    throw FormatError(std::string("cannot unpickle ") + what + ": no column " + name);
  }
  return py::reinterpret_borrow<py::dict>(state)[name];
}

template <class T>
std::vector<T> values_of(const py::handle& state, const char* name, const char* what) {
  const auto array = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(
      column_of(state, name, what));
  if (!array) throw py::error_already_set();
  return {array.data(), array.data() + array.size()};
}

std::vector<std::string> strings_of(const py::handle& state, const char* name, const char* what) {
  return column_of(state, name, what).cast<std::vector<std::string>>();
}

void same_length(std::size_t rows, std::initializer_list<std::size_t> sizes, const char* what) {
  for (const auto size : sizes) {
    if (size != rows) {
      throw FormatError(std::string("cannot unpickle ") + what + ": columns differ in length");
    }
  }
}
}  // namespace

std::vector<Booking> bookings_of(const py::handle& state) {
  const char* what = "bookings";
  const auto ids = strings_of(state, "id", what);
  const auto requests = strings_of(state, "request", what);
  const auto resource = values_of<std::uint32_t>(state, "resource", what);
  const auto first_week = values_of<std::int32_t>(state, "first_week", what);
  const auto weeks = values_of<std::int32_t>(state, "weeks", what);
  const auto amount = values_of<std::int32_t>(state, "amount", what);
  const auto distance = values_of<double>(state, "distance_km", what);
  same_length(ids.size(),
              {requests.size(), resource.size(), first_week.size(), weeks.size(), amount.size(),
               distance.size()},
              what);
  std::vector<Booking> bookings(ids.size());
  for (std::size_t i = 0; i < bookings.size(); ++i) {
    bookings[i] = {ids[i],   requests[i], resource[i], first_week[i],
                   weeks[i], amount[i],   distance[i]};
  }
  return bookings;
}

std::vector<RequestOutcome> outcomes_of(const py::handle& state) {
  const char* what = "outcomes";
  const auto requested = values_of<std::int64_t>(state, "requested", what);
  const auto served = values_of<std::int64_t>(state, "served", what);
  const auto status = values_of<std::uint8_t>(state, "status", what);
  const auto detail = strings_of(state, "detail", what);
  same_length(requested.size(), {served.size(), status.size(), detail.size()}, what);
  std::vector<RequestOutcome> outcomes(requested.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (status[i] >= EnumNames<RequestStatus>::names.size()) {
      throw FormatError("cannot unpickle outcomes: status code " + std::to_string(status[i]));
    }
    outcomes[i] = {requested[i], served[i], static_cast<RequestStatus>(status[i]), detail[i]};
  }
  return outcomes;
}
namespace {

// ---- requests from columns -----------------------------------------------------------

}  // namespace

// Requests from columns of Python values, a list per field (location as lat and lng) with
// a value per row; a column left out takes the field's default. Every bad cell is a
// problem naming its row and column, and nothing is built when there is any. One loop in
// C++, so that a frame of 100,000 requests converts in a fraction of a second.
std::vector<SpaceRequest> requests_from_columns(const py::dict& columns) {
  for (const char* required : {"id", "lat", "lng"}) {
    if (!columns.contains(required)) {
      raise_if_any({Problem{"requests", required, "", "a required column is missing"}});
    }
  }
  const auto rows = py::len(columns["id"]);
  const auto column = [&](const char* name) -> std::optional<py::list> {
    if (!columns.contains(name)) return std::nullopt;
    py::list values(columns[name]);
    if (values.size() != rows) {
      raise_if_any({Problem{"requests", name, std::to_string(values.size()) + " values",
                            "must have a value per row (" + std::to_string(rows) + ")"}});
    }
    return values;
  };
  // Looked up once, in the order of request_fields(), rather than once per cell.
  constexpr auto kFields = std::tuple_size_v<decltype(request_fields())>;
  std::array<std::optional<py::list>, kFields> given;
  std::apply(
      [&](const auto&... fields) {
        std::size_t i = 0;
        ((given[i++] = column(fields.name)), ...);
      },
      request_fields());
  const py::list lats = *column("lat");
  const py::list lngs = *column("lng");
  constexpr std::size_t kMaxBadRows = 20;
  std::vector<SpaceRequest> requests(rows);
  std::vector<Problem> problems;
  std::size_t bad_rows = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    SpaceRequest& request = requests[row];
    std::vector<Problem> found;
    std::apply(
        [&](const auto&... fields) {
          std::size_t i = 0;
          const auto take = [&](const auto& f) {
            const auto& values = given[i++];
            if (values) detail::assign(request, f, (*values)[row], found);
          };
          (take(fields), ...);
        },
        request_fields());
    const auto lat = load_field<double>(lats[row], "lat", found);
    const auto lng = load_field<double>(lngs[row], "lng", found);
    bool degrees = true;
    try {
      request.location = GeoPoint(lat, lng);
    } catch (const ValidationError&) {
      degrees = false;
      found.push_back({"", "lat, lng", printable(lat) + ", " + printable(lng),
                       "is not a latitude in [-90, 90] and a longitude in [-180, 180]"});
    }
    std::vector<Problem> checked = check(request);
    // A point that is no degrees is refused above; its placeholder is no place to judge.
    if (!degrees) std::erase_if(checked, [](const Problem& p) { return p.field == "location"; });
    found = combine(std::move(found), std::move(checked));
    if (!found.empty() && ++bad_rows <= kMaxBadRows) {
      for (auto& problem : found) {
        problem.where = "row " + std::to_string(row);
        problems.push_back(std::move(problem));
      }
    }
  }
  // A column of the wrong type makes every row bad: the first rows say enough.
  if (bad_rows > kMaxBadRows) {
    problems.push_back({"requests", "", std::to_string(bad_rows) + " rows",
                        "and " + std::to_string(bad_rows - kMaxBadRows) + " more bad rows"});
  }
  raise_if_any(std::move(problems), "requests");
  return requests;
}
}  // namespace balai::python
