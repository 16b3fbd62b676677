// Progress of long C++ calls in Python. Every long call runs without the GIL; a progress
// callback reacquires it, at most every kProgressInterval and at the start and end of each
// stage, to call the Python callable and PyErr_CheckSignals, so Ctrl-C cancels a long
// call. An exception raised there (KeyboardInterrupt, or the callable's own) is re-raised
// once the call stops; a callable that returns False stops it with CancelledError.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "balai/core/error.hpp"
#include "balai/planning/progress.hpp"
#include "bindings.hpp"

namespace balai::python {

inline constexpr auto kProgressInterval = std::chrono::milliseconds(50);

// A C++ ProgressCallback that calls a Python callable (stage, done, total), or None, and
// checks for Ctrl-C. Throttled without the GIL: only calls worth making take it.
class PythonProgress {
 public:
  explicit PythonProgress(py::object callable) : callable_(std::move(callable)) {}
  PythonProgress(const PythonProgress&) = delete;
  PythonProgress& operator=(const PythonProgress&) = delete;
  ~PythonProgress() = default;

  [[nodiscard]] ProgressCallback function() {
    return [this](const Progress& progress) { return report(progress); };
  }

  // With the GIL: raises what the callable or the signal check raised, if anything.
  void rethrow() {
    if (error_) {
      py::error_already_set error = std::move(*error_);
      error_.reset();
      throw error;
    }
  }

 private:
  bool report(const Progress& progress) {
    {
      const std::lock_guard lock(mutex_);
      const auto now = std::chrono::steady_clock::now();
      const bool new_stage = progress.stage != stage_;
      const bool last = progress.done >= progress.total;
      if (!new_stage && !last && now - last_call_ < kProgressInterval) return true;
      if (new_stage) stage_.assign(progress.stage);
      last_call_ = now;
    }
    const py::gil_scoped_acquire gil;
    if (error_) return false;
    if (PyErr_CheckSignals() != 0) {
      error_.emplace();  // fetches the pending KeyboardInterrupt
      return false;
    }
    if (callable_.is_none()) return true;
    try {
      const py::object result = callable_(py::str(progress.stage.data(), progress.stage.size()),
                                          progress.done, progress.total);
      if (result.is_none()) return true;
      const int truth = PyObject_IsTrue(result.ptr());
      if (truth < 0) throw py::error_already_set();
      return truth != 0;
    } catch (py::error_already_set& error) {
      error_.emplace(std::move(error));
      return false;
    }
  }

  py::object callable_;
  std::mutex mutex_;
  std::string stage_;
  std::chrono::steady_clock::time_point last_call_{};
  std::optional<py::error_already_set> error_;  // touched only with the GIL
};

// `run(callback)` without the GIL; a Python exception from the callback wins over the
// CancelledError it caused.
template <class Run>
auto with_progress(const py::object& callable, Run&& run) {
  PythonProgress progress(callable);
  using Result = std::invoke_result_t<Run, const ProgressCallback&>;
  std::optional<Result> result;
  try {
    const py::gil_scoped_release release;
    result.emplace(run(progress.function()));
  } catch (const CancelledError&) {
    progress.rethrow();
    throw;
  }
  progress.rethrow();
  return std::move(*result);
}

}  // namespace balai::python
