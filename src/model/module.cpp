#include "balai/model/module.hpp"

#include <algorithm>

#include "balai/core/text.hpp"
#include "balai/model/facility.hpp"
#include "text_checks.hpp"

namespace balai {

bool Module::required_by(Track track) const noexcept {
  return std::find(tracks.begin(), tracks.end(), track) != tracks.end();
}

std::vector<Problem> check(const Module& module) {
  std::vector<Problem> problems;
  const std::string where;  // filled in by locate() once something is wrong
  detail::check_id(problems, where, "code", module.code);
  detail::check_text(problems, where, "title", module.title);
  if (module.hours_jp < 1 || module.hours_jp > 2000) {
    problems.push_back(
        {where, "hours_jp", std::to_string(module.hours_jp), "must be between 1 and 2000 lessons"});
  }
  for (const auto& code : module.prerequisites) {
    detail::check_id(problems, where, "prerequisites", code);
    if (code == module.code) {
      problems.push_back({where, "prerequisites", code, "a module cannot require itself"});
    }
  }
  for (const auto& tag : module.required_features) {
    if (!is_feature_tag(tag)) {
      problems.push_back({where, "required_features", printable(tag),
                          "a feature tag is 1-40 characters of a-z, 0-9 and _"});
    }
  }
  const auto& rule = module.rule;
  if (!(rule.min_attendance >= 0.0 && rule.min_attendance <= 1.0)) {
    problems.push_back({where, "min_attendance", printable(rule.min_attendance),
                        "must be a fraction between 0 and 1"});
  }
  if (rule.pass_mark && !(*rule.pass_mark >= 0.0 && *rule.pass_mark <= 100.0)) {
    problems.push_back(
        {where, "pass_mark", printable(*rule.pass_mark), "must be a score between 0 and 100"});
  }
  if (needs_pass_mark(rule.move_on) && !rule.pass_mark) {
    problems.push_back(
        {where, "pass_mark", "",
         "move-on rule '" + std::string(name_of(rule.move_on)) + "' needs a pass mark"});
  }
  detail::locate(problems, "module", module.code);
  return problems;
}

}  // namespace balai
