// Tracking: the roster, the event ledger and its statuses and reports
// (python/balai/tracking.py adds DataFrame ingest and DataFrame results). Events cross
// in bulk as numpy columns and are validated in C++ with the GIL released; statuses come
// back as numpy columns.
#include "bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "balai/core/text.hpp"
#include "balai/model/dataset.hpp"
#include "balai/tracking/ledger.hpp"
#include "balai/tracking/report.hpp"
#include "event_columns.hpp"
#include "value_class.hpp"

namespace balai::python {
namespace {

// Optional times as int64 seconds with `kNoTime` for none: pandas turns them into NaT.
constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
std::int64_t time_or_none(const std::optional<Timestamp>& time) { return time.value_or(kNoTime); }

py::dict program_columns(const Statuses& s) {
  const auto programs = s.programs();
  py::dict d;
  d["status"] = column<std::uint8_t>(programs.size(), [&](std::size_t i) {
    return static_cast<std::uint8_t>(programs[i].status);
  });
  d["enrolled_at"] = column<std::int64_t>(
      programs.size(), [&](std::size_t i) { return time_or_none(programs[i].enrolled_at); });
  d["completed_at"] = column<std::int64_t>(
      programs.size(), [&](std::size_t i) { return time_or_none(programs[i].completed_at); });
  d["withdrew_at"] = column<std::int64_t>(
      programs.size(), [&](std::size_t i) { return time_or_none(programs[i].withdrew_at); });
  d["overridden"] =
      column<bool>(programs.size(), [&](std::size_t i) { return programs[i].overridden; });
  return d;
}

py::dict module_columns(const Roster& roster, const Statuses& s, bool excused_excluded) {
  std::vector<std::uint32_t> registration;
  std::vector<std::uint32_t> module;
  for (std::uint32_t r = 0; r < s.size(); ++r) {
    for (const auto m : roster.required(RegistrationIndex(r))) {
      registration.push_back(r);
      module.push_back(m.value());
    }
  }
  const auto states = s.all_modules();
  py::dict d;
  d["registration"] =
      column<std::uint32_t>(states.size(), [&](std::size_t i) { return registration[i]; });
  d["module"] = column<std::uint32_t>(states.size(), [&](std::size_t i) { return module[i]; });
  d["status"] = column<std::uint8_t>(
      states.size(), [&](std::size_t i) { return static_cast<std::uint8_t>(states[i].status); });
  d["sessions"] =
      column<std::int32_t>(states.size(), [&](std::size_t i) { return states[i].sessions; });
  d["attended"] =
      column<std::int32_t>(states.size(), [&](std::size_t i) { return states[i].attended; });
  d["absent"] =
      column<std::int32_t>(states.size(), [&](std::size_t i) { return states[i].absent; });
  d["excused"] =
      column<std::int32_t>(states.size(), [&](std::size_t i) { return states[i].excused; });
  d["attendance"] = column<double>(
      states.size(), [&](std::size_t i) { return states[i].attendance(excused_excluded); });
  d["best_score"] = column<double>(
      states.size(), [&](std::size_t i) { return states[i].best_score.value_or(std::nan("")); });
  d["done_at"] = column<std::int64_t>(
      states.size(), [&](std::size_t i) { return time_or_none(states[i].done_at); });
  d["overridden"] =
      column<bool>(states.size(), [&](std::size_t i) { return states[i].overridden; });
  return d;
}

py::dict roster_columns(const Roster& roster) {
  const auto entries = roster.entries();
  py::dict d;
  py::list ids(entries.size());
  py::list regencies(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    ids[i] = roster.registrations()[i].id;
    regencies[i] = regency_text(entries[i].regency);
  }
  d["registration_id"] = ids;
  d["trainee"] = column<std::uint32_t>(entries.size(),
                                       [&](std::size_t i) { return entries[i].trainee.value(); });
  d["trainee_id"] = py::cast([&] {
    std::vector<std::string> v;
    for (const auto& r : roster.registrations()) v.push_back(r.trainee);
    return v;
  }());
  d["track"] = column<std::uint8_t>(
      entries.size(), [&](std::size_t i) { return static_cast<std::uint8_t>(entries[i].track); });
  d["gender"] = column<std::uint8_t>(
      entries.size(), [&](std::size_t i) { return static_cast<std::uint8_t>(entries[i].gender); });
  d["province"] =
      column<std::int32_t>(entries.size(), [&](std::size_t i) { return entries[i].province; });
  d["regency"] = regencies;
  d["facility"] = column<std::int32_t>(entries.size(), [&](std::size_t i) {
    return entries[i].facility ? static_cast<std::int32_t>(entries[i].facility->value()) : -1;
  });
  return d;
}

void bind_values(py::module_& m) {
  bind_value<LedgerOptions>(m, "LedgerOptions",
                            "How a ledger counts attendance: with excused_excluded, excused "
                            "sessions leave the denominator instead of counting as missed.",
                            field("excused_excluded", &LedgerOptions::excused_excluded));
  py::class_<Cohort>(m, "Cohort", py::is_final(),
                     "One run of one module at one facility: its session dates, in order, and "
                     "optionally the last day by which the module must be satisfied.")
      .def(py::init([](std::string code, std::string module, std::string facility,
                       std::vector<Date> sessions, std::optional<Date> deadline) {
             return Cohort{std::move(code), std::move(module), std::move(facility),
                           std::move(sessions), deadline};
           }),
           py::arg("code"), py::kw_only(), py::arg("module"), py::arg("facility"),
           py::arg("sessions"), py::arg("deadline") = py::none())
      .def_readonly("code", &Cohort::code)
      .def_readonly("module", &Cohort::module)
      .def_readonly("facility", &Cohort::facility)
      .def_readonly("sessions", &Cohort::sessions)
      .def_readonly("deadline", &Cohort::deadline)
      .def("__repr__",
           [](const Cohort& c) {
             return Repr("Cohort")
                 .arg("code", c.code)
                 .arg("module", c.module)
                 .arg("facility", c.facility)
                 .arg("sessions", c.sessions)
                 .arg("deadline", c.deadline)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Cohort& c) {
            return py::make_tuple(kPickleVersion, c.code, c.module, c.facility, c.sessions,
                                  c.deadline);
          },
          [](const py::tuple& state) {
            const auto s = unpickle(state, "Cohort", 5);
            return Cohort{s[1].cast<std::string>(), s[2].cast<std::string>(),
                          s[3].cast<std::string>(), s[4].cast<std::vector<Date>>(),
                          s[5].cast<std::optional<Date>>()};
          }));

  py::class_<Registration>(m, "Registration", py::is_final(),
                           "A trainee's place in the program run (id: a UUID) and the cohort "
                           "of each module they attend.")
      .def(py::init([](std::string id, std::string trainee, std::vector<std::string> cohorts) {
             return Registration{std::move(id), std::move(trainee), std::move(cohorts)};
           }),
           py::arg("id"), py::kw_only(), py::arg("trainee"),
           py::arg("cohorts") = std::vector<std::string>{})
      .def_readonly("id", &Registration::id)
      .def_readonly("trainee", &Registration::trainee)
      .def_readonly("cohorts", &Registration::cohorts)
      .def("__repr__",
           [](const Registration& r) {
             return Repr("Registration")
                 .arg("id", r.id)
                 .arg("trainee", r.trainee)
                 .arg("cohorts", r.cohorts)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Registration& r) {
            return py::make_tuple(kPickleVersion, r.id, r.trainee, r.cohorts);
          },
          [](const py::tuple& state) {
            const auto s = unpickle(state, "Registration", 3);
            return Registration{s[1].cast<std::string>(), s[2].cast<std::string>(),
                                s[3].cast<std::vector<std::string>>()};
          }));

  py::class_<Event>(m, "Event", py::is_final(),
                    "One immutable fact about a registration. `registration` and `module` are "
                    "indices into the roster; `time` is Unix seconds (UTC); `session` is "
                    "1-based.")
      .def(py::init([](EventId id, EventKind kind, std::uint32_t registration, Timestamp time,
                       std::string actor, std::optional<std::uint32_t> module,
                       std::optional<int> session, std::optional<double> score, std::string reason,
                       std::optional<EventId> target, std::optional<Status> result) {
             Event e{id,
                     kind,
                     RegistrationIndex(registration),
                     std::nullopt,
                     session,
                     time,
                     std::move(actor),
                     score,
                     std::move(reason),
                     target,
                     result};
             if (module) e.module = ModuleIndex(*module);
             return e;
           }),
           py::arg("id"), py::kw_only(), py::arg("kind"), py::arg("registration"), py::arg("time"),
           py::arg("actor"), py::arg("module") = py::none(), py::arg("session") = py::none(),
           py::arg("score") = py::none(), py::arg("reason") = "", py::arg("target") = py::none(),
           py::arg("result") = py::none())
      .def_readonly("id", &Event::id)
      .def_readonly("kind", &Event::kind)
      .def_property_readonly("registration", [](const Event& e) { return e.registration.value(); })
      .def_property_readonly("module",
                             [](const Event& e) -> std::optional<std::uint32_t> {
                               if (e.module) return e.module->value();
                               return std::nullopt;
                             })
      .def_readonly("session", &Event::session)
      .def_readonly("time", &Event::time)
      .def_readonly("actor", &Event::actor)
      .def_readonly("score", &Event::score)
      .def_readonly("reason", &Event::reason)
      .def_readonly("target", &Event::target)
      .def_readonly("result", &Event::result)
      .def("__repr__",
           [](const Event& e) {
             Repr repr("Event");
             repr.arg("id", e.id).arg("kind", e.kind).arg("registration", e.registration.value());
             repr.arg("time", e.time).arg("actor", e.actor);
             if (e.module) repr.arg("module", e.module->value());
             if (e.session) repr.arg("session", *e.session);
             if (e.score) repr.arg("score", *e.score);
             if (!e.reason.empty()) repr.arg("reason", e.reason);
             if (e.target) repr.arg("target", *e.target);
             if (e.result) repr.arg("result", *e.result);
             return repr.str();
           })
      .def(py::self == py::self);
}

void bind_roster(py::module_& m) {
  py::class_<Roster>(m, "Roster",
                     "Who is registered and which cohort each registration attends, resolved "
                     "against a Dataset. ValidationError lists every problem.")
      .def(py::init<const Dataset&, std::vector<Cohort>, std::vector<Registration>>(),
           py::arg("dataset"), py::arg("cohorts"), py::arg("registrations"))
      .def("__len__", &Roster::registration_count)
      .def_property_readonly("cohorts",
                             [](const Roster& r) {
                               return std::vector<Cohort>(r.cohorts().begin(), r.cohorts().end());
                             })
      .def_property_readonly("registrations",
                             [](const Roster& r) {
                               return std::vector<Registration>(r.registrations().begin(),
                                                                r.registrations().end());
                             })
      .def_property_readonly("module_codes",
                             [](const Roster& r) {
                               std::vector<std::string> codes;
                               for (const auto& mod : r.modules()) codes.push_back(mod.code);
                               return codes;
                             })
      .def_property_readonly("facility_ids",
                             [](const Roster& r) {
                               return std::vector<std::string>(r.facility_ids().begin(),
                                                               r.facility_ids().end());
                             })
      .def_property_readonly("program_name",
                             [](const Roster& r) { return std::string(r.program_name()); })
      .def_property_readonly("target_min", &Roster::target_min)
      .def_property_readonly("target_max", &Roster::target_max)
      .def(
          "required",
          [](const Roster& r, std::uint32_t registration) {
            if (registration >= r.registration_count()) {
              throw UnknownReferenceError("registration", std::to_string(registration));
            }
            std::vector<std::uint32_t> modules;
            for (const auto mod : r.required(RegistrationIndex(registration))) {
              modules.push_back(mod.value());
            }
            return modules;
          },
          py::arg("registration"), "The module indices the registration's track requires.")
      .def("_columns", &roster_columns)
      .def(
          "digest", [](const Roster& r) { return to_hex(r.digest()); },
          "SHA-256 of the roster's content, as hex.")
      .def("__repr__",
           [](const Roster& r) {
             return "<Roster: " + std::to_string(r.registration_count()) + " registrations, " +
                    std::to_string(r.cohorts().size()) + " cohorts>";
           })
      .def(py::self == py::self);
}

void bind_ledger(py::module_& m) {
  py::class_<AppendResult>(m, "AppendResult", py::is_final(),
                           "Events an append added, and those already recorded with the same "
                           "payload.")
      .def_readonly("added", &AppendResult::added)
      .def_readonly("duplicates", &AppendResult::duplicates)
      .def(
          "__repr__",
          [](const AppendResult& a) {
            return Repr("AppendResult").arg("added", a.added).arg("duplicates", a.duplicates).str();
          })
      .def(py::self == py::self);

  py::class_<Statuses>(m, "Statuses",
                       "Every registration's status and its modules', as of a time. "
                       "balai.tracking turns them into DataFrames.")
      .def("__len__", &Statuses::size)
      .def_property_readonly("as_of", &Statuses::as_of)
      .def("_program_columns", &program_columns)
      .def("__repr__",
           [](const Statuses& s) {
             return "<Statuses of " + std::to_string(s.size()) + " registrations as of " +
                    std::to_string(s.as_of()) + ">";
           })
      .def(py::self == py::self);

  py::class_<Ledger> ledger(m, "Ledger",
                            "The append-only event ledger of a roster. Appends are idempotent and "
                            "all-or-nothing; statuses follow event time.");
  def_append_columns(
      ledger,
      "Appends a batch of numpy columns, all or nothing, without a Python loop: kind "
      "and result as codes (EventKind/Status values; result 255 = none), registration "
      "and module as roster indices (module -1 = none), session 1-based (-1 = none), "
      "time in Unix seconds, score NaN for none, actor and reason as indices into "
      "`texts` (reason 2**32-1 = none), target the voided event's id. Optional columns "
      "may be left out.");
  ledger
      .def(py::init([](Roster roster, bool excused_excluded) {
             return Ledger(std::move(roster), LedgerOptions{excused_excluded});
           }),
           py::arg("roster"), py::kw_only(), py::arg("excused_excluded") = true)
      .def("__len__", &Ledger::size)
      .def_property_readonly("roster", &Ledger::roster, py::return_value_policy::reference_internal)
      .def_property_readonly("excused_excluded",
                             [](const Ledger& l) { return l.options().excused_excluded; })
      .def(
          "append",
          [](Ledger& l, const std::vector<Event>& events) {
            const py::gil_scoped_release release;
            return l.append(events);
          },
          py::arg("events"), "Appends Event values, all or nothing.")
      .def("event", &Ledger::event, py::arg("position"),
           "The event at `position`, in arrival order.")
      .def("find", &Ledger::find, py::arg("id"), "The position of event `id`, or None.")
      .def("is_voided", &Ledger::is_voided, py::arg("position"))
      .def(
          "statuses",
          [](const Ledger& l, std::optional<Timestamp> as_of) {
            const py::gil_scoped_release release;
            return l.statuses(as_of);
          },
          py::arg("as_of") = py::none(),
          "Statuses as of `as_of` (Unix seconds), or as of the latest event.")
      .def(
          "_module_columns",
          [](const Ledger& l, const Statuses& s) {
            return module_columns(l.roster(), s, l.options().excused_excluded);
          },
          py::arg("statuses"))
      .def_property_readonly("memory_bytes", &Ledger::memory_bytes)
      .def("__repr__",
           [](const Ledger& l) {
             return "<Ledger: " + std::to_string(l.size()) + " events, " +
                    std::to_string(l.roster().registration_count()) + " registrations>";
           })
      .def(py::self == py::self);
}

void bind_reports(py::module_& m) {
  m.def(
      "_report_columns",
      [](const Roster& roster, const Statuses& statuses, ReportBy by) {
        const auto rows = report(roster, statuses, by);
        py::dict d;
        std::vector<std::string> keys;
        for (const auto& row : rows) keys.push_back(row.key);
        d["key"] = keys;
        d["total"] = column<std::int64_t>(
            rows.size(), [&](std::size_t i) { return static_cast<std::int64_t>(rows[i].total); });
        for (std::size_t s = 0; s < EnumNames<Status>::names.size(); ++s) {
          d[py::str(std::string(EnumNames<Status>::names[s]))] = column<std::int64_t>(
              rows.size(),
              [&](std::size_t i) { return static_cast<std::int64_t>(rows[i].counts[s]); });
        }
        return d;
      },
      py::arg("roster"), py::arg("statuses"), py::arg("by"));
  m.def(
      "_funnel",
      [](const Statuses& statuses, std::size_t certified) {
        const auto f = funnel(statuses, certified);
        return py::make_tuple(f.registered, f.enrolled, f.started, f.completed, f.certified);
      },
      py::arg("statuses"), py::arg("certified") = 0);
  m.def(
      "_progress",
      [](const Roster& roster, const Statuses& statuses) {
        const auto p = progress(roster, statuses);
        return py::make_tuple(p.completed, p.in_progress, p.target_min, p.target_max);
      },
      py::arg("roster"), py::arg("statuses"));
}

}  // namespace

void register_tracking(py::module_& m) {
  bind_enum<EventKind>(m, "EventKind", "What an event records.");
  bind_enum<Status>(m, "Status", "A module's or a registration's standing.");
  bind_enum<ReportBy>(m, "ReportBy", "How a report groups registrations.");
  bind_values(m);
  bind_roster(m);
  bind_ledger(m);
  bind_reports(m);
}

}  // namespace balai::python
