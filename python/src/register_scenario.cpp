// The national scenario generator and the scenario builder (python/balai/scenario.py
// adds the Pythonic surface). Options are immutable and validated when made; generating
// releases the GIL.
#include "bindings.hpp"  // first: the shared type casters

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "balai/model/dataset.hpp"
#include "balai/scenario/builder.hpp"
#include "balai/scenario/catalog.hpp"
#include "balai/scenario/digest.hpp"
#include "balai/scenario/indonesia.hpp"
#include "value_class.hpp"

namespace balai::python {
namespace {

// The options' fields, in the order of the constructor, repr and pickle.
py::tuple fields_of(const ScenarioOptions& o) {
  return py::make_tuple(o.seed, o.trainees, o.uptp, o.uptd, o.blk_komunitas, o.plut, o.rpb,
                        o.grade_shares, o.new_entrepreneur_share, o.female_share,
                        o.accessibility_share, o.start_date, o.pilot_weeks, o.rollout_weeks,
                        o.target_min, o.target_max, o.threads);
}
constexpr std::array<const char*, 17> kFieldNames{"seed",
                                                  "trainees",
                                                  "uptp",
                                                  "uptd",
                                                  "blk_komunitas",
                                                  "plut",
                                                  "rpb",
                                                  "grade_shares",
                                                  "new_entrepreneur_share",
                                                  "female_share",
                                                  "accessibility_share",
                                                  "start_date",
                                                  "pilot_weeks",
                                                  "rollout_weeks",
                                                  "target_min",
                                                  "target_max",
                                                  "threads"};

// Each field loads on its own (value_class.hpp's load_field), so that a wrong type is a
// ValidationError naming the field, as for every other options value.
ScenarioOptions make_options(const py::object& seed, const py::object& trainees,
                             const py::object& uptp, const py::object& uptd,
                             const py::object& blk_komunitas, const py::object& plut,
                             const py::object& rpb, const py::object& grade_shares,
                             const py::object& new_entrepreneur_share,
                             const py::object& female_share, const py::object& accessibility_share,
                             const py::object& start_date, const py::object& pilot_weeks,
                             const py::object& rollout_weeks, const py::object& target_min,
                             const py::object& target_max, const py::object& threads) {
  std::vector<Problem> problems;
  ScenarioOptions o;
  o.seed = load_field<std::uint64_t>(seed, "seed", problems);
  o.trainees = load_field<int>(trainees, "trainees", problems);
  o.uptp = load_field<int>(uptp, "uptp", problems);
  o.uptd = load_field<int>(uptd, "uptd", problems);
  o.blk_komunitas = load_field<int>(blk_komunitas, "blk_komunitas", problems);
  o.plut = load_field<int>(plut, "plut", problems);
  o.rpb = load_field<int>(rpb, "rpb", problems);
  o.grade_shares = load_field<std::array<double, 3>>(grade_shares, "grade_shares", problems);
  o.new_entrepreneur_share =
      load_field<double>(new_entrepreneur_share, "new_entrepreneur_share", problems);
  o.female_share = load_field<double>(female_share, "female_share", problems);
  o.accessibility_share = load_field<double>(accessibility_share, "accessibility_share", problems);
  o.start_date = load_field<Date>(start_date, "start_date", problems);
  o.pilot_weeks = load_field<int>(pilot_weeks, "pilot_weeks", problems);
  o.rollout_weeks = load_field<int>(rollout_weeks, "rollout_weeks", problems);
  o.target_min = load_field<int>(target_min, "target_min", problems);
  o.target_max = load_field<int>(target_max, "target_max", problems);
  o.threads = load_field<int>(threads, "threads", problems);
  raise_if_any(combine(std::move(problems), check(o)), "scenario options");
  return o;
}

void bind_options(py::module_& m) {
  const ScenarioOptions d;
  py::class_<ScenarioOptions>(
      m, "ScenarioOptions",
      "The parameters of balai.scenario.indonesia(), validated when made: the seed, the "
      "number of trainees, the facilities of each kind, the shares of the trainee mix and "
      "the program's dates and target. Immutable; ValidationError names a bad option.")
      .def(py::init(&make_options), py::kw_only(), py::arg("seed") = d.seed,
           py::arg("trainees") = d.trainees, py::arg("uptp") = d.uptp, py::arg("uptd") = d.uptd,
           py::arg("blk_komunitas") = d.blk_komunitas, py::arg("plut") = d.plut,
           py::arg("rpb") = d.rpb, py::arg("grade_shares") = d.grade_shares,
           py::arg("new_entrepreneur_share") = d.new_entrepreneur_share,
           py::arg("female_share") = d.female_share,
           py::arg("accessibility_share") = d.accessibility_share,
           py::arg("start_date") = d.start_date, py::arg("pilot_weeks") = d.pilot_weeks,
           py::arg("rollout_weeks") = d.rollout_weeks, py::arg("target_min") = d.target_min,
           py::arg("target_max") = d.target_max, py::arg("threads") = d.threads)
      .def_readonly("seed", &ScenarioOptions::seed)
      .def_readonly("trainees", &ScenarioOptions::trainees)
      .def_readonly("uptp", &ScenarioOptions::uptp)
      .def_readonly("uptd", &ScenarioOptions::uptd)
      .def_readonly("blk_komunitas", &ScenarioOptions::blk_komunitas)
      .def_readonly("plut", &ScenarioOptions::plut)
      .def_readonly("rpb", &ScenarioOptions::rpb)
      .def_property_readonly("grade_shares",
                             [](const ScenarioOptions& o) {
                               return py::make_tuple(o.grade_shares[0], o.grade_shares[1],
                                                     o.grade_shares[2]);
                             })
      .def_readonly("new_entrepreneur_share", &ScenarioOptions::new_entrepreneur_share)
      .def_readonly("female_share", &ScenarioOptions::female_share)
      .def_readonly("accessibility_share", &ScenarioOptions::accessibility_share)
      .def_readonly("start_date", &ScenarioOptions::start_date)
      .def_readonly("pilot_weeks", &ScenarioOptions::pilot_weeks)
      .def_readonly("rollout_weeks", &ScenarioOptions::rollout_weeks)
      .def_readonly("target_min", &ScenarioOptions::target_min)
      .def_readonly("target_max", &ScenarioOptions::target_max)
      .def_readonly("threads", &ScenarioOptions::threads)
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__hash__", [](const ScenarioOptions& o) { return py::hash(fields_of(o)); })
      .def("__repr__",
           [](const ScenarioOptions& o) {
             Repr repr("ScenarioOptions");
             const py::tuple fields = fields_of(o);
             for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
               repr.arg(kFieldNames[i], fields[i]);
             }
             return repr.str();
           })
      .def(py::pickle(
          [](const ScenarioOptions& o) { return py::make_tuple(kPickleVersion) + fields_of(o); },
          [](const py::tuple& state) {
            const auto s = unpickle(state, "ScenarioOptions", kFieldNames.size());
            return make_options(s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11],
                                s[12], s[13], s[14], s[15], s[16], s[17]);
          }));
}

void bind_builder(py::module_& m) {
  py::class_<ScenarioBuilder>(m, "_ScenarioBuilder",
                              "The C++ scenario builder; use balai.scenario.ScenarioBuilder.")
      .def(py::init<ScenarioOptions>(), py::arg("options"))
      .def(
          "regencies",
          [](ScenarioBuilder& builder, std::vector<Regency> regencies) {
            builder.regencies(std::move(regencies));
          },
          py::arg("regencies"))
      .def(
          "facility",
          [](ScenarioBuilder& builder, FacilityKind kind, std::optional<int> province,
             const std::optional<std::string>& regency, std::optional<std::string> id,
             std::optional<OwnerLevel> owner, std::optional<BlkGrade> grade,
             std::optional<int> rooms, std::optional<int> seats,
             std::optional<std::vector<std::string>> features) {
            std::vector<Problem> problems;
            const Region region = resolve_region(province, regency, problems);
            raise_if_any(std::move(problems), "scenario builder facility");
            builder.facility(
                kind, region.province,
                {std::move(id), region.regency, owner, grade, rooms, seats, std::move(features)});
          },
          py::arg("kind"), py::kw_only(), py::arg("province") = py::none(),
          py::arg("regency") = py::none(), py::arg("id") = py::none(),
          py::arg("owner") = py::none(), py::arg("grade") = py::none(),
          py::arg("rooms") = py::none(), py::arg("seats") = py::none(),
          py::arg("features") = py::none())
      .def(
          "trainees",
          [](ScenarioBuilder& builder, int count, std::optional<int> province,
             const std::optional<std::string>& regency, std::optional<Track> track,
             std::optional<Gender> gender, std::optional<int> birth_year,
             std::optional<UmkmClass> umkm_class, std::optional<std::string> sector,
             std::optional<std::vector<Need>> needs) {
            std::vector<Problem> problems;
            const Region region = resolve_region(province, regency, problems);
            raise_if_any(std::move(problems), "scenario builder trainees");
            std::optional<AccessibilityNeeds> flags;
            if (needs) {
              flags.emplace();
              for (Need need : *needs) {
                flags = AccessibilityNeeds::from_bits(
                    static_cast<std::uint8_t>(flags->bits() | AccessibilityNeeds{need}.bits()));
              }
            }
            builder.trainees(
                count, region.province,
                {region.regency, track, gender, birth_year, umkm_class, std::move(sector), flags});
          },
          py::arg("count"), py::kw_only(), py::arg("province") = py::none(),
          py::arg("regency") = py::none(), py::arg("track") = py::none(),
          py::arg("gender") = py::none(), py::arg("birth_year") = py::none(),
          py::arg("umkm_class") = py::none(), py::arg("sector") = py::none(),
          py::arg("needs") = py::none())
      .def(
          "practical_modules",
          [](ScenarioBuilder& builder, bool include) { builder.practical_modules(include); },
          py::arg("include"))
      .def("build", [](const ScenarioBuilder& builder) {
        // Builds from a copy taken with the GIL held, so that another thread adding to the
        // builder meanwhile changes nothing this build reads.
        const ScenarioBuilder copy = builder;
        const py::gil_scoped_release release;
        return copy.build();
      });
}

}  // namespace

void register_scenario(py::module_& m) {
  bind_options(m);
  bind_builder(m);
  m.def(
      "scenario_indonesia",
      [](const ScenarioOptions& options, const std::vector<Regency>& regencies) {
        return indonesia(options, regencies);
      },
      py::arg("options"), py::arg("regencies"), py::call_guard<py::gil_scoped_release>(),
      "A national scenario as a _Dataset; use balai.scenario.indonesia().");
  m.def("tiny_scenario", &tiny_scenario, py::arg("seed") = 1,
        py::call_guard<py::gil_scoped_release>(),
        "Two provinces, three facilities and twenty trainees, as a _Dataset.");
  m.def("entrepreneurship_modules", &entrepreneurship_modules, py::arg("include_practical") = true,
        "The scenario's module catalog.");
  m.def("national_program", &national_program, py::arg("options"),
        "The national program of these options: pilot and rollout phases.");
  m.def("scenario_nik_key", &scenario_nik_key, py::arg("seed"),
        "The NikKey that protects a scenario's synthetic NIKs.");
  m.def("dataset_digest", &dataset_digest, py::arg("dataset"),
        py::call_guard<py::gil_scoped_release>(),
        "SHA-256 of a canonical text of the whole dataset, as 64 hex digits.");
}

}  // namespace balai::python
