// Which argument a failing integer came from. pybind11 gives a caster only the value, so
// name_arguments() wraps the entry point of every bound function: while a call's arguments
// load, a thread-local pointer says which call it is, and argument_name() finds the value
// among that call's arguments. Only the error path searches; a call that loads pays one
// pointer swap.
#include "bindings.hpp"  // first: the shared type casters

#include <string>
#include <unordered_map>

namespace balai::python {
namespace {

using Call = py::detail::function_call;
using Record = py::detail::function_record;
using Impl = py::handle (*)(Call&);

// Filled once while the module initialises (the GIL held), only read afterwards.
std::unordered_map<const Record*, Impl>& bound_impls() {
  static std::unordered_map<const Record*, Impl> impls;
  return impls;
}

thread_local const Call* current_call = nullptr;

py::handle named_impl(Call& call) {
  struct Current {
    const Call* previous = current_call;
    explicit Current(const Call* call) { current_call = call; }
    ~Current() { current_call = previous; }
    Current(const Current&) = delete;
    Current& operator=(const Current&) = delete;
  } current(&call);
  return bound_impls().at(&call.func)(call);
}

std::string function_name(const Record& record) {
  const std::string name = record.name;
  if (!record.scope || !py::isinstance<py::type>(record.scope)) return name + "()";
  const auto type = py::str(record.scope.attr("__name__")).cast<std::string>();
  return record.is_constructor ? type + "()" : type + "." + name + "()";
}

// `value`'s place inside `container` ("[2]", "['k']"), or empty when it is not an element.
std::string place_in(py::handle container, py::handle value) {
  if (py::isinstance<py::list>(container) || py::isinstance<py::tuple>(container)) {
    std::size_t i = 0;
    for (const py::handle item : container) {
      if (item.is(value)) return "[" + std::to_string(i) + "]";
      ++i;
    }
  } else if (py::isinstance<py::dict>(container)) {
    for (const auto& [key, item] : py::reinterpret_borrow<py::dict>(container)) {
      if (item.is(value)) return py::str(key).cast<std::string>();
    }
  }
  return {};
}

void wrap(py::handle function) {
  function = py::detail::get_function(function);
  if (!function || !PyCFunction_Check(function.ptr())) return;
  PyObject* const self = PyCFunction_GET_SELF(function.ptr());
  if (self == nullptr) return;
  auto* record = py::detail::function_record_ptr_from_PyObject(self);
  for (; record != nullptr; record = record->next) {
    if (record->impl == &named_impl) continue;
    bound_impls().emplace(record, record->impl);
    record->impl = &named_impl;
  }
}

void wrap_members(py::handle scope) {
  for (const auto& [name, member] : scope.attr("__dict__").cast<py::dict>()) {
    if (py::isinstance<py::staticmethod>(member)) {
      wrap(member.attr("__func__"));
    } else if (py::isinstance(member, py::module_::import("builtins").attr("property"))) {
      wrap(member.attr("fget"));
      wrap(member.attr("fset"));
    } else {
      wrap(member);
    }
  }
}

}  // namespace

ArgumentName argument_name(py::handle value) {
  if (current_call == nullptr) return {};
  const Call& call = *current_call;
  ArgumentName name{function_name(call.func), {}};
  const auto argument = [&](std::size_t i) -> std::string {
    if (i < call.func.args.size() && call.func.args[i].name != nullptr) {
      return call.func.args[i].name;
    }
    // pybind11's name for an argument bound without py::arg: arg0, arg1... after self.
    return "arg" + std::to_string(call.func.is_method ? i - 1 : i);
  };
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    if (call.args[i].is(value)) {
      name.argument = argument(i);
      return name;
    }
  }
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const std::string place = place_in(call.args[i], value);
    if (place.empty()) continue;
    // The elements of **kwargs are arguments of their own.
    const bool keyword =
        py::isinstance<py::dict>(call.args[i]) && call.func.has_kwargs && i + 1 == call.args.size();
    name.argument = keyword ? place : argument(i) + place;
    return name;
  }
  return name;
}

void name_arguments(py::module_& m) {
  for (const auto& [name, member] : m.attr("__dict__").cast<py::dict>()) {
    if (py::isinstance<py::type>(member) &&
        py::detail::get_type_info(reinterpret_cast<PyTypeObject*>(member.ptr())) != nullptr) {
      wrap_members(member);
    } else {
      wrap(member);
    }
  }
}

}  // namespace balai::python
