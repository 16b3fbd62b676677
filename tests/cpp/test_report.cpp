// Reports over statuses: counts per group against a hand count, the funnel and the
// progress against the target.
#include <catch2/catch.hpp>

#include "balai/tracking/report.hpp"
#include "tracking_fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

// Registration 0 completes everything, 1 attends one session, 2 enrols only, 3 never enrols.
Ledger reported_ledger() {
  Ledger ledger(tracking_roster(4));
  std::vector<Event> events{enrolled(1, 0, at(Date(2027, 1, 3))),
                            enrolled(2, 1, at(Date(2027, 1, 3))),
                            enrolled(3, 2, at(Date(2027, 1, 3)))};
  EventId id = 10;
  for (int session = 1; session <= 4; ++session) {
    events.push_back(attended(id++, 0, kBasic, session));
    events.push_back(attended(id++, 0, kFinance, session));
  }
  events.push_back(assessed(id++, 0, kFinance, 90, at(Date(2027, 2, 1))));
  events.push_back(assessed(id++, 0, kMarket, 90, at(Date(2027, 2, 1))));
  events.push_back(attended(id++, 1, kBasic, 1));
  ledger.append(events);
  return ledger;
}

}  // namespace

TEST_CASE("reports count registrations per group", "[report][quick]") {
  const auto ledger = reported_ledger();
  const auto statuses = ledger.statuses();
  const auto national = report(ledger.roster(), statuses, ReportBy::national);
  REQUIRE(national.size() == 1);
  CHECK(national[0].key == "all");
  CHECK(national[0].total == 4);
  CHECK(national[0].count(Status::completed) == 1);
  CHECK(national[0].count(Status::in_progress) == 1);
  CHECK(national[0].count(Status::enrolled) == 1);
  CHECK(national[0].count(Status::registered) == 1);
  CHECK(national[0].rate(Status::completed) == Approx(0.25));

  const auto by_track = report(ledger.roster(), statuses, ReportBy::track);
  REQUIRE(by_track.size() == 2);
  CHECK(by_track[0].key == "new_entrepreneur");  // registrations 1 and 3
  CHECK(by_track[0].total == 2);
  CHECK(by_track[1].count(Status::completed) == 1);

  const auto by_gender = report(ledger.roster(), statuses, ReportBy::gender);
  std::size_t total = 0;
  for (const auto& row : by_gender) total += row.total;
  CHECK(total == 4);
  CHECK(report(ledger.roster(), statuses, ReportBy::facility)[0].key == "BLK-1");
  CHECK(report(ledger.roster(), statuses, ReportBy::province)[0].key == "32");
  CHECK(report(ledger.roster(), statuses, ReportBy::regency)[0].key == "32.73");
}

TEST_CASE("a module report counts module states", "[report][quick]") {
  const auto ledger = reported_ledger();
  const auto rows = report(ledger.roster(), ledger.statuses(), ReportBy::module);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].key == "BASIC");
  CHECK(rows[0].total == 4);
  CHECK(rows[0].count(Status::completed) == 1);
  CHECK(rows[0].count(Status::in_progress) == 1);
  CHECK(rows[1].key == "FIN");
  CHECK(rows[1].count(Status::passed) == 1);
  CHECK(rows[2].key == "MKT");
  CHECK(rows[2].total == 2);
  CHECK(rows[3].key == "ORIENT");
  CHECK(rows[3].count(Status::completed) == 1);  // registration 1: not applicable
}

TEST_CASE("the funnel and the target", "[report][quick]") {
  const auto ledger = reported_ledger();
  const auto statuses = ledger.statuses();
  CHECK(funnel(statuses, 1) == Funnel{4, 3, 2, 1, 1});
  const auto p = progress(ledger.roster(), statuses);
  CHECK(p.completed == 1);
  CHECK(p.in_progress == 2);
  CHECK(p.target_min == 5000);
  CHECK_FALSE(p.met());
  CHECK(p.share_of_min() == Approx(1.0 / 5000));
}
