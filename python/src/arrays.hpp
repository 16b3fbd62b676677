// numpy arrays across the boundary: read-only zero-copy views of C++ vectors, owning
// copies and checked columns for pickles, and checked conversions from any array-like,
// which report every bad element (up to kMaxReported per array) as a Problem instead of
// stopping at the first.
#pragma once

#include "bindings.hpp"  // first: the shared type casters

#include <pybind11/numpy.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

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

// ---- pickles as columns ---------------------------------------------------------------
// Large values pickle as numpy columns, not as a Python object per element: a million
// objects take seconds to pickle, their columns milliseconds.

// The number a column stores for `value`: its days for a Date, its value for a strong
// index, itself otherwise.
template <class T>
auto raw(const T& value) {
  if constexpr (requires { value.days(); }) {
    return value.days();
  } else if constexpr (requires { value.value(); }) {
    return value.value();
  } else {
    return value;
  }
}

// Column `field` of a pickled `type_name`, as copy() wrote it: a one-dimensional numpy
// array of Element. FormatError for anything else, never a silent conversion.
template <class Element>
std::vector<Element> pickled_column(const py::handle& value, std::string_view type_name,
                                    std::string_view field) {
  const auto wrong = [&](const std::string& what) {
    return FormatError("cannot unpickle " + std::string(type_name) + ": " + std::string(field) +
                       " " + what);
  };
  if (!py::isinstance<py::array>(value)) throw wrong("is not a numpy array");
  const auto array = py::reinterpret_borrow<py::array>(value);
  const auto expected = py::dtype::of<Element>();
  if (array.ndim() != 1 || array.dtype().kind() != expected.kind() ||
      array.dtype().itemsize() != expected.itemsize()) {
    throw wrong("is not a one-dimensional array of " + py::str(expected).cast<std::string>());
  }
  const auto contiguous = py::array_t<Element, py::array::c_style>::ensure(array);
  return std::vector<Element>(contiguous.data(), contiguous.data() + contiguous.size());
}

// The codes of a pickled column of enum E: FormatError for a code E has no member for.
template <NamedEnum E>
std::vector<E> pickled_codes(const py::handle& value, std::string_view type_name,
                             std::string_view field) {
  const auto codes = pickled_column<std::uint8_t>(value, type_name, field);
  std::vector<E> result;
  result.reserve(codes.size());
  for (const std::uint8_t code : codes) {
    if (code >= EnumNames<E>::names.size()) {
      throw FormatError("cannot unpickle " + std::string(type_name) + ": " + std::string(field) +
                        " holds " + std::to_string(code) + ", not a code of " + py::type_id<E>());
    }
    result.push_back(static_cast<E>(code));
  }
  return result;
}

// The dict of columns a pickled `type_name` holds under `field`, read column by column:
// FormatError for a missing column or one of another type.
class PickledColumns {
 public:
  PickledColumns(const py::handle& state, std::string_view type_name, std::string_view field)
      : columns_(pickled<py::dict>(state, type_name, field)),
        type_name_(type_name),
        field_(field) {}

  [[nodiscard]] py::object operator[](const char* name) const {
    if (!columns_.contains(name)) {
      throw FormatError("cannot unpickle " + type_name_ + ": " + field_ + " has no column " + name);
    }
    return columns_[name];
  }
  template <class Element>
  [[nodiscard]] std::vector<Element> column(const char* name) const {
    return pickled_column<Element>((*this)[name], type_name_, path(name));
  }
  template <NamedEnum E>
  [[nodiscard]] std::vector<E> codes(const char* name) const {
    return pickled_codes<E>((*this)[name], type_name_, path(name));
  }
  [[nodiscard]] std::vector<std::string> strings(const char* name) const {
    return pickled<std::vector<std::string>>((*this)[name], type_name_, path(name));
  }
  // FormatError unless every size is `rows`.
  void check_rows(std::size_t rows, std::initializer_list<std::size_t> sizes) const {
    for (const auto size : sizes) {
      if (size != rows) {
        throw FormatError("cannot unpickle " + type_name_ + ": the columns of " + field_ +
                          " differ in length");
      }
    }
  }
  [[nodiscard]] std::string path(const char* name) const { return field_ + "." + name; }

 private:
  py::dict columns_;
  std::string type_name_;
  std::string field_;
};

// The lists `list(row)` of all rows as two columns: their elements one after the other
// (a numpy array, or a list for strings), and the offset where each row's list starts
// (one more than rows, the last the end).
template <class Element, class Rows, class List>
py::tuple flat_columns(const Rows& rows, List list) {
  std::vector<std::uint64_t> offsets{0};
  std::vector<Element> values;
  for (const auto& row : rows) {
    for (const auto& element : list(row)) values.push_back(static_cast<Element>(raw(element)));
    offsets.push_back(values.size());
  }
  if constexpr (std::is_same_v<Element, std::string>) {
    return py::make_tuple(copy<std::uint64_t>(offsets), values);
  } else {
    return py::make_tuple(copy<std::uint64_t>(offsets), copy<Element>(values));
  }
}

// flat_columns's two columns back, for `rows` rows; FormatError unless the offsets run
// from 0 to the end of the elements without decreasing.
template <class Element>
class FlatColumns {
 public:
  FlatColumns(const py::handle& state, std::size_t rows, std::string_view type_name,
              std::string_view field) {
    const auto pair = pickled<py::tuple>(state, type_name, field);
    if (pair.size() != 2) {
      throw FormatError("cannot unpickle " + std::string(type_name) + ": " + std::string(field) +
                        " is not a pair of offsets and values");
    }
    offsets_ = pickled_column<std::uint64_t>(pair[0], type_name, field);
    if constexpr (std::is_same_v<Element, std::string>) {
      values_ = pickled<std::vector<std::string>>(pair[1], type_name, field);
    } else {
      values_ = pickled_column<Element>(pair[1], type_name, field);
    }
    const bool sound = offsets_.size() == rows + 1 && offsets_.front() == 0 &&
                       offsets_.back() == values_.size() &&
                       std::is_sorted(offsets_.begin(), offsets_.end());
    if (!sound) {
      throw FormatError("cannot unpickle " + std::string(type_name) + ": the offsets of " +
                        std::string(field) + " do not fit " + std::to_string(rows) + " rows");
    }
  }
  // Row `row`'s elements as T.
  template <class T = Element>
  [[nodiscard]] std::vector<T> row(std::size_t row) const {
    std::vector<T> result;
    result.reserve(offsets_[row + 1] - offsets_[row]);
    for (auto i = offsets_[row]; i < offsets_[row + 1]; ++i) {
      if constexpr (std::is_same_v<T, Date>) {
        result.push_back(Date::from_days(values_[i]));
      } else {
        result.push_back(T(values_[i]));
      }
    }
    return result;
  }

 private:
  std::vector<std::uint64_t> offsets_;
  std::vector<Element> values_;
};

constexpr std::size_t kMaxReported = 5;  // bad elements reported per array

inline void add_problem(std::vector<Problem>& problems, std::string field, std::string value,
                        std::string message) {
  problems.push_back(Problem{"", std::move(field), std::move(value), std::move(message)});
}

// A Python int (of any size) as a T, or T{} after adding a problem naming `field` when it
// lies outside T's range: for constructors that report every bad argument at once, where
// the caster would stop at the first.
template <std::integral T>
T integer_of(const py::int_& value, const std::string& field, std::vector<Problem>& problems) {
  T number{};
  if (fit_integer(value, number) != IntegerFit::fits) {
    problems.push_back(out_of_range<T>(field, value));
  }
  return number;
}

// `values` (any one-dimensional array-like) as numpy, or nullopt after adding a problem.
inline std::optional<py::array> as_array(const py::handle& values, const std::string& field,
                                         std::vector<Problem>& problems) {
  const py::module_ numpy = py::module_::import("numpy");
  py::array array;
  try {
    array = numpy.attr("asarray")(values);
  } catch (const py::error_already_set& error) {
    // Ctrl-C (KeyboardInterrupt) and the like say nothing about the values: an interrupted
    // call stays interrupted rather than turning into a ValidationError.
    if (!error.matches(PyExc_Exception)) throw;
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
template <std::integral T>
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

// A forecast's per-registration distances: none (empty) for None, else finite reals;
// ValidationError naming `where` otherwise.
inline std::vector<double> registration_distances_of(const py::handle& distance_km,
                                                     std::string_view where) {
  std::vector<Problem> problems;
  std::vector<double> distances;
  if (!distance_km.is_none()) distances = finite_reals(distance_km, "distance_km", problems);
  raise_if_any(std::move(problems), where);
  return distances;
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
