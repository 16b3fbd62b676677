#include <cmath>
#include <limits>

#include "balai/tracking/ledger.hpp"

namespace balai {

double ModuleState::attendance(bool excused_excluded) const noexcept {
  const int denominator = sessions - (excused_excluded ? excused : 0);
  if (denominator <= 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(attended) / denominator;
}

Statuses::Statuses(std::vector<ProgramState> programs, std::vector<std::uint32_t> offsets,
                   std::vector<ModuleState> modules, Timestamp as_of)
    : programs_(std::move(programs)),
      offsets_(std::move(offsets)),
      modules_(std::move(modules)),
      as_of_(as_of) {}

std::span<const ModuleState> Statuses::modules(RegistrationIndex r) const {
  const auto first = offsets_.at(r.pos());
  return std::span<const ModuleState>(modules_).subspan(first, offsets_.at(r.pos() + 1) - first);
}

}  // namespace balai
