// Progress of the planning chain's long steps (allocation, site selection, forecast): a
// callback sees `done` of `total` units of the named stage and may stop the step by
// returning false, which makes the step throw CancelledError.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct Progress {
  std::string_view stage;
  std::size_t done = 0;
  std::size_t total = 0;
};
using ProgressCallback = std::function<bool(const Progress&)>;

}  // namespace balai
BALAI_EXPORT_END
