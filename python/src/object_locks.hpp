// A reader-writer lock per bound object that is not thread-safe (a Ledger, a SpaceBook, a
// CertificateRegistry), so that Python threads sharing one cannot crash the interpreter.
//
// Calls that hold the GIL throughout are serialised by it; the danger is a call that
// releases the GIL to work in C++ while another thread changes the same object. So:
//
// - a change (write_locked) takes the object's lock exclusively, waiting for it with the
//   GIL released, then works holding both: no reader of the object runs meanwhile, whether
//   it holds the GIL or not;
// - a long read that releases the GIL (read_released) works under the shared lock, which
//   it gives up before taking the GIL back.
//
// Nobody waits for the lock while holding the GIL, and nobody waits for the GIL while
// holding a shared lock, so the two cannot deadlock. Reads run in parallel; changes to one
// object run one at a time, each holding the GIL (they are the short part of the work).
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <utility>

#include "bindings.hpp"

namespace balai::python {

// The lock of the C++ object at `object`, owned by the Python object `owner`: made on first
// use, dropped when `owner` is collected. The GIL must be held.
std::shared_ptr<std::shared_mutex> lock_of(const void* object, py::handle owner);

template <class T>
std::shared_ptr<std::shared_mutex> lock_of(const T& object) {
  // The Python object that owns `object`: the instance pybind11 registered for it.
  const py::object owner = py::cast(&object, py::return_value_policy::reference);
  return lock_of(&object, owner);
}

// `work()` on `object` under its exclusive lock, with the GIL held.
template <class T, class Work>
decltype(auto) write_locked(T& object, Work&& work) {
  const auto mutex = lock_of(object);
  std::unique_lock lock(*mutex, std::defer_lock);
  {
    const py::gil_scoped_release release;
    lock.lock();
  }
  return std::forward<Work>(work)();
}

// `work()` on `object` under its shared lock, with the GIL released.
template <class T, class Work>
auto read_released(const T& object, Work&& work) {
  const auto mutex = lock_of(object);
  const py::gil_scoped_release release;
  const std::shared_lock lock(*mutex);  // given up before the GIL is taken back
  return std::forward<Work>(work)();
}

}  // namespace balai::python
