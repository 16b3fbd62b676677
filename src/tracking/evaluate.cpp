// Statuses from events: each registration's live events in time order, run through its
// modules' completion rules. The one definition of what the events mean, used for the
// current statuses and for any "as of" time.
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <limits>
#include <memory>
#include <numeric>
#include <utility>

#include "../core/parallel.hpp"
#include "evaluate.hpp"

namespace balai::detail {
namespace {

// The first second after local day `date` in `zone`, in UTC.
Timestamp end_of_day(Date date, TimeZone zone) noexcept { return utc_instant(date + 1, zone, 0); }

// The attended sessions `rule` needs of `den` counted sessions: an integer count reaches
// min_attendance * den - 1e-9 exactly when it reaches that number's ceiling. The ceiling
// by hand, because std::ceil without SSE4.1 is a slow emulation: the number is at least
// -1e-9, so its truncation rounds it up or keeps it.
int needed_of(const CompletionRule& rule, int den) noexcept {
  const double least = rule.min_attendance * den - 1e-9;
  auto needed = static_cast<int>(least);
  if (needed < least) ++needed;
  return needed;
}

// The bits of sessions 1 to n (n up to kMaxSessions, one machine word).
constexpr std::uint64_t first_bits(std::size_t n) noexcept {
  return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
}

}  // namespace

// A module of the registration being evaluated.
struct RegistrationEvaluator::Slot {
  enum Record : std::size_t { kAttended, kAbsent, kExcused };

  // User-provided, so that emplace_back() does not first zero the whole Slot (a `rep stos`
  // that took a sixth of start_slots) before the member initializers run.
  explicit Slot(const CompletionRule& r) noexcept : rule(&r) {}

  const CompletionRule* rule;
  std::uint64_t countable = 0;  // sessions on or after the enrolment date
  int countable_count = 0;
  // Each session's latest record, as bit sets (bit s - 1 for session s), and how many
  // countable sessions each set holds. The counts change with the bits so that the
  // attendance rule, checked after every record, needs no popcount: without a popcount
  // instruction in the target ISA that is a library call, and it was a tenth of the
  // forecast's time.
  std::array<std::uint64_t, 3> records{};
  std::array<int, 3> counts{};
  // needed_of(*rule, needed_for), kept for the last denominator (it changes only with
  // excused sessions): the conversions were the slowest part of a record. Of no session
  // every rule needs none.
  int needed_for = 0;
  int needed = 0;
  Timestamp deadline_end = kNever;
  Timestamp attendance_since = kNever;  // since when the attendance rule holds
  Timestamp passed_at = kNever;
  Timestamp waived_at = kNever;
  Timestamp override_at = kNever;
  Status override_status = Status::registered;
  bool touched = false;  // any attendance or assessment
  std::optional<float> best{};

  void record(std::size_t session, Record what) noexcept {
    const auto bit = std::uint64_t{1} << (session - 1);
    const int counted = (countable & bit) != 0 ? 1 : 0;
    for (std::size_t k = 0; k < records.size(); ++k) {
      if ((records[k] & bit) == 0) continue;
      records[k] &= ~bit;
      counts[k] -= counted;
    }
    records[what] |= bit;
    counts[what] += counted;
  }
  [[nodiscard]] int denominator(bool excused_excluded) const noexcept {
    return countable_count - (excused_excluded ? counts[kExcused] : 0);
  }
  // The attendance rule can no longer hold: too many sessions missed. Valid once
  // note_attendance has seen the latest records.
  [[nodiscard]] bool attendance_failed(bool excused_excluded) const noexcept {
    const int den = denominator(excused_excluded);
    const int missed = counts[kAbsent] + (excused_excluded ? 0 : counts[kExcused]);
    return den > 0 && den - missed < needed;
  }
  [[nodiscard]] bool pass_failed() const noexcept {
    return best && rule->pass_mark && *best < *rule->pass_mark;
  }
  // At the start and after every record: whether, and since when, the attendance rule holds.
  void note_attendance(Timestamp time, bool excused_excluded) noexcept {
    const int den = denominator(excused_excluded);
    if (den != needed_for) {
      needed_for = den;
      needed = needed_of(*rule, den);
    }
    if (den <= 0 || counts[kAttended] < needed) {
      attendance_since = kNever;
    } else if (attendance_since == kNever) {
      attendance_since = time;
    }
  }
  // Whether `time` (kNever: none) is before the deadline, if any.
  [[nodiscard]] bool in_time(Timestamp time) const noexcept { return time < deadline_end; }
};

// What the rules need of a cohort, copied out of the roster the first time the evaluator
// meets it: reading the Cohort itself (a large struct, its sessions on the heap) cost two
// cache misses per module of every registration, the largest part of the forecast's time.
struct RegistrationEvaluator::Terms {
  Timestamp deadline_end = kNever;  // the first second after the deadline's day
  std::int32_t first_day = 0;       // the first session's date, in days
  std::uint8_t sessions = 0;        // 0 until copied: a cohort has at least one
  TimeZone zone = TimeZone::wib;
  std::uint8_t needed = 0;  // needed_of(the cohort's rule, sessions)
};

RegistrationEvaluator::RegistrationEvaluator(const LedgerStore& store, Timestamp as_of)
    : store_(store),
      roster_(store.roster),
      as_of_(as_of),
      excused_excluded_(store.options.excused_excluded),
      slot_of_(store.roster.modules().size(), kNoSlot),
      terms_(store.roster.cohorts().size()) {}

RegistrationEvaluator::~RegistrationEvaluator() = default;

void RegistrationEvaluator::run(RegistrationIndex r, std::span<const std::uint32_t> events,
                                ProgramState& program, std::span<ModuleState> modules) {
  const auto enrolment = std::find_if(events.begin(), events.end(), [&](std::uint32_t e) {
    return store_.kind(e) == EventKind::enrolled;
  });
  if (enrolment == events.end()) return;  // registered: the defaults
  enrolled_at_ = from_stored_time(store_.times[*enrolment]);
  program.enrolled_at = enrolled_at_;
  start_slots(r);
  // The columns as local pointers, and the withdrawal as a local: apply() writes memory
  // the compiler cannot tell apart from the store's, so it reloaded them for every event.
  const auto* const times = store_.times.data();
  const auto* const kinds = store_.kinds.data();
  const auto* const modules_of = store_.modules.data();
  const auto* const values = store_.values.data();
  const auto* const results = store_.results.data();
  Timestamp withdrew_at = kNever;
  std::optional<std::pair<Timestamp, Status>> program_override;
  for (auto it = enrolment; it != events.end(); ++it) {
    const auto e = *it;
    const auto time = from_stored_time(times[e]);
    const auto kind = LedgerStore::kind_of(kinds[e]);
    const auto module = modules_of[e];
    if (kind == EventKind::withdrew) {
      if (withdrew_at == kNever) withdrew_at = time;
      continue;
    }
    if (kind == EventKind::overridden && module == kNoModule) {
      program_override = std::pair(time, static_cast<Status>(results[e]));
      continue;
    }
    if (module == kNoModule) continue;  // enrolled, voided
    apply(slots_[slot_of_[module]], kind, values[e], results[e], time);
  }
  if (withdrew_at != kNever) program.withdrew_at = withdrew_at;
  for (std::size_t k = 0; k < slots_.size(); ++k) module_state(slots_[k], withdrew_at, modules[k]);
  program = program_state(program, modules, program_override);
}

const RegistrationEvaluator::Terms& RegistrationEvaluator::terms(CohortIndex c,
                                                                 const CompletionRule& rule) {
  auto& terms = terms_[c.pos()];
  if (terms.sessions == 0) {
    terms.needed = static_cast<std::uint8_t>(
        needed_of(rule, static_cast<int>(roster_.cohort(c).sessions.size())));
    const auto& cohort = roster_.cohort(c);
    terms.zone = roster_.time_zone(c);
    if (cohort.deadline) terms.deadline_end = end_of_day(*cohort.deadline, terms.zone);
    terms.first_day = cohort.sessions.front().days();
    terms.sessions = static_cast<std::uint8_t>(cohort.sessions.size());
  }
  return terms;
}

void RegistrationEvaluator::start_slots(RegistrationIndex r) {
  // The event's module to its slot, without the roster's bounds-checked lookups per event.
  for (const auto m : required_) slot_of_[m.pos()] = kNoSlot;
  required_ = roster_.required(r);
  const auto required = required_;
  for (std::size_t k = 0; k < required.size(); ++k) {
    slot_of_[required[k].pos()] = static_cast<std::uint16_t>(k);
  }
  // Built in place: assigning copies of one Slot made the processor reread bytes it had
  // just written piecemeal (a failed store forwarding), half the time this function took.
  slots_.clear();
  for (std::size_t k = 0; k < required.size(); ++k) {
    auto& slot = slots_.emplace_back(roster_.modules()[required[k].pos()].rule);
    if (const auto c = roster_.cohort(r, required[k])) {
      const auto& cohort = terms(*c, *slot.rule);
      const auto enrolment_day = local_date(enrolled_at_, cohort.zone);
      // The roster keeps sessions in date order, so the countable ones are a suffix; only
      // a registration enrolled after its cohort began needs the dates themselves.
      std::size_t before = 0;
      if (enrolment_day.days() > cohort.first_day) {
        const auto& sessions = roster_.cohort(*c).sessions;
        before = static_cast<std::size_t>(
            std::lower_bound(sessions.begin(), sessions.end(), enrolment_day) - sessions.begin());
      }
      slot.countable = first_bits(cohort.sessions) & ~first_bits(before);
      slot.countable_count = cohort.sessions - static_cast<int>(before);
      if (before == 0) {
        slot.needed_for = cohort.sessions;
        slot.needed = cohort.needed;
      }
      slot.deadline_end = cohort.deadline_end;
    }
    slot.note_attendance(enrolled_at_, excused_excluded_);
  }
}

void RegistrationEvaluator::apply(Slot& slot, EventKind kind, std::uint32_t value,
                                  std::uint8_t result, Timestamp time) const {
  switch (kind) {
    case EventKind::attended:
    case EventKind::absent:
    case EventKind::excused: {
      // The latest record of a session decides it.
      slot.record(value, kind == EventKind::attended ? Slot::kAttended
                         : kind == EventKind::absent ? Slot::kAbsent
                                                     : Slot::kExcused);
      slot.touched = true;
      slot.note_attendance(time, excused_excluded_);
      break;
    }
    case EventKind::assessed: {
      const auto score = std::bit_cast<float>(value);
      slot.best = std::max(slot.best.value_or(score), score);
      slot.touched = true;
      if (slot.passed_at == kNever && slot.rule->pass_mark && score >= *slot.rule->pass_mark) {
        slot.passed_at = time;
      }
      break;
    }
    case EventKind::waived:
      if (slot.waived_at == kNever) slot.waived_at = time;
      break;
    case EventKind::overridden:
      slot.override_at = time;
      slot.override_status = static_cast<Status>(result);
      break;
    case EventKind::enrolled:
    case EventKind::withdrew:
    case EventKind::voided: break;
  }
}

RegistrationEvaluator::Done RegistrationEvaluator::satisfied(const Slot& slot) const {
  const auto attended = slot.in_time(slot.attendance_since) ? slot.attendance_since : kNever;
  const auto passed = slot.in_time(slot.passed_at) ? slot.passed_at : kNever;
  switch (slot.rule->move_on) {
    case MoveOnRule::completed: return {attended, Status::completed};
    case MoveOnRule::passed: return {passed, Status::passed};
    case MoveOnRule::completed_and_passed:
      return {attended == kNever ? kNever : std::max(attended, passed), Status::passed};
    case MoveOnRule::completed_or_passed:
      // Passed first, or at the same time: passed; else completed, if ever.
      if (passed <= attended) return {passed, Status::passed};
      return {attended, Status::completed};
    case MoveOnRule::not_applicable: return {enrolled_at_, Status::completed};
  }
  return {kNever, Status::completed};
}

bool RegistrationEvaluator::failed(const Slot& slot) const {
  if (slot.deadline_end != kNever && as_of_ >= slot.deadline_end) return true;
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

// Writes every field of `state` in place (see kNever for why not by value).
void RegistrationEvaluator::module_state(const Slot& slot, Timestamp withdrew_at,
                                         ModuleState& state) const {
  state.sessions = static_cast<std::uint8_t>(slot.countable_count);
  state.attended = static_cast<std::uint8_t>(slot.counts[Slot::kAttended]);
  state.absent = static_cast<std::uint8_t>(slot.counts[Slot::kAbsent]);
  state.excused = static_cast<std::uint8_t>(slot.counts[Slot::kExcused]);
  state.best_score.reset();
  if (slot.best) state.best_score = static_cast<double>(*slot.best);
  state.done_at.reset();
  state.overridden = false;
  if (slot.override_at != kNever) {
    state.status = slot.override_status;
    state.overridden = true;
    if (is_done(state.status)) state.done_at = slot.override_at;
  } else if (slot.waived_at != kNever) {
    state.status = Status::waived;
    state.done_at = slot.waived_at;
  } else if (const auto done = satisfied(slot); done.at != kNever && done.at <= withdrew_at) {
    state.status = done.status;
    state.done_at = done.at;
  } else if (withdrew_at != kNever) {
    state.status = Status::withdrew;
  } else if (failed(slot)) {
    state.status = Status::failed;
  } else {
    state.status = slot.touched ? Status::in_progress : Status::enrolled;
  }
}

ProgramState RegistrationEvaluator::program_state(
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

namespace {

constexpr std::uint32_t kUnlisted = std::numeric_limits<std::uint32_t>::max();

// Where the states go: per registration its program, and its modules' from offsets[r].
struct Outcome {
  std::vector<std::uint32_t> offsets;
  std::vector<ProgramState> programs;
  std::vector<ModuleState> modules;

  [[nodiscard]] std::span<ModuleState> modules_of(std::size_t r) {
    return std::span(modules).subspan(offsets[r], offsets[r + 1] - offsets[r]);
  }
};

std::vector<std::uint32_t> module_offsets(const Roster& roster) {
  std::vector<std::uint32_t> offsets(roster.registration_count() + 1, 0);
  for (std::size_t r = 0; r + 1 < offsets.size(); ++r) {
    offsets[r + 1] =
        offsets[r] + static_cast<std::uint32_t>(
                         roster.required(RegistrationIndex(static_cast<std::uint32_t>(r))).size());
  }
  return offsets;
}

// The events `counted` keeps, by the group `group_of` gives their registration (kUnlisted:
// none): group g's positions are events[first[g], first[g + 1]), in arrival order. A
// counting sort on every core: each counts, then places, the events of its own range, and
// a group's events from lower ranges go first.
struct Grouped {
  std::vector<std::uint32_t> first;
  std::unique_ptr<std::uint32_t[]> events;  // not zeroed first: every entry is written
};

template <class Counted>
Grouped group_events(const LedgerStore& store, std::span<const std::uint32_t> group_of,
                     std::size_t groups, const Counted& counted) {
  // A thread for each 2^16 events at most: fewer are sorted sooner than a thread starts.
  const auto n = store.size();
  const auto workers = std::clamp<std::size_t>(n >> 16, 1, worker_count());
  const auto on_every_range = [&](auto work) {
    std::atomic<std::size_t> next_range{0};
    run_on_threads(workers, [&] {
      const auto w = next_range.fetch_add(1);
      work(w, n * w / workers, n * (w + 1) / workers);
    });
  };
  // Per range and group: how many events, then where the next one goes.
  std::vector<std::vector<std::uint32_t>> next(workers, std::vector<std::uint32_t>(groups, 0));
  on_every_range([&](std::size_t w, std::size_t begin, std::size_t end) {
    for (auto i = begin; i < end; ++i) {
      const auto g = group_of[store.registrations[i]];
      if (g != kUnlisted && counted(i)) ++next[w][g];
    }
  });
  Grouped grouped{std::vector<std::uint32_t>(groups + 1, 0), {}};
  std::uint32_t total = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    grouped.first[g] = total;
    for (auto& range : next) total += std::exchange(range[g], total);
  }
  grouped.first[groups] = total;
  grouped.events = std::make_unique_for_overwrite<std::uint32_t[]>(total);
  on_every_range([&](std::size_t w, std::size_t begin, std::size_t end) {
    for (auto i = begin; i < end; ++i) {
      const auto g = group_of[store.registrations[i]];
      if (g != kUnlisted && counted(i))
        grouped.events[next[w][g]++] = static_cast<std::uint32_t>(i);
    }
  });
  return grouped;
}

// Evaluates the registrations `listed` into `outcome`, whose entries for them hold the
// defaults: their live events up to `as_of` grouped, each group put in time order and run,
// on every core. `group_of[r]` is r's index in `listed`, or kUnlisted.
void evaluate_listed(const LedgerStore& store, Timestamp as_of,
                     std::span<const std::uint32_t> listed, std::span<const std::uint32_t> group_of,
                     Outcome& outcome) {
  const bool all_times = as_of >= kLatestTime;
  const auto until = as_of < kEarliestTime ? 0 : to_stored_time(std::min(as_of, kLatestTime));
  const auto grouped = group_events(store, group_of, listed.size(), [&](std::size_t i) {
    return !store.voided(i) && store.kind(i) != EventKind::voided &&
           (all_times || (as_of >= kEarliestTime && store.times[i] <= until));
  });

  const auto& first = grouped.first;
  auto* const events = grouped.events.get();  // each group is put in time order in place
  constexpr std::size_t kChunk = 512;
  std::atomic<std::size_t> next_chunk{0};
  run_on_threads(std::min(worker_count(), (listed.size() + kChunk - 1) / kChunk), [&] {
    RegistrationEvaluator evaluator(store, as_of);
    for (auto begin = next_chunk.fetch_add(kChunk); begin < listed.size();
         begin = next_chunk.fetch_add(kChunk)) {
      for (auto g = begin; g < std::min(begin + kChunk, listed.size()); ++g) {
        const auto group = std::span(events + first[g], first[g + 1] - first[g]);
        // Within a group positions rise, so (time, position) order is time order with
        // ties by arrival; groups usually arrive in time order already.
        const auto by_time = [&](std::uint32_t a, std::uint32_t b) {
          return store.times[a] < store.times[b];
        };
        if (!std::is_sorted(group.begin(), group.end(), by_time)) {
          std::stable_sort(group.begin(), group.end(), by_time);
        }
        const auto r = listed[g];
        evaluator.run(RegistrationIndex(r), group, outcome.programs[r], outcome.modules_of(r));
      }
    }
  });
}

}  // namespace

Statuses evaluate(const LedgerStore& store, Timestamp as_of) {
  const auto registrations = store.roster.registration_count();
  Outcome outcome{module_offsets(store.roster), std::vector<ProgramState>(registrations), {}};
  outcome.modules.resize(outcome.offsets.back());
  // Every registration, each its own group.
  std::vector<std::uint32_t> all(registrations);
  std::iota(all.begin(), all.end(), std::uint32_t{0});
  evaluate_listed(store, as_of, all, all, outcome);
  return Statuses(std::move(outcome.programs), std::move(outcome.offsets),
                  std::move(outcome.modules), as_of);
}

Statuses update(const LedgerStore& store, const Statuses& before, std::size_t first,
                Timestamp as_of) {
  const auto& roster = store.roster;
  const auto registrations = roster.registration_count();
  std::vector<std::uint32_t> listed;
  std::vector<std::uint32_t> group_of(registrations, kUnlisted);
  const auto list = [&](std::uint32_t r) {
    if (group_of[r] != kUnlisted) return;
    group_of[r] = static_cast<std::uint32_t>(listed.size());
    listed.push_back(r);
  };
  // A void's target belongs to the void's registration, so the new events name every
  // registration whose events changed.
  for (auto i = first; i < store.size(); ++i) list(store.registrations[i]);
  // A deadline that passed since fails what its cohort's members had not done by then.
  std::vector<bool> passed(roster.cohorts().size(), false);
  bool any_passed = false;
  for (std::size_t c = 0; c < passed.size(); ++c) {
    const CohortIndex cohort(static_cast<std::uint32_t>(c));
    if (const auto deadline = roster.cohort(cohort).deadline) {
      const auto end = end_of_day(*deadline, roster.time_zone(cohort));
      passed[c] = before.as_of() < end && end <= as_of;
      any_passed = any_passed || passed[c];
    }
  }
  for (std::uint32_t r = 0; any_passed && r < registrations; ++r) {
    const RegistrationIndex registration(r);
    for (const auto module : roster.required(registration)) {
      const auto c = roster.cohort(registration, module);
      if (c && passed[c->pos()]) list(r);
    }
  }
  // Grouping a few registrations' events costs a pass over every event; evaluating all of
  // them, a few more.
  if (listed.size() * 4 > registrations) return evaluate(store, as_of);

  Outcome outcome{module_offsets(roster), {}, {}};
  outcome.programs.assign(before.programs().begin(), before.programs().end());
  outcome.modules.assign(before.all_modules().begin(), before.all_modules().end());
  for (const auto r : listed) {
    outcome.programs[r] = ProgramState{};
    for (auto& module : outcome.modules_of(r)) module = ModuleState{};
  }
  evaluate_listed(store, as_of, listed, group_of, outcome);
  return Statuses(std::move(outcome.programs), std::move(outcome.offsets),
                  std::move(outcome.modules), as_of);
}

}  // namespace balai::detail
