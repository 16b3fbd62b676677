// numpy arrays across the boundary: read-only zero-copy views of C++ vectors, owning
// copies for pickles, and checked conversions from any array-like, which report every bad
// element (up to kMaxReported per array) as a Problem instead of stopping at the first.
#pragma once

#include <pybind11/numpy.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"

namespace balai::python {

// A read-only numpy view of `values`, kept alive by `owner` (the Python object that holds
// the C++ value the vector belongs to). `Element` is the numpy element type, for vectors
// of strong indices and enums that share its representation.
template <class Element, class T>
py::array view(const std::vector<T>& values, const py::handle& owner) {
  static_assert(sizeof(Element) == sizeof(T));
  const auto size = static_cast<py::ssize_t>(values.size());
  // numpy wants a non-null pointer even for an empty view.
  static const Element empty{};
  const void* data = values.empty() ? static_cast<const void*>(&empty) : values.data();
  py::array array(py::dtype::of<Element>(), std::vector<py::ssize_t>{size},
                  std::vector<py::ssize_t>{static_cast<py::ssize_t>(sizeof(Element))}, data, owner);
  array.attr("setflags")(py::arg("write") = false);
  return array;
}

// A fresh numpy array of `size` T, filled by `value(i)`.
template <class T, class F>
py::array_t<T> column(std::size_t size, F value) {
  py::array_t<T> array(static_cast<py::ssize_t>(size));
  auto* out = array.mutable_data();
  for (std::size_t i = 0; i < size; ++i) out[i] = value(i);
  return array;
}

// A numpy array that owns a copy of `values`, for pickles.
template <class Element, class T>
py::array copy(const std::vector<T>& values) {
  static_assert(sizeof(Element) == sizeof(T));
  py::array_t<Element> array(static_cast<py::ssize_t>(values.size()));
  if (!values.empty()) std::memcpy(array.mutable_data(), values.data(), values.size() * sizeof(T));
  return array;
}

constexpr std::size_t kMaxReported = 5;  // bad elements reported per array

inline void add_problem(std::vector<Problem>& problems, std::string field, std::string value,
                        std::string message) {
  problems.push_back(Problem{"", std::move(field), std::move(value), std::move(message)});
}

// `values` (any one-dimensional array-like) as numpy, or nullopt after adding a problem.
inline std::optional<py::array> as_array(const py::handle& values, const std::string& field,
                                         std::vector<Problem>& problems) {
  const py::module_ numpy = py::module_::import("numpy");
  py::array array;
  try {
    array = numpy.attr("asarray")(values);
  } catch (const py::error_already_set& error) {
    add_problem(problems, field, py::repr(values).cast<std::string>(),
                std::string("is not an array: ") + error.what());
    return std::nullopt;
  }
  if (array.ndim() != 1) {
    add_problem(problems, field, "<" + std::to_string(array.ndim()) + "-dimensional array>",
                "must be one-dimensional");
    return std::nullopt;
  }
  return array;
}

// The whole numbers of `values` as T; anything else (fractions, text, values out of T's
// range) is a problem of `field`.
template <class T>
std::vector<T> integers(const py::handle& values, const std::string& field,
                        std::vector<Problem>& problems) {
  using Limits = std::numeric_limits<T>;
  const auto array = as_array(values, field, problems);
  if (!array) return {};
  const char kind = array->dtype().kind();
  // An empty list arrives as float64: it holds no fractions.
  if (kind != 'i' && kind != 'u' && !(array->size() == 0 && kind == 'f')) {
    add_problem(problems, field, py::str(array->dtype()).cast<std::string>(),
                "must be whole numbers (an integer array)");
    return {};
  }
  std::vector<T> result(static_cast<std::size_t>(array->size()));
  std::size_t reported = 0;
  const auto out_of_range = [&](std::size_t i, const std::string& value) {
    if (reported++ < kMaxReported) {
      add_problem(problems, field + "[" + std::to_string(i) + "]", value,
                  "must be a whole number in [" + std::to_string(Limits::min()) + ", " +
                      std::to_string(Limits::max()) + "]");
    }
  };
  if (kind == 'u') {
    const auto wide =
        py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>::ensure(*array);
    for (std::size_t i = 0; i < result.size(); ++i) {
      const std::uint64_t value = wide.at(static_cast<py::ssize_t>(i));
      if (value > static_cast<std::uint64_t>(Limits::max())) {
        out_of_range(i, std::to_string(value));
      } else {
        result[i] = static_cast<T>(value);
      }
    }
  } else {
    const auto wide =
        py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(*array);
    for (std::size_t i = 0; i < result.size(); ++i) {
      const std::int64_t value = wide.at(static_cast<py::ssize_t>(i));
      if (value < static_cast<std::int64_t>(Limits::min()) ||
          (value > 0 &&
           static_cast<std::uint64_t>(value) > static_cast<std::uint64_t>(Limits::max()))) {
        out_of_range(i, std::to_string(value));
      } else {
        result[i] = static_cast<T>(value);
      }
    }
  }
  return result;
}

inline std::vector<double> finite_reals(const py::handle& values, const std::string& field,
                                        std::vector<Problem>& problems) {
  const auto array = as_array(values, field, problems);
  if (!array) return {};
  const char kind = array->dtype().kind();
  if (kind != 'i' && kind != 'u' && kind != 'f') {
    add_problem(problems, field, py::str(array->dtype()).cast<std::string>(),
                "must be real numbers");
    return {};
  }
  const auto reals = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(*array);
  std::vector<double> result(reals.data(), reals.data() + reals.size());
  std::size_t reported = 0;
  for (std::size_t i = 0; i < result.size(); ++i) {
    if (!std::isfinite(result[i]) && reported++ < kMaxReported) {
      add_problem(problems, field + "[" + std::to_string(i) + "]",
                  py::repr(py::float_(result[i])).cast<std::string>(), "must be a finite number");
    }
  }
  return result;
}

template <class StrongIndex>
std::vector<StrongIndex> indices(const py::handle& values, const std::string& field,
                                 std::vector<Problem>& problems) {
  const auto raw = integers<std::uint32_t>(values, field, problems);
  std::vector<StrongIndex> result;
  result.reserve(raw.size());
  for (std::uint32_t value : raw) result.emplace_back(value);
  return result;
}

}  // namespace balai::python
