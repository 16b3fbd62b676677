// The ledger's storage: events as columns (24 bytes an event, plus actor runs), an open
// addressing index from event id to position, the interned texts and the little state
// per registration that validation needs. Internal to src/tracking.
#pragma once

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "../core/owner_process.hpp"
#include "balai/core/ids.hpp"
#include "balai/tracking/ledger.hpp"
#include "event_column.hpp"
#include "id_index.hpp"

namespace balai::detail {

inline constexpr std::uint16_t kNoModule = 0xffff;
inline constexpr std::uint8_t kVoidedBit = 0x80;
inline constexpr std::uint32_t kNoTime = 0xffffffffu;

[[nodiscard]] constexpr std::uint32_t to_stored_time(Timestamp time) noexcept {
  return static_cast<std::uint32_t>(time - kEarliestTime);
}
[[nodiscard]] constexpr Timestamp from_stored_time(std::uint32_t time) noexcept {
  return kEarliestTime + static_cast<Timestamp>(time);
}

// Actors and reasons, each distinct text stored once.
class TextTable {
 public:
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view text) const;
  std::uint32_t intern(std::string_view text);
  void truncate(std::size_t size);  // forgets the texts interned after `size`
  [[nodiscard]] std::size_t size() const noexcept { return texts_.size(); }
  [[nodiscard]] const std::string& operator[](std::uint32_t i) const { return texts_[i]; }

 private:
  std::vector<std::string> texts_;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> index_;
};

// A column stored as runs of equal values: actors repeat across the events one person
// records, so a run costs 8 bytes where a column would cost 4 per event.
class RunColumn {
 public:
  void push_back(std::uint32_t position, std::uint32_t value) {
    if (values_.empty() || values_.back() != value) {
      starts_.push_back(position);
      values_.push_back(value);
    }
  }
  [[nodiscard]] std::uint32_t at(std::uint32_t position) const {
    const auto run = std::upper_bound(starts_.begin(), starts_.end(), position) - starts_.begin();
    return values_[static_cast<std::size_t>(run - 1)];
  }
  void truncate(std::uint32_t size) {  // drops the values of positions >= size
    while (!starts_.empty() && starts_.back() >= size) {
      starts_.pop_back();
      values_.pop_back();
    }
  }
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return (starts_.capacity() + values_.capacity()) * sizeof(std::uint32_t);
  }
  friend bool operator==(const RunColumn&, const RunColumn&) = default;

 private:
  std::vector<std::uint32_t> starts_;
  std::vector<std::uint32_t> values_;
};

struct LedgerStore {
  LedgerStore(Roster r, LedgerOptions o);

  Roster roster;
  LedgerOptions options;

  // One entry per event, in arrival order.
  EventColumn<EventId> ids;
  EventColumn<std::uint32_t> times;  // to_stored_time
  EventColumn<std::uint32_t> registrations;
  EventColumn<std::uint32_t> values;   // session, score (float bits), text, target position
  EventColumn<std::uint16_t> modules;  // kNoModule
  EventColumn<std::uint8_t> kinds;     // EventKind, | kVoidedBit once voided
  EventColumn<std::uint8_t> results;   // overridden: Status
  RunColumn actors;                    // into texts
  TextTable texts;

  // Finding an event by id. Events [0, sorted_prefix) have strictly rising ids, so a
  // binary search finds them; only the events after the prefix go into `index`. A ledger
  // fed by one sequence never builds the index: no memory, no cache miss per event.
  std::size_t sorted_prefix = 0;
  IdIndex index;

  // Per registration: the earliest live enrolment (kNoTime without one), for validation.
  std::vector<std::uint32_t> enrolled_at;
  std::uint32_t latest_time = 0;  // the ledger's clock: its latest event
  EventId largest_id = 0;         // ids above it are new without a lookup

  // Statuses as of latest_time when the store held events [0, current_end): asked for
  // after appends, they are brought up to date with `update`, which evaluates only the
  // registrations that changed. Only the process that made the store uses them: a child
  // made by fork() may inherit cache_mutex locked by a parent thread that did not follow
  // it, so there the ledger evaluates without the cache.
  mutable std::mutex cache_mutex;
  mutable std::optional<Statuses> current;
  mutable std::size_t current_end = 0;
  OwnerProcess maker;
  // Each registration's event positions in arrival order, for Ledger::positions_of: built
  // on its first call (a ledger nobody asks pays nothing) and extended over the events
  // appended since on the next; guarded by cache_mutex, kept by the maker alone too.
  mutable std::vector<std::vector<std::uint32_t>> by_registration;
  mutable std::size_t by_registration_end = 0;  // the events indexed: [0, end)

  [[nodiscard]] std::size_t size() const noexcept { return ids.size(); }
  [[nodiscard]] EventKind kind(std::size_t i) const noexcept { return kind_of(kinds[i]); }
  // The kind of a `kinds` entry.
  [[nodiscard]] static constexpr EventKind kind_of(std::uint8_t stored) noexcept {
    return static_cast<EventKind>(stored & ~kVoidedBit);
  }
  [[nodiscard]] bool voided(std::size_t i) const noexcept { return (kinds[i] & kVoidedBit) != 0; }
  [[nodiscard]] Event event(std::size_t i) const;

  // The position of `id` among the sorted events [0, sorted_end) or in the index. `hint`
  // is where the previous search ended: rising ids are found by galloping from it.
  [[nodiscard]] std::optional<std::uint32_t> find(EventId id, std::size_t sorted_end,
                                                  std::size_t& hint) const noexcept;
};

// The statuses of every registration from the live events at or before `as_of`.
[[nodiscard]] Statuses evaluate(const LedgerStore& store, Timestamp as_of);

// evaluate(store, as_of) for a store that has grown since `before` was evaluated, when it
// held events [0, first): only the registrations of the events since, and of the cohorts
// whose deadline passed between before.as_of() and `as_of`, are evaluated again.
[[nodiscard]] Statuses update(const LedgerStore& store, const Statuses& before, std::size_t first,
                              Timestamp as_of);

}  // namespace balai::detail
