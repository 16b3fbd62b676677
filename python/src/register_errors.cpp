// balai::Error and its subclasses as Python exceptions under balai.Error, each also
// derived from the closest built-in, so that `except ValueError` keeps working for code
// that does not know balai. The C++ message (what()) is the Python message; the structured
// parts (problems, file/line/column/field, kind/key) are attributes.
#include <exception>
#include <initializer_list>
#include <utility>

#include "bindings.hpp"
#include "pickle_versions.hpp"

namespace balai::python {
namespace {

// Borrowed from the module, which keeps the classes alive for the interpreter's life.
struct ErrorTypes {
  py::handle error;
  py::handle validation;
  py::handle unknown_reference;
  py::handle parse;
  py::handle format;
  py::handle conflict;
  py::handle infeasible;
  py::handle cancelled;
  py::handle wrong_process;
};

ErrorTypes& error_types() {
  static ErrorTypes types;
  return types;
}

py::handle new_error(py::module_& m, const char* name, std::initializer_list<py::handle> bases,
                     py::dict attributes, const char* doc) {
  py::tuple base_tuple(bases.size());
  std::size_t i = 0;
  for (py::handle base : bases) base_tuple[i++] = py::reinterpret_borrow<py::object>(base);
  const std::string qualified = std::string("balai.") + name;
  PyObject* type =
      PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base_tuple.ptr(), attributes.ptr());
  if (type == nullptr) throw py::error_already_set();
  m.add_object(name, py::reinterpret_steal<py::object>(type));
  return type;
}

using Attributes = std::vector<std::pair<const char*, py::object>>;

py::object make_error(py::handle type, const char* message, const Attributes& attributes) {
  py::object error = type(message);
  for (const auto& [name, value] : attributes) py::setattr(error, name, value);
  return error;
}

py::object validation_error(const ValidationError& error) {
  return make_error(error_types().validation, error.what(),
                    {{"problems", py::tuple(py::cast(error.problems()))}});
}

void raise(py::handle type, const char* message, const Attributes& attributes = {}) {
  // A translator must not throw: if building the rich exception fails, raise it plain.
  try {
    const py::object error = make_error(type, message, attributes);
    PyErr_SetObject(type.ptr(), error.ptr());
  } catch (const py::error_already_set&) {
    PyErr_SetString(type.ptr(), message);
  }
}

void translate(std::exception_ptr pointer) {
  const auto& types = error_types();
  try {
    if (pointer) std::rethrow_exception(pointer);
  } catch (const ValidationError& error) {
    try {
      const py::object instance = validation_error(error);
      PyErr_SetObject(types.validation.ptr(), instance.ptr());
    } catch (const py::error_already_set&) {
      PyErr_SetString(types.validation.ptr(), error.what());
    }
  } catch (const UnknownReferenceError& error) {
    raise(types.unknown_reference, error.what(),
          {{"kind", py::str(error.kind())}, {"key", py::str(error.key())}});
  } catch (const ParseError& error) {
    raise(types.parse, error.what(),
          {{"file", py::str(error.file())},
           {"line", py::int_(error.line())},
           {"column", py::int_(error.column())},
           {"field", py::str(error.field())},
           {"reason", py::str(error.reason())}});
  } catch (const FormatError& error) {
    raise(types.format, error.what());
  } catch (const ConflictError& error) {
    raise(types.conflict, error.what());
  } catch (const InfeasibleError& error) {
    raise(types.infeasible, error.what());
  } catch (const CancelledError& error) {
    raise(types.cancelled, error.what());
  } catch (const WrongProcessError& error) {
    raise(types.wrong_process, error.what());
  } catch (const Error& error) {
    raise(types.error, error.what());
  }
}

void bind_problem(py::module_& m) {
  py::class_<Problem>(m, "Problem", py::is_final(),
                      "One thing wrong with an input: where (the record), which field, the "
                      "value it had and why it is wrong.")
      .def(py::init(
               [](std::string where, std::string field, std::string value, std::string message) {
                 return Problem{std::move(where), std::move(field), std::move(value),
                                std::move(message)};
               }),
           py::kw_only(), py::arg("where") = "", py::arg("field") = "", py::arg("value") = "",
           py::arg("message") = "")
      .def_readonly("where", &Problem::where)
      .def_readonly("field", &Problem::field)
      .def_readonly("value", &Problem::value)
      .def_readonly("message", &Problem::message)
      .def("__str__", &Problem::to_string)
      .def("__repr__",
           [](const Problem& p) {
             return Repr("Problem")
                 .arg("where", p.where)
                 .arg("field", p.field)
                 .arg("value", p.value)
                 .arg("message", p.message)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Problem& p) {
            return py::make_tuple(kPickleVersion, p.where, p.field, p.value, p.message);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "Problem", 4);
            return Problem{s[1].cast<std::string>(), s[2].cast<std::string>(),
                           s[3].cast<std::string>(), s[4].cast<std::string>()};
          }));
}

}  // namespace

void register_errors(py::module_& m) {
  bind_problem(m);

  const py::module_ builtins = py::module_::import("builtins");
  const py::handle value_error = builtins.attr("ValueError");
  auto& types = error_types();
  types.error = new_error(m, "Error", {builtins.attr("Exception")}, py::dict(),
                          "Base class of every error balai raises.");

  py::dict validation_attributes;
  validation_attributes["problems"] = py::tuple();
  types.validation = new_error(
      m, "ValidationError", {types.error, value_error}, validation_attributes,
      "Input that breaks a rule. `problems` lists every problem found, each a Problem with "
      "where/field/value/message.");

  // KeyError's str() would quote the message as a key; a message reads better plain.
  py::dict reference_attributes;
  reference_attributes["kind"] = "";
  reference_attributes["key"] = "";
  reference_attributes["__str__"] = builtins.attr("BaseException").attr("__str__");
  types.unknown_reference = new_error(
      m, "UnknownReferenceError", {types.error, builtins.attr("KeyError")}, reference_attributes,
      "A lookup by an id or code that names nothing known: `kind` says what was looked up "
      "(\"facility\"), `key` the id.");

  py::dict parse_attributes;
  parse_attributes["file"] = "";
  parse_attributes["line"] = 0;
  parse_attributes["column"] = 0;
  parse_attributes["field"] = "";
  parse_attributes["reason"] = "";
  types.parse = new_error(m, "ParseError", {types.error, value_error}, parse_attributes,
                          "A text file that cannot be read: `file`, `line` and `column` "
                          "(from 1; 0 for the whole line), `field` and `reason`.");

  types.format = new_error(m, "FormatError", {types.error, value_error}, py::dict(),
                           "A binary file or pickle that is truncated, corrupted, foreign or "
                           "written by a newer balai.");
  types.conflict = new_error(m, "ConflictError", {types.error, value_error}, py::dict(),
                             "The same identity submitted twice with different content.");
  types.infeasible =
      new_error(m, "InfeasibleError", {types.error, builtins.attr("RuntimeError")}, py::dict(),
                "A well-formed problem that has no solution under its constraints.");
  types.cancelled =
      new_error(m, "CancelledError", {types.error, builtins.attr("RuntimeError")}, py::dict(),
                "A long computation stopped because its progress callback asked it to.");
  types.wrong_process =
      new_error(m, "WrongProcessError", {types.error, builtins.attr("RuntimeError")}, py::dict(),
                "An object holding a file or a lock (a Journal) used by another process than "
                "the one that opened it, such as a child made by os.fork().");

  py::register_exception_translator(&translate);

  m.def(
      "_validation_error",
      [](std::vector<Problem> problems) {
        if (problems.empty()) throw py::value_error("a ValidationError needs a problem");
        return validation_error(ValidationError(std::move(problems)));
      },
      py::arg("problems"),
      "A ValidationError carrying `problems`, for Python code to raise; the message is the "
      "one C++ would give.");
}

void raise_if_any(std::vector<Problem> problems, std::string_view where) {
  if (problems.empty()) return;
  for (auto& problem : problems) {
    if (problem.where.empty()) problem.where = where;
  }
  throw ValidationError(std::move(problems));
}

py::tuple unpickle(const py::handle& state, std::string_view type_name, std::size_t fields) {
  static_assert(kPickleVersion == 1, "a type's first layout is version 1");
  return unpickle_versions(state, type_name, std::span(&fields, 1)).first;
}

std::pair<py::tuple, int> unpickle_versions(const py::handle& state, std::string_view type_name,
                                            std::span<const std::size_t> fields) {
  const std::string name(type_name);
  if (!py::isinstance<py::tuple>(state) || py::len(state) == 0) {
    throw FormatError("cannot unpickle " + name + ": the state is not a versioned tuple");
  }
  auto tuple = py::reinterpret_borrow<py::tuple>(state);
  const py::object version = tuple[0];
  const auto newest = static_cast<long long>(fields.size());
  if (!py::isinstance<py::int_>(version) || version.cast<long long>() < 1 ||
      version.cast<long long>() > newest) {
    const std::string read =
        newest == 1 ? "1, the version" : "1 to " + std::to_string(newest) + ", the versions";
    throw FormatError("cannot unpickle " + name + ": pickle format version " +
                      py::repr(version).cast<std::string>() + " is not " + read +
                      " this balai reads (written by a newer balai?)");
  }
  const auto v = version.cast<int>();
  const auto expected = fields[static_cast<std::size_t>(v - 1)];
  if (tuple.size() != expected + 1) {
    throw FormatError("cannot unpickle " + name + ": expected " + std::to_string(expected) +
                      " fields, found " + std::to_string(tuple.size() - 1));
  }
  return {tuple, v};
}

}  // namespace balai::python
