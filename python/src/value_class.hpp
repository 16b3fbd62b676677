// A plain C++ aggregate as an immutable Python value, from one list of its fields: a
// keyword constructor whose defaults are those of `T{}`, read-only attributes,
// `replace(**changes)`, `==`, a repr that reads like the constructor call, and a versioned
// pickle. A value made in Python (constructed, replaced or unpickled) passes `check(T)`
// when the type has one, so it is one the C++ code could have made. Enum fields also
// accept their names as strings ("p_median" for SiteObjective.p_median).
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"

namespace balai::python {

template <class T, class M>
struct Field {
  const char* name;
  M T::*member;
};

template <class T, class M>
constexpr Field<T, M> field(const char* name, M T::*member) {
  return {name, member};
}

namespace detail {

template <class M>
struct IsOptional : std::false_type {};
template <class M>
struct IsOptional<std::optional<M>> : std::true_type {};
template <class M>
struct IsVector : std::false_type {};
template <class M>
struct IsVector<std::vector<M>> : std::true_type {};

}  // namespace detail

// `source` as an M, enum names included; a problem naming `field` when it is not one or
// does not fit (an int past M's range). Every option value loads its fields this way, so
// that a wrong type is a ValidationError naming the field, not pybind11's TypeError.
template <class M>
M load_field(const py::handle& source, const std::string& field, std::vector<Problem>& problems) {
  if constexpr (NamedEnum<M>) {
    if (py::isinstance<py::str>(source)) return parse_enum<M>(source.cast<std::string>(), field);
  } else if constexpr (detail::IsOptional<M>::value) {
    if (source.is_none()) return std::nullopt;
    return load_field<typename M::value_type>(source, field, problems);
  } else if constexpr (std::is_same_v<M, ProvinceCode>) {
    return load_field<std::uint8_t>(source, field, problems);
  } else if constexpr (std::is_integral_v<M> && !std::is_same_v<M, bool>) {
    M number{};
    switch (fit_integer(source, number)) {
      case IntegerFit::fits: return number;
      case IntegerFit::out_of_range: problems.push_back(out_of_range<M>(field, source)); return M{};
      case IntegerFit::not_an_integer: break;  // a wrong type, reported below
    }
  } else if constexpr (detail::IsVector<M>::value && !std::is_same_v<M, std::vector<bool>>) {
    if (!py::isinstance<py::str>(source) && py::isinstance<py::iterable>(source)) {
      M values;
      std::size_t i = 0;
      for (const py::handle item : source) {
        values.push_back(load_field<typename M::value_type>(
            item, field + "[" + std::to_string(i++) + "]", problems));
      }
      return values;
    }
  }
  try {
    return source.cast<M>();
  } catch (const py::cast_error&) {
    add_problem(problems, field, py::repr(source).cast<std::string>(),
                "has the wrong type: expected " + py::type_id<M>());
    return M{};
  }
}

namespace detail {

template <class T, class M>
void assign(T& value, const Field<T, M>& f, const py::handle& source,
            std::vector<Problem>& problems) {
  try {
    value.*f.member = load_field<M>(source, f.name, problems);
  } catch (const ValidationError& error) {  // an unknown enum name
    problems.insert(problems.end(), error.problems().begin(), error.problems().end());
  }
}

template <class T>
void check_made(const T& value, std::vector<Problem> problems, const char* type_name) {
  if constexpr (requires { check(value); }) problems = combine(std::move(problems), check(value));
  raise_if_any(std::move(problems), type_name);
}

}  // namespace detail

template <class T, class... M>
py::class_<T> bind_value(py::module_& m, const char* name, const char* doc, Field<T, M>... fields) {
  py::class_<T> cls(m, name, py::is_final(), doc);
  const auto with_changes = [name, fields...](T value, const py::kwargs& changes) {
    std::vector<Problem> problems;
    std::size_t used = 0;
    const auto take = [&](const auto& f) {
      if (!changes.contains(f.name)) return;
      ++used;
      detail::assign(value, f, changes[f.name], problems);
    };
    (take(fields), ...);
    if (used != changes.size()) {
      for (const auto& item : changes) {
        const auto key = item.first.cast<std::string>();
        if (((key != fields.name) && ...)) {
          throw py::type_error(std::string(name) + "() got an unexpected keyword argument '" + key +
                               "'");
        }
      }
    }
    detail::check_made(value, std::move(problems), name);
    return value;
  };
  cls.def(
         py::init([with_changes](const py::kwargs& changes) { return with_changes(T{}, changes); }))
      .def(
          "replace",
          [with_changes](const T& self, const py::kwargs& changes) {
            return with_changes(self, changes);
          },
          "A copy with the given fields changed, validated like a new value.")
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__",
           [name, fields...](const T& value) {
             Repr repr(name);
             (repr.arg(fields.name, py::cast(value.*fields.member)), ...);
             return repr.str();
           })
      .def(py::pickle(
          [fields...](const T& value) {
            return py::make_tuple(kPickleVersion, py::cast(value.*fields.member)...);
          },
          [name, fields...](const py::tuple& state) {
            const auto s = unpickle(state, name, sizeof...(M));
            T value{};
            std::vector<Problem> problems;
            std::size_t i = 1;
            (detail::assign(value, fields, s[i++], problems), ...);
            detail::check_made(value, std::move(problems), name);
            return value;
          }));
  (cls.def_property_readonly(
       fields.name, [member = fields.member](const T& value) { return py::cast(value.*member); }),
   ...);
  return cls;
}

}  // namespace balai::python
