// What the register_<area>.cpp files of balai._core share: the date conversion, the
// registration functions module.cpp calls, and the helpers that give every bound value
// the same validation, repr and pickling behaviour.
//
// Every translation unit of the extension includes this header first, so that all of
// them see the same type casters (pybind11 requires it).
#pragma once

// clang-format off
#include "checked_casters.hpp"  // first: it replaces pybind11's integer and string casters
// clang-format on

#include <pybind11/native_enum.h>
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/regions.hpp"

// balai::Date <-> datetime.date. A datetime.datetime is refused rather than silently
// truncated to its day.
namespace pybind11::detail {
template <>
struct type_caster<balai::Date> {
  PYBIND11_TYPE_CASTER(balai::Date, const_name("datetime.date"));
  bool load(handle source, bool convert);
  static handle cast(balai::Date date, return_value_policy policy, handle parent);
};

// balai::ProvinceCode <-> int, read as every uint8_t is (checked_casters.hpp).
template <>
struct type_caster<balai::ProvinceCode> {
  PYBIND11_TYPE_CASTER(balai::ProvinceCode, io_name("typing.SupportsIndex", "int"));
  bool load(handle source, bool convert) {
    type_caster<std::uint8_t> number;
    if (!number.load(source, convert)) return false;
    value = static_cast<std::uint8_t>(number);
    return true;
  }
  static handle cast(balai::ProvinceCode code, return_value_policy /*policy*/, handle /*parent*/) {
    return PyLong_FromLong(code.value());
  }
};
}  // namespace pybind11::detail

namespace balai::python {

namespace py = pybind11;

// In the order module.cpp calls them: each area may use the types of the ones before.
void register_errors(py::module_& m);
void register_core(py::module_& m);
void register_trainee(py::module_& m);
void register_model(py::module_& m);
void register_dataset(py::module_& m);
void register_frames(py::module_& m);
void register_io(py::module_& m);
void register_scenario(py::module_& m);
void register_planning(py::module_& m);
void register_sites(py::module_& m);
void register_space(py::module_& m);
void register_tracking(py::module_& m);
void register_timetable(py::module_& m);
void register_forecast(py::module_& m);
void register_pilot(py::module_& m);
void register_parts(py::module_& m);
void register_journal(py::module_& m);
void register_exports(py::module_& m);
void register_signing(py::module_& m);

// Makes argument_name() (checked_casters.hpp) work for every function, method and
// constructor bound in `m`: wraps each one so that the call being dispatched is known
// while its arguments load. module.cpp calls it once, after every register_<area>.
void name_arguments(py::module_& m);

// A Python enum.Enum whose members are named as `members` says, in the order of the C++
// values; the named-enum form uses the names of EnumNames<E>, the names CSV files use.
template <class E>
void bind_enum(py::handle scope, const char* name, const char* doc,
               std::initializer_list<const char*> members) {
  py::native_enum<E> binding(scope, name, "enum.Enum", doc);
  int value = 0;
  for (const char* member : members) binding.value(member, static_cast<E>(value++));
  binding.finalize();
}

template <NamedEnum E>
void bind_enum(py::handle scope, const char* name, const char* doc) {
  py::native_enum<E> binding(scope, name, "enum.Enum", doc);
  for (std::size_t i = 0; i < EnumNames<E>::names.size(); ++i) {
    // The names are string literals, so data() is NUL-terminated.
    binding.value(EnumNames<E>::names[i].data(), static_cast<E>(i));
  }
  binding.finalize();
}

// Throws ValidationError with every problem when there is any. `where` fills in the
// problems that do not say which record they concern.
void raise_if_any(std::vector<Problem> problems, std::string_view where = {});

// Where a record lies, from a province code, a regency code "NN.NN", or both; the
// province follows from the regency when only that is given. Conversion problems (an
// unparsable regency, neither given) are appended to `problems`.
struct Region {
  ProvinceCode province = 0;
  std::optional<RegencyCode> regency;
};
Region resolve_region(std::optional<int> province, const std::optional<std::string>& regency,
                      std::vector<Problem>& problems);
std::optional<std::string> regency_text(const std::optional<RegencyCode>& regency);

// `first` followed by the problems of `more` on fields `first` does not already report:
// a value that could not even be converted should not be reported twice.
std::vector<Problem> combine(std::vector<Problem> first, std::vector<Problem> more);

// "Name(field=value, ...)" with each value written as Python source: strings and numbers
// as repr() writes them, enum members as FacilityKind.uptd, dates as datetime.date(...),
// bound values by their own repr, lists element by element. So a repr reads like the
// constructor call that makes an equal object.
class Repr {
 public:
  explicit Repr(std::string_view type_name);
  Repr& arg(std::string_view field, const py::handle& value);
  template <class T>
  requires(!std::is_convertible_v<const T&, py::handle>) Repr& arg(std::string_view field,
                                                                   const T& value) {
    return arg(field, py::cast(value));
  }
  [[nodiscard]] std::string str() const { return text_ + ")"; }

 private:
  std::string text_;
  bool first_ = true;
};

// Stands in, in a repr, for a value too long to show: its repr is its text, such as
// "<1,234 values>". Bound once, as balai._core._Verbatim, by register_planning.
struct Verbatim {
  std::string text;
};

// The pickle format of every bound value: a tuple (version, fields...). Pickles written
// by a newer balai are refused with FormatError instead of being misread.
inline constexpr int kPickleVersion = 1;

// `state` after checking its version and size; FormatError naming `type_name` otherwise.
py::tuple unpickle(const py::handle& state, std::string_view type_name, std::size_t fields);

// Field `field` of a pickled `type_name` as a T: FormatError when it is not one, like every
// other malformed state, rather than pybind11's bare "unable to cast".
template <class T>
T pickled(const py::handle& value, std::string_view type_name, std::string_view field) {
  const auto wrong = [&] {
    return FormatError("cannot unpickle " + std::string(type_name) + ": " + std::string(field) +
                       " is not a " + py::type_id<T>() + " but " +
                       py::str(py::type::of(value).attr("__name__")).cast<std::string>());
  };
  // Python types are taken as they are: casting would convert (any iterable to a tuple).
  if constexpr (std::is_base_of_v<py::object, T>) {
    if (!py::isinstance<T>(value)) throw wrong();
    return py::reinterpret_borrow<T>(value);
  } else {
    try {
      return value.cast<T>();
    } catch (const py::cast_error&) {
      throw wrong();
    }
  }
}

// Makes pickle and copy refuse `cls` with TypeError, `why` saying why and what to do
// instead: for what is not a value (an open file, a builder) or holds a secret that a
// pickle would write in clear.
template <class T>
void refuse_pickle(py::class_<T>& cls, std::string_view why) {
  const std::string message = "cannot pickle " + py::str(cls.attr("__name__")).cast<std::string>() +
                              ": " + std::string(why);
  cls.def("__reduce_ex__", [message](const py::object&, const py::args&) -> py::object {
    throw py::type_error(message);
  });
}

}  // namespace balai::python
