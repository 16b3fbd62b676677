// The table of object locks: one entry per live object that was ever locked, removed by a
// weak reference's callback when its Python owner is collected.
#include "object_locks.hpp"

#include <unordered_map>

namespace balai::python {
namespace {

struct Entry {
  std::shared_ptr<std::shared_mutex> mutex;
  py::object watch;  // the weak reference whose callback removes this entry
};

// Only touched with the GIL held, which is what serialises it.
std::unordered_map<const void*, Entry>& entries() {
  static auto* table = new std::unordered_map<const void*, Entry>();  // outlives the interpreter
  return *table;
}

}  // namespace

std::shared_ptr<std::shared_mutex> lock_of(const void* object, py::handle owner) {
  auto& table = entries();
  if (const auto found = table.find(object); found != table.end()) return found->second.mutex;
  auto mutex = std::make_shared<std::shared_mutex>();
  // A call that holds the mutex keeps its owner alive (the owner is one of its arguments),
  // so the entry goes only once nobody can be using it.
  py::weakref watch(owner,
                    py::cpp_function([object](const py::handle&) { entries().erase(object); }));
  table.emplace(object, Entry{mutex, std::move(watch)});
  return mutex;
}

}  // namespace balai::python
