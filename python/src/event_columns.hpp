// The numpy bulk path into and out of a Ledger or a Journal: twelve columns become an
// EventColumns batch without a copy, and the append runs under the ledger's lock
// (object_locks.hpp) or, into a journal, with the GIL released; an
// EventTable becomes the same columns, which is also how a ledger pickles its events.
#pragma once

#include <pybind11/numpy.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "arrays.hpp"
#include "balai/tracking/ledger.hpp"
#include "bindings.hpp"
#include "object_locks.hpp"

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
        if constexpr (std::is_same_v<Sink, Ledger>) {
          return write_locked(sink, [&] { return sink.append(columns); });
        } else {
          // A Journal serialises its appenders itself (group commit), so they may overlap.
          const py::gil_scoped_release release;
          return sink.append(columns);
        }
      },
      py::kw_only(), py::arg("id"), py::arg("kind"), py::arg("registration"), py::arg("time"),
      py::arg("actor"), py::arg("texts"), py::arg("module") = Column<std::int32_t>(0),
      py::arg("session") = Column<std::int32_t>(0), py::arg("score") = Column<double>(0),
      py::arg("reason") = Column<std::uint32_t>(0), py::arg("target") = Column<EventId>(0),
      py::arg("result") = Column<std::uint8_t>(0), doc);
}

// An EventTable as the keyword arguments of append_columns.
inline py::dict event_columns_of(const EventTable& events) {
  py::dict columns;
  columns["id"] = copy<EventId>(events.id);
  columns["kind"] = copy<std::uint8_t>(events.kind);
  columns["registration"] = copy<std::uint32_t>(events.registration);
  columns["module"] = copy<std::int32_t>(events.module);
  columns["session"] = copy<std::int32_t>(events.session);
  columns["time"] = copy<Timestamp>(events.time);
  columns["actor"] = copy<std::uint32_t>(events.actor);
  columns["score"] = copy<double>(events.score);
  columns["reason"] = copy<std::uint32_t>(events.reason);
  columns["target"] = copy<EventId>(events.target);
  columns["result"] = copy<std::uint8_t>(events.result);
  columns["texts"] = events.texts;
  return columns;
}

// event_columns_of's columns back, from the pickled state of `type_name`; FormatError when
// one is missing or of another type. (Whether they make sound events is for the append.)
inline EventTable event_table_of(const py::handle& state, std::string_view type_name) {
  const PickledColumns columns(state, type_name, "events");
  return {columns.column<EventId>("id"),
          columns.column<std::uint8_t>("kind"),
          columns.column<std::uint32_t>("registration"),
          columns.column<std::int32_t>("module"),
          columns.column<std::int32_t>("session"),
          columns.column<Timestamp>("time"),
          columns.column<std::uint32_t>("actor"),
          columns.column<double>("score"),
          columns.column<std::uint32_t>("reason"),
          columns.column<EventId>("target"),
          columns.column<std::uint8_t>("result"),
          columns.strings("texts")};
}

}  // namespace balai::python
