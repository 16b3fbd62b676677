// The forecast: a Monte Carlo simulation of a planned run through the ledger's completion
// rules (python/balai/pilot.py adds DataFrames and bands). Options are immutable values;
// a Forecast hands its completions to numpy.
#include "bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>

#include <cstdint>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/forecast.hpp"
#include "progress.hpp"
#include "value_class.hpp"

namespace balai::python {
namespace {

std::vector<double> distances_of(const py::handle& distance_km) {
  std::vector<Problem> problems;
  std::vector<double> distances;
  if (!distance_km.is_none()) distances = finite_reals(distance_km, "distance_km", problems);
  raise_if_any(std::move(problems), "forecast");
  return distances;
}

// An EventTable as the keyword arguments of Ledger.append_columns.
py::dict columns_of(const EventTable& events) {
  py::dict columns;
  columns["id"] = copy<EventId>(events.id);
  columns["kind"] = copy<std::uint8_t>(events.kind);
  columns["registration"] = copy<std::uint32_t>(events.registration);
  columns["module"] = copy<std::int32_t>(events.module);
  columns["session"] = copy<std::int32_t>(events.session);
  columns["time"] = copy<Timestamp>(events.time);
  columns["actor"] = copy<std::uint32_t>(events.actor);
  columns["score"] = copy<double>(events.score);
  columns["reason"] = copy<std::uint32_t>(events.reason);
  columns["target"] = copy<EventId>(events.target);
  columns["result"] = copy<std::uint8_t>(events.result);
  columns["texts"] = events.texts;
  return columns;
}

void bind_values(py::module_& m) {
  bind_value<Behaviour>(m, "Behaviour",
                        "What the forecast assumes about a registration: the mean probability "
                        "of attending each session and how alike trainees are in it "
                        "(attendance_concentration of a Beta distribution; inf: all alike), "
                        "the probability of withdrawing in each week, and of reaching the "
                        "pass mark in an assessment.",
                        field("attendance", &Behaviour::attendance),
                        field("attendance_concentration", &Behaviour::attendance_concentration),
                        field("weekly_dropout", &Behaviour::weekly_dropout),
                        field("pass_rate", &Behaviour::pass_rate));
  bind_value<SegmentBehaviour>(
      m, "SegmentBehaviour",
      "A segment (track, UMKM class, travel distance in [min_km, max_km); None matches any) "
      "and the behaviour assumed for it.",
      field("track", &SegmentBehaviour::track), field("umkm_class", &SegmentBehaviour::umkm_class),
      field("min_km", &SegmentBehaviour::min_km), field("max_km", &SegmentBehaviour::max_km),
      field("behaviour", &SegmentBehaviour::behaviour));
  bind_value<ForecastOptions>(
      m, "ForecastOptions",
      "How to forecast, validated when made: replications, seed, the default behaviour, the "
      "segments (first match wins; default_segments() when not given), the ledger's options "
      "and threads (0: every core; never changes the result). See docs/pilot.md.",
      field("replications", &ForecastOptions::replications), field("seed", &ForecastOptions::seed),
      field("defaults", &ForecastOptions::defaults), field("segments", &ForecastOptions::segments),
      field("ledger", &ForecastOptions::ledger), field("threads", &ForecastOptions::threads));

  py::class_<Percentiles>(m, "Percentiles", py::is_final(),
                          "The 5th, 50th and 95th percentiles and the mean of completions over "
                          "the replications.")
      .def_readonly("p5", &Percentiles::p5)
      .def_readonly("p50", &Percentiles::p50)
      .def_readonly("p95", &Percentiles::p95)
      .def_readonly("mean", &Percentiles::mean)
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__", [](const Percentiles& p) {
        return Repr("Percentiles")
            .arg("p5", p.p5)
            .arg("p50", p.p50)
            .arg("p95", p.p95)
            .arg("mean", p.mean)
            .str();
      });

  py::class_<Forecast>(m, "Forecast", py::is_final(),
                       "Program completions per replication, nationally (completions) and per "
                       "province (by_province: one row per code in provinces), with the "
                       "program's target range.")
      .def_readonly("options", &Forecast::options)
      .def_readonly("target_min", &Forecast::target_min)
      .def_readonly("target_max", &Forecast::target_max)
      .def_readonly("registrations", &Forecast::registrations)
      .def_property_readonly("completions",
                             [](const py::object& self) {
                               return view<std::int32_t>(self.cast<const Forecast&>().completions,
                                                         self);
                             })
      .def_readonly("provinces", &Forecast::provinces)
      .def_property_readonly("by_province",
                             [](const Forecast& f) {
                               const std::size_t rows = f.by_province.size();
                               const std::size_t cols = rows == 0 ? 0 : f.by_province[0].size();
                               py::array_t<std::int32_t> array({static_cast<py::ssize_t>(rows),
                                                                static_cast<py::ssize_t>(cols)});
                               auto out = array.mutable_unchecked<2>();
                               for (std::size_t i = 0; i < rows; ++i) {
                                 for (std::size_t j = 0; j < cols; ++j) {
                                   out(static_cast<py::ssize_t>(i), static_cast<py::ssize_t>(j)) =
                                       f.by_province[i][j];
                                 }
                               }
                               return array;
                             })
      .def("national", &Forecast::national)
      .def("province", &Forecast::province, py::arg("row"))
      .def("probability_target_met", &Forecast::probability_target_met)
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__", [](const Forecast& f) {
        const auto p = f.national();
        return "<Forecast " + std::to_string(f.completions.size()) + " replications of " +
               std::to_string(f.registrations) + " registrations: completions p5 " +
               std::to_string(p.p5) + ", p50 " + std::to_string(p.p50) + ", p95 " +
               std::to_string(p.p95) + "; target " + std::to_string(f.target_min) + "-" +
               std::to_string(f.target_max) + ">";
      });
}

void bind_functions(py::module_& m) {
  m.def("default_segments", &default_segments,
        "The segments ForecastOptions starts with: planning assumptions, not measured values.");
  m.def(
      "forecast",
      [](const Dataset& dataset, const Roster& roster, const py::handle& distance_km,
         const ForecastOptions& options, const py::object& progress) {
        const auto distances = distances_of(distance_km);
        return with_progress(progress, [&](const ProgressCallback& callback) {
          return forecast(dataset, roster, distances, options, callback);
        });
      },
      py::arg("dataset"), py::arg("roster"), py::arg("distance_km"), py::arg("options"),
      py::arg("progress") = py::none(),
      "Completions of `roster` over options.replications simulated runs; use "
      "balai.pilot.forecast.");
  m.def(
      "forecast_events",
      [](const Dataset& dataset, const Roster& roster, const py::handle& distance_km,
         const ForecastOptions& options, int replication) {
        const auto distances = distances_of(distance_km);
        const EventTable events = [&] {
          const py::gil_scoped_release release;
          return forecast_events(dataset, roster, distances, options, replication);
        }();
        return columns_of(events);
      },
      py::arg("dataset"), py::arg("roster"), py::arg("distance_km"), py::arg("options"),
      py::arg("replication"),
      "The events of one replication as the keyword arguments of Ledger.append_columns.");
}

}  // namespace

void register_forecast(py::module_& m) {
  bind_values(m);
  bind_functions(m);
}

}  // namespace balai::python
