// Every C++ integer and string the bindings take from Python goes through one conversion,
// which tells a value of the right Python type that C++ cannot hold from a value of the
// wrong type. pybind11's own casters refuse both alike, so `seats=10**12` or a name with a
// lone surrogate became a TypeError naming no argument (or a RuntimeError "Unable to
// cast" from a .cast<int>()); here they are a ValidationError naming the argument and its
// exact value, while a `str` where an int goes is still refused the pybind11 way
// (TypeError), as docs/errors.md states.
//
// The type casters below replace pybind11's for every integer type and std::string, so
// this header must come before any use of them: bindings.hpp includes it first, and every
// translation unit of the extension includes bindings.hpp first.
#pragma once

#include <pybind11/cast.h>

#include <concepts>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "balai/core/error.hpp"

namespace balai::python {

enum class IntegerFit { fits, not_an_integer, out_of_range };

// `source` as a T in `out`. A Python int or anything with __index__ (numpy integers) is an
// integer; a float never is, even a whole one, so that 1.9 is not truncated to 1.
template <std::integral T>
IntegerFit fit_integer(pybind11::handle source, T& out) {
  PyObject* const object = source.ptr();
  if (object == nullptr || PyFloat_Check(object) || !PyIndex_Check(object)) {
    return IntegerFit::not_an_integer;
  }
  const auto index = pybind11::reinterpret_steal<pybind11::object>(PyNumber_Index(object));
  if (!index) {
    PyErr_Clear();
    return IntegerFit::not_an_integer;
  }
  int overflow = 0;
  const long long number = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow < 0) return IntegerFit::out_of_range;
  if (overflow > 0) {
    // Past long long: only an unsigned 64-bit type may still hold it.
    const unsigned long long big = PyLong_AsUnsignedLongLong(index.ptr());
    if (PyErr_Occurred() != nullptr) {
      PyErr_Clear();
      return IntegerFit::out_of_range;
    }
    if (!std::in_range<T>(big)) return IntegerFit::out_of_range;
    out = static_cast<T>(big);
    return IntegerFit::fits;
  }
  if (!std::in_range<T>(number)) return IntegerFit::out_of_range;
  out = static_cast<T>(number);
  return IntegerFit::fits;
}

// The problem of `source` lying outside T's range, naming `field` and the exact value.
template <std::integral T>
Problem out_of_range(std::string field, pybind11::handle source) {
  using Limits = std::numeric_limits<T>;
  return Problem{"", std::move(field), static_cast<std::string>(pybind11::str(source)),
                 "must be a whole number in [" + std::to_string(Limits::min()) + ", " +
                     std::to_string(Limits::max()) + "]"};
}

// Where a caster's failing value came from in the call pybind11 is dispatching: the
// function ("Facility()", "Ledger.statuses()") and the argument's name, with the index or
// key when the value is an element of a list, tuple or dict argument. Empty when no bound
// call is being dispatched (a .cast<T>() of the bindings' own making).
struct ArgumentName {
  std::string function;
  std::string argument;
};
ArgumentName argument_name(pybind11::handle value);

// The caster of every integer type: as pybind11's, but a Python int out of T's range is a
// ValidationError naming the argument rather than a failed overload.
template <std::integral T>
struct CheckedIntegerCaster {
  // As arguments, ints and what has __index__ (numpy integers); never floats.
  PYBIND11_TYPE_CASTER(T, pybind11::detail::io_name("typing.SupportsIndex", "int"));

  bool load(pybind11::handle source, bool /*convert*/) {
    switch (fit_integer(source, value)) {
      case IntegerFit::fits: return true;
      case IntegerFit::not_an_integer: return false;
      case IntegerFit::out_of_range: break;
    }
    auto [function, argument] = argument_name(source);
    auto problem = out_of_range<T>(std::move(argument), source);
    problem.where = std::move(function);
    throw ValidationError({std::move(problem)});
  }

  static pybind11::handle cast(T number, pybind11::return_value_policy /*policy*/,
                               pybind11::handle /*parent*/) {
    if constexpr (std::is_signed_v<T>) return PyLong_FromLongLong(number);
    return PyLong_FromUnsignedLongLong(number);
  }
};

// The caster of std::string: as pybind11's, but a str that is not Unicode (a lone
// surrogate, which is what undecodable bytes become in Python) is a ValidationError naming
// the argument, with the value escaped, rather than a failed overload.
struct CheckedStringCaster : pybind11::detail::string_caster<std::string> {
  bool load(pybind11::handle source, bool convert) {
    if (string_caster::load(source, convert)) return true;
    if (!source || !PyUnicode_Check(source.ptr())) return false;
    auto [function, argument] = argument_name(source);
    const auto escaped = source.attr("encode")("utf-8", "backslashreplace").attr("decode")();
    throw ValidationError(
        {Problem{std::move(function), std::move(argument),
                 static_cast<std::string>(pybind11::str(escaped)), "not valid UTF-8 text"}});
  }
};

}  // namespace balai::python

namespace pybind11::detail {
template <>
struct type_caster<std::string> : balai::python::CheckedStringCaster {};
// Explicit specialisations win over pybind11's partial one for arithmetic types. `char` is
// not among them: pybind11 reads it as a one-character string.
template <>
struct type_caster<signed char> : balai::python::CheckedIntegerCaster<signed char> {};
template <>
struct type_caster<unsigned char> : balai::python::CheckedIntegerCaster<unsigned char> {};
template <>
struct type_caster<short> : balai::python::CheckedIntegerCaster<short> {};
template <>
struct type_caster<unsigned short> : balai::python::CheckedIntegerCaster<unsigned short> {};
template <>
struct type_caster<int> : balai::python::CheckedIntegerCaster<int> {};
template <>
struct type_caster<unsigned> : balai::python::CheckedIntegerCaster<unsigned> {};
template <>
struct type_caster<long> : balai::python::CheckedIntegerCaster<long> {};
template <>
struct type_caster<unsigned long> : balai::python::CheckedIntegerCaster<unsigned long> {};
template <>
struct type_caster<long long> : balai::python::CheckedIntegerCaster<long long> {};
template <>
struct type_caster<unsigned long long> : balai::python::CheckedIntegerCaster<unsigned long long> {};
}  // namespace pybind11::detail
