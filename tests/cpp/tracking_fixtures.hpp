// A small program for the tracking tests: four modules with different completion rules,
// one facility, cohorts with weekly sessions from 2027-01-04, and registrations whose ids
// are UUIDs made from their number.
#pragma once

#include <string>
#include <vector>

#include "balai/tracking/ledger.hpp"
#include "fixtures.hpp"

namespace balai::testing {

// Modules, in the order of their indices.
inline constexpr ModuleIndex kBasic{0};    // completed, 75% attendance, both tracks
inline constexpr ModuleIndex kFinance{1};  // completed and passed (60), 50% attendance, both tracks
inline constexpr ModuleIndex kMarket{2};   // passed (70), umkm_owner only
inline constexpr ModuleIndex kOrient{3};   // not applicable, new_entrepreneur only

inline std::string uuid_for(std::size_t n) {
  std::string hex;
  for (int shift = 44; shift >= 0; shift -= 4) hex += "0123456789abcdef"[(n >> shift) & 0xf];
  return "00000000-0000-4000-8000-" + hex;
}

// Seconds since the epoch at `hour` UTC on `date`.
inline Timestamp at(Date date, int hour = 2) {
  return static_cast<Timestamp>(date.days()) * 86400 + hour * 3600;
}

inline Date session_date(std::size_t session) {  // 1-based, weekly
  return Date(2027, 1, 4) + static_cast<std::int32_t>(7 * (session - 1));
}

inline Dataset tracking_dataset(std::size_t trainees) {
  Batch batch;
  batch.facilities.push_back(make_facility("BLK-1"));
  auto basic = make_module("BASIC");
  basic.rule = {0.75, std::nullopt, MoveOnRule::completed};
  auto finance = make_module("FIN");
  finance.rule = {0.5, 60.0, MoveOnRule::completed_and_passed};
  auto market = make_module("MKT", {}, {Track::umkm_owner});
  market.rule = {0.0, 70.0, MoveOnRule::passed};
  auto orient = make_module("ORIENT", {}, {Track::new_entrepreneur});
  orient.rule = {0.0, std::nullopt, MoveOnRule::not_applicable};
  batch.modules = {basic, finance, market, orient};
  for (std::size_t i = 0; i < trainees; ++i) {
    auto trainee = make_trainee("T-" + std::to_string(i));
    trainee.track = i % 2 == 0 ? Track::umkm_owner : Track::new_entrepreneur;
    trainee.gender = i % 3 == 0 ? Gender::male : Gender::female;
    batch.trainees.push_back(trainee);
  }
  batch.program = make_program();
  return Dataset(make_regencies(), std::move(batch));
}

inline std::vector<Cohort> tracking_cohorts() {
  std::vector<Date> four{session_date(1), session_date(2), session_date(3), session_date(4)};
  return {Cohort{"C-BASIC", "BASIC", "BLK-1", four, std::nullopt},
          Cohort{"C-FIN", "FIN", "BLK-1", four, Date(2027, 3, 31)},
          Cohort{"C-MKT", "MKT", "BLK-1", {session_date(1), session_date(2)}, std::nullopt},
          Cohort{"C-ORIENT", "ORIENT", "BLK-1", {session_date(1)}, std::nullopt}};
}

inline Roster tracking_roster(std::size_t trainees = 4) {
  const auto dataset = tracking_dataset(trainees);
  std::vector<Registration> registrations;
  for (std::size_t i = 0; i < trainees; ++i) {
    Registration r{uuid_for(i + 1), "T-" + std::to_string(i), {"C-BASIC", "C-FIN"}};
    r.cohorts.push_back(i % 2 == 0 ? "C-MKT" : "C-ORIENT");
    registrations.push_back(r);
  }
  return Roster(dataset, tracking_cohorts(), registrations);
}

// Event builders: valid by default, each test changes what it is about.
inline Event enrolled(EventId id, std::uint32_t r, Timestamp time) {
  Event e;
  e.id = id;
  e.kind = EventKind::enrolled;
  e.registration = RegistrationIndex(r);
  e.time = time;
  e.actor = "operator-1";
  return e;
}

inline Event session_event(EventKind kind, EventId id, std::uint32_t r, ModuleIndex m, int session,
                           Timestamp time) {
  auto e = enrolled(id, r, time);
  e.kind = kind;
  e.module = m;
  e.session = session;
  e.actor = "instructor-7";
  return e;
}

inline Event attended(EventId id, std::uint32_t r, ModuleIndex m, int session) {
  return session_event(EventKind::attended, id, r, m, session,
                       at(session_date(static_cast<std::size_t>(session)), 4));
}

inline Event assessed(EventId id, std::uint32_t r, ModuleIndex m, double score, Timestamp time) {
  auto e = enrolled(id, r, time);
  e.kind = EventKind::assessed;
  e.module = m;
  e.score = score;
  e.actor = "assessor-2";
  return e;
}

inline Event voided(EventId id, std::uint32_t r, EventId target, Timestamp time) {
  auto e = enrolled(id, r, time);
  e.kind = EventKind::voided;
  e.target = target;
  return e;
}

}  // namespace balai::testing
