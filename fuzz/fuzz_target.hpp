// What every harness shares: the rule for what counts as a crash, and the input as text.
//
// The library refuses bad input with the typed errors of balai/core/error.hpp, so a
// balai::Error (any subclass) ends a run normally. Everything else escapes to libFuzzer
// and is reported as a crash: another exception (std::bad_alloc, std::out_of_range...)
// through std::terminate, a signal, or a sanitizer report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "balai/core/error.hpp"

namespace balai::fuzz {

template <class Body>
int run(Body&& body) {
  try {
    body();
  } catch (const Error&) {
  }
  return 0;
}

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace balai::fuzz
