// The event ledger: the append-only record of truth about every registration, and the
// statuses that follow from it under each module's completion rule.
//
// Appends are idempotent and all-or-nothing. An event whose id is already recorded with
// the same payload is a no-op; with a different payload it is a conflict. Corrections are
// made by voiding, never by editing. A batch with any bad event changes nothing and
// reports every bad event. Events may arrive in any order: statuses follow event time.
//
// Thread safety: appends must not run concurrently with each other or with queries (the
// Journal serialises them); concurrent queries on a ledger nobody appends to are safe.
// A ledger is a value: a child made by fork() has its own copy, which works (it holds no
// file; the lock of its statuses cache is left alone there, the cache unused).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/tracking/event.hpp"
#include "balai/tracking/roster.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct LedgerOptions {
  // Excused sessions leave the attendance denominator (true) or count as absences (false).
  bool excused_excluded = true;

  friend bool operator==(const LedgerOptions&, const LedgerOptions&) = default;
};

// A batch of events as columns, the bulk path from numpy and from the journal. All spans
// have one entry per event, except that an optional column may be empty (every event
// lacks it). Strings are given once in a table and referred to by index.
struct EventColumns {
  static constexpr std::int32_t kNone = -1;              // module, session
  static constexpr std::uint32_t kNoText = 0xffffffffu;  // actor, reason
  static constexpr std::uint8_t kNoResult = 0xff;        // result

  std::span<const EventId> id{};
  std::span<const std::uint8_t> kind{};  // EventKind
  std::span<const std::uint32_t> registration{};
  std::span<const std::int32_t> module{};   // kNone
  std::span<const std::int32_t> session{};  // kNone
  std::span<const Timestamp> time{};
  std::span<const std::uint32_t> actor{};   // into texts; kNoText
  std::span<const double> score{};          // NaN: none
  std::span<const std::uint32_t> reason{};  // into texts; kNoText
  std::span<const EventId> target{};        // voided; ignored for other kinds
  std::span<const std::uint8_t> result{};   // Status; kNoResult
  std::span<const std::string> texts{};

  [[nodiscard]] std::size_t size() const noexcept { return id.size(); }
};

// A batch held in owned columns (EventColumns views them): events turned into columns,
// or a journal record decoded.
struct EventTable {
  std::vector<EventId> id{};
  std::vector<std::uint8_t> kind{};
  std::vector<std::uint32_t> registration{};
  std::vector<std::int32_t> module{};
  std::vector<std::int32_t> session{};
  std::vector<Timestamp> time{};
  std::vector<std::uint32_t> actor{};
  std::vector<double> score{};
  std::vector<std::uint32_t> reason{};
  std::vector<EventId> target{};
  std::vector<std::uint8_t> result{};
  std::vector<std::string> texts{};

  [[nodiscard]] EventColumns columns() const noexcept {
    return {id,    kind,  registration, module, session, time,
            actor, score, reason,       target, result,  texts};
  }
};

// Events as columns, each distinct actor and reason text once; an optional column is
// filled only when some event has the field.
[[nodiscard]] EventTable to_columns(std::span<const Event> events);

struct AppendResult {
  std::size_t added = 0;
  std::size_t duplicates = 0;  // already recorded with the same payload

  friend bool operator==(const AppendResult&, const AppendResult&) = default;
};

// A module of one registration, as of some time.
struct ModuleState {
  Status status = Status::registered;
  std::uint8_t sessions = 0;  // the cohort's sessions on or after enrolment
  std::uint8_t attended = 0;
  std::uint8_t absent = 0;
  std::uint8_t excused = 0;
  std::optional<double> best_score{};
  std::optional<Timestamp> done_at{};  // when it became completed, passed, waived or overridden
  bool overridden = false;

  // Attended sessions over the denominator the rule uses; NaN without countable sessions.
  [[nodiscard]] double attendance(bool excused_excluded = true) const noexcept;
  friend bool operator==(const ModuleState&, const ModuleState&) = default;
};

// A registration as of some time.
struct ProgramState {
  Status status = Status::registered;
  std::optional<Timestamp> enrolled_at{};
  std::optional<Timestamp> completed_at{};
  std::optional<Timestamp> withdrew_at{};
  bool overridden = false;

  friend bool operator==(const ProgramState&, const ProgramState&) = default;
};

// Every registration's state and the state of each module its track requires, in the
// roster's order (module states in Roster::required order).
class Statuses {
 public:
  Statuses() = default;
  Statuses(std::vector<ProgramState> programs, std::vector<std::uint32_t> offsets,
           std::vector<ModuleState> modules, Timestamp as_of);

  [[nodiscard]] std::size_t size() const noexcept { return programs_.size(); }
  [[nodiscard]] std::span<const ProgramState> programs() const noexcept { return programs_; }
  [[nodiscard]] const ProgramState& program(RegistrationIndex r) const {
    return programs_.at(r.pos());
  }
  [[nodiscard]] std::span<const ModuleState> modules(RegistrationIndex r) const;
  [[nodiscard]] std::span<const ModuleState> all_modules() const noexcept { return modules_; }
  // The time the statuses hold at: deadlines before it have passed.
  [[nodiscard]] Timestamp as_of() const noexcept { return as_of_; }

  friend bool operator==(const Statuses&, const Statuses&) = default;

 private:
  std::vector<ProgramState> programs_;
  std::vector<std::uint32_t> offsets_;  // registration r's modules: [offsets_[r], offsets_[r+1])
  std::vector<ModuleState> modules_;
  Timestamp as_of_ = kEarliestTime;
};

namespace detail {
struct LedgerStore;
}

class Ledger {
 public:
  explicit Ledger(Roster roster, LedgerOptions options = {});
  Ledger(const Ledger&);
  Ledger& operator=(const Ledger&);
  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();

  // All or nothing. ValidationError listing every bad event (by batch position and id)
  // when any is malformed; otherwise ConflictError listing every id recorded with a
  // different payload. Unknown registrations, modules and void targets, sessions outside
  // the cohort, scores outside [0, 100], events before the registration's enrolment and
  // missing or misplaced fields are validation errors.
  AppendResult append(const EventColumns& batch);
  AppendResult append(std::span<const Event> events);

  [[nodiscard]] std::size_t size() const noexcept;        // events recorded, voided ones included
  [[nodiscard]] Event event(std::size_t position) const;  // in arrival order
  [[nodiscard]] std::optional<std::size_t> find(EventId id) const;
  [[nodiscard]] bool is_voided(std::size_t position) const;
  // The positions of the registration's events (voided ones included) in arrival order,
  // from a per-registration index built on the first call and extended over newer events
  // on the next ones, so that one registration's events are found without reading the
  // others' (balai/tracking/views.hpp: views::events_of). UnknownReferenceError for a
  // registration outside the roster.
  [[nodiscard]] std::vector<std::size_t> positions_of(RegistrationIndex registration) const;
  [[nodiscard]] const Roster& roster() const noexcept;
  [[nodiscard]] const LedgerOptions& options() const noexcept;

  // Statuses from the live events with time <= as_of. Without as_of, as of the ledger's
  // clock, its latest event time: a deadline counts as passed once the ledger has seen an
  // event after it, so the answer depends on the events alone, never on the wall clock.
  // Voided events never count: a void says the event should not have been recorded. The
  // current statuses (no as_of) are kept, and after appends brought up to date by
  // evaluating again only the registrations that changed (docs/tracking.md).
  [[nodiscard]] Statuses statuses(std::optional<Timestamp> as_of = {}) const;

  // Bytes held by the events, the id index and the per-registration state (not the event
  // index positions_of builds, 4 bytes an event once asked for).
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

  // Equal rosters, options and events in the same order.
  friend bool operator==(const Ledger& a, const Ledger& b);

 private:
  std::unique_ptr<detail::LedgerStore> store_;
};

// Declared here too, so that a shared libbalai exports it (balai/core/export.hpp): a
// function declared only as a friend takes the hidden visibility balai compiles with.
bool operator==(const Ledger& a, const Ledger& b);

}  // namespace balai
BALAI_EXPORT_END
