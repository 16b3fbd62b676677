#include "balai/scenario/options.hpp"

#include <cmath>
#include <string>

#include "balai/core/regions.hpp"
#include "balai/core/text.hpp"

namespace balai {
namespace {

struct Checker {
  std::vector<Problem> problems;

  void range(const char* field, int value, int low, int high, const char* why = nullptr) {
    if (value >= low && value <= high) return;
    std::string message = "must be between " + std::to_string(low) + " and " + std::to_string(high);
    if (why != nullptr) message.append(": ").append(why);
    problems.push_back({"scenario options", field, std::to_string(value), std::move(message)});
  }

  void share(const char* field, double value) {
    if (std::isfinite(value) && value >= 0.0 && value <= 1.0) return;
    problems.push_back(
        {"scenario options", field, printable(value), "must be a share between 0 and 1"});
  }
};

}  // namespace

std::vector<Problem> check(const ScenarioOptions& options) {
  Checker checker;
  const int province_count = static_cast<int>(provinces().size());
  checker.range("trainees", options.trainees, 0, kMaxScenarioTrainees);
  checker.range("uptp", options.uptp, 0, 200);
  checker.range("uptd", options.uptd, province_count, 5'000, "every province needs a regional BLK");
  checker.range("blk_komunitas", options.blk_komunitas, 0, 50'000);
  checker.range("plut", options.plut, 0, 2'000);
  checker.range("rpb", options.rpb, 0, kMaxRpbPilots, "the scenario knows six RPB pilots");

  double grade_total = 0.0;
  for (double share : options.grade_shares) {
    checker.share("grade_shares", share);
    if (std::isfinite(share)) grade_total += share;
  }
  if (!(grade_total > 0.0)) {
    checker.problems.push_back({"scenario options", "grade_shares", printable(grade_total),
                                "the grade shares must not all be zero"});
  }
  checker.share("new_entrepreneur_share", options.new_entrepreneur_share);
  checker.share("female_share", options.female_share);
  checker.share("accessibility_share", options.accessibility_share);

  checker.range("start_date", options.start_date.ymd().year, 2000, 2100,
                "the program starts in this century");
  checker.range("pilot_weeks", options.pilot_weeks, 1, 104);
  checker.range("rollout_weeks", options.rollout_weeks, 0, 520);
  checker.range("target_min", options.target_min, 1, kMaxScenarioTrainees);
  checker.range("target_max", options.target_max, options.target_min, kMaxScenarioTrainees,
                "not below target_min");
  checker.range("threads", options.threads, 0, 1'024);
  return std::move(checker.problems);
}

}  // namespace balai
