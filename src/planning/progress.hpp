// Progress reporting shared by the allocation's stages: workers on several threads count
// units done; the user's callback is called about 200 times per stage, one call at a time,
// and its "stop" is remembered for the workers to see.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <mutex>
#include <string_view>

#include "balai/core/error.hpp"
#include "balai/planning/progress.hpp"

namespace balai::detail {

class ProgressReporter {
 public:
  ProgressReporter(const ProgressCallback& callback, std::string_view stage, std::size_t total)
      : callback_(callback),
        stage_(stage),
        total_(total),
        step_(std::max<std::size_t>(total / 200, 1)) {}

  void advance(std::size_t units) {
    const std::size_t before = done_.fetch_add(units);
    if (!callback_ || (before + units) / step_ == before / step_) return;
    report(std::min(before + units, total_));
  }
  [[nodiscard]] bool cancelled() const noexcept { return cancelled_; }

  // The final report; CancelledError if the callback asked to stop at any point.
  void finish() {
    if (callback_ && !cancelled_) report(total_);
    if (cancelled_)
      throw CancelledError(std::string(stage_) + " cancelled by its progress callback");
  }

 private:
  void report(std::size_t done) {
    const std::scoped_lock lock(mutex_);
    if (!cancelled_ && !callback_({stage_, done, total_})) cancelled_ = true;
  }

  const ProgressCallback& callback_;
  std::string_view stage_;
  std::size_t total_;
  std::size_t step_;
  std::atomic<std::size_t> done_{0};
  std::atomic<bool> cancelled_{false};
  std::mutex mutex_;
};

}  // namespace balai::detail
