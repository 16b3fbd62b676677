// The pilot chain as one call (python/balai/pilot.py adds DataFrames, the output folder and
// the report): options for each step, and the plan holding each step's value, which pickles
// and can be assembled from parts.
#include "../../bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "../../arrays.hpp"
#include "../../pickle_versions.hpp"
#include "../../progress.hpp"
#include "../../value_class.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/pilot/pilot.hpp"

namespace balai::python {
namespace {

// Version 2 of each added fields at the end: max_rounds; the bound and the rounds.
constexpr int kOptionsPickleVersion = 2;
constexpr std::array<std::size_t, 2> kOptionsFields{6, 7};
constexpr int kPlanPickleVersion = 2;
constexpr std::array<std::size_t, 2> kPlanFields{7, 9};

PilotOptions make_options(SiteSelectionOptions sites, int min_sites_per_province,
                          AllocationOptions allocation, TimetableOptions timetable,
                          ForecastOptions forecast, const std::string& registration_namespace,
                          int max_rounds) {
  std::vector<Problem> problems;
  if (min_sites_per_province < 0) {
    problems.push_back({"pilot options", "min_sites_per_province",
                        std::to_string(min_sites_per_province), "must be at least 0"});
  }
  if (max_rounds < 0) {
    problems.push_back(
        {"pilot options", "max_rounds", std::to_string(max_rounds), "must be at least 0"});
  }
  raise_if_any(std::move(problems));
  return PilotOptions{std::move(sites),
                      min_sites_per_province,
                      std::move(allocation),
                      std::move(timetable),
                      std::move(forecast),
                      Uuid::parse(registration_namespace, "registration_namespace"),
                      max_rounds};
}

// make_options with each field loaded on its own (value_class.hpp's load_field), so that a
// wrong type is a ValidationError naming the field, as for every other options value.
PilotOptions options_from(const py::object& sites, const py::object& min_sites_per_province,
                          const py::object& allocation, const py::object& timetable,
                          const py::object& forecast, const py::object& registration_namespace,
                          const py::object& max_rounds) {
  std::vector<Problem> problems;
  auto loaded_sites = load_field<SiteSelectionOptions>(sites, "sites", problems);
  const int minimum = load_field<int>(min_sites_per_province, "min_sites_per_province", problems);
  auto loaded_allocation = load_field<AllocationOptions>(allocation, "allocation", problems);
  auto loaded_timetable = load_field<TimetableOptions>(timetable, "timetable", problems);
  auto loaded_forecast = load_field<ForecastOptions>(forecast, "forecast", problems);
  auto name_space =
      load_field<std::string>(registration_namespace, "registration_namespace", problems);
  const int rounds = load_field<int>(max_rounds, "max_rounds", problems);
  if (!problems.empty()) raise_if_any(std::move(problems), "pilot options");
  return make_options(std::move(loaded_sites), minimum, std::move(loaded_allocation),
                      std::move(loaded_timetable), std::move(loaded_forecast), name_space, rounds);
}

// The options' fields by name, in the constructor's order: for the repr and replace().
std::vector<std::pair<const char*, py::object>> fields_of(const PilotOptions& o) {
  return {{"sites", py::cast(o.sites)},
          {"min_sites_per_province", py::cast(o.min_sites_per_province)},
          {"allocation", py::cast(o.allocation)},
          {"timetable", py::cast(o.timetable)},
          {"forecast", py::cast(o.forecast)},
          {"registration_namespace", py::cast(o.registration_namespace.to_string())},
          {"max_rounds", py::cast(o.max_rounds)}};
}

// A plan from its parts, as the distributed planner assembles one: each part is a valid
// value already; what is checked here is that they fit together.
PilotPlan make_plan(PilotOptions options, SiteSelection sites, Allocation allocation,
                    Timetable timetable, Roster roster, std::vector<double> distance_km,
                    Forecast forecast, PilotBound bound, int rounds) {
  if (distance_km.size() != roster.registration_count()) {
    raise_if_any(
        {Problem{"pilot plan", "distance_km", std::to_string(distance_km.size()) + " values",
                 "must have one value per registration of the roster (" +
                     std::to_string(roster.registration_count()) + ")"}});
  }
  if (rounds < 0) {
    raise_if_any({Problem{"pilot plan", "rounds", std::to_string(rounds), "must be at least 0"}});
  }
  return PilotPlan{std::move(options),   std::move(sites),  std::move(allocation),
                   std::move(timetable), std::move(roster), std::move(distance_km),
                   std::move(forecast),  std::move(bound),  rounds};
}

void bind_bound(py::module_& m) {
  bind_value(m, "PilotBound",
             "How many trainees any pilot plan under the options could fully timetable: "
             "trainees, in_reach (a candidate site that can host the track within range), "
             "with_class (and enough others in range to make each class), seated (and seats "
             "for them all, every candidate open), grouped (the most that classes of each "
             "track's most exclusive module gather with every trainee at one site; "
             "grouped_exact: solved to optimality) and bound, the smaller of seated and "
             "grouped. The site budget is not part of it.",
             field("trainees", &PilotBound::trainees), field("in_reach", &PilotBound::in_reach),
             field("with_class", &PilotBound::with_class), field("seated", &PilotBound::seated),
             field("grouped", &PilotBound::grouped),
             field("grouped_exact", &PilotBound::grouped_exact),
             field("bound", &PilotBound::bound));
}

void bind_plan(py::module_& m) {
  py::class_<PilotOptions>(m, "PilotOptions", py::is_final(),
                           "The options of each step of the pilot chain (sites defaults to 300 "
                           "central and regional BLK and PLUT within 50 km), at least "
                           "min_sites_per_province sites in every province that has "
                           "candidates, and the namespace (a UUID) of the registration ids.")
      .def(py::init(&options_from), py::kw_only(), py::arg("sites") = PilotOptions{}.sites,
           py::arg("min_sites_per_province") = PilotOptions{}.min_sites_per_province,
           py::arg("allocation") = PilotOptions{}.allocation,
           py::arg("timetable") = PilotOptions{}.timetable,
           py::arg("forecast") = PilotOptions{}.forecast,
           py::arg("registration_namespace") = kPilotRegistrationNamespace.to_string(),
           py::arg("max_rounds") = PilotOptions{}.max_rounds)
      .def_readonly("sites", &PilotOptions::sites)
      .def_readonly("min_sites_per_province", &PilotOptions::min_sites_per_province)
      .def_readonly("allocation", &PilotOptions::allocation)
      .def_readonly("timetable", &PilotOptions::timetable)
      .def_readonly("forecast", &PilotOptions::forecast)
      .def_property_readonly(
          "registration_namespace",
          [](const PilotOptions& o) { return o.registration_namespace.to_string(); })
      .def_readonly("max_rounds", &PilotOptions::max_rounds)
      .def(
          "replace",
          [](const py::object& self, const py::kwargs& changes) {
            py::dict fields;
            for (const auto& [name, value] : fields_of(self.cast<const PilotOptions&>())) {
              fields[name] = value;
            }
            for (const auto& item : changes) {
              // The message the other options' replace() gives, rather than pybind11's
              // list of the constructor's signatures.
              if (!fields.contains(item.first)) {
                throw py::type_error("PilotOptions() got an unexpected keyword argument '" +
                                     item.first.cast<std::string>() + "'");
              }
              fields[item.first] = item.second;
            }
            return py::type::of(self)(**fields);
          },
          "A copy with the given fields changed, validated like a new value.")
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__",
           [](const PilotOptions& o) {
             Repr repr("PilotOptions");
             for (const auto& [name, value] : fields_of(o)) repr.arg(name, value);
             return repr.str();
           })
      .def(py::pickle(
          [](const PilotOptions& o) {
            return py::make_tuple(kOptionsPickleVersion, o.sites, o.min_sites_per_province,
                                  o.allocation, o.timetable, o.forecast,
                                  o.registration_namespace.to_string(), o.max_rounds);
          },
          [](const py::object& state) {
            constexpr const char* kName = "PilotOptions";
            // Version 1 ends before max_rounds, which takes its default.
            const auto [s, version] = unpickle_versions(state, kName, kOptionsFields);
            return make_options(
                pickled<SiteSelectionOptions>(s[1], kName, "sites"),
                pickled<int>(s[2], kName, "min_sites_per_province"),
                pickled<AllocationOptions>(s[3], kName, "allocation"),
                pickled<TimetableOptions>(s[4], kName, "timetable"),
                pickled<ForecastOptions>(s[5], kName, "forecast"),
                pickled<std::string>(s[6], kName, "registration_namespace"),
                version > 1 ? pickled<int>(s[7], kName, "max_rounds") : PilotOptions{}.max_rounds);
          }));

  py::class_<PilotPlan>(m, "PilotPlan", py::is_final(),
                        "Each step's value: sites (those with a class), allocation, "
                        "timetable, roster (one registration per fully timetabled trainee), "
                        "distance_km per registration, forecast, the bound on fully "
                        "timetabled trainees and the consolidation rounds run. plan_pilot "
                        "makes one; the keyword constructor assembles one from parts computed "
                        "elsewhere (ValidationError unless distance_km has a finite value per "
                        "registration).")
      .def(py::init([](PilotOptions options, SiteSelection sites, Allocation allocation,
                       Timetable timetable, Roster roster, const py::handle& distance_km,
                       Forecast forecast, PilotBound bound, int rounds) {
             std::vector<Problem> problems;
             auto distances = finite_reals(distance_km, "distance_km", problems);
             raise_if_any(std::move(problems), "pilot plan");
             return make_plan(std::move(options), std::move(sites), std::move(allocation),
                              std::move(timetable), std::move(roster), std::move(distances),
                              std::move(forecast), std::move(bound), rounds);
           }),
           py::kw_only(), py::arg("options"), py::arg("sites"), py::arg("allocation"),
           py::arg("timetable"), py::arg("roster"), py::arg("distance_km"), py::arg("forecast"),
           py::arg("bound") = PilotBound{}, py::arg("rounds") = 0)
      .def_readonly("options", &PilotPlan::options)
      .def_readonly("sites", &PilotPlan::sites)
      .def_readonly("allocation", &PilotPlan::allocation)
      .def_readonly("timetable", &PilotPlan::timetable)
      .def_readonly("roster", &PilotPlan::roster)
      .def_property_readonly("distance_km",
                             [](const py::object& self) {
                               return view<double>(self.cast<const PilotPlan&>().distance_km, self);
                             })
      .def_readonly("forecast", &PilotPlan::forecast)
      .def_readonly("bound", &PilotPlan::bound)
      .def_readonly("rounds", &PilotPlan::rounds)
      .def_property_readonly("timetabled", &PilotPlan::timetabled,
                             "Trainees with every module timetabled: the registrations.")
      .def("__repr__",
           [](const PilotPlan& p) {
             return "<PilotPlan " + std::to_string(p.sites.selected.size()) + " sites, " +
                    std::to_string(p.allocation.objective.placed) + " placed, " +
                    std::to_string(p.timetable.cohorts.size()) + " cohorts, " +
                    std::to_string(p.timetabled()) + " of " + std::to_string(p.bound.bound) +
                    " bound fully timetabled>";
           })
      // Each part pickles by its own (columnar) pickle.
      .def(py::pickle(
          [](const PilotPlan& p) {
            return py::make_tuple(kPlanPickleVersion, p.options, p.sites, p.allocation, p.timetable,
                                  p.roster, copy<double>(p.distance_km), p.forecast, p.bound,
                                  p.rounds);
          },
          [](const py::object& state) {
            constexpr const char* kName = "PilotPlan";
            // Version 1 ends before the bound and the rounds.
            const auto [s, version] = unpickle_versions(state, kName, kPlanFields);
            const bool bounded = version > 1;
            return make_plan(pickled<PilotOptions>(s[1], kName, "options"),
                             pickled<SiteSelection>(s[2], kName, "sites"),
                             pickled<Allocation>(s[3], kName, "allocation"),
                             pickled<Timetable>(s[4], kName, "timetable"),
                             pickled<Roster>(s[5], kName, "roster"),
                             pickled_column<double>(s[6], kName, "distance_km"),
                             pickled<Forecast>(s[7], kName, "forecast"),
                             bounded ? pickled<PilotBound>(s[8], kName, "bound") : PilotBound{},
                             bounded ? pickled<int>(s[9], kName, "rounds") : 0);
          }));
}

void bind_functions(py::module_& m) {
  m.def(
      "selected_capacity",
      [](const Dataset& dataset, const SiteSelection& sites, const AllocationOptions& options) {
        return selected_capacity(dataset, sites, options);
      },
      py::arg("dataset"), py::arg("sites"), py::arg("options"),
      "Places per facility for allocation: the phase's capacity at the selected sites, none "
      "elsewhere.");
  m.def(
      "pilot_site_options",
      [](const Dataset& dataset, const PilotOptions& options) {
        return pilot_site_options(dataset, options);
      },
      py::arg("dataset"), py::arg("options"),
      "The site selection options plan_pilot uses: options.sites with at most one site per "
      "candidate and a minimum for every province that has candidates.");
  m.def(
      "pilot_candidates",
      [](const Dataset& dataset, const PilotOptions& options) {
        std::vector<std::uint32_t> candidates;
        for (const FacilityIndex f : pilot_candidates(dataset, options)) {
          candidates.push_back(f.value());
        }
        return candidates;
      },
      py::arg("dataset"), py::arg("options"),
      "The facility indices plan_pilot chooses sites among: of the site kinds, active in the "
      "phase, able to host every module of a track, with places in the timetable's window.");
  m.def(
      "pilot_bound",
      [](const Dataset& dataset, const PilotOptions& options) {
        const py::gil_scoped_release release;
        return pilot_bound(dataset, options);
      },
      py::arg("dataset"), py::arg("options"),
      "The PilotBound of the dataset under the options: how many trainees any plan could "
      "fully timetable.");
  m.def(
      "schedule_pilot",
      [](const Dataset& dataset, const PilotOptions& options, const py::object& progress) {
        return with_progress(progress, [&](const ProgressCallback& callback) {
          return schedule_pilot(dataset, options, callback);
        });
      },
      py::arg("dataset"), py::arg("options"), py::arg("progress") = py::none(),
      "plan_pilot without the forecast (left empty): what balai.distributed runs as one task.");
  m.def(
      "plan_pilot",
      [](const Dataset& dataset, const PilotOptions& options, const py::object& progress) {
        return with_progress(progress, [&](const ProgressCallback& callback) {
          return plan_pilot(dataset, options, callback);
        });
      },
      py::arg("dataset"), py::arg("options"), py::arg("progress") = py::none(),
      "Sites, allocation, timetable, roster and forecast in one call; use balai.pilot.plan.");
}

}  // namespace

void register_pilot(py::module_& m) {
  bind_bound(m);
  bind_plan(m);
  bind_functions(m);
}

}  // namespace balai::python
