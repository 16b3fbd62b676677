// The forecast: a Monte Carlo simulation of a planned run through the ledger's completion
// rules (python/balai/pilot.py adds DataFrames and bands). Options are immutable values;
// a Forecast hands its completions to numpy, and pickles them as arrays.
#include "../../bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "../../arrays.hpp"
#include "../../event_columns.hpp"
#include "../../pickle_versions.hpp"
#include "../../progress.hpp"
#include "../../value_class.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/forecast/forecast.hpp"

namespace balai::python {
namespace {

// Version 2 added the groups (groups, by_group); a version 1 pickle reads with none, since
// who is in a group cannot be known without the dataset.
constexpr int kForecastPickleVersion = 2;
constexpr std::array<std::size_t, 2> kForecastFields{8, 10};

// Completions per row (a province, a group) and replication (columns) as a 2-D array, which
// is also how a forecast pickles: 38 provinces x 10,000 replications in one block.
py::array_t<std::int32_t> table_of(const std::vector<std::vector<std::int32_t>>& table) {
  const std::size_t rows = table.size();
  const std::size_t cols = rows == 0 ? 0 : table[0].size();
  py::array_t<std::int32_t> array({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)});
  auto* out = array.mutable_data();
  for (const auto& row : table) out = std::copy(row.begin(), row.end(), out);
  return array;
}

// The rows of a pickled table: one per entry of its labels (`rows`), each with an entry per
// replication (`cols`; no columns without rows).
std::vector<std::vector<std::int32_t>> pickled_table(const py::handle& value, std::size_t rows,
                                                     std::size_t cols, const char* field,
                                                     const char* per) {
  const auto table = py::array_t<std::int32_t, py::array::c_style>::ensure(value);
  if (!table || table.ndim() != 2 || static_cast<std::size_t>(table.shape(0)) != rows ||
      static_cast<std::size_t>(table.shape(1)) != (rows == 0 ? 0 : cols)) {
    throw FormatError(std::string("cannot unpickle Forecast: ") + field +
                      " is not an array of a row per " + per + " and a column per replication");
  }
  std::vector<std::vector<std::int32_t>> result;
  for (std::size_t i = 0; i < rows; ++i) {
    result.emplace_back(table.data() + i * cols, table.data() + (i + 1) * cols);
  }
  return result;
}

Forecast forecast_of(const py::object& state) {
  constexpr const char* kName = "Forecast";
  const auto [s, version] = unpickle_versions(state, kName, kForecastFields);
  Forecast f;
  f.options = pickled<ForecastOptions>(s[1], kName, "options");
  f.first_replication = pickled<int>(s[2], kName, "first_replication");
  f.target_min = pickled<int>(s[3], kName, "target_min");
  f.target_max = pickled<int>(s[4], kName, "target_max");
  f.registrations = pickled<std::int64_t>(s[5], kName, "registrations");
  f.completions = pickled_column<std::int32_t>(s[6], kName, "completions");
  const auto provinces = pickled_column<std::uint8_t>(s[7], kName, "provinces");
  f.provinces.assign(provinces.begin(), provinces.end());
  const auto cols = f.completions.size();
  f.by_province = pickled_table(s[8], f.provinces.size(), cols, "by_province", "province");
  if (version >= 2) {
    f.groups = pickled<std::vector<ForecastGroup>>(s[9], kName, "groups");
    f.by_group = pickled_table(s[10], f.groups.size(), cols, "by_group", "group");
  }
  return f;
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

  bind_value<ForecastGroup>(
      m, "ForecastGroup",
      "A group of registrations a forecast counts: those whose trainee has the gender and "
      "the accessibility need given (None matches anyone; accessibility_need True: at least "
      "one need), and how many registrations it has.",
      field("gender", &ForecastGroup::gender),
      field("accessibility_need", &ForecastGroup::accessibility_need),
      field("registrations", &ForecastGroup::registrations));

  py::class_<Percentiles>(m, "Percentiles", py::is_final(),
                          "The 5th, 50th and 95th percentiles and the mean of completions over "
                          "the replications.")
      .def_readonly("p5", &Percentiles::p5)
      .def_readonly("p50", &Percentiles::p50)
      .def_readonly("p95", &Percentiles::p95)
      .def_readonly("mean", &Percentiles::mean)
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__",
           [](const Percentiles& p) {
             return Repr("Percentiles")
                 .arg("p5", p.p5)
                 .arg("p50", p.p50)
                 .arg("p95", p.p95)
                 .arg("mean", p.mean)
                 .str();
           })
      .def(py::pickle(
          [](const Percentiles& p) {
            return py::make_tuple(kPickleVersion, p.p5, p.p50, p.p95, p.mean);
          },
          [](const py::object& state) {
            constexpr const char* kName = "Percentiles";
            const auto s = unpickle(state, kName, 4);
            return Percentiles{
                pickled<double>(s[1], kName, "p5"), pickled<double>(s[2], kName, "p50"),
                pickled<double>(s[3], kName, "p95"), pickled<double>(s[4], kName, "mean")};
          }));

  py::class_<Forecast>(m, "Forecast", py::is_final(),
                       "Program completions per replication, nationally (completions), per "
                       "province (by_province: one row per code in provinces) and per group of "
                       "registrations (by_group: one row per ForecastGroup in groups, by "
                       "gender and by accessibility need), with the program's target range.")
      .def_readonly("options", &Forecast::options)
      .def_readonly("first_replication", &Forecast::first_replication,
                    "The replication completions[0] is: 0, or where a part's range starts.")
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
                             [](const Forecast& f) { return table_of(f.by_province); })
      .def_readonly("groups", &Forecast::groups)
      .def_property_readonly("by_group", [](const Forecast& f) { return table_of(f.by_group); })
      .def("national", &Forecast::national)
      .def("province", &Forecast::province, py::arg("row"))
      .def("group", &Forecast::group, py::arg("row"))
      .def("probability_target_met", &Forecast::probability_target_met)
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__",
           [](const Forecast& f) {
             const auto p = f.national();
             return "<Forecast " + std::to_string(f.completions.size()) + " replications of " +
                    std::to_string(f.registrations) + " registrations: completions p5 " +
                    std::to_string(p.p5) + ", p50 " + std::to_string(p.p50) + ", p95 " +
                    std::to_string(p.p95) + "; target " + std::to_string(f.target_min) + "-" +
                    std::to_string(f.target_max) + ">";
           })
      .def(py::pickle(
          [](const Forecast& f) {
            return py::make_tuple(
                kForecastPickleVersion, f.options, f.first_replication, f.target_min, f.target_max,
                f.registrations, copy<std::int32_t>(f.completions), copy<std::uint8_t>(f.provinces),
                table_of(f.by_province), f.groups, table_of(f.by_group));
          },
          &forecast_of));
}

void bind_functions(py::module_& m) {
  m.def("default_segments", &default_segments,
        "The segments ForecastOptions starts with: planning assumptions, not measured values.");
  m.def(
      "forecast",
      [](const Dataset& dataset, const Roster& roster, const py::handle& distance_km,
         const ForecastOptions& options, const py::object& progress) {
        const auto distances = registration_distances_of(distance_km, "forecast");
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
        const auto distances = registration_distances_of(distance_km, "forecast");
        const EventTable events = [&] {
          const py::gil_scoped_release release;
          return forecast_events(dataset, roster, distances, options, replication);
        }();
        return event_columns_of(events);
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
