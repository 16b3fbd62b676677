// The event journal: a ledger whose appends are on disk when they return. Opening replays
// the file (GIL released); appends release the GIL while they wait for the disk, so
// Python threads appending at once share syncs. A journal refuses to pickle (an open file
// and its lock cannot move between processes); what opening it found pickles.
#include "bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>
#include <pybind11/stl/filesystem.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "balai/io/journal.hpp"
#include "event_columns.hpp"

namespace balai::python {
namespace {

void bind_recovery(py::module_& m) {
  py::class_<JournalRecovery>(m, "JournalRecovery", py::is_final(),
                              "What opening a journal found: the records and events replayed, "
                              "and the unfinished write cut off its end, if any.")
      .def_readonly("records", &JournalRecovery::records)
      .def_readonly("events", &JournalRecovery::events)
      .def_readonly("torn_tail", &JournalRecovery::torn_tail)
      .def_readonly("truncated_bytes", &JournalRecovery::truncated_bytes)
      .def_readonly("dropped_records", &JournalRecovery::dropped_records)
      .def("__repr__",
           [](const JournalRecovery& r) {
             return Repr("JournalRecovery")
                 .arg("records", r.records)
                 .arg("events", r.events)
                 .arg("torn_tail", r.torn_tail)
                 .arg("truncated_bytes", r.truncated_bytes)
                 .arg("dropped_records", r.dropped_records)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const JournalRecovery& r) {
            return py::make_tuple(kPickleVersion, r.records, r.events, r.torn_tail,
                                  r.truncated_bytes, r.dropped_records);
          },
          [](const py::object& state) {
            constexpr const char* kName = "JournalRecovery";
            const auto s = unpickle(state, kName, 5);
            return JournalRecovery{pickled<std::size_t>(s[1], kName, "records"),
                                   pickled<std::size_t>(s[2], kName, "events"),
                                   pickled<bool>(s[3], kName, "torn_tail"),
                                   pickled<std::uint64_t>(s[4], kName, "truncated_bytes"),
                                   pickled<std::size_t>(s[5], kName, "dropped_records")};
          }));
}

void bind_journal(py::module_& m) {
  py::class_<Journal> journal(
      m, "Journal",
      "A ledger whose appends are durable: each accepted batch is written to "
      "the file at `path` and synced before append returns. Opening replays "
      "the file and cuts off a write a crash left unfinished (see `recovery`). "
      "FormatError for a file that is not this roster's journal or is "
      "corrupted; ConflictError when it is already open. A context manager.");
  def_append_columns(
      journal,
      "Appends a batch of numpy columns, as Ledger.append_columns does; returns once on "
      "disk.");
  journal
      .def(py::init([](const std::filesystem::path& path, Roster roster, bool excused_excluded,
                       bool create) {
             const py::gil_scoped_release release;
             return Journal::open(path, std::move(roster), LedgerOptions{excused_excluded},
                                  JournalOptions{create});
           }),
           py::arg("path"), py::arg("roster"), py::kw_only(), py::arg("excused_excluded") = true,
           py::arg("create") = true)
      .def_property_readonly("path", &Journal::path)
      .def_property_readonly(
          "roster", [](const Journal& j) -> const Roster& { return j.ledger().roster(); },
          py::return_value_policy::reference_internal)
      .def_property_readonly("recovery", &Journal::recovery)
      .def(
          "append",
          [](Journal& j, const std::vector<Event>& events) {
            const py::gil_scoped_release release;
            return j.append(events);
          },
          py::arg("events"), "Appends Event values, all or nothing; returns once on disk.")
      .def(
          "snapshot",
          [](const Journal& j) {
            const py::gil_scoped_release release;
            return j.snapshot();
          },
          "A copy of the ledger as it stands, safe while other threads append.")
      .def("close", &Journal::close,
           "Waits for appends in flight, closes the file and releases its lock.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](Journal& j, const py::args&) { j.close(); })
      .def("__repr__", [](const Journal& j) { return "<Journal '" + j.path().string() + "'>"; });
  refuse_pickle(journal,
                "a Journal is an open file holding a lock, not a value. Pickle "
                "journal.snapshot() (a Ledger) to send its events, or open the journal's path "
                "again in the other process.");
}

}  // namespace

void register_journal(py::module_& m) {
  bind_recovery(m);
  bind_journal(m);
}

}  // namespace balai::python
