// A unit of training: its hours in JP (45-minute lessons), its prerequisites, the
// facility features it needs, the tracks that require it and its completion rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/model/trainee.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// When a module counts as done: by attendance, by assessment, both, either, or
// regardless of both (e.g. an orientation session).
enum class MoveOnRule : std::uint8_t {
  completed,
  passed,
  completed_and_passed,
  completed_or_passed,
  not_applicable,
};

template <>
struct EnumNames<MoveOnRule> {
  static constexpr std::array<std::string_view, 5> names{
      "completed", "passed", "completed_and_passed", "completed_or_passed", "not_applicable"};
};

struct CompletionRule {
  double min_attendance = 0.8;        // fraction of sessions attended, in [0, 1]
  std::optional<double> pass_mark{};  // assessment score out of 100; needed by rules that pass
  MoveOnRule move_on = MoveOnRule::completed;

  friend bool operator==(const CompletionRule&, const CompletionRule&) = default;
};

// True for the move-on rules that look at an assessment, and so need a pass mark.
[[nodiscard]] constexpr bool needs_pass_mark(MoveOnRule rule) noexcept {
  return rule == MoveOnRule::passed || rule == MoveOnRule::completed_and_passed ||
         rule == MoveOnRule::completed_or_passed;
}

// A JP (jam pelajaran), the unit of module hours, is a lesson of 45 minutes.
inline constexpr int kMinutesPerJp = 45;

struct Module {
  std::string code{};  // external id, e.g. "ENT-101"
  std::string title{};
  int hours_jp = 1;
  std::vector<std::string> prerequisites{};      // module codes
  std::vector<std::string> required_features{};  // facility feature tags
  std::vector<Track> tracks{};                   // the tracks that require it; sorted, unique
  CompletionRule rule{};

  [[nodiscard]] bool required_by(Track track) const noexcept;
  friend bool operator==(const Module&, const Module&) = default;
};

// Everything wrong with `module` on its own (references to other modules are checked by
// the Dataset); empty when valid.
[[nodiscard]] std::vector<Problem> check(const Module& module);

}  // namespace balai
BALAI_EXPORT_END
