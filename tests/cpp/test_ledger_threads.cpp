// The concurrent use the tracking API allows, checked against a sequential oracle: queries
// from several threads on a ledger nobody appends to, and appends from several threads
// through a Journal (group commit) while another thread takes snapshots and queries them.
// The tsan preset runs these cases under ThreadSanitizer (balai_thread_tests); they run in
// the normal suite too.
//
// Catch2's assertions are not thread-safe, so worker threads only record what they saw
// and the test thread asserts it.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "balai/io/journal.hpp"
#include "balai/tracking/ledger.hpp"
#include "temp_dir.hpp"
#include "tracking_fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

constexpr std::size_t kRegistrations = 48;
constexpr std::size_t kThreads = 4;

// One registration's events in three batches, to be appended in this order: the
// enrolment, the sessions, then the assessments (and a void of one of them). Ids are
// r * 100 + 1.., times distinct within the registration.
std::vector<std::vector<Event>> registration_batches(std::uint32_t r) {
  EventId id = EventId{r} * 100 + 1;
  const auto module_of_track = r % 2 == 0 ? kMarket : kOrient;
  std::vector<Event> enrolment{enrolled(id++, r, at(session_date(1), 1))};
  std::vector<Event> sessions;
  for (int session = 1; session <= 4; ++session) {
    const auto kind = (r + static_cast<std::uint32_t>(session)) % 3 == 0 ? EventKind::absent
                                                                         : EventKind::attended;
    sessions.push_back(session_event(kind, id++, r, kBasic, session,
                                     at(session_date(static_cast<std::size_t>(session)), 4)));
    if (session <= static_cast<int>(r % 4) + 1)
      sessions.push_back(attended(id++, r, kFinance, session));
  }
  if (r % 2 == 0) sessions.push_back(attended(id++, r, module_of_track, 1));
  std::vector<Event> assessments{
      assessed(id++, r, kFinance, 40.0 + static_cast<double>(r % 50), at(session_date(4), 9))};
  if (r % 2 == 0) {
    const EventId first_try = id;
    assessments.push_back(assessed(id++, r, kMarket, 65.0, at(session_date(2), 9)));
    if (r % 4 == 0) {
      assessments.push_back(assessed(id++, r, kMarket, 90.0, at(session_date(3), 9)));
      assessments.push_back(voided(id++, r, first_try, at(session_date(3), 10)));
    }
  }
  return {enrolment, sessions, assessments};
}

std::vector<Event> all_events() {
  std::vector<Event> events;
  for (std::uint32_t r = 0; r < kRegistrations; ++r) {
    for (const auto& batch : registration_batches(r))
      events.insert(events.end(), batch.begin(), batch.end());
  }
  return events;
}

Ledger sequential_ledger() {
  Ledger ledger(tracking_roster(kRegistrations));
  ledger.append(all_events());
  return ledger;
}

// Runs `work(t)` on kThreads threads and rethrows the first exception one of them threw.
template <class Work>
void on_threads(Work&& work) {
  std::vector<std::exception_ptr> errors(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        work(t);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace

TEST_CASE("threads querying a ledger nobody appends to see what one thread sees",
          "[threads][quick]") {
  const Ledger ledger = sequential_ledger();
  const auto events = all_events();
  REQUIRE(ledger.size() == events.size());
  const Timestamp midway = at(session_date(2), 12);
  const Statuses latest = ledger.statuses();
  const Statuses at_midway = ledger.statuses(midway);
  REQUIRE(latest != at_midway);
  std::vector<bool> voided_oracle;
  for (std::size_t i = 0; i < ledger.size(); ++i) voided_oracle.push_back(ledger.is_voided(i));

  std::vector<std::size_t> mismatches(kThreads, 0);
  on_threads([&](std::size_t t) {
    for (int round = 0; round < 3; ++round) {
      // Threads start at different queries so that different ones overlap.
      if ((t + static_cast<std::size_t>(round)) % 2 == 0) {
        mismatches[t] += ledger.statuses() != latest;
        mismatches[t] += ledger.statuses(midway) != at_midway;
      } else {
        mismatches[t] += ledger.statuses(midway) != at_midway;
        mismatches[t] += ledger.statuses() != latest;
      }
      for (std::size_t i = 0; i < events.size(); ++i) {
        const auto position = ledger.find(events[i].id);
        mismatches[t] += !position || ledger.event(*position) != events[i];
        mismatches[t] += ledger.is_voided(i) != voided_oracle[i];
      }
      mismatches[t] += ledger.find(EventId{999'999}).has_value();
    }
  });
  CHECK(mismatches == std::vector<std::size_t>(kThreads, 0));
}

TEST_CASE("appends from several threads through a journal match the sequential ledger",
          "[threads][quick]") {
  const TempDir dir("ledger-threads");
  const auto path = dir / "events.journal";
  const Ledger oracle = sequential_ledger();
  std::map<EventId, Event> by_id;
  for (const auto& event : all_events()) by_id.emplace(event.id, event);

  std::vector<AppendResult> totals(kThreads);
  std::atomic<std::size_t> finished{0};
  std::size_t snapshots = 0;
  std::size_t snapshot_mismatches = 0;
  {
    auto journal = Journal::open(path, tracking_roster(kRegistrations));
    std::vector<std::thread> appenders;
    std::vector<std::exception_ptr> errors(kThreads);
    for (std::size_t t = 0; t < kThreads; ++t) {
      // Thread t owns the registrations r with r % kThreads == t, so each registration's
      // enrolment is appended before its other events; it sends its enrolments twice, the
      // second time as duplicates.
      appenders.emplace_back([&, t] {
        try {
          for (auto r = static_cast<std::uint32_t>(t); r < kRegistrations; r += kThreads) {
            const auto batches = registration_batches(r);
            for (const auto& batch : batches) {
              const auto result = journal.append(batch);
              totals[t].added += result.added;
              totals[t].duplicates += result.duplicates;
            }
            const auto again = journal.append(batches.front());
            totals[t].added += again.added;
            totals[t].duplicates += again.duplicates;
          }
        } catch (...) {
          errors[t] = std::current_exception();
        }
        ++finished;
      });
    }
    // Meanwhile: every snapshot holds events the threads sent, unchanged, and its
    // statuses can be computed while the appends go on.
    std::size_t seen = 0;
    bool last_round = false;
    while (!last_round) {
      last_round = finished == kThreads;
      const Ledger snapshot = journal.snapshot();
      snapshot_mismatches += snapshot.size() < seen;
      seen = snapshot.size();
      for (std::size_t i = 0; i < snapshot.size(); ++i) {
        const auto event = snapshot.event(i);
        const auto expected = by_id.find(event.id);
        snapshot_mismatches += expected == by_id.end() || expected->second != event;
      }
      snapshot_mismatches += snapshot.statuses().size() != kRegistrations;
      ++snapshots;
    }
    for (auto& thread : appenders) thread.join();
    for (const auto& error : errors) {
      if (error) std::rethrow_exception(error);
    }
    CHECK(snapshot_mismatches == 0);
    CHECK(snapshots > 0);
    REQUIRE(journal.ledger().size() == oracle.size());
    CHECK(journal.ledger().statuses() == oracle.statuses());
    CHECK(journal.ledger().statuses(at(session_date(2), 12)) ==
          oracle.statuses(at(session_date(2), 12)));
  }
  AppendResult total;
  for (const auto& result : totals) {
    total.added += result.added;
    total.duplicates += result.duplicates;
  }
  CHECK(total.added == oracle.size());
  CHECK(total.duplicates == kRegistrations);  // one enrolment each, sent twice

  const auto reopened = Journal::open(path, tracking_roster(kRegistrations));
  CHECK_FALSE(reopened.recovery().torn_tail);
  CHECK(reopened.recovery().records == 3 * kRegistrations);  // duplicates are not written
  REQUIRE(reopened.ledger().size() == oracle.size());
  CHECK(reopened.ledger().statuses() == oracle.statuses());
}
