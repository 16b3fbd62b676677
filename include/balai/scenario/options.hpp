// The parameters of the national scenario generator, with defaults that give a realistic
// Indonesia: the published counts of each kind of facility, the program's target and a
// 13-week pilot from the first Monday of 2027. `check` reports every bad parameter.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct ScenarioOptions {
  std::uint64_t seed = 2027;
  int trainees = 10'000;  // 0 .. kMaxScenarioTrainees

  // Facilities of each kind. `uptd` must cover every province (at least 38), so that
  // each has a regional BLK; `rpb` takes the first of the six real pilots.
  int uptp = 21;
  int uptd = 300;
  int blk_komunitas = 3'800;
  int plut = 100;
  int rpb = 6;

  // Shares of BLK Komunitas graded tumbuh, berkembang and mandiri; scaled to sum to 1.
  std::array<double, 3> grade_shares{0.6, 0.3, 0.1};
  double new_entrepreneur_share = 0.4;  // the rest are UMKM owners
  double female_share = 0.6;
  double accessibility_share = 0.03;

  // The program: its target range, a pilot of `pilot_weeks` from `start_date`, then a
  // rollout of `rollout_weeks` (none when 0). Trainees' ages are judged in the start year.
  Date start_date = Date(2027, 1, 4);
  int pilot_weeks = 13;
  int rollout_weeks = 38;
  int target_min = 5'000;
  int target_max = 10'000;

  // Worker threads for the trainees; 0 uses every core. Never changes the result.
  int threads = 0;

  friend bool operator==(const ScenarioOptions&, const ScenarioOptions&) = default;
};

inline constexpr int kMaxScenarioTrainees = 10'000'000;
inline constexpr int kMaxRpbPilots = 6;

// Every parameter outside its range, each problem naming the option; empty when valid.
[[nodiscard]] std::vector<Problem> check(const ScenarioOptions& options);

}  // namespace balai
BALAI_EXPORT_END
