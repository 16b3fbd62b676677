// Pickles of a type whose layout has changed: the reader of every version it had. Most
// types have one layout and read it with unpickle (bindings.hpp); a type that adds a field
// writes a new version and keeps reading the old ones, so that pickles already written
// (a user's saved forecasts, the committed ones in tests/python) stay readable.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <utility>

#include "bindings.hpp"

namespace balai::python {

// `state` after checking its version and size: versions 1 to fields.size() are read, version
// v having fields[v - 1] fields, and the newest is the one to write. Returns the state and
// its version, for the caller to read that version's layout; FormatError naming `type_name`
// for another version or size.
std::pair<py::tuple, int> unpickle_versions(const py::handle& state, std::string_view type_name,
                                            std::span<const std::size_t> fields);

}  // namespace balai::python
