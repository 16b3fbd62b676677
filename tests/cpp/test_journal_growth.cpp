// A producer that re-sends cumulative batches (every batch holds all its earlier events
// again, as a client retrying from its start does) must not make the journal grow with
// its history: each record stores only the events its batch added.
#include <catch2/catch.hpp>

#include <cstddef>
#include <filesystem>
#include <vector>

#include "balai/io/journal.hpp"
#include "temp_dir.hpp"
#include "tracking_fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

constexpr std::uint32_t kRegistrations = 20;
constexpr std::size_t kHeaderSize = 52;  // docs/journal.md

// An enrolment and four attended sessions of BASIC per registration: 100 distinct events.
std::vector<Event> distinct_events() {
  std::vector<Event> events;
  EventId id = 1;
  for (std::uint32_t r = 0; r < kRegistrations; ++r) {
    events.push_back(enrolled(id++, r, at(session_date(1), 1)));
    for (int session = 1; session <= 4; ++session) {
      events.push_back(attended(id++, r, kBasic, session));
    }
  }
  return events;
}

}  // namespace

TEST_CASE("cumulative re-sends store each distinct event once", "[journal][quick]") {
  const TempDir dir("journal-growth");
  const auto path = dir / "events.journal";
  const Roster roster = tracking_roster(kRegistrations);
  const auto events = distinct_events();
  constexpr std::size_t kStep = 5;

  Ledger written(roster);
  {
    Journal journal = Journal::open(path, roster);
    for (std::size_t sent = kStep; sent <= events.size(); sent += kStep) {
      // The whole history so far, and its first event once more.
      std::vector<Event> batch(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(sent));
      batch.push_back(batch.front());
      const auto result = journal.append(batch);
      CHECK(result.added == kStep);
      CHECK(result.duplicates == sent - kStep + 1);
    }
    CHECK(journal.append(events).added == 0);
    written = journal.snapshot();
  }

  const auto bytes = std::filesystem::file_size(path) - kHeaderSize;
  const double per_event = static_cast<double>(bytes) / static_cast<double>(events.size());
  INFO("journal bytes per distinct event: " << per_event);
  CHECK(per_event < 32.0);  // 29.4; 45 in format 1, some 260 when a record held its batch

  const Journal again = Journal::open(path, roster);
  CHECK(again.recovery().records == events.size() / kStep);
  CHECK(again.recovery().events == events.size());
  CHECK(again.ledger() == written);
  CHECK(again.ledger().statuses() == written.statuses());
}
