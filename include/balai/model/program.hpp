// The national program: its name, owning ministries, target range and phases.
#pragma once

#include <string>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct Phase {
  std::string name{};  // "pilot", "rollout"
  DateRange window{};

  friend bool operator==(const Phase&, const Phase&) = default;
};

struct Program {
  std::string name{};
  std::vector<std::string> ministries{};
  int target_min = 5000;  // trainees to complete, lower and upper bound of the target
  int target_max = 10000;
  std::vector<Phase> phases{};  // in time order, not overlapping

  // The phase with this name; UnknownReferenceError otherwise.
  [[nodiscard]] const Phase& phase(std::string_view phase_name) const;
  friend bool operator==(const Program&, const Program&) = default;
};

[[nodiscard]] std::vector<Problem> check(const Program& program);

}  // namespace balai
BALAI_EXPORT_END
