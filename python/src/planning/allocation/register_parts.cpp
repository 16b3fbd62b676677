// The planning steps in parts, for balai.distributed: an allocation problem split by island
// group and its parts' solutions merged, a timetable of some facilities and timetables
// merged, a forecast of a range of replications and forecasts merged, and the roster's
// distances that join the timetable to the forecast. Each merge gives exactly what the
// one-call step gives. Every call releases the GIL.
#include "../../bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../../arrays.hpp"
#include "../../progress.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/allocation/allocation_parts.hpp"
#include "balai/planning/forecast/forecast.hpp"
#include "balai/planning/pilot/pilot.hpp"
#include "balai/planning/timetable/timetable.hpp"

namespace balai::python {
namespace {

template <class StrongIndex>
py::array_t<std::uint32_t> index_column(const std::vector<StrongIndex>& indices) {
  return column<std::uint32_t>(indices.size(), [&](std::size_t i) { return indices[i].value(); });
}

template <class StrongIndex>
std::vector<StrongIndex> pickled_indices(const py::handle& value, std::size_t size,
                                         const char* field) {
  const auto raw = pickled_column<std::uint32_t>(value, "AllocationPart", field);
  if (raw.size() != size) {
    throw FormatError(std::string("cannot unpickle AllocationPart: ") + field + " has " +
                      std::to_string(raw.size()) + " entries, its problem " + std::to_string(size));
  }
  return {raw.begin(), raw.end()};
}

// An AllocationPart has no constructor in Python: split_by_island_group makes them.
AllocationPart part_of(const py::object& state) {
  constexpr const char* kName = "AllocationPart";
  const auto s = unpickle(state, kName, 4);
  AllocationPart part{.problem = pickled<AllocationProblem>(s[1], kName, "problem")};
  part.trainees = pickled_indices<TraineeIndex>(s[2], part.problem.trainees(), "trainees");
  part.facilities = pickled_indices<FacilityIndex>(s[3], part.problem.facilities(), "facilities");
  part.unplaced_penalty = pickled<std::int64_t>(s[4], kName, "unplaced_penalty");
  return part;
}

void bind_allocation_parts(py::module_& m) {
  py::class_<AllocationPart>(
      m, "AllocationPart", py::is_final(),
      "One island group's share of an AllocationProblem: its own problem (trainees and "
      "facilities renumbered in their original order), the whole problem's index of each "
      "trainee and facility, and the whole problem's unplaced penalty, so that its solution's "
      "cost and prices are those of the whole. Made by split_by_island_group.")
      .def_readonly("problem", &AllocationPart::problem)
      .def_property_readonly(
          "trainees", [](const AllocationPart& p) { return index_column(p.trainees); },
          "The whole problem's index of each of the part's trainees (uint32).")
      .def_property_readonly(
          "facilities", [](const AllocationPart& p) { return index_column(p.facilities); },
          "The whole problem's index of each of the part's facilities (uint32).")
      .def_readonly("unplaced_penalty", &AllocationPart::unplaced_penalty)
      .def("__repr__",
           [](const AllocationPart& p) {
             return "<AllocationPart: " + std::to_string(p.trainees.size()) + " trainees, " +
                    std::to_string(p.facilities.size()) + " facilities>";
           })
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def(py::pickle(
          [](const AllocationPart& p) {
            return py::make_tuple(kPickleVersion, p.problem, index_column(p.trainees),
                                  index_column(p.facilities), p.unplaced_penalty);
          },
          &part_of));

  m.def("split_by_island_group", &split_by_island_group, py::arg("problem"),
        py::call_guard<py::gil_scoped_release>(),
        "The problem in independent parts, one per island group (groups that candidate arcs "
        "join are one part), in order of their first trainee.");
  m.def(
      "solve_part",
      [](const AllocationPart& part, const py::object& progress) {
        return with_progress(progress, [&](const ProgressCallback& callback) {
          return solve_optimal(part, callback);
        });
      },
      py::arg("part"), py::arg("progress") = py::none(),
      "The exact solution of one part, its cost and prices in the whole problem's terms.");
  m.def(
      "merge_solutions",
      [](const AllocationProblem& problem, const std::vector<AllocationPart>& parts,
         const std::vector<AllocationSolution>& solutions) {
        const py::gil_scoped_release release;
        return merge_solutions(problem, parts, solutions);
      },
      py::arg("problem"), py::arg("parts"), py::arg("solutions"),
      "The whole problem's solution from its parts' solutions (in split order): what "
      "solve_optimal(problem) gives.");
  m.def(
      "allocation_result",
      [](const Dataset& dataset, const AllocationOptions& options, const AllocationProblem& problem,
         AllocationSolution solution) {
        const py::gil_scoped_release release;
        return allocation_result(dataset, options, problem, std::move(solution));
      },
      py::arg("dataset"), py::arg("options"), py::arg("problem"), py::arg("solution"),
      "The Allocation that allocate() returns for a solution of allocation_problem(dataset, "
      "options) found elsewhere.");
}

void bind_timetable_parts(py::module_& m) {
  m.def(
      "timetable_part",
      [](const Dataset& dataset, const Allocation& allocation, const TimetableOptions& options,
         const py::handle& facilities) {
        std::vector<Problem> problems;
        const auto chosen = indices<FacilityIndex>(facilities, "facilities", problems);
        raise_if_any(std::move(problems), "timetable_part");
        const py::gil_scoped_release release;
        return timetable(dataset, allocation, options, chosen);
      },
      py::arg("dataset"), py::arg("allocation"), py::arg("options"), py::arg("facilities"),
      "The timetable of the classes at `facilities` (indices) only.");
  m.def(
      "merge_timetables",
      [](const std::vector<Timetable>& parts) {
        const py::gil_scoped_release release;
        return merge_timetables(parts);
      },
      py::arg("parts"),
      "One timetable from parts over disjoint facility sets: what timetable() over all gives.");
}

void bind_forecast_parts(py::module_& m) {
  m.def(
      "forecast_part",
      [](const Dataset& dataset, const Roster& roster, const py::handle& distance_km,
         const ForecastOptions& options, int first, int count, const py::object& progress) {
        const auto distances = registration_distances_of(distance_km, "forecast_part");
        return with_progress(progress, [&](const ProgressCallback& callback) {
          return forecast(dataset, roster, distances, options, ReplicationRange{first, count},
                          callback);
        });
      },
      py::arg("dataset"), py::arg("roster"), py::arg("distance_km"), py::arg("options"),
      py::arg("first"), py::arg("count"), py::arg("progress") = py::none(),
      "Replications first .. first + count - 1 of the forecast the options describe.");
  m.def(
      "merge_forecasts",
      [](const std::vector<Forecast>& parts) {
        const py::gil_scoped_release release;
        return merge_forecasts(parts);
      },
      py::arg("parts"), "The whole forecast from parts covering every replication once, in order.");
  m.def(
      "registration_distances",
      [](const Allocation& allocation, const Roster& roster) {
        return copy<double>(registration_distances(allocation, roster));
      },
      py::arg("allocation"), py::arg("roster"),
      "Per registration (roster order): its trainee's travel distance in the allocation "
      "(float64), the distances plan_pilot hands the forecast.");
}

}  // namespace

void register_parts(py::module_& m) {
  bind_allocation_parts(m);
  bind_timetable_parts(m);
  bind_forecast_parts(m);
}

}  // namespace balai::python
