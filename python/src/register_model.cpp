// Facilities, modules with their completion rules, the program with its phases, and
// regencies. Each value is validated on construction by the library's own check(), so a
// value that exists in Python is one a Dataset accepts on its own terms; list fields are
// normalised (sorted, unique) the way the Dataset stores them, so equal means equal.
#include <algorithm>
#include <string>
#include <utility>

#include "arrays.hpp"
#include "balai/core/text.hpp"
#include "balai/model/dataset.hpp"
#include "bindings.hpp"

namespace balai::python {
namespace {

template <class T>
std::vector<T> sorted_unique(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

Facility make_facility(std::string id, std::string name, FacilityKind kind, OwnerLevel owner,
                       GeoPoint location, std::optional<int> province,
                       std::optional<std::string> regency, std::optional<BlkGrade> grade,
                       const py::int_& rooms_value, const py::int_& seats_value,
                       std::vector<std::string> features, std::optional<DateRange> active) {
  std::vector<Problem> problems;
  const int rooms = integer_of<int>(rooms_value, "rooms", problems);
  const int seats = integer_of<int>(seats_value, "seats", problems);
  raise_if_any(std::move(problems), "facility " + printable(id, 64));
  const Region region = resolve_region(province, regency, problems);
  Facility facility{std::move(id),
                    std::move(name),
                    kind,
                    owner,
                    grade,
                    location,
                    region.province,
                    region.regency,
                    rooms,
                    seats,
                    sorted_unique(std::move(features)),
                    active};
  raise_if_any(combine(std::move(problems), check(facility)),
               "facility " + printable(facility.id, 64));
  return facility;
}

CompletionRule make_rule(double min_attendance, std::optional<double> pass_mark,
                         MoveOnRule move_on) {
  const CompletionRule rule{min_attendance, pass_mark, move_on};
  // The rule's checks are part of check(Module): run them on a module that is valid but
  // for its rule.
  Module probe;
  probe.code = "rule";
  probe.title = "rule";
  probe.rule = rule;
  auto problems = check(probe);
  for (auto& problem : problems) problem.where = "completion rule";
  raise_if_any(std::move(problems));
  return rule;
}

Module make_module(std::string code, std::string title, const py::int_& hours_jp,
                   std::vector<std::string> prerequisites,
                   std::vector<std::string> required_features, std::vector<Track> tracks,
                   CompletionRule rule) {
  std::vector<Problem> problems;
  const int hours = integer_of<int>(hours_jp, "hours_jp", problems);
  raise_if_any(std::move(problems), "module " + printable(code, 64));
  Module module{std::move(code),
                std::move(title),
                hours,
                std::move(prerequisites),
                sorted_unique(std::move(required_features)),
                sorted_unique(std::move(tracks)),
                rule};
  raise_if_any(check(module));
  return module;
}

Phase make_phase(std::string name, DateRange window) {
  Phase phase{std::move(name), window};
  // A phase's checks are part of check(Program): run them on a one-phase program.
  Program probe;
  probe.name = "program";
  probe.phases = {phase};
  auto problems = check(probe);
  for (auto& problem : problems) {
    problem.where = "phase";
    if (problem.field.starts_with("phases.")) problem.field.erase(0, 7);
  }
  raise_if_any(std::move(problems));
  return phase;
}

Program make_program(std::string name, std::vector<std::string> ministries,
                     const py::int_& target_min, const py::int_& target_max,
                     std::vector<Phase> phases) {
  std::vector<Problem> problems;
  const int low = integer_of<int>(target_min, "target_min", problems);
  const int high = integer_of<int>(target_max, "target_max", problems);
  raise_if_any(std::move(problems), "program");
  Program program{std::move(name), std::move(ministries), low, high, std::move(phases)};
  raise_if_any(check(program));
  return program;
}

Regency make_regency(const std::string& code, std::string name, GeoPoint seat,
                     std::int64_t population) {
  Regency regency{RegencyCode::parse(code, "code"), std::move(name), seat, population};
  // The regency rules are the regency table's: a one-regency Dataset applies them.
  (void)Dataset(std::vector<Regency>{regency});
  return regency;
}

void bind_facility(py::module_& m) {
  bind_enum<FacilityKind>(m, "FacilityKind",
                          "UPTP (central BLK), UPTD (regional BLK), BLK Komunitas, PLUT or RPB.");
  bind_enum<OwnerLevel>(m, "OwnerLevel", "Who owns a facility.");
  bind_enum<BlkGrade>(m, "BlkGrade", "The grade of a BLK Komunitas, from new to self-reliant.");

  py::class_<Facility>(m, "Facility", py::is_final(),
                       "A place with training capacity. `province` may be left out when "
                       "`regency` (\"NN.NN\") is given; `grade` is for a BLK Komunitas only; "
                       "`active` is when it can be used (always when None).")
      .def(py::init(&make_facility), py::arg("id"), py::kw_only(), py::arg("name"), py::arg("kind"),
           py::arg("owner"), py::arg("location"), py::arg("province") = py::none(),
           py::arg("regency") = py::none(), py::arg("grade") = py::none(), py::arg("rooms") = 0,
           py::arg("seats") = 0, py::arg("features") = std::vector<std::string>{},
           py::arg("active") = py::none())
      .def_readonly("id", &Facility::id)
      .def_readonly("name", &Facility::name)
      .def_readonly("kind", &Facility::kind)
      .def_readonly("owner", &Facility::owner)
      .def_readonly("location", &Facility::location)
      .def_readonly("province", &Facility::province)
      .def_property_readonly("regency", [](const Facility& f) { return regency_text(f.regency); })
      .def_readonly("grade", &Facility::grade)
      .def_readonly("rooms", &Facility::rooms)
      .def_readonly("seats", &Facility::seats)
      .def_readonly("features", &Facility::features)
      .def_readonly("active", &Facility::active)
      .def("__repr__",
           [](const Facility& f) {
             return Repr("Facility")
                 .arg("id", f.id)
                 .arg("name", f.name)
                 .arg("kind", f.kind)
                 .arg("owner", f.owner)
                 .arg("location", f.location)
                 .arg("province", f.province)
                 .arg("regency", regency_text(f.regency))
                 .arg("grade", f.grade)
                 .arg("rooms", f.rooms)
                 .arg("seats", f.seats)
                 .arg("features", f.features)
                 .arg("active", f.active)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Facility& f) {
            return py::make_tuple(kPickleVersion, f.id, f.name, f.kind, f.owner, f.location,
                                  f.province, regency_text(f.regency), f.grade, f.rooms, f.seats,
                                  f.features, f.active);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "Facility", 12);
            return make_facility(
                s[1].cast<std::string>(), s[2].cast<std::string>(), s[3].cast<FacilityKind>(),
                s[4].cast<OwnerLevel>(), s[5].cast<GeoPoint>(), s[6].cast<std::optional<int>>(),
                s[7].cast<std::optional<std::string>>(), s[8].cast<std::optional<BlkGrade>>(),
                s[9].cast<int>(), s[10].cast<int>(), s[11].cast<std::vector<std::string>>(),
                s[12].cast<std::optional<DateRange>>());
          }));
}

void bind_module(py::module_& m) {
  bind_enum<MoveOnRule>(m, "MoveOnRule",
                        "When a module counts as done: by attendance, by assessment, both, "
                        "either, or regardless.");

  py::class_<CompletionRule>(m, "CompletionRule", py::is_final(),
                             "When a module is completed: the attendance fraction, the pass "
                             "mark (out of 100; needed by rules that look at an assessment) "
                             "and the move-on rule.")
      .def(py::init(&make_rule), py::kw_only(), py::arg("min_attendance") = 0.8,
           py::arg("pass_mark") = py::none(), py::arg("move_on") = MoveOnRule::completed)
      .def_readonly("min_attendance", &CompletionRule::min_attendance)
      .def_readonly("pass_mark", &CompletionRule::pass_mark)
      .def_readonly("move_on", &CompletionRule::move_on)
      .def("__repr__",
           [](const CompletionRule& r) {
             return Repr("CompletionRule")
                 .arg("min_attendance", r.min_attendance)
                 .arg("pass_mark", r.pass_mark)
                 .arg("move_on", r.move_on)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const CompletionRule& r) {
            return py::make_tuple(kPickleVersion, r.min_attendance, r.pass_mark, r.move_on);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "CompletionRule", 3);
            return make_rule(s[1].cast<double>(), s[2].cast<std::optional<double>>(),
                             s[3].cast<MoveOnRule>());
          }));

  py::class_<Module>(m, "Module", py::is_final(),
                     "A unit of training: hours in JP (45-minute lessons), prerequisite module "
                     "codes, the facility features it needs, the tracks that require it and "
                     "its completion rule.")
      .def(py::init(&make_module), py::arg("code"), py::kw_only(), py::arg("title"),
           py::arg("hours_jp"), py::arg("prerequisites") = std::vector<std::string>{},
           py::arg("required_features") = std::vector<std::string>{},
           py::arg("tracks") = std::vector<Track>{}, py::arg("rule") = CompletionRule{})
      .def_readonly("code", &Module::code)
      .def_readonly("title", &Module::title)
      .def_readonly("hours_jp", &Module::hours_jp)
      .def_readonly("prerequisites", &Module::prerequisites)
      .def_readonly("required_features", &Module::required_features)
      .def_readonly("tracks", &Module::tracks)
      .def_readonly("rule", &Module::rule)
      .def("required_by", &Module::required_by, py::arg("track"))
      .def("__repr__",
           [](const Module& mod) {
             return Repr("Module")
                 .arg("code", mod.code)
                 .arg("title", mod.title)
                 .arg("hours_jp", mod.hours_jp)
                 .arg("prerequisites", mod.prerequisites)
                 .arg("required_features", mod.required_features)
                 .arg("tracks", mod.tracks)
                 .arg("rule", mod.rule)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Module& mod) {
            return py::make_tuple(kPickleVersion, mod.code, mod.title, mod.hours_jp,
                                  mod.prerequisites, mod.required_features, mod.tracks, mod.rule);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "Module", 7);
            return make_module(s[1].cast<std::string>(), s[2].cast<std::string>(), s[3].cast<int>(),
                               s[4].cast<std::vector<std::string>>(),
                               s[5].cast<std::vector<std::string>>(),
                               s[6].cast<std::vector<Track>>(), s[7].cast<CompletionRule>());
          }));
}

void bind_program(py::module_& m) {
  py::class_<Phase>(m, "Phase", py::is_final(),
                    "A named stage of the program (\"pilot\", \"rollout\") and its window.")
      .def(py::init(&make_phase), py::arg("name"), py::arg("window"))
      .def_readonly("name", &Phase::name)
      .def_readonly("window", &Phase::window)
      .def("__repr__",
           [](const Phase& p) {
             return Repr("Phase").arg("name", p.name).arg("window", p.window).str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Phase& p) { return py::make_tuple(kPickleVersion, p.name, p.window); },
          [](const py::object& state) {
            const auto s = unpickle(state, "Phase", 2);
            return make_phase(s[1].cast<std::string>(), s[2].cast<DateRange>());
          }));

  py::class_<Program>(m, "Program", py::is_final(),
                      "The national program: name, owning ministries, the target range of "
                      "trainees to complete, and its phases in time order.")
      .def(py::init(&make_program), py::arg("name"), py::kw_only(),
           py::arg("ministries") = std::vector<std::string>{}, py::arg("target_min") = 5000,
           py::arg("target_max") = 10000, py::arg("phases") = std::vector<Phase>{})
      .def_readonly("name", &Program::name)
      .def_readonly("ministries", &Program::ministries)
      .def_readonly("target_min", &Program::target_min)
      .def_readonly("target_max", &Program::target_max)
      .def_readonly("phases", &Program::phases)
      .def("phase", &Program::phase, py::arg("name"),
           "The phase with this name; UnknownReferenceError otherwise.")
      .def("__repr__",
           [](const Program& p) {
             return Repr("Program")
                 .arg("name", p.name)
                 .arg("ministries", p.ministries)
                 .arg("target_min", p.target_min)
                 .arg("target_max", p.target_max)
                 .arg("phases", p.phases)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Program& p) {
            return py::make_tuple(kPickleVersion, p.name, p.ministries, p.target_min, p.target_max,
                                  p.phases);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "Program", 5);
            return make_program(s[1].cast<std::string>(), s[2].cast<std::vector<std::string>>(),
                                s[3].cast<int>(), s[4].cast<int>(),
                                s[5].cast<std::vector<Phase>>());
          }));
}

void bind_regency(py::module_& m) {
  py::class_<Regency>(m, "Regency", py::is_final(),
                      "A regency (kabupaten) or city (kota): Kemendagri code \"NN.NN\", name, "
                      "seat and population.")
      .def(py::init(&make_regency), py::arg("code"), py::kw_only(), py::arg("name"),
           py::arg("seat"), py::arg("population"))
      .def_property_readonly("code", [](const Regency& r) { return r.code.to_string(); })
      .def_property_readonly("province", &Regency::province)
      .def_readonly("name", &Regency::name)
      .def_readonly("seat", &Regency::seat)
      .def_readonly("population", &Regency::population)
      .def("__repr__",
           [](const Regency& r) {
             return Repr("Regency")
                 .arg("code", r.code.to_string())
                 .arg("name", r.name)
                 .arg("seat", r.seat)
                 .arg("population", r.population)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Regency& r) {
            return py::make_tuple(kPickleVersion, r.code.to_string(), r.name, r.seat, r.population);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "Regency", 4);
            return make_regency(s[1].cast<std::string>(), s[2].cast<std::string>(),
                                s[3].cast<GeoPoint>(), s[4].cast<std::int64_t>());
          }));
}

}  // namespace

void register_model(py::module_& m) {
  bind_regency(m);
  m.def(
      "indonesia_regencies",
      [] {
        const auto table = indonesia_regencies();
        return std::vector<Regency>(table.begin(), table.end());
      },
      "The embedded table of the 514 regencies and cities, in code order.");
  bind_facility(m);
  bind_module(m);
  bind_program(m);
}

}  // namespace balai::python
