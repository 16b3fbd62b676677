#include "balai/core/error.hpp"

#include <utility>

namespace balai {
namespace {

std::string describe(const std::vector<Problem>& problems) {
  if (problems.size() == 1) return problems.front().to_string();
  std::string text = std::to_string(problems.size()) + " problems:";
  for (const auto& problem : problems) text += "\n  - " + problem.to_string();
  return text;
}

std::string describe_parse(const std::string& file, std::size_t line, std::size_t column,
                           const std::string& field, const std::string& message) {
  // Appends piece by piece: GCC 12 warns falsely (-Wrestrict) on chained operator+.
  std::string text = file;
  text.append(":").append(std::to_string(line));
  if (column > 0) text.append(":").append(std::to_string(column));
  if (!field.empty()) text.append(": field '").append(field).append("'");
  return text.append(": ").append(message);
}

}  // namespace

std::string Problem::to_string() const {
  std::string text;
  if (!where.empty()) text += where + ": ";
  if (!field.empty()) text += field + " = '" + value + "': ";
  return text + message;
}

ValidationError::ValidationError(std::vector<Problem> problems)
    : Error(describe(problems)), problems_(std::move(problems)) {}

ValidationError::ValidationError(Problem problem)
    : ValidationError(std::vector<Problem>{std::move(problem)}) {}

UnknownReferenceError::UnknownReferenceError(std::string kind, std::string key)
    : Error("unknown " + kind + " '" + key + "'"), kind_(std::move(kind)), key_(std::move(key)) {}

ParseError::ParseError(std::string file, std::size_t line, std::size_t column, std::string field,
                       std::string message)
    : Error(describe_parse(file, line, column, field, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      field_(std::move(field)),
      reason_(std::move(message)) {}

}  // namespace balai
