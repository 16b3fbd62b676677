// Site selection: which facilities to open (python/balai/pilot.py adds DataFrames and
// progress bars). Options are immutable values; the selection holds its arrays in C++ and
// hands them to numpy as read-only views. Point problems come as numpy columns, so tests
// and oracles can pose any instance.
#include "../../bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>

#include <cstdint>
#include <string>
#include <vector>

#include "../../arrays.hpp"
#include "../../progress.hpp"
#include "../../value_class.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/sites/site_selection.hpp"

namespace balai::python {
namespace {

std::vector<GeoPoint> points_of(const py::handle& lat, const py::handle& lng,
                                const std::string& field, std::vector<Problem>& problems) {
  const auto lats = finite_reals(lat, field + "_lat", problems);
  const auto lngs = finite_reals(lng, field + "_lng", problems);
  std::vector<GeoPoint> points;
  if (lats.size() != lngs.size()) {
    add_problem(
        problems, field + "_lng", std::to_string(lngs.size()) + " values",
        "must have as many values as " + field + "_lat (" + std::to_string(lats.size()) + ")");
    return points;
  }
  points.reserve(lats.size());
  for (std::size_t i = 0; i < lats.size(); ++i) {
    try {
      points.emplace_back(lats[i], lngs[i]);
    } catch (const ValidationError&) {
      add_problem(problems, field + "[" + std::to_string(i) + "]",
                  std::to_string(lats[i]) + ", " + std::to_string(lngs[i]),
                  "is not a latitude in [-90, 90] and a longitude in [-180, 180]");
    }
  }
  return points;
}

SiteProblem problem_of(const py::handle& candidate_lat, const py::handle& candidate_lng,
                       const py::handle& candidate_province, const py::handle& demand_lat,
                       const py::handle& demand_lng, const py::handle& weight) {
  std::vector<Problem> problems;
  SiteProblem problem;
  problem.candidates = points_of(candidate_lat, candidate_lng, "candidate", problems);
  const auto codes = integers<std::uint8_t>(candidate_province, "candidate_province", problems);
  problem.candidate_province.assign(codes.begin(), codes.end());
  problem.demand = points_of(demand_lat, demand_lng, "demand", problems);
  if (!weight.is_none()) problem.weight = finite_reals(weight, "weight", problems);
  raise_if_any(std::move(problems), "site problem");
  problem.check();
  return problem;
}

void bind_values(py::module_& m) {
  bind_enum<SiteObjective>(m, "SiteObjective",
                           "What site selection optimises: max_coverage (the demand within "
                           "radius_km of an open site) or p_median (the total distance to "
                           "the nearest open site).");
  bind_value<SiteMinimum>(m, "SiteMinimum",
                          "At least `min_sites` open sites among the candidates in "
                          "`province` (a two-digit BPS code).",
                          field("province", &SiteMinimum::province),
                          field("min_sites", &SiteMinimum::min_sites));
  bind_value<SiteSelectionOptions>(
      m, "SiteSelectionOptions",
      "How to choose sites, validated when made: objective, sites (K), radius_km "
      "(max_coverage), max_distance_km (p_median's cost of an unserved point), k candidates "
      "per demand point, same_island_group, minimums per province, max_swaps of the local "
      "search (0: greedy only), tabu_iterations moves of a tabu search after the swaps (0: "
      "none), and for a dataset the facility kinds that may be chosen and "
      "the phase they must be active in. See docs/pilot.md.",
      field("objective", &SiteSelectionOptions::objective),
      field("sites", &SiteSelectionOptions::sites),
      field("radius_km", &SiteSelectionOptions::radius_km),
      field("max_distance_km", &SiteSelectionOptions::max_distance_km),
      field("k", &SiteSelectionOptions::k),
      field("same_island_group", &SiteSelectionOptions::same_island_group),
      field("minimums", &SiteSelectionOptions::minimums),
      field("max_swaps", &SiteSelectionOptions::max_swaps),
      field("tabu_iterations", &SiteSelectionOptions::tabu_iterations),
      field("kinds", &SiteSelectionOptions::kinds), field("phase", &SiteSelectionOptions::phase));
}

void bind_selection(py::module_& m) {
  py::class_<SiteSelection>(
      m, "SiteSelection", py::is_final(),
      "The chosen sites and how they serve the demand: selected candidates (ascending), per "
      "demand point the assigned site (-1 when unserved) and its distance (NaN when "
      "unserved), the objective before and after the swaps, and how many demand points had "
      "more than k candidates in reach (truncated).")
      .def_readonly("options", &SiteSelection::options)
      .def_property_readonly("selected",
                             [](const py::object& self) {
                               return view<std::uint32_t>(
                                   self.cast<const SiteSelection&>().selected, self);
                             })
      .def_property_readonly("assigned",
                             [](const py::object& self) {
                               return view<std::int32_t>(self.cast<const SiteSelection&>().assigned,
                                                         self);
                             })
      .def_property_readonly("distance_km",
                             [](const py::object& self) {
                               return view<double>(self.cast<const SiteSelection&>().distance_km,
                                                   self);
                             })
      .def_readonly("covered_weight", &SiteSelection::covered_weight)
      .def_readonly("total_weight", &SiteSelection::total_weight)
      .def_readonly("objective", &SiteSelection::objective)
      .def_readonly("greedy_objective", &SiteSelection::greedy_objective)
      .def_readonly("swaps", &SiteSelection::swaps)
      .def_readonly("truncated", &SiteSelection::truncated)
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__",
           [](const SiteSelection& s) {
             return "<SiteSelection " + std::to_string(s.selected.size()) + " sites, " +
                    std::string(name_of(s.options.objective)) + " objective " +
                    std::to_string(s.objective) + ", covered " + std::to_string(s.covered_weight) +
                    " of " + std::to_string(s.total_weight) + ">";
           })
      .def(py::pickle(
          [](const SiteSelection& s) {
            return py::make_tuple(kPickleVersion, s.options, copy<std::uint32_t>(s.selected),
                                  copy<std::int32_t>(s.assigned), copy<double>(s.distance_km),
                                  s.covered_weight, s.total_weight, s.objective, s.greedy_objective,
                                  s.swaps, s.truncated);
          },
          [](const py::object& state) {
            constexpr const char* kName = "SiteSelection";
            const auto s = unpickle(state, kName, 10);
            SiteSelection selection{pickled<SiteSelectionOptions>(s[1], kName, "options"),
                                    pickled_column<std::uint32_t>(s[2], kName, "selected"),
                                    pickled_column<std::int32_t>(s[3], kName, "assigned"),
                                    pickled_column<double>(s[4], kName, "distance_km"),
                                    pickled<double>(s[5], kName, "covered_weight"),
                                    pickled<double>(s[6], kName, "total_weight"),
                                    pickled<double>(s[7], kName, "objective"),
                                    pickled<double>(s[8], kName, "greedy_objective"),
                                    pickled<int>(s[9], kName, "swaps"),
                                    pickled<std::int64_t>(s[10], kName, "truncated")};
            if (selection.assigned.size() != selection.distance_km.size()) {
              throw FormatError(
                  "cannot unpickle SiteSelection: assigned and distance_km differ in length");
            }
            return selection;
          }));
}

void bind_functions(py::module_& m) {
  m.def(
      "select_sites",
      [](const Dataset& dataset, const SiteSelectionOptions& options, const py::object& progress) {
        return with_progress(progress, [&](const ProgressCallback& callback) {
          return select_sites(dataset, options, callback);
        });
      },
      py::arg("dataset"), py::arg("options"), py::arg("progress") = py::none(),
      "Site selection on a _Dataset: candidates are its facilities (of options.kinds, active "
      "in options.phase), demand its trainees; use balai.pilot.select_sites.");
  m.def(
      "select_sites_points",
      [](const py::handle& candidate_lat, const py::handle& candidate_lng,
         const py::handle& candidate_province, const py::handle& demand_lat,
         const py::handle& demand_lng, const py::handle& weight,
         const SiteSelectionOptions& options, const py::object& progress) {
        const auto problem = problem_of(candidate_lat, candidate_lng, candidate_province,
                                        demand_lat, demand_lng, weight);
        return with_progress(progress, [&](const ProgressCallback& callback) {
          return select_sites(problem, options, callback);
        });
      },
      py::kw_only(), py::arg("candidate_lat"), py::arg("candidate_lng"),
      py::arg("candidate_province"), py::arg("demand_lat"), py::arg("demand_lng"),
      py::arg("weight") = py::none(), py::arg("options"), py::arg("progress") = py::none(),
      "Site selection on points given as arrays (weight: per demand point, default 1).");
  m.def(
      "site_objective",
      [](const py::handle& candidate_lat, const py::handle& candidate_lng,
         const py::handle& candidate_province, const py::handle& demand_lat,
         const py::handle& demand_lng, const py::handle& weight,
         const SiteSelectionOptions& options, const py::handle& open_sites) {
        const auto problem = problem_of(candidate_lat, candidate_lng, candidate_province,
                                        demand_lat, demand_lng, weight);
        std::vector<Problem> problems;
        const auto open = integers<std::uint32_t>(open_sites, "open_sites", problems);
        raise_if_any(std::move(problems), "site objective");
        return site_objective(problem, options, open);
      },
      py::kw_only(), py::arg("candidate_lat"), py::arg("candidate_lng"),
      py::arg("candidate_province"), py::arg("demand_lat"), py::arg("demand_lng"),
      py::arg("weight") = py::none(), py::arg("options"), py::arg("open_sites"),
      "The objective select_sites minimises, for any set of open candidate indices.");
}

}  // namespace

void register_sites(py::module_& m) {
  bind_values(m);
  bind_selection(m);
  bind_functions(m);
}

}  // namespace balai::python
