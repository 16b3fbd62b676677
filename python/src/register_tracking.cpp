// Tracking: the roster, the event ledger and its statuses and reports
// (python/balai/tracking.py adds DataFrame ingest and DataFrame results). Events cross
// in bulk as numpy columns and are validated in C++ with the GIL released; statuses come
// back as numpy columns. Rosters, statuses and ledgers pickle as columns.
#include "bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "balai/core/text.hpp"
#include "balai/model/dataset.hpp"
#include "balai/tracking/ledger.hpp"
#include "balai/tracking/report.hpp"
#include "event_columns.hpp"
#include "object_locks.hpp"
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
  d["province"] = column<std::int32_t>(entries.size(),
                                       [&](std::size_t i) { return entries[i].province.value(); });
  d["regency"] = regencies;
  d["facility"] = column<std::int32_t>(entries.size(), [&](std::size_t i) {
    return entries[i].facility ? static_cast<std::int32_t>(entries[i].facility->value()) : -1;
  });
  return d;
}

Event make_event(EventId id, EventKind kind, std::uint32_t registration, Timestamp time,
                 std::string actor, std::optional<std::uint32_t> module, std::optional<int> session,
                 std::optional<double> score, std::string reason, std::optional<EventId> target,
                 std::optional<Status> result) {
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
}

std::optional<std::uint32_t> module_of(const Event& e) {
  if (e.module) return e.module->value();
  return std::nullopt;
}

// ---- pickles of the large values -----------------------------------------------------
// A roster, its statuses and a ledger's events pickle as columns: a national ledger holds
// a million events, which as Python objects would take minutes to pickle.

constexpr const char* kRoster = "Roster";
constexpr std::int32_t kNoDeadline = std::numeric_limits<std::int32_t>::min();

py::dict cohort_columns(std::span<const Cohort> cohorts) {
  std::vector<std::string> codes;
  std::vector<std::string> modules;
  std::vector<std::string> facilities;
  for (const auto& c : cohorts) {
    codes.push_back(c.code);
    modules.push_back(c.module);
    facilities.push_back(c.facility);
  }
  py::dict d;
  d["code"] = codes;
  d["module"] = modules;
  d["facility"] = facilities;
  d["sessions"] = flat_columns<std::int32_t>(cohorts, [](const Cohort& c) { return c.sessions; });
  d["deadline"] = column<std::int32_t>(cohorts.size(), [&](std::size_t i) {
    return cohorts[i].deadline ? cohorts[i].deadline->days() : kNoDeadline;
  });
  return d;
}

std::vector<Cohort> cohorts_of(const py::handle& state) {
  const PickledColumns columns(state, kRoster, "cohorts");
  const auto codes = columns.strings("code");
  const auto modules = columns.strings("module");
  const auto facilities = columns.strings("facility");
  const auto deadlines = columns.column<std::int32_t>("deadline");
  columns.check_rows(codes.size(), {modules.size(), facilities.size(), deadlines.size()});
  const FlatColumns<std::int32_t> sessions(columns["sessions"], codes.size(), kRoster,
                                           columns.path("sessions"));
  std::vector<Cohort> cohorts(codes.size());
  for (std::size_t i = 0; i < cohorts.size(); ++i) {
    cohorts[i] = {codes[i], modules[i], facilities[i], sessions.row<Date>(i),
                  deadlines[i] == kNoDeadline ? std::nullopt
                                              : std::optional<Date>(Date::from_days(deadlines[i]))};
  }
  return cohorts;
}

// Each registration with what the roster took from its trainee in the dataset.
py::dict registration_columns(const Roster& roster) {
  const auto registrations = roster.registrations();
  const auto entries = roster.entries();
  const auto n = entries.size();
  std::vector<std::string> ids;
  std::vector<std::string> trainees;
  for (const auto& r : registrations) {
    ids.push_back(r.id);
    trainees.push_back(r.trainee);
  }
  py::dict d;
  d["id"] = ids;
  d["trainee"] = trainees;
  d["cohorts"] =
      flat_columns<std::string>(registrations, [](const Registration& r) { return r.cohorts; });
  d["trainee_index"] =
      column<std::uint32_t>(n, [&](std::size_t i) { return entries[i].trainee.value(); });
  d["track"] = column<std::uint8_t>(
      n, [&](std::size_t i) { return static_cast<std::uint8_t>(entries[i].track); });
  d["gender"] = column<std::uint8_t>(
      n, [&](std::size_t i) { return static_cast<std::uint8_t>(entries[i].gender); });
  d["province"] =
      column<std::uint8_t>(n, [&](std::size_t i) { return entries[i].province.value(); });
  d["regency"] = column<std::uint16_t>(n, [&](std::size_t i) {
    return entries[i].regency ? entries[i].regency->value() : std::uint16_t{0};
  });
  return d;
}

// Roster has no constructor from its own content, only from the Dataset it was resolved
// against, which it keeps no reference to. So a pickled roster is resolved again against
// the smallest dataset that gives the same roster: its modules and program target; a
// facility per facility id, in order, in a province of its cohorts' time zone, offering
// every feature the modules require; and at each registered trainee's index a trainee with
// that id, track, gender, province and regency (other indices hold placeholders). The
// roster made from it has the same entries, time zones, required modules and digest.
// Where a stand-in facility or trainee of `province` lies: its capital, a point the
// model's checks accept (they refuse places outside Indonesia). The code itself is checked
// with the rest of the state; until then the first province stands in for an unknown one.
GeoPoint stand_in_location(ProvinceCode province) {
  const auto found = std::ranges::find(provinces(), province, &Province::code);
  return (found == provinces().end() ? provinces().front() : *found).capital_location;
}

struct ResolvingDataset {
  const std::vector<Cohort>& cohorts;
  const std::vector<Registration>& registrations;
  const py::tuple& state;

  [[nodiscard]] Dataset make() const {
    Batch batch;
    batch.modules = pickled<std::vector<Module>>(state[3], kRoster, "modules");
    batch.facilities = facilities(batch.modules);
    batch.trainees = trainees();
    const auto program =
        pickled<std::optional<std::tuple<std::string, int, int>>>(state[5], kRoster, "program");
    if (program) {
      const auto& [name, target_min, target_max] = *program;
      batch.program = Program{.name = name, .target_min = target_min, .target_max = target_max};
    }
    return Dataset({}, std::move(batch));
  }

 private:
  [[nodiscard]] std::vector<Facility> facilities(const std::vector<Module>& modules) const {
    std::vector<std::string> features;
    for (const auto& module : modules) {
      features.insert(features.end(), module.required_features.begin(),
                      module.required_features.end());
    }
    std::ranges::sort(features);
    features.erase(std::unique(features.begin(), features.end()), features.end());
    const auto zones = pickled_column<std::uint8_t>(state[6], kRoster, "zones");
    if (zones.size() != cohorts.size()) {
      throw FormatError("cannot unpickle Roster: zones needs one entry per cohort");
    }
    std::unordered_map<std::string_view, ProvinceCode> province_of;
    for (std::size_t c = 0; c < cohorts.size(); ++c) {
      const auto in_zone = std::ranges::find_if(provinces(), [&](const Province& p) {
        return static_cast<std::uint8_t>(p.time_zone) == zones[c];
      });
      if (in_zone == provinces().end()) {
        throw FormatError("cannot unpickle Roster: zone " + std::to_string(zones[c]) +
                          " is not a TimeZone code");
      }
      province_of.emplace(cohorts[c].facility, in_zone->code);
    }
    std::vector<Facility> result;
    for (const auto& id : pickled<std::vector<std::string>>(state[4], kRoster, "facility_ids")) {
      const auto found = province_of.find(id);
      const ProvinceCode province =
          found == province_of.end() ? provinces().front().code : found->second;
      result.push_back(Facility{.id = id,
                                .name = id,
                                .kind = FacilityKind::uptd,
                                .owner = OwnerLevel::province,
                                .location = stand_in_location(province),
                                .province = province,
                                .rooms = 1,
                                .seats = 1,
                                .features = features});
    }
    return result;
  }

  [[nodiscard]] std::vector<Trainee> trainees() const {
    const PickledColumns columns(state[2], kRoster, "registrations");
    const auto index = columns.column<std::uint32_t>("trainee_index");
    const auto track = columns.codes<Track>("track");
    const auto gender = columns.codes<Gender>("gender");
    const auto province = columns.column<std::uint8_t>("province");
    const auto regency = columns.column<std::uint16_t>("regency");
    columns.check_rows(registrations.size(), {index.size(), track.size(), gender.size(),
                                              province.size(), regency.size()});
    const std::size_t count =
        index.empty() ? 0 : static_cast<std::size_t>(*std::ranges::max_element(index)) + 1;
    const Kbli sector{KbliVersion::kbli2020, "A"};
    std::vector<Trainee> result(count);
    std::vector<bool> registered(count, false);
    std::unordered_set<std::string_view> ids;
    for (std::size_t r = 0; r < registrations.size(); ++r) {
      auto& t = result[index[r]];
      t.id = registrations[r].trainee;
      t.gender = gender[r];
      t.province = province[r];
      t.location = stand_in_location(t.province);
      if (regency[r] != 0) t.regency = RegencyCode(regency[r]);
      t.track = track[r];
      t.sector = sector;
      registered[index[r]] = true;
      ids.insert(registrations[r].trainee);
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (registered[i]) continue;
      std::string id = "~" + std::to_string(i);
      while (ids.contains(id)) id.insert(0, "~");
      const ProvinceCode first = provinces().front().code;
      result[i] = Trainee{.id = std::move(id),
                          .province = first,
                          .location = stand_in_location(first),
                          .sector = sector};
    }
    return result;
  }
};

py::tuple roster_state(const Roster& r) {
  py::object program = py::none();
  if (!r.program_name().empty()) {
    program = py::make_tuple(std::string(r.program_name()), r.target_min(), r.target_max());
  }
  return py::make_tuple(
      kPickleVersion, cohort_columns(r.cohorts()), registration_columns(r),
      std::vector<Module>(r.modules().begin(), r.modules().end()),
      std::vector<std::string>(r.facility_ids().begin(), r.facility_ids().end()), program,
      column<std::uint8_t>(r.cohorts().size(), [&](std::size_t c) {
        return static_cast<std::uint8_t>(r.time_zone(CohortIndex(static_cast<std::uint32_t>(c))));
      }));
}

Roster roster_of(const py::object& state) {
  const auto s = unpickle(state, kRoster, 6);
  auto cohorts = cohorts_of(s[1]);
  const PickledColumns columns(s[2], kRoster, "registrations");
  const auto ids = columns.strings("id");
  const auto trainees = columns.strings("trainee");
  columns.check_rows(ids.size(), {trainees.size()});
  const FlatColumns<std::string> codes(columns["cohorts"], ids.size(), kRoster,
                                       columns.path("cohorts"));
  std::vector<Registration> registrations(ids.size());
  for (std::size_t i = 0; i < registrations.size(); ++i) {
    registrations[i] = {ids[i], trainees[i], codes.row(i)};
  }
  try {
    const Dataset dataset = ResolvingDataset{cohorts, registrations, s}.make();
    return Roster(dataset, std::move(cohorts), std::move(registrations));
  } catch (const ValidationError& error) {
    throw FormatError(std::string("cannot unpickle Roster: inconsistent state: ") + error.what());
  }
}

std::optional<Timestamp> time_of(std::int64_t value) {
  if (value == kNoTime) return std::nullopt;
  return value;
}

py::dict module_state_columns(std::span<const ModuleState> modules) {
  const auto m = modules.size();
  py::dict d;
  d["status"] = column<std::uint8_t>(
      m, [&](std::size_t i) { return static_cast<std::uint8_t>(modules[i].status); });
  d["sessions"] = column<std::uint8_t>(m, [&](std::size_t i) { return modules[i].sessions; });
  d["attended"] = column<std::uint8_t>(m, [&](std::size_t i) { return modules[i].attended; });
  d["absent"] = column<std::uint8_t>(m, [&](std::size_t i) { return modules[i].absent; });
  d["excused"] = column<std::uint8_t>(m, [&](std::size_t i) { return modules[i].excused; });
  d["best_score"] = column<double>(
      m, [&](std::size_t i) { return modules[i].best_score.value_or(std::nan("")); });
  d["done_at"] =
      column<std::int64_t>(m, [&](std::size_t i) { return time_or_none(modules[i].done_at); });
  d["overridden"] = column<bool>(m, [&](std::size_t i) { return modules[i].overridden; });
  return d;
}

py::tuple statuses_state(const Statuses& s) {
  std::vector<std::uint32_t> offsets{0};
  for (std::uint32_t r = 0; r < s.size(); ++r) {
    offsets.push_back(offsets.back() +
                      static_cast<std::uint32_t>(s.modules(RegistrationIndex(r)).size()));
  }
  return py::make_tuple(kPickleVersion, program_columns(s), copy<std::uint32_t>(offsets),
                        module_state_columns(s.all_modules()), s.as_of());
}

Statuses statuses_of(const py::object& state) {
  constexpr const char* kName = "Statuses";
  const auto s = unpickle(state, kName, 4);
  const PickledColumns p(s[1], kName, "programs");
  const auto status = p.codes<Status>("status");
  const auto enrolled = p.column<std::int64_t>("enrolled_at");
  const auto completed = p.column<std::int64_t>("completed_at");
  const auto withdrew = p.column<std::int64_t>("withdrew_at");
  const auto overridden = p.column<bool>("overridden");
  p.check_rows(status.size(),
               {enrolled.size(), completed.size(), withdrew.size(), overridden.size()});
  std::vector<ProgramState> programs(status.size());
  for (std::size_t i = 0; i < programs.size(); ++i) {
    programs[i] = {status[i], time_of(enrolled[i]), time_of(completed[i]), time_of(withdrew[i]),
                   overridden[i]};
  }
  const PickledColumns m(s[3], kName, "modules");
  const auto module_status = m.codes<Status>("status");
  const auto sessions = m.column<std::uint8_t>("sessions");
  const auto attended = m.column<std::uint8_t>("attended");
  const auto absent = m.column<std::uint8_t>("absent");
  const auto excused = m.column<std::uint8_t>("excused");
  const auto best = m.column<double>("best_score");
  const auto done = m.column<std::int64_t>("done_at");
  const auto module_overridden = m.column<bool>("overridden");
  m.check_rows(module_status.size(),
               {sessions.size(), attended.size(), absent.size(), excused.size(), best.size(),
                done.size(), module_overridden.size()});
  std::vector<ModuleState> modules(module_status.size());
  for (std::size_t i = 0; i < modules.size(); ++i) {
    modules[i] = {
        module_status[i], sessions[i],
        attended[i],      absent[i],
        excused[i],       std::isnan(best[i]) ? std::nullopt : std::optional<double>(best[i]),
        time_of(done[i]), module_overridden[i]};
  }
  auto offsets = pickled_column<std::uint32_t>(s[2], kName, "offsets");
  const bool sound = offsets.size() == programs.size() + 1 && offsets.front() == 0 &&
                     offsets.back() == modules.size() && std::ranges::is_sorted(offsets);
  if (!sound) throw FormatError("cannot unpickle Statuses: the offsets do not fit the modules");
  return {std::move(programs), std::move(offsets), std::move(modules),
          pickled<Timestamp>(s[4], kName, "as_of")};
}

py::tuple ledger_state(const Ledger& l) {
  std::vector<Event> events;
  events.reserve(l.size());
  for (std::size_t i = 0; i < l.size(); ++i) events.push_back(l.event(i));
  return py::make_tuple(kPickleVersion, l.roster(), l.options().excused_excluded,
                        event_columns_of(to_columns(events)));
}

// The events are appended in arrival order as one batch, so the new ledger accepts what
// the old one did; a batch it refuses was not written by a ledger.
Ledger ledger_of(const py::object& state) {
  constexpr const char* kName = "Ledger";
  const auto s = unpickle(state, kName, 3);
  Ledger ledger(pickled<Roster>(s[1], kName, "roster"),
                LedgerOptions{pickled<bool>(s[2], kName, "excused_excluded")});
  const EventTable events = event_table_of(s[3], kName);
  AppendResult result;
  try {
    const py::gil_scoped_release release;
    result = ledger.append(events.columns());
  } catch (const Error& error) {
    throw FormatError(std::string("cannot unpickle Ledger: its events do not append: ") +
                      error.what());
  }
  if (result.duplicates != 0) {
    throw FormatError("cannot unpickle Ledger: " + std::to_string(result.duplicates) +
                      " events repeat others");
  }
  return ledger;
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
      .def(py::init(&make_event), py::arg("id"), py::kw_only(), py::arg("kind"),
           py::arg("registration"), py::arg("time"), py::arg("actor"),
           py::arg("module") = py::none(), py::arg("session") = py::none(),
           py::arg("score") = py::none(), py::arg("reason") = "", py::arg("target") = py::none(),
           py::arg("result") = py::none())
      .def_readonly("id", &Event::id)
      .def_readonly("kind", &Event::kind)
      .def_property_readonly("registration", [](const Event& e) { return e.registration.value(); })
      .def_property_readonly("module", &module_of)
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
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Event& e) {
            return py::make_tuple(kPickleVersion, e.id, e.kind, e.registration.value(), e.time,
                                  e.actor, module_of(e), e.session, e.score, e.reason, e.target,
                                  e.result);
          },
          [](const py::object& state) {
            constexpr const char* kName = "Event";
            const auto s = unpickle(state, kName, 11);
            return make_event(
                pickled<EventId>(s[1], kName, "id"), pickled<EventKind>(s[2], kName, "kind"),
                pickled<std::uint32_t>(s[3], kName, "registration"),
                pickled<Timestamp>(s[4], kName, "time"), pickled<std::string>(s[5], kName, "actor"),
                pickled<std::optional<std::uint32_t>>(s[6], kName, "module"),
                pickled<std::optional<int>>(s[7], kName, "session"),
                pickled<std::optional<double>>(s[8], kName, "score"),
                pickled<std::string>(s[9], kName, "reason"),
                pickled<std::optional<EventId>>(s[10], kName, "target"),
                pickled<std::optional<Status>>(s[11], kName, "result"));
          }));
}

void bind_roster(py::module_& m) {
  py::class_<Roster> roster(m, "Roster",
                            "Who is registered and which cohort each registration attends, "
                            "resolved against a Dataset. ValidationError lists every problem.");
  roster
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
      .def(py::self == py::self)
      .def(py::pickle(&roster_state, &roster_of));
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
      .def(py::self == py::self)
      .def(py::pickle(
          [](const AppendResult& a) {
            return py::make_tuple(kPickleVersion, a.added, a.duplicates);
          },
          [](const py::object& state) {
            constexpr const char* kName = "AppendResult";
            const auto s = unpickle(state, kName, 2);
            return AppendResult{pickled<std::size_t>(s[1], kName, "added"),
                                pickled<std::size_t>(s[2], kName, "duplicates")};
          }));

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
      .def(py::self == py::self)
      .def(py::pickle(&statuses_state, &statuses_of));

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
            return write_locked(l, [&] { return l.append(events); });
          },
          py::arg("events"), "Appends Event values, all or nothing.")
      .def("event", &Ledger::event, py::arg("position"),
           "The event at `position`, in arrival order.")
      .def("find", &Ledger::find, py::arg("id"), "The position of event `id`, or None.")
      .def("is_voided", &Ledger::is_voided, py::arg("position"))
      .def(
          "positions_of",
          [](const Ledger& l, std::uint32_t registration) {
            return read_released(l,
                                 [&] { return l.positions_of(RegistrationIndex(registration)); });
          },
          py::arg("registration"),
          "The positions of the registration's events in arrival order, from an index, not a "
          "scan.")
      .def(
          "statuses",
          [](const Ledger& l, std::optional<Timestamp> as_of) {
            return read_released(l, [&] { return l.statuses(as_of); });
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
      .def(py::self == py::self)
      .def(py::pickle(&ledger_state, &ledger_of));
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
