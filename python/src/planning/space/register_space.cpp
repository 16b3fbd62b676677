// Shared space: the resources facilities offer besides seats, UMKM requests for them, the
// bookings that serve them, the allocator and the live SpaceBook (python/balai/space.py adds
// DataFrames, plots and the chain from a timetable). Inputs are immutable values validated
// when made; long calls run without the GIL. Tables of many rows (utilisation, and the
// private _space_*_columns the frames use) cross to numpy as columns, not as a Python
// object per row.
#include "../../bindings.hpp"  // first: the shared type casters

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
#include "../../progress.hpp"
#include "../../value_class.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/space/space.hpp"
#include "balai/planning/space/space_allocation.hpp"
#include "balai/planning/timetable/timetable.hpp"
#include "balai/scenario/space.hpp"
#include "space_columns.hpp"

namespace balai::python {
namespace {

// A list for repr: in full when short, else "<N what>" (a national inventory has thousands
// of resources, an allocation a booking per request).
template <class T>
py::object shown(const std::vector<T>& values, const char* what) {
  constexpr std::size_t kShown = 12;
  if (values.size() <= kShown) return py::cast(values);
  return py::cast(Verbatim{"<" + std::to_string(values.size()) + " " + what + ">"});
}

// Replaces the repr bind_value gives `cls`, which would print every element of its lists.
template <class T, class Function>
void short_repr(py::class_<T>& cls, Function repr) {
  cls.attr("__repr__") =
      py::cpp_function(std::move(repr), py::name("__repr__"), py::is_method(cls));
}

// 1234567 as "1,234,567".
std::string thousands(std::size_t n) {
  std::string digits = std::to_string(n);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

// ---- values --------------------------------------------------------------------------

void bind_inventory(py::module_& m) {
  bind_enum<ResourceKind>(m, "ResourceKind",
                          "What a resource offers, per week: workshop hours (labelled by a "
                          "facility feature tag), mentoring hours, production slots (labelled "
                          "by a KBLI 2020 division), storage or display m2.");
  bind_value<SpaceSite>(m, "SpaceSite",
                        "Where resources are: a facility by its id, with its kind, location "
                        "and province. Checked as part of a SpaceInventory.",
                        field("facility", &SpaceSite::facility), field("kind", &SpaceSite::kind),
                        field("location", &SpaceSite::location),
                        field("province", &SpaceSite::province));
  bind_value<Resource>(m, "Resource",
                       "One resource of a site (index into SpaceInventory.sites): its kind, "
                       "label, capacity per week of the window and the part training uses "
                       "(empty: none). Checked as part of a SpaceInventory.",
                       field("site", &Resource::site), field("kind", &Resource::kind),
                       field("label", &Resource::label), field("capacity", &Resource::capacity),
                       field("training", &Resource::training));
  auto inventory = bind_value<SpaceInventory>(
      m, "SpaceInventory",
      "The shared space of a window of `weeks` weeks from the Monday `start`: sites and their "
      "resources, validated when made (each problem names the site or resource and field).",
      field("start", &SpaceInventory::start), field("weeks", &SpaceInventory::weeks),
      field("sites", &SpaceInventory::sites), field("resources", &SpaceInventory::resources));
  inventory
      .def("free", &SpaceInventory::free, py::arg("resource"), py::arg("week"),
           "What shared use may take of the resource in the week: capacity less training.")
      .def("week_of", &SpaceInventory::week_of, py::arg("date"),
           "The 0-based week `date` falls in; None outside the window.");
  short_repr(inventory, [](const SpaceInventory& i) {
    return Repr("SpaceInventory")
        .arg("start", i.start)
        .arg("weeks", i.weeks)
        .arg("sites", shown(i.sites, "sites"))
        .arg("resources", shown(i.resources, "resources"))
        .str();
  });
}

void bind_requests(py::module_& m) {
  std::apply(
      [&](const auto&... fields) {
        bind_value<SpaceRequest>(
            m, "SpaceRequest",
            "A UMKM's request for `amount` units per week of one kind (and label) of resource "
            "over `weeks` consecutive weeks from `first_week`, within max_distance_km of "
            "`location`; graduates and higher `priority` are served first; `splittable` "
            "requests may be served by several facilities, week by week. Validated when made.",
            fields...);
      },
      request_fields());
  bind_value<Booking>(m, "Booking",
                      "`amount` units per week of one resource (index into the inventory's "
                      "resources) for request `request`, over `weeks` weeks from `first_week`. "
                      "Checked against an inventory by verify_bookings and SpaceBook.",
                      field("id", &Booking::id), field("request", &Booking::request),
                      field("resource", &Booking::resource),
                      field("first_week", &Booking::first_week), field("weeks", &Booking::weeks),
                      field("amount", &Booking::amount),
                      field("distance_km", &Booking::distance_km));
  bind_value<SpaceOptions>(m, "SpaceOptions",
                           "How to allocate space, validated when made: graduates_first, k "
                           "candidate resources per request (1..256), same_island_group and "
                           "threads (0: every core; never changes the result).",
                           field("graduates_first", &SpaceOptions::graduates_first),
                           field("k", &SpaceOptions::k),
                           field("same_island_group", &SpaceOptions::same_island_group),
                           field("threads", &SpaceOptions::threads));
  bind_enum<RequestStatus>(m, "RequestStatus",
                           "How a request fared: served, partly_served, no_resource (no site "
                           "offers the kind and label), out_of_range, capacity (candidates "
                           "had too little free).");
  bind_value<RequestOutcome>(
      m, "RequestOutcome",
      "Units requested (amount x weeks) and served, the status and a "
      "sentence with the numbers (empty when served).",
      field("requested", &RequestOutcome::requested), field("served", &RequestOutcome::served),
      field("status", &RequestOutcome::status), field("detail", &RequestOutcome::detail));
  auto allocation = bind_value<SpaceAllocation>(
      m, "SpaceAllocation",
      "What allocate_space made: the new bookings (by request order, then id), an outcome per "
      "request (in request order), the units requested and served, and the travel (units x "
      "km). `bookings` and `outcomes` are new lists on each access; balai.space's frames read "
      "columns instead.",
      field("options", &SpaceAllocation::options), field("bookings", &SpaceAllocation::bookings),
      field("outcomes", &SpaceAllocation::outcomes),
      field("requested", &SpaceAllocation::requested), field("served", &SpaceAllocation::served),
      field("unit_km", &SpaceAllocation::unit_km));
  short_repr(allocation, [](const SpaceAllocation& a) {
    return Repr("SpaceAllocation")
        .arg("options", a.options)
        .arg("bookings", shown(a.bookings, "bookings"))
        .arg("outcomes", shown(a.outcomes, "outcomes"))
        .arg("requested", a.requested)
        .arg("served", a.served)
        .arg("unit_km", a.unit_km)
        .str();
  });
  // Replaces bind_value's pickle, which would pickle each booking and outcome on its own.
  py::delattr(allocation, "__getstate__");
  py::delattr(allocation, "__setstate__");
  allocation.def(py::pickle(
      [](const SpaceAllocation& a) {
        return py::make_tuple(kPickleVersion, a.options, booking_columns(a.bookings),
                              outcome_columns(a.outcomes), a.requested, a.served, a.unit_km);
      },
      [](const py::tuple& state) {
        const auto s = unpickle(state, "SpaceAllocation", 6);
        return SpaceAllocation{s[1].cast<SpaceOptions>(), bookings_of(s[2]),
                               outcomes_of(s[3]),         s[4].cast<std::int64_t>(),
                               s[5].cast<std::int64_t>(), s[6].cast<double>()};
      }));
  bind_value<SpaceScenarioOptions>(
      m, "SpaceScenarioOptions",
      "How to generate shared space and requests for a scenario, validated when made: seed, "
      "requests, graduate_share, splittable_share and the national holidays that lower a "
      "week's capacity (None: the embedded list).",
      field("seed", &SpaceScenarioOptions::seed),
      field("requests", &SpaceScenarioOptions::requests),
      field("graduate_share", &SpaceScenarioOptions::graduate_share),
      field("splittable_share", &SpaceScenarioOptions::splittable_share),
      field("holidays", &SpaceScenarioOptions::holidays));
}

// ---- the book ------------------------------------------------------------------------

SpaceAllocation allocate_with_progress(const SpaceInventory& inventory,
                                       const std::vector<SpaceRequest>& requests,
                                       const SpaceOptions& options,
                                       const std::vector<Booking>& existing,
                                       const py::object& progress) {
  return with_progress(progress, [&](const ProgressCallback& callback) {
    return allocate_space(inventory, requests, options, existing, callback);
  });
}

void bind_book(py::module_& m) {
  py::class_<SpaceBook>(
      m, "SpaceBook", py::is_final(),
      "The live bookings on one inventory (validated when made). Every change is all or "
      "nothing; cancelling or changing a booking frees or takes capacity without touching "
      "any other. Compares and pickles by inventory and bookings.")
      .def(py::init<SpaceInventory>(), py::arg("inventory"))
      // The inventory never changes, so Python may refer to the book's own; bookings are
      // copied, since a reference into the vector would change under a later cancel.
      .def_property_readonly("inventory", &SpaceBook::inventory)
      .def_property_readonly(
          "bookings", [](const SpaceBook& book) { return book.bookings(); },
          "Ascending by id; a new list of copies.")
      .def("booking", &SpaceBook::booking, py::arg("id"),
           "The booking with the id; UnknownReferenceError when none has it.")
      .def("booked", &SpaceBook::booked, py::arg("resource"), py::arg("week"),
           "Units the bookings hold of the resource in the week.")
      .def("available", &SpaceBook::available, py::arg("resource"), py::arg("week"),
           "What is left for new bookings: free capacity less bookings.")
      .def(
          "allocate",
          [](SpaceBook& book, const std::vector<SpaceRequest>& requests,
             const SpaceOptions& options, const py::object& progress) {
            // As SpaceBook::allocate, but the allocator (without the GIL) reads a copy of the
            // bookings, which another thread may change meanwhile; `add` then checks the new
            // bookings against whatever the book holds by then.
            const std::vector<Booking> existing = book.bookings();
            auto allocation =
                allocate_with_progress(book.inventory(), requests, options, existing, progress);
            book.add(allocation.bookings);
            return allocation;
          },
          py::arg("requests"), py::arg("options") = SpaceOptions{},
          py::arg("progress") = py::none(),
          "Allocates the requests around the current bookings and keeps the new ones; the "
          "SpaceAllocation says how each request fared.")
      .def(
          "add", [](SpaceBook& book, const std::vector<Booking>& bookings) { book.add(bookings); },
          py::arg("bookings"),
          "Adds bookings made elsewhere; ValidationError (and no change) if any is bad or "
          "together they over-book.")
      .def("cancel", &SpaceBook::cancel, py::arg("id"),
           "Removes the booking and returns it, freeing its capacity.")
      .def(
          "change",
          [](SpaceBook& book, const std::string& id, std::optional<int> amount,
             std::optional<int> first_week, std::optional<int> weeks) {
            const Booking& current = book.booking(id);
            return book.change(id, amount.value_or(current.amount),
                               first_week.value_or(current.first_week),
                               weeks.value_or(current.weeks));
          },
          py::arg("id"), py::kw_only(), py::arg("amount") = py::none(),
          py::arg("first_week") = py::none(), py::arg("weeks") = py::none(),
          "Gives the booking a new amount and/or weeks (the others stay), keeping its id, "
          "resource and request, and returns it; ValidationError naming the week when the "
          "resource has too little left.")
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__",
           [](const SpaceBook& book) {
             return "<SpaceBook " + thousands(book.bookings().size()) + " bookings on " +
                    thousands(book.inventory().resources.size()) + " resources>";
           })
      .def(py::pickle(
          [](const SpaceBook& book) {
            return py::make_tuple(kPickleVersion, book.inventory(),
                                  booking_columns(book.bookings()));
          },
          [](const py::tuple& state) {
            const auto s = unpickle(state, "SpaceBook", 2);
            SpaceBook book(s[1].cast<SpaceInventory>());
            book.add(bookings_of(s[2]));
            return book;
          }));
}

// ---- functions -----------------------------------------------------------------------

void bind_functions(py::module_& m) {
  const auto released = py::call_guard<py::gil_scoped_release>();
  m.def(
      "unit_of", [](ResourceKind kind) { return std::string(unit_of(kind)); }, py::arg("kind"),
      "The unit a kind of resource is counted in, per week: hours, slots or m2.");
  m.def("space_sites", &space_sites, py::arg("dataset"), py::arg("start"), py::arg("weeks"),
        released,
        "An inventory of a site per facility of a _Dataset, without resources; use "
        "balai.space.space_sites.");
  m.def("with_training", &with_training, py::arg("inventory"), py::arg("dataset"),
        py::arg("timetable"), released,
        "The inventory with each resource's training use computed from the timetable; use "
        "balai.space.with_training.");
  m.def(
      "verify_bookings",
      [](const SpaceInventory& inventory, const std::vector<Booking>& bookings) {
        return verify(inventory, bookings);
      },
      py::arg("inventory"), py::arg("bookings"), released,
      "Everything wrong with the bookings against the inventory (ids, resources, weeks, "
      "amounts, every over-booked week), as Problems; empty when they are sound.");
  m.def("space_utilisation", &utilisation_columns, py::arg("inventory"), py::arg("bookings"),
        "How each week of each resource was used, resource-major, as numpy columns: resource "
        "(uint32), week, capacity, training, shared and idle (int32); ValidationError when the "
        "bookings do not verify.");
  m.def("allocate_space", &allocate_with_progress, py::arg("inventory"), py::arg("requests"),
        py::arg("options") = SpaceOptions{}, py::arg("existing") = std::vector<Booking>{},
        py::arg("progress") = py::none(),
        "Serves the requests from what training and the existing bookings leave free; use "
        "balai.space.allocate_space.");
  m.def("scenario_inventory", &scenario_inventory, py::arg("dataset"), py::arg("start"),
        py::arg("weeks"), py::arg("options") = SpaceScenarioOptions{}, released,
        "Plausible resources for every facility of a _Dataset; use "
        "balai.space.scenario_inventory.");
  m.def("scenario_requests", &scenario_requests, py::arg("dataset"), py::arg("inventory"),
        py::arg("options") = SpaceScenarioOptions{}, released,
        "A seeded stream of UMKM requests for the inventory; use "
        "balai.space.scenario_requests.");

  m.def("_space_site_columns", &site_columns, py::arg("inventory"));
  m.def("_space_resource_columns", &resource_columns, py::arg("inventory"));
  m.def("_space_request_columns", &request_columns, py::arg("requests"));
  m.def("_space_requests_from_columns", &requests_from_columns, py::arg("columns"));
  m.def("_space_booking_columns", &booking_columns, py::arg("bookings"));
  m.def(
      "_space_outcome_columns",
      [](const SpaceAllocation& a) { return outcome_columns(a.outcomes); }, py::arg("allocation"));
}

}  // namespace

void register_space(py::module_& m) {
  bind_inventory(m);
  bind_requests(m);
  bind_book(m);
  bind_functions(m);
}

}  // namespace balai::python
