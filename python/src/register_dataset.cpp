// The C++ Dataset behind balai.Dataset (python/balai/dataset.py adds the Pythonic
// surface: sequence views, frames, pickling, the HTML summary). Entities come out as
// copies, which stay valid when the dataset grows.
//
// Threads: `add` changes the dataset in place and keeps the GIL, so that no call that
// holds the GIL can see a half-added batch. Calls that read a dataset without the GIL
// (CSV, snapshots, digests) must not overlap an `add`: balai.Dataset holds its lock
// around them and around `add`. Making a new dataset releases the GIL, since no other
// thread can see it yet.
#include <string>
#include <utility>

#include "balai/model/dataset.hpp"
#include "balai/model/places.hpp"
#include "bindings.hpp"

namespace balai::python {
namespace {

template <class T>
const T& item(std::span<const T> items, std::size_t position) {
  if (position >= items.size()) throw py::index_error("index out of range");
  return items[position];
}

Batch make_batch(std::vector<Facility> facilities, std::vector<Module> modules,
                 std::vector<Trainee> trainees, std::optional<Program> program) {
  return Batch{std::move(facilities), std::move(modules), std::move(trainees), std::move(program)};
}

}  // namespace

void register_dataset(py::module_& m) {
  using Facilities = std::vector<Facility>;
  using Modules = std::vector<Module>;
  using Trainees = std::vector<Trainee>;

  py::class_<Dataset>(m, "_Dataset", py::is_final(),
                      "The validated, indexed collection of regencies, facilities, modules, "
                      "trainees and the program. Use balai.Dataset, which wraps this one.")
      .def(py::init([](std::vector<Regency> regencies, Facilities facilities, Modules modules,
                       Trainees trainees, std::optional<Program> program) {
             return Dataset(std::move(regencies),
                            make_batch(std::move(facilities), std::move(modules),
                                       std::move(trainees), std::move(program)));
           }),
           py::arg("regencies"), py::arg("facilities"), py::arg("modules"), py::arg("trainees"),
           py::arg("program"), py::call_guard<py::gil_scoped_release>())
      .def(
          "add",
          [](Dataset& dataset, Facilities facilities, Modules modules, Trainees trainees,
             std::optional<Program> program) {
            dataset.add(make_batch(std::move(facilities), std::move(modules), std::move(trainees),
                                   std::move(program)));
          },
          py::arg("facilities"), py::arg("modules"), py::arg("trainees"), py::arg("program"),
          "Adds a batch, all or nothing; ValidationError listing every problem otherwise. "
          "Keeps the GIL: see the note at the top of register_dataset.cpp.")
      .def("regency_count", [](const Dataset& d) { return d.regencies().size(); })
      .def("facility_count", [](const Dataset& d) { return d.facilities().size(); })
      .def("module_count", [](const Dataset& d) { return d.modules().size(); })
      .def("trainee_count", [](const Dataset& d) { return d.trainees().size(); })
      .def("regency_at", [](const Dataset& d, std::size_t i) { return item(d.regencies(), i); })
      .def("facility_at", [](const Dataset& d, std::size_t i) { return item(d.facilities(), i); })
      .def("module_at", [](const Dataset& d, std::size_t i) { return item(d.modules(), i); })
      .def("trainee_at", [](const Dataset& d, std::size_t i) { return item(d.trainees(), i); })
      .def(
          "regency",
          [](const Dataset& d, const std::string& code) {
            const Regency* found = d.find_regency(RegencyCode::parse(code, "code"));
            if (found == nullptr) throw UnknownReferenceError("regency", code);
            return *found;
          },
          py::arg("code"))
      .def(
          "facility",
          [](const Dataset& d, std::string_view id) { return d.facility(d.facility_ids().at(id)); },
          py::arg("id"))
      .def(
          "module",
          [](const Dataset& d, std::string_view code) { return d.module(d.module_ids().at(code)); },
          py::arg("code"))
      .def(
          "trainee",
          [](const Dataset& d, std::string_view id) { return d.trainee(d.trainee_ids().at(id)); },
          py::arg("id"))
      .def_property_readonly("program", &Dataset::program)
      .def(
          "modules_for",
          [](const Dataset& d, Track track) {
            Modules modules;
            for (ModuleIndex index : d.modules_for(track)) modules.push_back(d.module(index));
            return modules;
          },
          py::arg("track"))
      .def(
          "can_host",
          [](const Dataset& d, std::string_view facility, std::string_view module) {
            return d.can_host(d.facility_ids().at(facility), d.module_ids().at(module));
          },
          py::arg("facility"), py::arg("module"))
      .def("features", [](const Dataset& d) { return d.features().ids(); })
      .def(py::self == py::self);

  // Places far from their regency's seat: balai.places turns them into warnings or
  // refusals. (Points outside Indonesia are refused by the model's checks themselves.)
  m.attr("MAX_KM_FROM_REGENCY_SEAT") = kMaxKmFromRegencySeat;
  m.def(
      "far_from_seats",
      [](const Dataset& d, double max_km) {
        return far_from_seats(d.facilities(), d.trainees(), max_km);
      },
      py::arg("dataset"), py::arg("max_km") = kMaxKmFromRegencySeat,
      "A Problem for each facility and trainee of the dataset lying farther than max_km "
      "from the seat of its regency (the embedded table).");
  m.def(
      "far_from_seats_of",
      [](const Facilities& facilities, const Trainees& trainees, double max_km) {
        return far_from_seats(facilities, trainees, max_km);
      },
      py::arg("facilities"), py::arg("trainees"), py::arg("max_km") = kMaxKmFromRegencySeat,
      "As far_from_seats, for a batch not yet added.");
}

}  // namespace balai::python
