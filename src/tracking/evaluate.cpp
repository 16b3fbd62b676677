// Statuses from events: each registration's live events in time order, run through its
// modules' completion rules. The one definition of what the events mean, used for the
// current statuses and for any "as of" time.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>

#include "../core/parallel.hpp"
#include "ledger_store.hpp"

namespace balai::detail {
namespace {

// The first second after local day `date` in `zone`, in UTC.
Timestamp end_of_day(Date date, TimeZone zone) noexcept {
  return (static_cast<Timestamp>(date.days()) + 1) * 86400 - utc_offset_hours(zone) * 3600;
}

// A module of the registration being evaluated.
struct Slot {
  const CompletionRule* rule = nullptr;
  std::uint64_t countable = 0;  // sessions on or after the enrolment date
  std::uint64_t attended = 0;
  std::uint64_t absent = 0;
  std::uint64_t excused = 0;
  std::optional<Timestamp> deadline_end{};
  std::optional<Timestamp> attendance_since{};  // since when the attendance rule holds
  std::optional<Timestamp> passed_at{};
  std::optional<float> best{};
  std::optional<Timestamp> waived_at{};
  std::optional<std::pair<Timestamp, Status>> override{};
  bool touched = false;  // any attendance or assessment

  [[nodiscard]] int denominator(bool excused_excluded) const noexcept {
    return std::popcount(countable) - (excused_excluded ? std::popcount(excused & countable) : 0);
  }
  [[nodiscard]] bool attendance_holds(bool excused_excluded) const noexcept {
    const int den = denominator(excused_excluded);
    return den > 0 && std::popcount(attended & countable) >= rule->min_attendance * den - 1e-9;
  }
  // The attendance rule can no longer hold: too many sessions missed.
  [[nodiscard]] bool attendance_failed(bool excused_excluded) const noexcept {
    const int den = denominator(excused_excluded);
    const int missed = std::popcount(absent & countable) +
                       (excused_excluded ? 0 : std::popcount(excused & countable));
    return den > 0 && den - missed < rule->min_attendance * den - 1e-9;
  }
  [[nodiscard]] bool pass_failed() const noexcept {
    return best && rule->pass_mark && *best < *rule->pass_mark;
  }
  void note_attendance(Timestamp time, bool excused_excluded) noexcept {
    if (!attendance_holds(excused_excluded)) {
      attendance_since.reset();
    } else if (!attendance_since) {
      attendance_since = time;
    }
  }
};

class RegistrationEvaluator {
 public:
  RegistrationEvaluator(const LedgerStore& store, Timestamp as_of)
      : store_(store),
        roster_(store.roster),
        as_of_(as_of),
        excused_excluded_(store.options.excused_excluded) {}

  // `events`: the registration's live events up to as_of, in time order.
  void run(RegistrationIndex r, std::span<const std::uint32_t> events, ProgramState& program,
           std::span<ModuleState> modules) {
    const auto enrolment = std::find_if(events.begin(), events.end(), [&](std::uint32_t e) {
      return store_.kind(e) == EventKind::enrolled;
    });
    if (enrolment == events.end()) return;  // registered: the defaults
    enrolled_at_ = from_stored_time(store_.times[*enrolment]);
    program.enrolled_at = enrolled_at_;
    start_slots(r);
    std::optional<std::pair<Timestamp, Status>> program_override;
    for (auto it = enrolment; it != events.end(); ++it) {
      const auto e = *it;
      const auto time = from_stored_time(store_.times[e]);
      const auto kind = store_.kind(e);
      if (kind == EventKind::withdrew) {
        if (!program.withdrew_at) program.withdrew_at = time;
        continue;
      }
      if (kind == EventKind::overridden && store_.modules[e] == kNoModule) {
        program_override = std::pair(time, static_cast<Status>(store_.results[e]));
        continue;
      }
      if (store_.modules[e] == kNoModule) continue;  // enrolled, voided
      auto& slot = slots_[*roster_.slot(r, ModuleIndex(store_.modules[e]))];
      apply(slot, kind, store_.values[e], store_.results[e], time);
    }
    for (std::size_t k = 0; k < slots_.size(); ++k) {
      modules[k] = module_state(slots_[k], program.withdrew_at);
    }
    program = program_state(program, modules, program_override);
  }

 private:
  void start_slots(RegistrationIndex r) {
    const auto required = roster_.required(r);
    slots_.assign(required.size(), Slot{});
    for (std::size_t k = 0; k < required.size(); ++k) {
      auto& slot = slots_[k];
      slot.rule = &roster_.modules()[required[k].pos()].rule;
      if (const auto c = roster_.cohort(r, required[k])) {
        const auto& cohort = roster_.cohort(*c);
        const auto zone = roster_.time_zone(*c);
        const auto enrolment_day = local_date(enrolled_at_, zone);
        for (std::size_t s = 0; s < cohort.sessions.size(); ++s) {
          if (cohort.sessions[s] >= enrolment_day) slot.countable |= std::uint64_t{1} << s;
        }
        if (cohort.deadline) slot.deadline_end = end_of_day(*cohort.deadline, zone);
      }
      slot.note_attendance(enrolled_at_, excused_excluded_);
    }
  }

  void apply(Slot& slot, EventKind kind, std::uint32_t value, std::uint8_t result,
             Timestamp time) const {
    switch (kind) {
      case EventKind::attended:
      case EventKind::absent:
      case EventKind::excused: {
        // The latest record of a session decides it.
        const auto bit = std::uint64_t{1} << (value - 1);
        slot.attended &= ~bit;
        slot.absent &= ~bit;
        slot.excused &= ~bit;
        (kind == EventKind::attended ? slot.attended
         : kind == EventKind::absent ? slot.absent
                                     : slot.excused) |= bit;
        slot.touched = true;
        slot.note_attendance(time, excused_excluded_);
        break;
      }
      case EventKind::assessed: {
        const auto score = std::bit_cast<float>(value);
        slot.best = std::max(slot.best.value_or(score), score);
        slot.touched = true;
        if (!slot.passed_at && slot.rule->pass_mark && score >= *slot.rule->pass_mark) {
          slot.passed_at = time;
        }
        break;
      }
      case EventKind::waived:
        if (!slot.waived_at) slot.waived_at = time;
        break;
      case EventKind::overridden:
        slot.override = std::pair(time, static_cast<Status>(result));
        break;
      case EventKind::enrolled:
      case EventKind::withdrew:
      case EventKind::voided: break;
    }
  }

  // When the rule was satisfied (in time for the deadline), and as what.
  [[nodiscard]] std::optional<std::pair<Timestamp, Status>> satisfied(const Slot& slot) const {
    auto in_time = [&](std::optional<Timestamp> t) {
      return t && (!slot.deadline_end || *t < *slot.deadline_end) ? t : std::nullopt;
    };
    const auto attended = in_time(slot.attendance_since);
    const auto passed = in_time(slot.passed_at);
    switch (slot.rule->move_on) {
      case MoveOnRule::completed:
        if (attended) return std::pair(*attended, Status::completed);
        break;
      case MoveOnRule::passed:
        if (passed) return std::pair(*passed, Status::passed);
        break;
      case MoveOnRule::completed_and_passed:
        if (attended && passed) return std::pair(std::max(*attended, *passed), Status::passed);
        break;
      case MoveOnRule::completed_or_passed:
        if (passed && (!attended || *passed <= *attended))
          return std::pair(*passed, Status::passed);
        if (attended) return std::pair(*attended, Status::completed);
        break;
      case MoveOnRule::not_applicable: return std::pair(enrolled_at_, Status::completed);
    }
    return std::nullopt;
  }

  [[nodiscard]] bool failed(const Slot& slot) const {
    if (slot.deadline_end && as_of_ >= *slot.deadline_end) return true;
    const bool absent = slot.attendance_failed(excused_excluded_);
    switch (slot.rule->move_on) {
      case MoveOnRule::completed: return absent;
      case MoveOnRule::passed: return slot.pass_failed();
      case MoveOnRule::completed_and_passed: return absent || slot.pass_failed();
      case MoveOnRule::completed_or_passed: return absent && slot.pass_failed();
      case MoveOnRule::not_applicable: return false;
    }
    return false;
  }

  [[nodiscard]] ModuleState module_state(const Slot& slot,
                                         std::optional<Timestamp> withdrew_at) const {
    ModuleState state;
    state.sessions = static_cast<std::uint8_t>(std::popcount(slot.countable));
    state.attended = static_cast<std::uint8_t>(std::popcount(slot.attended & slot.countable));
    state.absent = static_cast<std::uint8_t>(std::popcount(slot.absent & slot.countable));
    state.excused = static_cast<std::uint8_t>(std::popcount(slot.excused & slot.countable));
    if (slot.best) state.best_score = static_cast<double>(*slot.best);
    if (slot.override) {
      state.status = slot.override->second;
      state.overridden = true;
      if (is_done(state.status)) state.done_at = slot.override->first;
    } else if (slot.waived_at) {
      state.status = Status::waived;
      state.done_at = slot.waived_at;
    } else if (const auto done = satisfied(slot);
               done && (!withdrew_at || done->first <= *withdrew_at)) {
      state.status = done->second;
      state.done_at = done->first;
    } else if (withdrew_at) {
      state.status = Status::withdrew;
    } else if (failed(slot)) {
      state.status = Status::failed;
    } else {
      state.status = slot.touched ? Status::in_progress : Status::enrolled;
    }
    return state;
  }

  [[nodiscard]] static ProgramState program_state(
      ProgramState program, std::span<const ModuleState> modules,
      std::optional<std::pair<Timestamp, Status>> program_override) {
    if (program_override) {
      program.status = program_override->second;
      program.overridden = true;
      if (program.status == Status::completed) program.completed_at = program_override->first;
      return program;
    }
    const bool all_done = std::all_of(modules.begin(), modules.end(),
                                      [](const ModuleState& m) { return is_done(m.status); });
    auto status_is = [&](Status s) {
      return std::any_of(modules.begin(), modules.end(),
                         [s](const ModuleState& m) { return m.status == s; });
    };
    if (all_done) {
      program.status = Status::completed;
      Timestamp last = *program.enrolled_at;
      for (const auto& m : modules) last = std::max(last, *m.done_at);
      program.completed_at = last;
    } else if (program.withdrew_at) {
      program.status = Status::withdrew;
    } else if (status_is(Status::failed)) {
      program.status = Status::failed;
    } else if (std::any_of(modules.begin(), modules.end(),
                           [](const ModuleState& m) { return m.status != Status::enrolled; })) {
      program.status = Status::in_progress;
    } else {
      program.status = Status::enrolled;
    }
    return program;
  }

  const LedgerStore& store_;
  const Roster& roster_;
  Timestamp as_of_;
  bool excused_excluded_;
  Timestamp enrolled_at_ = kEarliestTime;
  std::vector<Slot> slots_;
};

}  // namespace

Statuses evaluate(const LedgerStore& store, Timestamp as_of) {
  const auto& roster = store.roster;
  const auto registrations = roster.registration_count();
  const bool all_times = as_of >= kLatestTime;
  const auto until = as_of < kEarliestTime ? 0 : to_stored_time(std::min(as_of, kLatestTime));
  auto counts = [&](std::size_t i) {
    return !store.voided(i) && store.kind(i) != EventKind::voided &&
           (all_times || (as_of >= kEarliestTime && store.times[i] <= until));
  };

  // The live events grouped by registration (a counting sort), each group in time order.
  std::vector<std::uint32_t> first(registrations + 1, 0);
  for (std::size_t i = 0; i < store.size(); ++i) {
    if (counts(i)) ++first[store.registrations[i] + 1];
  }
  for (std::size_t r = 0; r < registrations; ++r) first[r + 1] += first[r];
  std::vector<std::uint32_t> events(first.back());
  {
    auto next = first;
    for (std::size_t i = 0; i < store.size(); ++i) {
      if (counts(i)) events[next[store.registrations[i]]++] = static_cast<std::uint32_t>(i);
    }
  }

  std::vector<std::uint32_t> offsets(registrations + 1, 0);
  for (std::size_t r = 0; r < registrations; ++r) {
    offsets[r + 1] =
        offsets[r] + static_cast<std::uint32_t>(
                         roster.required(RegistrationIndex(static_cast<std::uint32_t>(r))).size());
  }
  std::vector<ProgramState> programs(registrations);
  std::vector<ModuleState> modules(offsets.back());

  constexpr std::size_t kChunk = 512;
  std::atomic<std::size_t> next_chunk{0};
  run_on_threads(worker_count(), [&] {
    RegistrationEvaluator evaluator(store, as_of);
    for (auto begin = next_chunk.fetch_add(kChunk); begin < registrations;
         begin = next_chunk.fetch_add(kChunk)) {
      for (auto r = begin; r < std::min(begin + kChunk, registrations); ++r) {
        const auto group = std::span(events).subspan(first[r], first[r + 1] - first[r]);
        // Within a group positions rise, so (time, position) order is time order with
        // ties by arrival; groups usually arrive in time order already.
        const auto by_time = [&](std::uint32_t a, std::uint32_t b) {
          return store.times[a] < store.times[b];
        };
        if (!std::is_sorted(group.begin(), group.end(), by_time)) {
          std::stable_sort(group.begin(), group.end(), by_time);
        }
        evaluator.run(RegistrationIndex(static_cast<std::uint32_t>(r)), group, programs[r],
                      std::span(modules).subspan(offsets[r], offsets[r + 1] - offsets[r]));
      }
    }
  });
  return Statuses(std::move(programs), std::move(offsets), std::move(modules), as_of);
}

}  // namespace balai::detail
