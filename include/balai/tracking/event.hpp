// Events: the immutable facts the ledger records about a registration (enrolled, attended
// a session, assessed, ...), and the statuses that follow from them. An event names its
// registration and module by dense index (see roster.hpp for the mapping from external
// ids) and its time in seconds since the Unix epoch, UTC.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "balai/core/enum_names.hpp"
#include "balai/core/export.hpp"
#include "balai/core/ids.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct RegistrationTag {};
struct CohortTag {};
using RegistrationIndex = Index<RegistrationTag>;
using CohortIndex = Index<CohortTag>;

// An event's id, unique in a ledger. Callers choose it (a sequence, a hash of their own
// UUID); the ledger uses it to make appends idempotent.
using EventId = std::uint64_t;

// Seconds since 1970-01-01T00:00:00Z.
using Timestamp = std::int64_t;

// The instants an event may carry, 2000-01-01T00:00:00Z to 2136-02-07T06:28:14Z: the
// ledger stores them in 32 bits and keeps the largest value to mean "no time". Anything
// else is a ValidationError.
inline constexpr Timestamp kEarliestTime = 946684800;
inline constexpr Timestamp kLatestTime = kEarliestTime + 0xfffffffeLL;

enum class EventKind : std::uint8_t {
  enrolled,    // the registration starts; no module
  attended,    // module, session
  absent,      // module, session
  excused,     // module, session: an absence with leave
  assessed,    // module, score in [0, 100]
  waived,      // module, reason (tested out, equivalent training)
  withdrew,    // the registration ends; no module; reason optional
  voided,      // target: the event this one cancels
  overridden,  // module (or none for the program), reason and resulting status
};

template <>
struct EnumNames<EventKind> {
  static constexpr std::array<std::string_view, 9> names{"enrolled", "attended", "absent",
                                                         "excused",  "assessed", "waived",
                                                         "withdrew", "voided",   "overridden"};
};

// A module's or a registration's standing. `registered` is a registration without a live
// enrolment; `passed` is a module completed by its rule with an assessment at or above
// the pass mark; `waived` applies to modules only.
enum class Status : std::uint8_t {
  registered,
  enrolled,
  in_progress,
  completed,
  passed,
  failed,
  withdrew,
  waived,
};

template <>
struct EnumNames<Status> {
  static constexpr std::array<std::string_view, 8> names{"registered", "enrolled", "in_progress",
                                                         "completed",  "passed",   "failed",
                                                         "withdrew",   "waived"};
};

// Whether a module in this status counts towards the program's completion.
[[nodiscard]] constexpr bool is_done(Status status) noexcept {
  return status == Status::completed || status == Status::passed || status == Status::waived;
}

// One event as a value. Fields that do not apply to the kind stay empty; `check` in the
// ledger reports a field that is missing or present where it does not belong.
struct Event {
  EventId id = 0;
  EventKind kind = EventKind::enrolled;
  RegistrationIndex registration{};
  std::optional<ModuleIndex> module{};
  std::optional<int> session{};  // 1-based, within the registration's cohort for the module
  Timestamp time = kEarliestTime;
  std::string actor{};              // who recorded it (an account name, not a person's data)
  std::optional<double> score{};    // assessed
  std::string reason{};             // waived and overridden (required), withdrew (optional)
  std::optional<EventId> target{};  // voided
  std::optional<Status> result{};   // overridden

  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace balai
BALAI_EXPORT_END
