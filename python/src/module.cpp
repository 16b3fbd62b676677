// The balai._core extension: one register_<area> function per area, called in the order
// of the layers so that every type is known before a later area refers to it.
#include <string>

#include "balai/version.hpp"
#include "bindings.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "balai's C++ core; import balai instead";
  m.attr("__version__") = balai::version;

  balai::python::register_errors(m);
  balai::python::register_core(m);
  balai::python::register_trainee(m);
  balai::python::register_model(m);
  balai::python::register_dataset(m);
  balai::python::register_frames(m);
  balai::python::register_io(m);
  balai::python::register_scenario(m);
  balai::python::register_planning(m);
  balai::python::register_sites(m);
  balai::python::register_tracking(m);
  balai::python::register_timetable(m);
  balai::python::register_forecast(m);
  balai::python::register_pilot(m);
  balai::python::register_parts(m);
  balai::python::register_space(m);
  balai::python::register_journal(m);
  balai::python::register_exports(m);
  balai::python::register_signing(m);
  balai::python::name_arguments(m);

  // The public types are balai.X to their users (tracebacks, help(), pickles), whatever
  // private module defines them.
  for (const auto& item : m.attr("__dict__").cast<py::dict>()) {
    const auto name = item.first.cast<std::string>();
    if (!name.starts_with("_") && py::isinstance<py::type>(item.second)) {
      item.second.attr("__module__") = "balai";
    }
  }
}
