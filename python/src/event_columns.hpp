// The numpy bulk path into a Ledger or a Journal: twelve columns become an EventColumns
// batch without a copy, and the append runs with the GIL released.
#pragma once

#include <pybind11/numpy.h>

#include <span>
#include <string>
#include <vector>

#include "balai/tracking/ledger.hpp"
#include "bindings.hpp"

namespace balai::python {

template <class T>
using Column = py::array_t<T, py::array::c_style>;

template <class T>
std::span<const T> span_of(const Column<T>& column) {
  return {column.data(), static_cast<std::size_t>(column.size())};
}

// Adds `append_columns` to a class whose C++ type has append(const EventColumns&).
template <class Sink>
void def_append_columns(py::class_<Sink>& cls, const char* doc) {
  cls.def(
      "append_columns",
      [](Sink& sink, const Column<EventId>& id, const Column<std::uint8_t>& kind,
         const Column<std::uint32_t>& registration, const Column<Timestamp>& time,
         const Column<std::uint32_t>& actor, const std::vector<std::string>& texts,
         const Column<std::int32_t>& module, const Column<std::int32_t>& session,
         const Column<double>& score, const Column<std::uint32_t>& reason,
         const Column<EventId>& target, const Column<std::uint8_t>& result) {
        const EventColumns columns{span_of(id),     span_of(kind),    span_of(registration),
                                   span_of(module), span_of(session), span_of(time),
                                   span_of(actor),  span_of(score),   span_of(reason),
                                   span_of(target), span_of(result),  texts};
        const py::gil_scoped_release release;
        return sink.append(columns);
      },
      py::kw_only(), py::arg("id"), py::arg("kind"), py::arg("registration"), py::arg("time"),
      py::arg("actor"), py::arg("texts"), py::arg("module") = Column<std::int32_t>(0),
      py::arg("session") = Column<std::int32_t>(0), py::arg("score") = Column<double>(0),
      py::arg("reason") = Column<std::uint32_t>(0), py::arg("target") = Column<EventId>(0),
      py::arg("result") = Column<std::uint8_t>(0), doc);
}

}  // namespace balai::python
