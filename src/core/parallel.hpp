// A fixed pool of workers, one per core, each taking the next piece of work from a shared
// counter (the allocation's loops, the ledger's status evaluation). Results never depend on
// which worker did what.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace balai::detail {

[[nodiscard]] inline std::size_t worker_count() noexcept {
  return std::max(1U, std::thread::hardware_concurrency());
}

// The workers an options' `threads` asks for: that many, or one per core when it is 0 (or
// less; the options' checks refuse negative counts).
[[nodiscard]] inline std::size_t worker_count(int threads) noexcept {
  return threads > 0 ? static_cast<std::size_t>(threads) : worker_count();
}

// Runs `work` on `workers` threads (this one included); the first exception any of them
// throws is rethrown here once all have stopped.
template <class Work>
void run_on_threads(std::size_t workers, Work work) {
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto guarded = [&] {
    try {
      work();
    } catch (...) {
      const std::scoped_lock lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> pool;
    for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(guarded);
    guarded();
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace balai::detail
