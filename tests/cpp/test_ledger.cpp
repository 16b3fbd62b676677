// The ledger: completion rules with known answers, append semantics (idempotency,
// conflicts, all-or-nothing batches, voids) and properties on random event streams
// (arrival order, voids and "as of" never change what the events mean).
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <ranges>
#include <string>
#include <vector>

#include "balai/tracking/generic_ingest.hpp"
#include "tracking_fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

const Timestamp kEnrol = at(Date(2027, 1, 3));

Ledger ledger_with(std::vector<Event> events, LedgerOptions options = {}) {
  Ledger ledger(tracking_roster(), options);
  ledger.append(events);
  return ledger;
}

const ModuleState& module_of(const Statuses& s, std::uint32_t r, std::size_t slot) {
  return s.modules(RegistrationIndex(r))[slot];
}

Status program_status(const Ledger& ledger, std::uint32_t r) {
  return ledger.statuses().program(RegistrationIndex(r)).status;
}

// Registration 0 follows umkm_owner (BASIC, FIN, MKT); registration 1 new_entrepreneur
// (BASIC, FIN, ORIENT). Slots follow Roster::required: module order, prerequisites first.
constexpr std::size_t kBasicSlot = 0, kFinanceSlot = 1, kThirdSlot = 2;

}  // namespace

TEST_CASE("a registration without an enrolment is registered", "[ledger][quick]") {
  const Ledger ledger(tracking_roster());
  const auto s = ledger.statuses();
  REQUIRE(s.size() == 4);
  CHECK(s.program(RegistrationIndex(0)).status == Status::registered);
  CHECK(module_of(s, 0, kBasicSlot).status == Status::registered);
}

TEST_CASE("attendance completes a module at the session that reaches the threshold",
          "[ledger][quick]") {
  auto ledger =
      ledger_with({enrolled(1, 0, kEnrol), attended(2, 0, kBasic, 1), attended(3, 0, kBasic, 2)});
  CHECK(module_of(ledger.statuses(), 0, kBasicSlot).status == Status::in_progress);
  CHECK(program_status(ledger, 0) == Status::in_progress);
  ledger.append(std::vector{attended(4, 0, kBasic, 4)});  // 3 of 4 = 75%
  const auto basic = module_of(ledger.statuses(), 0, kBasicSlot);
  CHECK(basic.status == Status::completed);
  CHECK(basic.done_at == at(session_date(4), 4));
  CHECK(basic.attended == 3);
  CHECK(basic.sessions == 4);
  CHECK(basic.attendance() == Approx(0.75));
}

TEST_CASE("absences that put the threshold out of reach fail the module", "[ledger][quick]") {
  const auto ledger =
      ledger_with({enrolled(1, 0, kEnrol),
                   session_event(EventKind::absent, 2, 0, kBasic, 1, at(session_date(1), 9)),
                   session_event(EventKind::absent, 3, 0, kBasic, 2, at(session_date(2), 9))});
  CHECK(module_of(ledger.statuses(), 0, kBasicSlot).status == Status::failed);
  CHECK(program_status(ledger, 0) == Status::failed);
}

TEST_CASE("excused sessions leave the denominator by option", "[ledger][quick]") {
  const std::vector events{
      enrolled(1, 0, kEnrol),
      session_event(EventKind::excused, 2, 0, kBasic, 1, at(session_date(1), 9)),
      attended(3, 0, kBasic, 2), attended(4, 0, kBasic, 3), attended(5, 0, kBasic, 4)};
  const auto excluded = module_of(ledger_with(events).statuses(), 0, kBasicSlot);
  CHECK(excluded.status == Status::completed);  // 3 of 3
  CHECK(excluded.attendance() == Approx(1.0));
  auto fewer = events;
  fewer.pop_back();  // 2 of 3 < 75%, and only one session left to record
  CHECK(module_of(ledger_with(fewer).statuses(), 0, kBasicSlot).status == Status::in_progress);
  const auto counted = ledger_with(fewer, LedgerOptions{.excused_excluded = false});
  // Counted as an absence: 2 of 4 at best with session 4 attended, 3 of 4 = 75% reachable.
  CHECK(module_of(counted.statuses(), 0, kBasicSlot).status == Status::in_progress);
  auto two_excused = fewer;
  two_excused[2] = session_event(EventKind::excused, 3, 0, kBasic, 2, at(session_date(2), 9));
  CHECK(module_of(ledger_with(two_excused, LedgerOptions{.excused_excluded = false}).statuses(), 0,
                  kBasicSlot)
            .status == Status::failed);
}

TEST_CASE("sessions before the enrolment never count as absences", "[ledger][quick]") {
  const auto ledger = ledger_with({enrolled(1, 0, at(session_date(3), 1)),
                                   attended(2, 0, kBasic, 3), attended(3, 0, kBasic, 4)});
  const auto basic = module_of(ledger.statuses(), 0, kBasicSlot);
  CHECK(basic.sessions == 2);
  CHECK(basic.status == Status::completed);
}

TEST_CASE("completed-and-passed needs both, and a later pass mends a fail", "[ledger][quick]") {
  auto ledger =
      ledger_with({enrolled(1, 0, kEnrol), attended(2, 0, kFinance, 1), attended(3, 0, kFinance, 2),
                   assessed(4, 0, kFinance, 59.5, at(Date(2027, 2, 1)))});
  CHECK(module_of(ledger.statuses(), 0, kFinanceSlot).status == Status::failed);
  ledger.append(std::vector{assessed(5, 0, kFinance, 65, at(Date(2027, 2, 8)))});
  const auto finance = module_of(ledger.statuses(), 0, kFinanceSlot);
  CHECK(finance.status == Status::passed);
  CHECK(finance.best_score == Approx(65));
  CHECK(finance.done_at == at(Date(2027, 2, 8)));
}

TEST_CASE("a cohort's deadline fails what was not satisfied by its end", "[ledger][quick]") {
  // FIN's cohort ends 2027-03-31 (WIB): a pass on April 2nd is too late.
  const auto late =
      ledger_with({enrolled(1, 0, kEnrol), attended(2, 0, kFinance, 1), attended(3, 0, kFinance, 2),
                   assessed(4, 0, kFinance, 90, at(Date(2027, 4, 2)))});
  CHECK(module_of(late.statuses(), 0, kFinanceSlot).status == Status::failed);
  const auto waiting = ledger_with({enrolled(1, 0, kEnrol), attended(2, 0, kFinance, 1)});
  CHECK(module_of(waiting.statuses(at(Date(2027, 3, 30))), 0, kFinanceSlot).status ==
        Status::in_progress);
  CHECK(module_of(waiting.statuses(at(Date(2027, 4, 1))), 0, kFinanceSlot).status ==
        Status::failed);
}

TEST_CASE("passed and not-applicable rules", "[ledger][quick]") {
  const auto ledger = ledger_with({enrolled(1, 0, kEnrol), enrolled(2, 1, kEnrol),
                                   assessed(3, 0, kMarket, 70, at(Date(2027, 1, 20)))});
  const auto s = ledger.statuses();
  CHECK(module_of(s, 0, kThirdSlot).status == Status::passed);
  CHECK(module_of(s, 1, kThirdSlot).status == Status::completed);  // ORIENT
  CHECK(module_of(s, 1, kThirdSlot).done_at == kEnrol);
}

TEST_CASE("the program completes when every required module is done", "[ledger][quick]") {
  std::vector<Event> events{enrolled(1, 0, kEnrol)};
  EventId id = 10;
  for (int session = 1; session <= 4; ++session) {
    events.push_back(attended(id++, 0, kBasic, session));
    events.push_back(attended(id++, 0, kFinance, session));
  }
  events.push_back(assessed(id++, 0, kFinance, 80, at(Date(2027, 2, 1))));
  auto ledger = ledger_with(events);
  CHECK(program_status(ledger, 0) == Status::in_progress);
  auto waive = enrolled(id++, 0, at(Date(2027, 2, 3)));
  waive.kind = EventKind::waived;
  waive.module = kMarket;
  waive.reason = "tested out";
  ledger.append(std::vector{waive});
  const auto s = ledger.statuses();
  CHECK(module_of(s, 0, kThirdSlot).status == Status::waived);
  CHECK(s.program(RegistrationIndex(0)).status == Status::completed);
  CHECK(s.program(RegistrationIndex(0)).completed_at == at(Date(2027, 2, 3)));
}

TEST_CASE("overrides win and keep who and why", "[ledger][quick]") {
  auto module_override = enrolled(2, 0, at(Date(2027, 2, 1)));
  module_override.kind = EventKind::overridden;
  module_override.module = kBasic;
  module_override.reason = "attendance sheet lost; confirmed by the facility head";
  module_override.actor = "supervisor-3";
  module_override.result = Status::completed;
  auto program_override = module_override;
  program_override.id = 3;
  program_override.module.reset();
  program_override.result = Status::failed;
  program_override.time = at(Date(2027, 2, 2));
  const auto ledger = ledger_with({enrolled(1, 0, kEnrol), module_override, program_override});
  const auto s = ledger.statuses();
  CHECK(module_of(s, 0, kBasicSlot).status == Status::completed);
  CHECK(module_of(s, 0, kBasicSlot).overridden);
  CHECK(s.program(RegistrationIndex(0)).status == Status::failed);
  CHECK(s.program(RegistrationIndex(0)).overridden);
  CHECK(ledger.event(1) == module_override);  // on the audit trail, as recorded
}

TEST_CASE("withdrawal ends the modules not yet done", "[ledger][quick]") {
  auto withdrew = enrolled(9, 0, at(Date(2027, 1, 30)));
  withdrew.kind = EventKind::withdrew;
  withdrew.reason = "moved away";
  const auto ledger = ledger_with(
      {enrolled(1, 0, kEnrol), assessed(2, 0, kMarket, 90, at(Date(2027, 1, 20))), withdrew});
  const auto s = ledger.statuses();
  CHECK(module_of(s, 0, kThirdSlot).status == Status::passed);
  CHECK(module_of(s, 0, kBasicSlot).status == Status::withdrew);
  CHECK(s.program(RegistrationIndex(0)).status == Status::withdrew);
  CHECK(s.program(RegistrationIndex(0)).withdrew_at == at(Date(2027, 1, 30)));
}

TEST_CASE("the latest record of a session decides it", "[ledger][quick]") {
  const auto ledger = ledger_with(
      {enrolled(1, 0, kEnrol), attended(2, 0, kBasic, 1),  // recorded late, arrives first
       session_event(EventKind::absent, 3, 0, kBasic, 1, at(session_date(1), 1))});
  const auto basic = module_of(ledger.statuses(), 0, kBasicSlot);
  CHECK(basic.attended == 1);
  CHECK(basic.absent == 0);
}

TEST_CASE("appends are idempotent; a different payload under a known id is a conflict",
          "[ledger][quick]") {
  auto ledger = ledger_with({enrolled(1, 0, kEnrol), attended(2, 0, kBasic, 1)});
  const auto before = ledger;
  const auto again = ledger.append(std::vector{attended(2, 0, kBasic, 1), enrolled(1, 0, kEnrol)});
  CHECK(again == AppendResult{0, 2});
  CHECK(ledger == before);
  CHECK_THROWS_AS(ledger.append(std::vector{attended(3, 0, kBasic, 2), attended(2, 0, kBasic, 2)}),
                  ConflictError);
  CHECK(ledger == before);
  CHECK_FALSE(ledger.find(3));
  // Within one batch too.
  CHECK_THROWS_AS(ledger.append(std::vector{attended(7, 0, kBasic, 2), attended(7, 0, kBasic, 3)}),
                  ConflictError);
  CHECK(ledger.append(std::vector{attended(7, 0, kBasic, 2), attended(7, 0, kBasic, 2)}) ==
        AppendResult{1, 1});
}

TEST_CASE("a bad batch reports every bad event and changes nothing", "[ledger][bad-input][quick]") {
  auto ledger = ledger_with({enrolled(1, 0, kEnrol)});
  const auto before = ledger;
  auto bad_score = assessed(12, 0, kFinance, 101, at(Date(2027, 2, 1)));
  auto not_in_track = assessed(13, 0, kOrient, 50, at(Date(2027, 2, 1)));
  auto outside_cohort = attended(14, 0, kMarket, 3);
  auto before_enrolment = attended(15, 0, kBasic, 1);
  before_enrolment.time = kEnrol - 60;
  auto not_enrolled = attended(16, 2, kBasic, 1);
  auto unknown_registration = attended(17, 99, kBasic, 1);
  auto no_reason = enrolled(18, 0, at(Date(2027, 2, 1)));
  no_reason.kind = EventKind::waived;
  no_reason.module = kBasic;
  auto unknown_target = voided(19, 0, 12345, at(Date(2027, 2, 1)));
  auto empty_actor = attended(20, 0, kBasic, 2);
  empty_actor.actor = "";
  auto too_early = enrolled(21, 3, 0);
  auto stray_module = enrolled(22, 3, kEnrol);
  stray_module.module = kBasic;
  const std::vector batch{attended(11, 0, kBasic, 1),
                          bad_score,
                          not_in_track,
                          outside_cohort,
                          before_enrolment,
                          not_enrolled,
                          unknown_registration,
                          no_reason,
                          unknown_target,
                          empty_actor,
                          too_early,
                          stray_module};
  try {
    ledger.append(batch);
    FAIL("no error");
  } catch (const ValidationError& error) {
    const std::string message = error.what();
    CHECK(error.problems().size() == 11);
    for (const auto* part :
         {"event 1 (id 12)", "score", "101", "event 2 (id 13)", "ORIENT",
          "outside the cohort's sessions 1-2", "before the registration's enrolment",
          "has no enrolled event", "unknown registration", "gives its reason",
          "no recorded event has this id", "actor", "2000-01-01",
          "belongs to the registration, not a module"}) {
      CHECK_THAT(message, Catch::Contains(part));
    }
  }
  CHECK(ledger == before);
  CHECK_FALSE(ledger.find(11));
  CHECK(ledger.append(std::vector{attended(11, 0, kBasic, 1)}) == AppendResult{1, 0});
}

TEST_CASE("columns of the wrong length are rejected before anything is read",
          "[ledger][bad-input][quick]") {
  Ledger ledger(tracking_roster());
  const std::vector<EventId> ids{1, 2};
  const std::vector<std::uint8_t> kinds{0};
  const std::vector<std::uint32_t> regs{0, 0}, actors{0, 0};
  const std::vector<Timestamp> times{kEnrol, kEnrol};
  const std::vector<std::string> texts{"op"};
  EventColumns columns;
  columns.id = ids;
  columns.kind = kinds;
  columns.registration = regs;
  columns.time = times;
  columns.actor = actors;
  columns.texts = texts;
  CHECK_THROWS_WITH(ledger.append(columns),
                    Catch::Contains("kind") && Catch::Contains("1 entries for 2"));
  CHECK(ledger.size() == 0);
}

TEST_CASE("voids cancel events at every time", "[ledger][quick]") {
  auto ledger = ledger_with({enrolled(1, 0, kEnrol), attended(2, 0, kBasic, 1),
                             attended(3, 0, kBasic, 2), attended(4, 0, kBasic, 3)});
  CHECK(module_of(ledger.statuses(), 0, kBasicSlot).status == Status::completed);
  ledger.append(std::vector{voided(5, 0, 3, at(Date(2027, 3, 1)))});
  CHECK(ledger.is_voided(2));
  CHECK(module_of(ledger.statuses(), 0, kBasicSlot).status == Status::in_progress);
  CHECK(module_of(ledger.statuses(at(Date(2027, 1, 25))), 0, kBasicSlot).attended == 2);
  CHECK_THROWS_AS(ledger.append(std::vector{voided(6, 0, 5, at(Date(2027, 3, 2)))}),
                  ValidationError);  // a void cannot be voided
  CHECK_THROWS_AS(ledger.append(std::vector{voided(6, 1, 2, at(Date(2027, 3, 2)))}),
                  ValidationError);  // another registration's event
  // Voiding the enrolment leaves the registration registered.
  ledger.append(std::vector{voided(7, 0, 1, at(Date(2027, 3, 2)))});
  CHECK(program_status(ledger, 0) == Status::registered);
  CHECK_THROWS_AS(ledger.append(std::vector{attended(8, 0, kBasic, 4)}), ValidationError);
}

TEST_CASE("events read back as appended", "[ledger][quick]") {
  auto withdrew = enrolled(5, 0, at(Date(2027, 2, 1)));
  withdrew.kind = EventKind::withdrew;
  const std::vector events{enrolled(1, 0, kEnrol), attended(2, 0, kBasic, 1),
                           assessed(3, 0, kFinance, 72.25, at(Date(2027, 1, 30))),
                           voided(4, 0, 2, at(Date(2027, 1, 31))), withdrew};
  const auto ledger = ledger_with(events);
  REQUIRE(ledger.size() == events.size());
  for (std::size_t i = 0; i < events.size(); ++i) CHECK(ledger.event(i) == events[i]);
  CHECK(ledger.find(3) == 2u);
  CHECK_THROWS_AS(ledger.event(5), ValidationError);
}

// Random streams: every registration enrols, then records sessions, assessments and the
// odd waiver, withdrawal, override and void.
namespace {

std::vector<Event> random_stream(std::mt19937_64& rng, std::size_t registrations) {
  std::vector<Event> events;
  EventId id = 1;
  auto pick = [&](std::uint64_t n) { return static_cast<std::uint32_t>(rng() % n); };
  for (std::uint32_t r = 0; r < registrations; ++r) {
    const auto enrol = at(Date(2027, 1, 1) + static_cast<std::int32_t>(pick(20)));
    events.push_back(enrolled(id++, r, enrol));
    const ModuleIndex third = r % 2 == 0 ? kMarket : kOrient;
    const auto count = pick(14);
    for (std::uint32_t k = 0; k < count; ++k) {
      const auto time = enrol + 3600 + static_cast<Timestamp>(pick(90 * 86400));
      const auto module = std::array{kBasic, kFinance, third}[pick(3)];
      const int sessions = module == kMarket ? 2 : module == kOrient ? 1 : 4;
      const auto choice = pick(20);
      if (choice < 12) {
        const auto kind = std::array{EventKind::attended, EventKind::attended, EventKind::absent,
                                     EventKind::excused}[pick(4)];
        events.push_back(
            session_event(kind, id++, r, module, 1 + static_cast<int>(pick(sessions)), time));
      } else if (choice < 16) {
        events.push_back(assessed(id++, r, module, pick(101), time));
      } else if (choice == 16) {
        auto e = assessed(id++, r, module, 0, time);
        e.kind = EventKind::waived;
        e.score.reset();
        e.reason = "equivalent training";
        events.push_back(e);
      } else if (choice == 17) {
        auto e = enrolled(id++, r, time);
        e.kind = EventKind::withdrew;
        events.push_back(e);
      } else if (choice == 18) {
        auto e = enrolled(id++, r, time);
        e.kind = EventKind::overridden;
        e.reason = "committee decision";
        if (pick(2) == 0) {
          e.module = module;
          e.result = std::array{Status::completed, Status::failed, Status::waived}[pick(3)];
        } else {
          e.result = std::array{Status::completed, Status::failed, Status::withdrew}[pick(3)];
        }
        events.push_back(e);
      } else if (events.back().registration.value() == r &&
                 events.back().kind != EventKind::enrolled &&
                 events.back().kind != EventKind::voided) {
        events.push_back(voided(id++, r, events.back().id, time));
      }
    }
  }
  return events;
}

// A stream in an order it may arrive in: enrolments first, then everything else shuffled,
// then the voids, after their targets (a void names a recorded event).
struct Arrival {
  std::vector<Event> enrolments, others, voids;
};
Arrival shuffled_arrival(const std::vector<Event>& events, std::mt19937_64& rng) {
  Arrival arrival;
  for (const auto& e : events) {
    (e.kind == EventKind::enrolled ? arrival.enrolments
     : e.kind == EventKind::voided ? arrival.voids
                                   : arrival.others)
        .push_back(e);
  }
  std::shuffle(arrival.others.begin(), arrival.others.end(), rng);
  return arrival;
}

}  // namespace

TEST_CASE("statuses follow event time, not arrival", "[ledger][property][quick]") {
  std::mt19937_64 rng(7);
  std::array<int, 8> seen{};  // module statuses met, so the property covers every rule path
  for (int round = 0; round < 40; ++round) {
    const auto roster = tracking_roster(6);
    const auto events = random_stream(rng, 6);
    Ledger in_order(roster);
    in_order.append(events);
    const auto expected = in_order.statuses(at(Date(2027, 6, 1)));
    for (const auto& m : expected.all_modules()) ++seen[static_cast<std::size_t>(m.status)];

    // The shuffled events in random batches.
    const auto [enrolments, others, voids] = shuffled_arrival(events, rng);
    Ledger shuffled(roster);
    shuffled.append(enrolments);
    for (std::size_t begin = 0; begin < others.size();) {
      const auto end = std::min(others.size(), begin + 1 + rng() % 10);
      shuffled.append(std::span(others).subspan(begin, end - begin));
      begin = end;
    }
    shuffled.append(voids);
    CHECK(shuffled.statuses(at(Date(2027, 6, 1))) == expected);
    // Re-appending everything changes nothing.
    const auto again = shuffled.append(events);
    CHECK(again.added == 0);
    CHECK(again.duplicates == events.size());
  }
  for (const auto status : {Status::enrolled, Status::in_progress, Status::completed,
                            Status::passed, Status::failed, Status::withdrew, Status::waived}) {
    INFO(name_of(status));
    CHECK(seen[static_cast<std::size_t>(status)] > 0);
  }
}

TEST_CASE("a large ledger's statuses are its registrations' own", "[ledger][property][slow]") {
  // Enough events that the grouping of each registration's events splits them among the
  // cores (2^16 a core), shuffled so that most registrations' events fall in every part;
  // each registration's statuses must be those of a ledger of its slice alone (few enough
  // events for one core), appended in the same order. Every registration also has two
  // records of one session at the same instant, which arrival order decides between.
  std::mt19937_64 rng(11);
  constexpr std::size_t kRegistrations = 30'000;
  constexpr std::size_t kSlice = 400;
  const auto roster = tracking_roster(kRegistrations);
  auto events = random_stream(rng, kRegistrations);
  EventId id = events.size() + 1;
  for (std::uint32_t r = 0; r < kRegistrations; ++r) {
    const auto time = at(Date(2027, 2, 1));
    events.push_back(session_event(EventKind::attended, id++, r, kBasic, 1, time));
    events.push_back(session_event(EventKind::absent, id++, r, kBasic, 1, time));
  }
  const auto [enrolments, others, voids] = shuffled_arrival(events, rng);
  std::vector<Event> arrival = enrolments;
  arrival.insert(arrival.end(), others.begin(), others.end());
  arrival.insert(arrival.end(), voids.begin(), voids.end());
  REQUIRE(arrival.size() > 3 * 65'536);
  Ledger whole(roster);
  whole.append(arrival);
  const auto as_of = at(Date(2027, 6, 1));
  const auto statuses = whole.statuses(as_of);
  for (std::size_t first = 0; first < kRegistrations; first += kSlice) {
    std::vector<Event> slice;
    for (const auto& e : arrival) {
      if (e.registration.value() >= first && e.registration.value() < first + kSlice) {
        slice.push_back(e);
      }
    }
    Ledger part(roster);
    part.append(slice);
    const auto expected = part.statuses(as_of);
    for (auto r = first; r < first + kSlice; ++r) {
      const RegistrationIndex registration(static_cast<std::uint32_t>(r));
      INFO("registration " << r);
      CHECK(statuses.program(registration) == expected.program(registration));
      CHECK(std::ranges::equal(statuses.modules(registration), expected.modules(registration)));
    }
  }
}

TEST_CASE("a voided event counts as never recorded", "[ledger][property][quick]") {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 40; ++round) {
    const auto roster = tracking_roster(6);
    const auto events = random_stream(rng, 6);
    Ledger with_voids(roster);
    with_voids.append(events);
    std::vector<Event> without;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (events[i].kind != EventKind::voided && !with_voids.is_voided(i)) {
        without.push_back(events[i]);
      }
    }
    Ledger clean(roster);
    clean.append(without);
    const auto when = at(Date(2027, 6, 1));
    CHECK(clean.statuses(when) == with_voids.statuses(when));
  }
}

TEST_CASE("as of T equals a ledger of the events up to T", "[ledger][property][quick]") {
  std::mt19937_64 rng(13);
  for (int round = 0; round < 40; ++round) {
    const auto roster = tracking_roster(6);
    auto events = random_stream(rng, 6);
    std::erase_if(events, [](const Event& e) { return e.kind == EventKind::voided; });
    Ledger all(roster);
    all.append(events);
    const auto when = at(Date(2027, 1, 1) + static_cast<std::int32_t>(rng() % 100));
    std::vector<Event> early;
    std::copy_if(events.begin(), events.end(), std::back_inserter(early),
                 [&](const Event& e) { return e.time <= when; });
    Ledger partial(roster);
    partial.append(early);
    CHECK(partial.statuses(when) == all.statuses(when));
  }
}

TEST_CASE("the current statuses are those as of the latest event", "[ledger][quick]") {
  std::mt19937_64 rng(17);
  Ledger ledger(tracking_roster(6));
  ledger.append(random_stream(rng, 6));
  Timestamp latest = kEarliestTime;
  for (std::size_t i = 0; i < ledger.size(); ++i) latest = std::max(latest, ledger.event(i).time);
  CHECK(ledger.statuses() == ledger.statuses(latest));
  CHECK(ledger.statuses().as_of() == latest);
  const Ledger copy = ledger;
  CHECK(copy == ledger);
  CHECK(copy.statuses() == ledger.statuses());
}

TEST_CASE("the current statuses follow every append, deadlines passing included",
          "[ledger][property][quick]") {
  // Small batches touch a few of the 40 registrations, so that the statuses are brought up
  // to date rather than evaluated afresh; the events arrive in time order, so that the
  // finance cohort's deadline (2027-03-31) passes between two appends.
  std::mt19937_64 rng(19);
  for (int round = 0; round < 10; ++round) {
    const auto roster = tracking_roster(40);
    auto stream = random_stream(rng, 40);
    std::stable_sort(stream.begin(), stream.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
    // A void right after its target where time order would put it first.
    std::vector<Event> events;
    std::vector<Event> waiting;
    for (const auto& e : stream) {
      const bool target_seen = e.kind != EventKind::voided ||
                               std::any_of(events.begin(), events.end(),
                                           [&](const Event& x) { return x.id == *e.target; });
      (target_seen ? events : waiting).push_back(e);
      for (auto it = waiting.begin(); it != waiting.end();) {
        if (*it->target != e.id) {
          ++it;
          continue;
        }
        events.push_back(*it);
        it = waiting.erase(it);
      }
    }
    REQUIRE(waiting.empty());
    Ledger ledger(roster);
    Timestamp latest = kEarliestTime;
    bool crossed = false;
    for (std::size_t begin = 0; begin < events.size();) {
      const auto end = std::min(events.size(), begin + 1 + rng() % 3);
      const auto batch = std::span(events).subspan(begin, end - begin);
      REQUIRE(ledger.append(batch).added == batch.size());
      for (const auto& e : batch) latest = std::max(latest, e.time);
      crossed = crossed || latest >= at(Date(2027, 4, 1), 0);
      const auto current = ledger.statuses();
      REQUIRE(current.as_of() == latest);
      REQUIRE(current == ledger.statuses(latest));  // evaluated afresh
      begin = end;
    }
    CHECK(crossed);
  }
}

TEST_CASE("events are found whether their ids rose in sequence or not", "[ledger][quick]") {
  // Ids 1-3 rise (the sorted prefix, found by binary search); 10, 5, 7 do not (hashed).
  auto ledger =
      ledger_with({enrolled(1, 0, kEnrol), attended(2, 0, kBasic, 1), attended(3, 0, kBasic, 2)});
  ledger.append(std::vector{attended(10, 0, kBasic, 3), attended(5, 0, kFinance, 1),
                            attended(7, 0, kFinance, 2)});
  ledger.append(std::vector{attended(20, 0, kFinance, 3)});  // rises, but after hashed ones
  for (const EventId id : {1, 2, 3, 10, 5, 7, 20}) {
    INFO(id);
    REQUIRE(ledger.find(id));
    CHECK(ledger.event(*ledger.find(id)).id == id);
  }
  for (const EventId id : {0, 4, 6, 8, 11, 21}) CHECK_FALSE(ledger.find(id));
  const auto all = ledger.size();
  CHECK(ledger.append(std::vector{attended(3, 0, kBasic, 2), attended(7, 0, kFinance, 2)}) ==
        AppendResult{0, 2});
  CHECK_THROWS_AS(ledger.append(std::vector{attended(2, 0, kBasic, 4)}), ConflictError);
  CHECK_THROWS_AS(ledger.append(std::vector{attended(5, 0, kBasic, 4)}), ConflictError);
  ledger.append(
      std::vector{voided(30, 0, 2, at(Date(2027, 3, 1))), voided(31, 0, 5, at(Date(2027, 3, 1)))});
  CHECK(ledger.is_voided(1));
  CHECK(ledger.is_voided(4));
  CHECK(ledger.size() == all + 2);
}

TEST_CASE("the first and last instants a ledger can hold", "[ledger][bad-input][quick]") {
  // The latest instant must not collide with the stored "no time" of an enrolment.
  Ledger ledger(tracking_roster());
  ledger.append(std::vector{enrolled(1, 0, kLatestTime), enrolled(2, 1, kEarliestTime)});
  CHECK(ledger.statuses().program(RegistrationIndex(0)).enrolled_at == kLatestTime);
  CHECK(ledger.statuses().program(RegistrationIndex(1)).enrolled_at == kEarliestTime);
  CHECK(ledger.event(0).time == kLatestTime);
  auto withdrew = enrolled(5, 0, kLatestTime);  // needs the enrolment to be known
  withdrew.kind = EventKind::withdrew;
  CHECK(ledger.append(std::vector{withdrew}).added == 1);
  CHECK_THROWS_WITH(ledger.append(std::vector{enrolled(3, 2, kLatestTime + 1)}),
                    Catch::Contains("time"));
  CHECK_THROWS_WITH(ledger.append(std::vector{enrolled(4, 3, kEarliestTime - 1)}),
                    Catch::Contains("time"));
  CHECK(ledger.size() == 3);
}

TEST_CASE("generic ingest of the service's own records equals appending events",
          "[ledger][generic][quick]") {
  // The service's attendance rows: its own registration ids (UUID text) and serials.
  struct Row {
    std::string registration;
    long serial;
    int session;
  };
  const Roster roster = tracking_roster();
  std::vector<Row> rows;
  for (int session = 1; session <= 3; ++session)
    rows.push_back({uuid_for(1), 100 + session, session});
  rows.push_back({uuid_for(2), 200, 1});

  // The service's ids to the roster's positions (bad_optional_access for an unknown one).
  const auto event_of = [&](const Row& row) {
    return attended(static_cast<EventId>(row.serial),
                    roster.find_registration(row.registration).value().value(), kBasic,
                    row.session);
  };
  Ledger direct(roster);
  Ledger generic(roster);
  std::vector<Event> events{enrolled(1, 0, kEnrol), enrolled(2, 1, kEnrol)};
  direct.append(events);
  generic.append(events);
  for (const Row& row : rows) direct.append(std::vector<Event>{event_of(row)});
  const auto added = generic::append(generic, rows, event_of);
  CHECK(added.added == rows.size());
  CHECK(generic == direct);
  // All or nothing: one bad record (a session the cohort does not have) adds none.
  rows.push_back({uuid_for(2), 201, 99});
  rows.push_back({uuid_for(2), 202, 2});
  CHECK_THROWS_AS(generic::append(generic, rows | std::views::drop(4), event_of), ValidationError);
  CHECK(generic == direct);
}
