// The balai._core extension: one register_<area> function per area, called in the order
// of the layers so that every type is known before a later area refers to it.
#include <pybind11/pybind11.h>

#include "balai/version.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "balai's C++ core; import balai instead";
  m.attr("__version__") = balai::version;
}
