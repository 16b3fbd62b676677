#include "balai/model/program.hpp"

#include <set>

#include "text_checks.hpp"

namespace balai {

const Phase& Program::phase(std::string_view phase_name) const {
  for (const auto& candidate : phases) {
    if (candidate.name == phase_name) return candidate;
  }
  throw UnknownReferenceError("phase", std::string(phase_name));
}

std::vector<Problem> check(const Program& program) {
  std::vector<Problem> problems;
  const std::string where = "program";
  detail::check_text(problems, where, "name", program.name);
  for (const auto& ministry : program.ministries) {
    detail::check_text(problems, where, "ministries", ministry);
  }
  if (program.target_min < 1) {
    problems.push_back(
        {where, "target_min", std::to_string(program.target_min), "must be at least 1"});
  }
  if (program.target_max < program.target_min) {
    problems.push_back({where, "target_max", std::to_string(program.target_max),
                        "is below target_min " + std::to_string(program.target_min)});
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < program.phases.size(); ++i) {
    const auto& phase = program.phases[i];
    detail::check_id(problems, where, "phases.name", phase.name);
    if (!names.insert(phase.name).second) {
      problems.push_back({where, "phases.name", phase.name, "duplicate phase name"});
    }
    if (i > 0 && program.phases[i - 1].window.last() >= phase.window.first()) {
      problems.push_back({where, "phases.window", phase.window.first().to_string(),
                          "phase '" + phase.name + "' must start after phase '" +
                              program.phases[i - 1].name + "' ends"});
    }
  }
  return problems;
}

}  // namespace balai
