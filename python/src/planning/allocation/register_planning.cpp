// Allocation: which trainee trains where (python/balai/allocation.py adds the Pythonic
// surface: string modes, a tqdm bar, DataFrames). Options are immutable and validated
// when made, as far as that needs no dataset; the rest is checked when they are used.
// Results hold their arrays in C++ and hand them to numpy as read-only zero-copy views
// that keep the owning object alive. Solves run without the GIL (progress.hpp).
#include "../../bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../../arrays.hpp"
#include "../../progress.hpp"
#include "../../value_class.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/allocation/allocation_problem.hpp"
#include "balai/planning/allocation/verify.hpp"

namespace balai::python {
namespace {

static_assert(sizeof(FacilityIndex) == sizeof(std::uint32_t));
static_assert(sizeof(PlacementStatus) == sizeof(std::uint8_t));

// ---- arrays --------------------------------------------------------------------------

std::vector<std::vector<FacilityIndex>> rankings_of(const py::handle& rankings,
                                                    std::vector<Problem>& problems) {
  std::vector<std::vector<FacilityIndex>> result;
  if (rankings.is_none()) return result;
  std::size_t t = 0;
  for (const py::handle ranking : rankings) {
    result.push_back(
        indices<FacilityIndex>(ranking, "rankings[" + std::to_string(t++) + "]", problems));
  }
  return result;
}

py::object rankings_list(const std::vector<std::vector<FacilityIndex>>& rankings) {
  py::list result(rankings.size());
  for (std::size_t t = 0; t < rankings.size(); ++t) {
    py::list ranking(rankings[t].size());
    for (std::size_t i = 0; i < rankings[t].size(); ++i) ranking[i] = rankings[t][i].value();
    result[t] = ranking;
  }
  return result;
}

// A list for repr: in full when short, else as "<N values>" (a national capacity list
// has thousands of entries, rankings a million).
template <class T>
py::object short_list(const std::vector<T>& values, py::object (*to_list)(const std::vector<T>&)) {
  constexpr std::size_t kShown = 12;
  if (values.size() <= kShown) return to_list(values);
  return py::cast(Verbatim{"<" + std::to_string(values.size()) + " values>"});
}

template <class T>
py::object plain_list(const std::vector<T>& values) {
  return py::cast(values);
}

// ---- values --------------------------------------------------------------------------

Priority make_priority(double female_km, double accessibility_km, double micro_km) {
  const Priority priority{female_km, accessibility_km, micro_km};
  raise_if_any(check(priority), "priority");
  return priority;
}

ProvinceQuota make_quota(int province, int min_placed, std::optional<int> max_placed) {
  if (province < 0 || province >= static_cast<int>(kProvinceCodes)) {
    raise_if_any({Problem{"", "province", std::to_string(province),
                          "not a province code (two digits, 11 to 96)"}},
                 "quota of province " + std::to_string(province));
  }
  const ProvinceQuota quota{static_cast<ProvinceCode>(province), min_placed,
                            max_placed.value_or(ProvinceQuota::kUnlimited)};
  raise_if_any(check(quota), "quota of province " + std::to_string(province));
  return quota;
}

std::optional<int> max_placed_of(const ProvinceQuota& q) {
  if (q.max_placed == ProvinceQuota::kUnlimited) return std::nullopt;
  return q.max_placed;
}

// Each field loads on its own (value_class.hpp's load_field), so that a wrong type is a
// ValidationError naming the field, as for every other options value.
AllocationOptions make_options(const py::object& mode, const py::object& max_distance_km,
                               const py::object& k, const py::object& same_island_group,
                               const py::object& capacity, const py::object& phase,
                               const py::object& teaching_hours_per_week, const py::object& quotas,
                               const py::object& priority, const py::object& rankings,
                               const py::object& scores) {
  std::vector<Problem> problems;
  AllocationOptions o;
  try {
    o.mode = load_field<AllocationMode>(mode, "mode", problems);
  } catch (const ValidationError& error) {  // an unknown mode name
    problems.insert(problems.end(), error.problems().begin(), error.problems().end());
  }
  o.max_distance_km = load_field<double>(max_distance_km, "max_distance_km", problems);
  o.k = load_field<int>(k, "k", problems);
  o.same_island_group = load_field<bool>(same_island_group, "same_island_group", problems);
  if (!capacity.is_none()) o.capacity = integers<int>(capacity, "capacity", problems);
  o.phase = load_field<std::string>(phase, "phase", problems);
  if (o.phase.empty()) add_problem(problems, "phase", "", "must name a phase of the program");
  o.teaching_hours_per_week =
      load_field<int>(teaching_hours_per_week, "teaching_hours_per_week", problems);
  o.quotas = load_field<std::vector<ProvinceQuota>>(quotas, "quotas", problems);
  o.priority = load_field<Priority>(priority, "priority", problems);
  o.rankings = rankings_of(rankings, problems);
  if (!scores.is_none()) o.scores = finite_reals(scores, "scores", problems);
  raise_if_any(combine(std::move(problems), check(o)), "allocation options");
  return o;
}

// The options' fields, in the order of the constructor, repr and pickle: as plain lists,
// or for repr with long lists elided.
std::vector<std::pair<const char*, py::object>> fields_of(const AllocationOptions& o,
                                                          bool for_repr) {
  return {
      {"mode", py::cast(o.mode)},
      {"max_distance_km", py::cast(o.max_distance_km)},
      {"k", py::cast(o.k)},
      {"same_island_group", py::cast(o.same_island_group)},
      {"capacity", for_repr ? short_list(o.capacity, &plain_list<int>) : py::cast(o.capacity)},
      {"phase", py::cast(o.phase)},
      {"teaching_hours_per_week", py::cast(o.teaching_hours_per_week)},
      {"quotas", py::cast(o.quotas)},
      {"priority", py::cast(o.priority)},
      {"rankings", for_repr ? short_list(o.rankings, &rankings_list) : rankings_list(o.rankings)},
      {"scores", for_repr ? short_list(o.scores, &plain_list<double>) : py::cast(o.scores)}};
}

AllocationOptions options_from(const py::tuple& s) {
  return make_options(s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11]);
}

void bind_options(py::module_& m) {
  bind_enum<AllocationMode>(m, "AllocationMode",
                            "How to allocate: optimal (min-cost flow), nearest (the greedy "
                            "baseline) or stable (deferred acceptance).");
  bind_enum<PlacementStatus>(m, "PlacementStatus",
                             "Why a trainee has, or has no, place: placed, out_of_range (no "
                             "facility that can host the track within range), capacity (every "
                             "candidate is full) or quota (the province's maximum was reached).");

  py::class_<Verbatim>(m, "_Verbatim").def("__repr__", [](const Verbatim& v) { return v.text; });

  py::class_<Priority>(m, "Priority", py::is_final(),
                       "Groups the program favours, as kilometres of travel a placement of one "
                       "of them is worth: when seats are contested, the trainee with the larger "
                       "total bonus is placed first. Bonuses never trade against the number "
                       "placed.")
      .def(py::init(&make_priority), py::kw_only(), py::arg("female_km") = 0.0,
           py::arg("accessibility_km") = 0.0, py::arg("micro_km") = 0.0)
      .def_readonly("female_km", &Priority::female_km)
      .def_readonly("accessibility_km", &Priority::accessibility_km)
      .def_readonly("micro_km", &Priority::micro_km)
      .def("__repr__",
           [](const Priority& p) {
             return Repr("Priority")
                 .arg("female_km", p.female_km)
                 .arg("accessibility_km", p.accessibility_km)
                 .arg("micro_km", p.micro_km)
                 .str();
           })
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def(py::pickle(
          [](const Priority& p) {
            return py::make_tuple(kPickleVersion, p.female_km, p.accessibility_km, p.micro_km);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "Priority", 3);
            return make_priority(s[1].cast<double>(), s[2].cast<double>(), s[3].cast<double>());
          }));

  py::class_<ProvinceQuota>(m, "ProvinceQuota", py::is_final(),
                            "Bounds on how many trainees whose home is in `province` are "
                            "placed; max_placed None is unlimited.")
      .def(py::init(&make_quota), py::arg("province"), py::kw_only(), py::arg("min_placed") = 0,
           py::arg("max_placed") = py::none())
      .def_readonly("province", &ProvinceQuota::province)
      .def_readonly("min_placed", &ProvinceQuota::min_placed)
      .def_property_readonly("max_placed", &max_placed_of)
      .def("__repr__",
           [](const ProvinceQuota& q) {
             return Repr("ProvinceQuota")
                 .arg("province", q.province)
                 .arg("min_placed", q.min_placed)
                 .arg("max_placed", max_placed_of(q))
                 .str();
           })
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def(py::pickle(
          [](const ProvinceQuota& q) {
            return py::make_tuple(kPickleVersion, q.province, q.min_placed, max_placed_of(q));
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "ProvinceQuota", 3);
            return make_quota(s[1].cast<int>(), s[2].cast<int>(), s[3].cast<std::optional<int>>());
          }));

  const AllocationOptions d;
  py::class_<AllocationOptions>(
      m, "AllocationOptions", py::is_final(),
      "How to allocate, validated when made: the mode, the maximum distance, the number k "
      "of candidate facilities per trainee, whether trainees stay on their island group, "
      "the capacities (given per facility, or derived for the phase from seats and "
      "teaching hours per week), per-province quotas, priority bonuses and, for stable "
      "mode, rankings and scores. What depends on the dataset (the capacity list's length, "
      "the phase's name) is checked when the options are used.")
      .def(py::init(&make_options), py::kw_only(), py::arg("mode") = d.mode,
           py::arg("max_distance_km") = d.max_distance_km, py::arg("k") = d.k,
           py::arg("same_island_group") = d.same_island_group, py::arg("capacity") = py::none(),
           py::arg("phase") = d.phase,
           py::arg("teaching_hours_per_week") = d.teaching_hours_per_week,
           py::arg("quotas") = std::vector<ProvinceQuota>{}, py::arg("priority") = Priority{},
           py::arg("rankings") = py::none(), py::arg("scores") = py::none())
      .def_readonly("mode", &AllocationOptions::mode)
      .def_readonly("max_distance_km", &AllocationOptions::max_distance_km)
      .def_readonly("k", &AllocationOptions::k)
      .def_readonly("same_island_group", &AllocationOptions::same_island_group)
      .def_property_readonly(
          "capacity",
          [](const py::object& self) {
            return view<int>(self.cast<const AllocationOptions&>().capacity, self);
          },
          "Places per facility in dataset order (int32, read-only); empty "
          "when derived for the phase.")
      .def_readonly("phase", &AllocationOptions::phase)
      .def_readonly("teaching_hours_per_week", &AllocationOptions::teaching_hours_per_week)
      .def_readonly("quotas", &AllocationOptions::quotas)
      .def_readonly("priority", &AllocationOptions::priority)
      .def_property_readonly(
          "rankings", [](const AllocationOptions& o) { return rankings_list(o.rankings); },
          "Stable mode: each trainee's ranked facility indices (empty: by distance).")
      .def_property_readonly(
          "scores",
          [](const py::object& self) {
            return view<double>(self.cast<const AllocationOptions&>().scores, self);
          },
          "Stable mode: the score facilities rank each trainee by, highest "
          "first (float64, read-only; empty: the priority bonus).")
      .def(
          "replace",
          [](const py::object& self, const py::kwargs& changes) {
            py::dict fields;
            for (const auto& [name, value] :
                 fields_of(self.cast<const AllocationOptions&>(), false)) {
              fields[name] = value;
            }
            for (const auto& item : changes) fields[item.first] = item.second;
            return py::type::of(self)(**fields);
          },
          "A copy with the given fields changed, validated like a new value.")
      .def("__repr__",
           [](const AllocationOptions& o) {
             Repr repr("AllocationOptions");
             for (const auto& [name, value] : fields_of(o, true)) repr.arg(name, value);
             return repr.str();
           })
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def(py::pickle(
          [](const AllocationOptions& o) {
            py::list state;
            state.append(kPickleVersion);
            for (const auto& field : fields_of(o, false)) state.append(field.second);
            return py::tuple(state);
          },
          [](const py::object& state) {
            return options_from(unpickle(state, "AllocationOptions", 11));
          }));
}

// ---- problem and solution ------------------------------------------------------------

AllocationProblem make_problem(const py::object& capacity, const py::object& province,
                               const py::object& bonus_m, const py::object& first_arc,
                               const py::object& arc_facility, const py::object& arc_cost_m,
                               std::vector<ProvinceQuota> quotas) {
  std::vector<Problem> problems;
  AllocationProblem p;
  p.capacity = integers<int>(capacity, "capacity", problems);
  const auto codes = integers<std::uint8_t>(province, "province", problems);
  p.province.assign(codes.begin(), codes.end());
  if (bonus_m.is_none()) {
    p.bonus_m.assign(p.province.size(), 0);
  } else {
    p.bonus_m = integers<std::int32_t>(bonus_m, "bonus_m", problems);
  }
  p.first_arc = integers<std::uint32_t>(first_arc, "first_arc", problems);
  p.arc_facility = indices<FacilityIndex>(arc_facility, "arc_facility", problems);
  p.arc_cost_m = integers<std::int32_t>(arc_cost_m, "arc_cost_m", problems);
  p.quotas = std::move(quotas);
  raise_if_any(std::move(problems), "allocation problem");
  {
    const py::gil_scoped_release release;
    p.check();
  }
  return p;
}

AllocationSolution make_solution(const py::object& facility, const py::object& facility_price,
                                 const py::object& province_price, std::int64_t cost) {
  std::vector<Problem> problems;
  AllocationSolution s;
  s.facility = integers<std::int32_t>(facility, "facility", problems);
  std::size_t reported = 0;
  for (std::size_t t = 0; t < s.facility.size(); ++t) {
    if (s.facility[t] < AllocationSolution::kUnplaced && reported++ < kMaxReported) {
      add_problem(problems, "facility[" + std::to_string(t) + "]", std::to_string(s.facility[t]),
                  "must be a facility index, or -1 for unplaced");
    }
  }
  s.facility_price = integers<std::int64_t>(facility_price, "facility_price", problems);
  s.province_price = integers<std::int64_t>(province_price, "province_price", problems);
  s.cost = cost;
  raise_if_any(std::move(problems), "allocation solution");
  return s;
}

py::object counts(std::size_t n, const char* what) {
  return py::cast(Verbatim{"<" + std::to_string(n) + " " + what + ">"});
}

void bind_problem(py::module_& m) {
  py::class_<AllocationProblem>(
      m, "AllocationProblem", py::is_final(),
      "The allocation as a min-cost flow instance, independent of any dataset: capacity per "
      "facility; province and bonus (metres) per trainee; candidate arcs in compressed rows "
      "(trainee t's arcs are first_arc[t]:first_arc[t + 1], nearest first) with their "
      "facility and cost in metres; per-province quotas. Checked when made "
      "(ValidationError naming every inconsistent field); arrays are read-only views.")
      .def(py::init(&make_problem), py::kw_only(), py::arg("capacity"), py::arg("province"),
           py::arg("bonus_m") = py::none(), py::arg("first_arc"), py::arg("arc_facility"),
           py::arg("arc_cost_m"), py::arg("quotas") = std::vector<ProvinceQuota>{})
      .def_property_readonly("capacity",
                             [](const py::object& self) {
                               return view<int>(self.cast<const AllocationProblem&>().capacity,
                                                self);
                             })
      .def_property_readonly("province",
                             [](const py::object& self) {
                               return view<std::uint8_t>(
                                   self.cast<const AllocationProblem&>().province, self);
                             })
      .def_property_readonly("bonus_m",
                             [](const py::object& self) {
                               return view<std::int32_t>(
                                   self.cast<const AllocationProblem&>().bonus_m, self);
                             })
      .def_property_readonly("first_arc",
                             [](const py::object& self) {
                               return view<std::uint32_t>(
                                   self.cast<const AllocationProblem&>().first_arc, self);
                             })
      .def_property_readonly("arc_facility",
                             [](const py::object& self) {
                               return view<std::uint32_t>(
                                   self.cast<const AllocationProblem&>().arc_facility, self);
                             })
      .def_property_readonly("arc_cost_m",
                             [](const py::object& self) {
                               return view<std::int32_t>(
                                   self.cast<const AllocationProblem&>().arc_cost_m, self);
                             })
      .def_readonly("quotas", &AllocationProblem::quotas)
      .def_property_readonly("trainees", &AllocationProblem::trainees)
      .def_property_readonly("facilities", &AllocationProblem::facilities)
      .def_property_readonly("arcs", &AllocationProblem::arcs)
      .def(
          "candidates",
          [](const py::object& self, std::size_t trainee) {
            const auto& p = self.cast<const AllocationProblem&>();
            if (trainee >= p.trainees()) throw py::index_error("trainee index out of range");
            const py::array all = view<std::uint32_t>(p.arc_facility, self);
            return py::object(
                all[py::slice(static_cast<py::ssize_t>(p.first_arc[trainee]),
                              static_cast<py::ssize_t>(p.first_arc[trainee + 1]), 1)]);
          },
          py::arg("trainee"), "The candidate facilities of one trainee, nearest first.")
      .def_property_readonly("unplaced_penalty", &AllocationProblem::unplaced_penalty,
                             "Cost of leaving one trainee unplaced, before its bonus.")
      .def_property_readonly("quota_penalty", &AllocationProblem::quota_penalty,
                             "Cost per trainee by which a quota is missed.")
      .def(
          "objective",
          [](const AllocationProblem& p, const py::object& facility) {
            std::vector<Problem> problems;
            const auto assignment = integers<std::int32_t>(facility, "facility", problems);
            raise_if_any(std::move(problems), "objective");
            if (assignment.size() != p.trainees()) {
              throw ValidationError(Problem{
                  "objective", "facility", std::to_string(assignment.size()) + " entries",
                  "must have one entry per trainee (" + std::to_string(p.trainees()) + ")"});
            }
            const py::gil_scoped_release release;
            return objective(p, assignment);
          },
          py::arg("facility"),
          "The min-cost-flow objective of an assignment (facility index per trainee, -1 "
          "unplaced).")
      .def("__repr__",
           [](const AllocationProblem& p) {
             return Repr("AllocationProblem")
                 .arg("capacity", (counts(p.facilities(), "facilities")))
                 .arg("province", (counts(p.trainees(), "trainees")))
                 .arg("arc_facility", (counts(p.arcs(), "arcs")))
                 .arg("quotas", p.quotas)
                 .str();
           })
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def(py::pickle(
          [](const AllocationProblem& p) {
            return py::make_tuple(
                kPickleVersion, copy<int>(p.capacity), copy<std::uint8_t>(p.province),
                copy<std::int32_t>(p.bonus_m), copy<std::uint32_t>(p.first_arc),
                copy<std::uint32_t>(p.arc_facility), copy<std::int32_t>(p.arc_cost_m), p.quotas);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "AllocationProblem", 7);
            return make_problem(s[1], s[2], s[3], s[4], s[5], s[6],
                                s[7].cast<std::vector<ProvinceQuota>>());
          }));

  py::class_<AllocationSolution>(
      m, "AllocationSolution", py::is_final(),
      "A solution in a problem's terms: the facility of each trainee (-1 unplaced), the "
      "dual prices that prove optimality (empty for the baselines) and the min-cost-flow "
      "cost. Make one to verify() a plan computed elsewhere.")
      .def(py::init(&make_solution), py::kw_only(), py::arg("facility"),
           py::arg("facility_price") = py::list(), py::arg("province_price") = py::list(),
           py::arg("cost") = 0)
      .def_property_readonly("facility",
                             [](const py::object& self) {
                               return view<std::int32_t>(
                                   self.cast<const AllocationSolution&>().facility, self);
                             })
      .def_property_readonly("facility_price",
                             [](const py::object& self) {
                               return view<std::int64_t>(
                                   self.cast<const AllocationSolution&>().facility_price, self);
                             })
      .def_property_readonly(
          "province_price",
          [](const py::object& self) {
            return view<std::int64_t>(self.cast<const AllocationSolution&>().province_price, self);
          },
          "Per province code 0..99: the price of its unplaced node.")
      .def_readonly("cost", &AllocationSolution::cost)
      .def("__repr__",
           [](const AllocationSolution& s) {
             return Repr("AllocationSolution")
                 .arg("facility", (counts(s.facility.size(), "trainees")))
                 .arg("facility_price", (counts(s.facility_price.size(), "prices")))
                 .arg("province_price", (counts(s.province_price.size(), "prices")))
                 .arg("cost", s.cost)
                 .str();
           })
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def(py::pickle(
          [](const AllocationSolution& s) {
            return py::make_tuple(kPickleVersion, copy<std::int32_t>(s.facility),
                                  copy<std::int64_t>(s.facility_price),
                                  copy<std::int64_t>(s.province_price), s.cost);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "AllocationSolution", 4);
            return make_solution(s[1], s[2], s[3], s[4].cast<std::int64_t>());
          }));
}

// ---- results -------------------------------------------------------------------------

// A value made in Python must be one allocate() could have returned, as far as the sizes
// and codes go; pickles that are not are refused.
Allocation make_allocation(AllocationOptions options, const py::object& facility,
                           const py::object& distance_km, const py::object& status,
                           const py::object& capacity, const py::object& load,
                           const py::object& price, std::vector<ProvinceCount> provinces,
                           Objective objective) {
  std::vector<Problem> problems;
  Allocation a;
  a.options = std::move(options);
  a.facility = integers<std::int32_t>(facility, "facility", problems);
  {
    const auto array = as_array(distance_km, "distance_km", problems);
    if (array) {
      const auto reals =
          py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(*array);
      a.distance_km.assign(reals.data(), reals.data() + reals.size());
    }
  }
  const auto codes = integers<std::uint8_t>(status, "status", problems);
  for (std::uint8_t code : codes) {
    if (code >= EnumNames<PlacementStatus>::names.size()) {
      add_problem(problems, "status", std::to_string(code), "not a PlacementStatus code");
      break;
    }
    a.status.push_back(static_cast<PlacementStatus>(code));
  }
  a.capacity = integers<int>(capacity, "capacity", problems);
  a.load = integers<int>(load, "load", problems);
  a.price = integers<std::int64_t>(price, "price", problems);
  a.provinces = std::move(provinces);
  a.objective = objective;
  const std::size_t trainees = a.facility.size();
  const std::size_t facilities = a.capacity.size();
  if (a.distance_km.size() != trainees || a.status.size() != trainees) {
    add_problem(problems, "distance_km, status", "", "must have one entry per trainee");
  }
  if (a.load.size() != facilities || (!a.price.empty() && a.price.size() != facilities)) {
    add_problem(problems, "load, price", "", "must have one entry per facility");
  }
  for (std::int32_t f : a.facility) {
    if (f < Allocation::kUnplaced || (f >= 0 && static_cast<std::size_t>(f) >= facilities)) {
      add_problem(problems, "facility", std::to_string(f), "not a facility index or -1");
      break;
    }
  }
  if (!problems.empty()) {
    std::string text;
    for (const auto& problem : problems) text += " " + problem.field + ": " + problem.message + ";";
    throw FormatError("cannot unpickle Allocation: inconsistent state:" + text);
  }
  return a;
}

// Equal content. Not Allocation's defaulted operator==: the distances of unplaced
// trainees are NaN, which compares unequal to itself, so no allocation with an unplaced
// trainee would equal its own copy. (GCC 12 also fails to emit that operator at -O3.)
bool same_allocation(const Allocation& a, const Allocation& b) {
  const auto same_distance = [](double x, double y) {
    return x == y || (std::isnan(x) && std::isnan(y));
  };
  const auto same_count = [](const ProvinceCount& x, const ProvinceCount& y) {
    return x.province == y.province && x.placed == y.placed && x.unplaced == y.unplaced;
  };
  return a.options == b.options && a.facility == b.facility &&
         std::ranges::equal(a.distance_km, b.distance_km, same_distance) && a.status == b.status &&
         a.capacity == b.capacity && a.load == b.load && a.price == b.price &&
         std::ranges::equal(a.provinces, b.provinces, same_count) &&
         a.objective.placed == b.objective.placed && a.objective.unplaced == b.objective.unplaced &&
         a.objective.distance_km == b.objective.distance_km && a.objective.cost == b.objective.cost;
}

py::array utilisation_of(const Allocation& a) {
  py::array_t<double> result(static_cast<py::ssize_t>(a.capacity.size()));
  auto out = result.mutable_unchecked<1>();
  for (std::size_t f = 0; f < a.capacity.size(); ++f) {
    out(static_cast<py::ssize_t>(f)) = a.utilisation(FacilityIndex(static_cast<std::uint32_t>(f)));
  }
  result.attr("setflags")(py::arg("write") = false);
  return result;
}

void bind_results(py::module_& m) {
  py::class_<ProvinceCount>(m, "ProvinceCount", py::is_final(),
                            "How many trainees whose home is in `province` were placed and "
                            "left unplaced.")
      .def(py::init([](int province, int placed, int unplaced) {
             return ProvinceCount{static_cast<ProvinceCode>(province), placed, unplaced};
           }),
           py::arg("province"), py::kw_only(), py::arg("placed") = 0, py::arg("unplaced") = 0)
      .def_readonly("province", &ProvinceCount::province)
      .def_readonly("placed", &ProvinceCount::placed)
      .def_readonly("unplaced", &ProvinceCount::unplaced)
      .def("__repr__",
           [](const ProvinceCount& c) {
             return Repr("ProvinceCount")
                 .arg("province", c.province)
                 .arg("placed", c.placed)
                 .arg("unplaced", c.unplaced)
                 .str();
           })
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def(py::pickle(
          [](const ProvinceCount& c) {
            return py::make_tuple(kPickleVersion, c.province, c.placed, c.unplaced);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "ProvinceCount", 3);
            return ProvinceCount{s[1].cast<ProvinceCode>(), s[2].cast<int>(), s[3].cast<int>()};
          }));

  py::class_<Objective>(m, "Objective", py::is_final(),
                        "What an allocation achieves: trainees placed and unplaced, the total "
                        "distance of the placed (km) and the min-cost-flow cost (metres plus "
                        "penalties; see AllocationProblem).")
      .def(py::init([](std::int64_t placed, std::int64_t unplaced, double distance_km,
                       std::int64_t cost) {
             return Objective{placed, unplaced, distance_km, cost};
           }),
           py::kw_only(), py::arg("placed") = 0, py::arg("unplaced") = 0,
           py::arg("distance_km") = 0.0, py::arg("cost") = 0)
      .def_readonly("placed", &Objective::placed)
      .def_readonly("unplaced", &Objective::unplaced)
      .def_readonly("distance_km", &Objective::distance_km)
      .def_readonly("cost", &Objective::cost)
      .def("__repr__",
           [](const Objective& o) {
             return Repr("Objective")
                 .arg("placed", o.placed)
                 .arg("unplaced", o.unplaced)
                 .arg("distance_km", o.distance_km)
                 .arg("cost", o.cost)
                 .str();
           })
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def(py::pickle(
          [](const Objective& o) {
            return py::make_tuple(kPickleVersion, o.placed, o.unplaced, o.distance_km, o.cost);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "Objective", 4);
            return Objective{s[1].cast<std::int64_t>(), s[2].cast<std::int64_t>(),
                             s[3].cast<double>(), s[4].cast<std::int64_t>()};
          }));

  py::class_<Allocation> allocation(
      m, "Allocation", py::is_final(),
      "Which trainee trains where, as allocate() returns it. Per trainee in dataset order "
      "(read-only numpy views): facility (int32 index, -1 unplaced), distance_km (NaN "
      "unplaced), status (uint8 PlacementStatus codes; status_names names them). Per "
      "facility: capacity, load, price (int64 dual price, optimal mode only; else empty) "
      "and utilisation. Per province: provinces. Also the objective and the options used.");
  allocation.def_readonly("options", &Allocation::options)
      .def_property_readonly("mode", [](const Allocation& a) { return a.options.mode; })
      .def_property_readonly("facility",
                             [](const py::object& self) {
                               return view<std::int32_t>(self.cast<const Allocation&>().facility,
                                                         self);
                             })
      .def_property_readonly("distance_km",
                             [](const py::object& self) {
                               return view<double>(self.cast<const Allocation&>().distance_km,
                                                   self);
                             })
      .def_property_readonly("status",
                             [](const py::object& self) {
                               return view<std::uint8_t>(self.cast<const Allocation&>().status,
                                                         self);
                             })
      .def_property_readonly("capacity",
                             [](const py::object& self) {
                               return view<int>(self.cast<const Allocation&>().capacity, self);
                             })
      .def_property_readonly("load",
                             [](const py::object& self) {
                               return view<int>(self.cast<const Allocation&>().load, self);
                             })
      .def_property_readonly("price",
                             [](const py::object& self) {
                               return view<std::int64_t>(self.cast<const Allocation&>().price,
                                                         self);
                             })
      .def_property_readonly("utilisation", &utilisation_of,
                             "Load over capacity per facility (float64).")
      .def_readonly("provinces", &Allocation::provinces)
      .def_readonly("objective", &Allocation::objective)
      .def_property_readonly("trainees", [](const Allocation& a) { return a.facility.size(); })
      .def_property_readonly("facilities", [](const Allocation& a) { return a.capacity.size(); })
      .def(
          "statuses",
          [](const Allocation& a) {
            py::list result(a.status.size());
            for (std::size_t t = 0; t < a.status.size(); ++t) result[t] = py::cast(a.status[t]);
            return result;
          },
          "The status of each trainee as PlacementStatus members.")
      .def("__repr__",
           [](const Allocation& a) {
             return Repr("Allocation")
                 .arg("mode", a.options.mode)
                 .arg("facility", counts(a.facility.size(), "trainees"))
                 .arg("capacity", counts(a.capacity.size(), "facilities"))
                 .arg("objective", a.objective)
                 .str();
           })
      .def("__eq__", &same_allocation, py::is_operator())
      .def(
          "__ne__", [](const Allocation& a, const Allocation& b) { return !same_allocation(a, b); },
          py::is_operator())
      .def(py::pickle(
          [](const Allocation& a) {
            return py::make_tuple(kPickleVersion, a.options, copy<std::int32_t>(a.facility),
                                  copy<double>(a.distance_km), copy<std::uint8_t>(a.status),
                                  copy<int>(a.capacity), copy<int>(a.load),
                                  copy<std::int64_t>(a.price), a.provinces, a.objective);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "Allocation", 9);
            return make_allocation(s[1].cast<AllocationOptions>(), s[2], s[3], s[4], s[5], s[6],
                                   s[7], s[8].cast<std::vector<ProvinceCount>>(),
                                   s[9].cast<Objective>());
          }));
  py::tuple names(EnumNames<PlacementStatus>::names.size());
  for (std::size_t i = 0; i < EnumNames<PlacementStatus>::names.size(); ++i) {
    names[i] = py::str(EnumNames<PlacementStatus>::names[i].data());
  }
  allocation.attr("status_names") = names;
}

// ---- functions -----------------------------------------------------------------------

AllocationOptions options_or_keywords(const py::object& options, const py::kwargs& keywords) {
  if (options.is_none()) {
    return py::type::of<AllocationOptions>()(**keywords).cast<AllocationOptions>();
  }
  if (!keywords.empty()) {
    throw py::type_error(
        "give the allocation options either as an AllocationOptions or as keyword arguments, "
        "not both");
  }
  return options.cast<AllocationOptions>();
}

void bind_functions(py::module_& m) {
  m.def(
      "phase_capacity",
      [](const Dataset& dataset, const AllocationOptions& options) {
        std::vector<int> capacity;
        {
          const py::gil_scoped_release release;
          capacity = phase_capacity(dataset, options);
        }
        return copy<int>(capacity);
      },
      py::arg("dataset"), py::arg("options"),
      "Places per facility in the phase, as the options describe (int32).");
  m.def(
      "allocation_problem",
      [](const Dataset& dataset, const AllocationOptions& options, const py::object& progress) {
        return with_progress(progress, [&](const ProgressCallback& callback) {
          return allocation_problem(dataset, options, callback);
        });
      },
      py::arg("dataset"), py::arg("options"), py::arg("progress") = py::none(),
      "The candidate graph, capacities, bonuses and quotas of a _Dataset under the options. "
      "The GIL is released; progress(stage, done, total) is called now and then and may "
      "return False to cancel (CancelledError).");
  m.def(
      "solve_optimal",
      [](const AllocationProblem& problem, const py::object& progress) {
        return with_progress(progress, [&](const ProgressCallback& callback) {
          return solve_optimal(problem, callback);
        });
      },
      py::arg("problem"), py::arg("progress") = py::none(),
      "The exact solution (min-cost flow) with its dual prices. The GIL is released; "
      "progress as for allocation_problem.");
  m.def("solve_nearest", &solve_nearest, py::arg("problem"),
        py::call_guard<py::gil_scoped_release>(),
        "The greedy baseline: trainees in index order, each to the nearest candidate with room.");
  m.def(
      "solve_stable",
      [](const AllocationProblem& problem, const py::object& rankings, const py::object& scores) {
        std::vector<Problem> problems;
        const auto ranked = rankings_of(rankings, problems);
        const auto score =
            scores.is_none() ? std::vector<double>{} : finite_reals(scores, "scores", problems);
        raise_if_any(std::move(problems), "solve_stable");
        const py::gil_scoped_release release;
        return solve_stable(problem, ranked, score);
      },
      py::arg("problem"), py::arg("rankings") = py::none(), py::arg("scores") = py::none(),
      "Deferred acceptance: trainees propose in the order of their ranking (candidates by "
      "distance unless given), facilities keep the highest scores (the priority bonus, then "
      "distance, unless given).");
  m.def(
      "verify",
      [](const AllocationProblem& problem, const AllocationSolution& solution) {
        return verify(problem, solution);
      },
      py::arg("problem"), py::arg("solution"), py::call_guard<py::gil_scoped_release>(),
      "Every violated condition as a Problem: capacity, eligibility and range, quotas, the "
      "reported cost and, when the solution carries prices, optimality by reduced costs. "
      "Empty for a feasible (and, with prices, optimal) solution.");
  m.def(
      "allocate",
      [](const Dataset& dataset, const py::object& options, const py::object& progress,
         const py::kwargs& keywords) {
        const AllocationOptions chosen = options_or_keywords(options, keywords);
        return with_progress(progress, [&](const ProgressCallback& callback) {
          return allocate(dataset, chosen, callback);
        });
      },
      py::arg("dataset"), py::arg("options") = py::none(), py::arg("progress") = py::none(),
      "The whole chain on a _Dataset; use balai.allocate. Options as an AllocationOptions or "
      "as its keyword arguments. The GIL is released; progress as for allocation_problem.");
}

}  // namespace

void register_planning(py::module_& m) {
  bind_options(m);
  bind_problem(m);
  bind_results(m);
  bind_functions(m);
}

}  // namespace balai::python
