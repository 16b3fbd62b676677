// CSV tables and binary snapshots. Every call that reads or writes releases the GIL, so
// other Python threads run while a large dataset is read, written or (un)pickled.
#include "bindings.hpp"  // first: the shared type casters

#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <span>
#include <string>
#include <utility>

#include "balai/io/snapshot.hpp"
#include "balai/io/tables.hpp"

namespace balai::python {
namespace {

using Path = std::filesystem::path;
using Release = py::call_guard<py::gil_scoped_release>;

template <std::size_t N>
std::vector<std::string> to_strings(const std::array<std::string_view, N>& names) {
  return std::vector<std::string>(names.begin(), names.end());
}

std::vector<std::string> csv_columns(std::string_view table) {
  if (table == "regencies") return to_strings(kRegencyColumns);
  if (table == "facilities") return to_strings(kFacilityColumns);
  if (table == "modules") return to_strings(kModuleColumns);
  if (table == "trainees") return to_strings(kTraineeColumns);
  if (table == "program") return to_strings(kProgramColumns);
  if (table == "phases") return to_strings(kPhaseColumns);
  throw UnknownReferenceError("table", std::string(table));
}

// The writers take spans, which pybind11 cannot fill from a list; a vector it can.
template <class T, void (*write)(std::span<const T>, const Path&)>
void write_table(const std::vector<T>& rows, const Path& file) {
  write(rows, file);
}

void bind_tables(py::module_& m) {
  m.def("csv_columns", &csv_columns, py::arg("table"),
        "The columns the CSV writer writes for a table, in order.");
  m.def(
      "read_csv",
      [](const Path& directory, std::optional<NikKey> nik_key) {
        return read_csv(directory, CsvReadOptions{std::move(nik_key)});
      },
      py::arg("directory"), py::arg("nik_key") = py::none(), Release());
  m.def("write_csv", &write_csv, py::arg("dataset"), py::arg("directory"), Release());

  m.def("read_regencies", py::overload_cast<const Path&>(&read_regencies), py::arg("file"),
        Release());
  m.def("write_regencies", &write_table<Regency, &write_regencies>, py::arg("regencies"),
        py::arg("file"), Release());
  m.def("read_facilities", py::overload_cast<const Path&>(&read_facilities), py::arg("file"),
        Release());
  m.def("write_facilities", &write_table<Facility, &write_facilities>, py::arg("facilities"),
        py::arg("file"), Release());
  m.def("read_modules", py::overload_cast<const Path&>(&read_modules), py::arg("file"), Release());
  m.def("write_modules", &write_table<Module, &write_modules>, py::arg("modules"), py::arg("file"),
        Release());
  m.def(
      "read_trainees",
      [](const Path& file, std::optional<NikKey> nik_key) {
        return read_trainees(file, CsvReadOptions{std::move(nik_key)});
      },
      py::arg("file"), py::arg("nik_key") = py::none(), Release());
  m.def("write_trainees", &write_table<Trainee, &write_trainees>, py::arg("trainees"),
        py::arg("file"), Release());
  m.def("read_program", py::overload_cast<const Path&, const Path&>(&read_program),
        py::arg("program_file"), py::arg("phases_file"), Release());
  m.def("write_program", &write_program, py::arg("program"), py::arg("program_file"),
        py::arg("phases_file"), Release());
}

void bind_snapshots(py::module_& m) {
  m.attr("SNAPSHOT_FORMAT_VERSION") = kSnapshotFormatVersion;
  m.def("save_snapshot", &save_snapshot, py::arg("dataset"), py::arg("path"), Release());
  m.def("load_snapshot", &load_snapshot, py::arg("path"), Release());
  m.def(
      "to_snapshot_bytes",
      [](const Dataset& dataset) {
        std::string bytes;
        {
          py::gil_scoped_release release;
          bytes = to_snapshot_bytes(dataset);
        }
        return py::bytes(bytes);
      },
      py::arg("dataset"));
  m.def(
      "from_snapshot_bytes",
      [](const py::bytes& bytes) {
        // A bytes object is immutable, and the argument keeps it alive: its buffer can be
        // read without the GIL.
        const auto view = static_cast<std::string_view>(bytes);
        py::gil_scoped_release release;
        return from_snapshot_bytes(view);
      },
      py::arg("data"));
}

}  // namespace

void register_io(py::module_& m) {
  bind_tables(m);
  bind_snapshots(m);
}

}  // namespace balai::python
