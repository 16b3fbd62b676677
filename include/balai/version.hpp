// The library's version: the single source of truth, read by CMake and by the Python
// package build (pyproject.toml), so C++ and Python always report the same number.
#pragma once

#define BALAI_VERSION_MAJOR 0
#define BALAI_VERSION_MINOR 1
#define BALAI_VERSION_PATCH 0
#define BALAI_VERSION_STRING "0.1.0"

namespace balai {

inline constexpr const char* version = BALAI_VERSION_STRING;

}  // namespace balai
