// The completion rules applied to one registration: its live events in time order, run
// through its modules' rules, give its program and module states. Ledger::statuses runs it
// over every registration (evaluate in ledger_store.hpp); the forecast runs it over the
// events it simulates, so that both complete exactly the same registrations. Internal.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "ledger_store.hpp"

namespace balai::detail {

// Reads the events of `store` by position. One evaluator serves many registrations in turn
// (it keeps its per-module scratch space and what it has read of each cohort), but only one
// thread; keep it for as long as the store's roster, so that each cohort is read once.
class RegistrationEvaluator {
 public:
  // `as_of` decides only whether a module whose deadline has passed counts as failed.
  RegistrationEvaluator(const LedgerStore& store, Timestamp as_of);
  RegistrationEvaluator(const RegistrationEvaluator&) = delete;
  RegistrationEvaluator& operator=(const RegistrationEvaluator&) = delete;
  ~RegistrationEvaluator();

  // `events`: the registration's live events up to as_of, in time order. `program` starts
  // as a default ProgramState; `modules` has one entry per module of roster.required(r).
  void run(RegistrationIndex r, std::span<const std::uint32_t> events, ProgramState& program,
           std::span<ModuleState> modules);

 private:
  // "Not yet" or "none" for the evaluator's times, later than any event. They are plain
  // times rather than std::optional because GCC copies an optional as a flag byte and then
  // reads it back wider, a failed store forwarding that took a fifth of the forecast's time.
  static constexpr Timestamp kNever = std::numeric_limits<Timestamp>::max();

  struct Slot;   // a module of the registration being evaluated
  struct Terms;  // what the rules need of a cohort
  // The cohort's terms; `rule` is its module's.
  [[nodiscard]] const Terms& terms(CohortIndex c, const CompletionRule& rule);

  void start_slots(RegistrationIndex r);
  void apply(Slot& slot, EventKind kind, std::uint32_t value, std::uint8_t result,
             Timestamp time) const;
  struct Done {
    Timestamp at = kNever;
    Status status = Status::completed;
  };
  // When the rule was satisfied (in time for the deadline), and as what.
  [[nodiscard]] Done satisfied(const Slot& slot) const;
  [[nodiscard]] bool failed(const Slot& slot) const;
  void module_state(const Slot& slot, Timestamp withdrew_at, ModuleState& state) const;
  [[nodiscard]] static ProgramState program_state(
      ProgramState program, std::span<const ModuleState> modules,
      std::optional<std::pair<Timestamp, Status>> program_override);

  const LedgerStore& store_;
  const Roster& roster_;
  Timestamp as_of_;
  bool excused_excluded_;
  Timestamp enrolled_at_ = kEarliestTime;
  std::vector<Slot> slots_;
  // Per module of the roster: its position in required_, or kNoSlot when not required.
  static constexpr std::uint16_t kNoSlot = 0xffff;
  std::span<const ModuleIndex> required_{};
  std::vector<std::uint16_t> slot_of_;
  std::vector<Terms> terms_;  // per cohort of the roster, filled on first use
};

}  // namespace balai::detail
