// The timetable: when each class runs (python/balai/pilot.py adds DataFrames). Options
// are immutable values; a Timetable hands out its cohorts and unscheduled groups as
// values, and its per-trainee arrays as read-only numpy views. A timetable pickles as
// columns.
#include "../../bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>

#include <cstdint>
#include <string>
#include <vector>

#include "../../arrays.hpp"
#include "../../value_class.hpp"
#include "balai/model/dataset.hpp"
#include "balai/planning/timetable/timetable.hpp"

namespace balai::python {
namespace {

static_assert(sizeof(TraineeIndex) == sizeof(std::uint32_t));

template <class Value>
py::array trainees_view(const py::object& self) {
  return view<std::uint32_t>(self.cast<const Value&>().trainees, self);
}

std::vector<TraineeIndex> trainees_of(const py::handle& column, const char* type_name) {
  const auto raw = pickled_column<std::uint32_t>(column, type_name, "trainees");
  return {raw.begin(), raw.end()};
}

// A national timetable has thousands of cohorts: they pickle as columns, each list (the
// sessions, the trainees) flattened with its offsets.
py::dict cohort_columns(const std::vector<ScheduledCohort>& cohorts) {
  const auto n = cohorts.size();
  py::dict d;
  std::vector<std::string> codes;
  for (const auto& c : cohorts) codes.push_back(c.code);
  d["code"] = codes;
  d["facility"] =
      column<std::uint32_t>(n, [&](std::size_t i) { return cohorts[i].facility.value(); });
  d["module"] = column<std::uint32_t>(n, [&](std::size_t i) { return cohorts[i].module.value(); });
  d["room"] = column<std::int32_t>(n, [&](std::size_t i) { return cohorts[i].room; });
  d["sessions"] = flat_columns<std::int32_t>(cohorts, [](const auto& c) { return c.sessions; });
  d["trainees"] = flat_columns<std::uint32_t>(cohorts, [](const auto& c) { return c.trainees; });
  return d;
}

std::vector<ScheduledCohort> cohorts_of(const py::handle& state) {
  const PickledColumns columns(state, "Timetable", "cohorts");
  const auto codes = columns.strings("code");
  const auto facility = columns.column<std::uint32_t>("facility");
  const auto module = columns.column<std::uint32_t>("module");
  const auto room = columns.column<std::int32_t>("room");
  columns.check_rows(codes.size(), {facility.size(), module.size(), room.size()});
  const FlatColumns<std::int32_t> sessions(columns["sessions"], codes.size(), "Timetable",
                                           columns.path("sessions"));
  const FlatColumns<std::uint32_t> trainees(columns["trainees"], codes.size(), "Timetable",
                                            columns.path("trainees"));
  std::vector<ScheduledCohort> cohorts(codes.size());
  for (std::size_t i = 0; i < cohorts.size(); ++i) {
    cohorts[i] = {codes[i], FacilityIndex(facility[i]), ModuleIndex(module[i]),
                  room[i],  sessions.row<Date>(i),      trainees.row<TraineeIndex>(i)};
  }
  return cohorts;
}

py::dict unscheduled_columns(const std::vector<Unscheduled>& groups) {
  const auto n = groups.size();
  py::dict d;
  d["facility"] =
      column<std::uint32_t>(n, [&](std::size_t i) { return groups[i].facility.value(); });
  d["module"] = column<std::uint32_t>(n, [&](std::size_t i) { return groups[i].module.value(); });
  d["trainees"] = flat_columns<std::uint32_t>(groups, [](const auto& u) { return u.trainees; });
  d["reason"] = column<std::uint8_t>(
      n, [&](std::size_t i) { return static_cast<std::uint8_t>(groups[i].reason); });
  std::vector<std::string> details;
  for (const auto& u : groups) details.push_back(u.detail);
  d["detail"] = details;
  return d;
}

std::vector<Unscheduled> unscheduled_of(const py::handle& state) {
  const PickledColumns columns(state, "Timetable", "unscheduled");
  const auto facility = columns.column<std::uint32_t>("facility");
  const auto module = columns.column<std::uint32_t>("module");
  const auto reason = columns.codes<UnscheduledReason>("reason");
  const auto detail = columns.strings("detail");
  columns.check_rows(facility.size(), {module.size(), reason.size(), detail.size()});
  const FlatColumns<std::uint32_t> trainees(columns["trainees"], facility.size(), "Timetable",
                                            columns.path("trainees"));
  std::vector<Unscheduled> groups(facility.size());
  for (std::size_t i = 0; i < groups.size(); ++i) {
    groups[i] = {FacilityIndex(facility[i]), ModuleIndex(module[i]), trainees.row<TraineeIndex>(i),
                 reason[i], detail[i]};
  }
  return groups;
}

void bind_values(py::module_& m) {
  bind_value<TimetableOptions>(
      m, "TimetableOptions",
      "How to timetable, validated when made: the window (the program phase `phase`, or "
      "`start` and `weeks`), class_min and class_max trainees per class, session_jp lessons "
      "per teaching day, sessions_per_day per room, teaching_hours_per_week per room, the "
      "ISO working_days, the national `holidays` (None: the embedded list for the window's "
      "years) and session_start_minutes (local time a teaching day starts). See "
      "docs/pilot.md.",
      field("phase", &TimetableOptions::phase), field("start", &TimetableOptions::start),
      field("weeks", &TimetableOptions::weeks), field("class_min", &TimetableOptions::class_min),
      field("class_max", &TimetableOptions::class_max),
      field("session_jp", &TimetableOptions::session_jp),
      field("sessions_per_day", &TimetableOptions::sessions_per_day),
      field("teaching_hours_per_week", &TimetableOptions::teaching_hours_per_week),
      field("working_days", &TimetableOptions::working_days),
      field("holidays", &TimetableOptions::holidays),
      field("session_start_minutes", &TimetableOptions::session_start_minutes));
  bind_enum<UnscheduledReason>(
      m, "UnscheduledReason",
      "Why a group of trainees has no class for a module: class_too_small, window, "
      "prerequisite, no_room or too_many_sessions.");

  py::class_<ScheduledCohort>(m, "ScheduledCohort", py::is_final(),
                              "One class: a module at a facility, in one room, on its session "
                              "dates (local), for its trainees (dataset indices).")
      .def_readonly("code", &ScheduledCohort::code)
      .def_property_readonly("facility",
                             [](const ScheduledCohort& c) { return c.facility.value(); })
      .def_property_readonly("module", [](const ScheduledCohort& c) { return c.module.value(); })
      .def_readonly("room", &ScheduledCohort::room)
      .def_readonly("sessions", &ScheduledCohort::sessions)
      .def_property_readonly("trainees", &trainees_view<ScheduledCohort>)
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__",
           [](const ScheduledCohort& c) {
             return "<ScheduledCohort " + c.code + ": " + std::to_string(c.trainees.size()) +
                    " trainees, " + std::to_string(c.sessions.size()) + " sessions>";
           })
      .def(py::pickle(
          [](const ScheduledCohort& c) {
            return py::make_tuple(kPickleVersion, c.code, c.facility.value(), c.module.value(),
                                  c.room, c.sessions, copy<std::uint32_t>(c.trainees));
          },
          [](const py::object& state) {
            constexpr const char* kName = "ScheduledCohort";
            const auto s = unpickle(state, kName, 6);
            return ScheduledCohort{pickled<std::string>(s[1], kName, "code"),
                                   FacilityIndex(pickled<std::uint32_t>(s[2], kName, "facility")),
                                   ModuleIndex(pickled<std::uint32_t>(s[3], kName, "module")),
                                   pickled<int>(s[4], kName, "room"),
                                   pickled<std::vector<Date>>(s[5], kName, "sessions"),
                                   trainees_of(s[6], kName)};
          }));

  py::class_<Unscheduled>(m, "Unscheduled", py::is_final(),
                          "Trainees of a facility left without a class for a module, and why.")
      .def_property_readonly("facility", [](const Unscheduled& u) { return u.facility.value(); })
      .def_property_readonly("module", [](const Unscheduled& u) { return u.module.value(); })
      .def_property_readonly("trainees", &trainees_view<Unscheduled>)
      .def_readonly("reason", &Unscheduled::reason)
      .def_readonly("detail", &Unscheduled::detail)
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__",
           [](const Unscheduled& u) {
             return "<Unscheduled " + std::string(name_of(u.reason)) + ": " + u.detail + ">";
           })
      .def(py::pickle(
          [](const Unscheduled& u) {
            return py::make_tuple(kPickleVersion, u.facility.value(), u.module.value(),
                                  copy<std::uint32_t>(u.trainees), u.reason, u.detail);
          },
          [](const py::object& state) {
            constexpr const char* kName = "Unscheduled";
            const auto s = unpickle(state, kName, 5);
            return Unscheduled{FacilityIndex(pickled<std::uint32_t>(s[1], kName, "facility")),
                               ModuleIndex(pickled<std::uint32_t>(s[2], kName, "module")),
                               trainees_of(s[3], kName),
                               pickled<UnscheduledReason>(s[4], kName, "reason"),
                               pickled<std::string>(s[5], kName, "detail")};
          }));

  py::class_<Timetable>(m, "Timetable", py::is_final(),
                        "The classes of a phase: cohorts, what could not be scheduled and why, "
                        "the window and the holidays applied, and per trainee whether every "
                        "module of their track is scheduled (complete).")
      .def_readonly("options", &Timetable::options)
      .def_readonly("window", &Timetable::window)
      .def_readonly("holidays", &Timetable::holidays)
      .def_readonly("cohorts", &Timetable::cohorts)
      .def_readonly("unscheduled", &Timetable::unscheduled)
      .def_property_readonly("complete",
                             [](const Timetable& t) {
                               return column<bool>(t.complete.size(),
                                                   [&](std::size_t i) { return t.complete[i]; });
                             })
      .def(
          "session_start",
          [](const Timetable& t, const Dataset& dataset, std::size_t cohort, std::size_t session) {
            return t.session_start(dataset, t.cohorts.at(cohort), session);
          },
          py::arg("dataset"), py::arg("cohort"), py::arg("session"),
          "Start of session `session` of cohort `cohort` (indices) in Unix seconds, UTC.")
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__",
           [](const Timetable& t) {
             return "<Timetable " + std::to_string(t.cohorts.size()) + " cohorts, " +
                    std::to_string(t.unscheduled.size()) + " unscheduled groups>";
           })
      .def(py::pickle(
          [](const Timetable& t) {
            return py::make_tuple(
                kPickleVersion, t.options, t.window, t.holidays, cohort_columns(t.cohorts),
                unscheduled_columns(t.unscheduled),
                column<bool>(t.complete.size(), [&](std::size_t i) { return t.complete[i]; }));
          },
          [](const py::object& state) {
            constexpr const char* kName = "Timetable";
            const auto s = unpickle(state, kName, 6);
            const auto complete = pickled_column<bool>(s[6], kName, "complete");
            return Timetable{pickled<TimetableOptions>(s[1], kName, "options"),
                             pickled<DateRange>(s[2], kName, "window"),
                             pickled<std::vector<Date>>(s[3], kName, "holidays"),
                             cohorts_of(s[4]),
                             unscheduled_of(s[5]),
                             {complete.begin(), complete.end()}};
          }));
}

void bind_functions(py::module_& m) {
  m.def("national_holidays", &national_holidays, py::arg("year"),
        "Indonesia's national public holidays and collective leave in `year`, as embedded "
        "(2026 and 2027); empty for other years.");
  m.def(
      "timetable",
      [](const Dataset& dataset, const Allocation& allocation, const TimetableOptions& options) {
        return timetable(dataset, allocation, options);
      },
      py::arg("dataset"), py::arg("allocation"), py::arg("options"),
      py::call_guard<py::gil_scoped_release>(),
      "Cohorts of an allocation scheduled in the phase's window; use balai.pilot.timetable.");
  m.def(
      "verify_timetable",
      [](const Dataset& dataset, const Allocation& allocation, const Timetable& timetable) {
        return verify(dataset, allocation, timetable);
      },
      py::arg("dataset"), py::arg("allocation"), py::arg("timetable"),
      py::call_guard<py::gil_scoped_release>(),
      "Every rule the timetable breaks, as Problems; empty when it is sound.");
  m.def(
      "timetable_roster",
      [](const Dataset& dataset, const Timetable& timetable, const std::string& name_space) {
        return timetable_roster(dataset, timetable, Uuid::parse(name_space, "name_space"));
      },
      py::arg("dataset"), py::arg("timetable"), py::arg("name_space"),
      "The roster of a timetable: its cohorts and a registration per timetabled trainee, with "
      "version-5 UUIDs of the trainee ids in `name_space`.");
}

}  // namespace

void register_timetable(py::module_& m) {
  bind_values(m);
  bind_functions(m);
}

}  // namespace balai::python
