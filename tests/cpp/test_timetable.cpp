// The timetable: hand-computed schedules of a small world (one or two rooms, a two-module
// chain), the reasons trainees go unscheduled, time zones, bad options, verify() on every
// timetable made here and on timetables corrupted by hand, and the roster built from one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/timetable/timetable.hpp"
#include "balai/scenario/builder.hpp"
#include "balai/scenario/indonesia.hpp"
#include "fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

Date day(const char* text) { return Date::parse(text); }

std::vector<Date> days(std::initializer_list<const char*> texts) {
  std::vector<Date> dates;
  for (const char* text : texts) dates.push_back(day(text));
  return dates;
}

std::vector<TraineeIndex> trainees(std::uint32_t first, std::uint32_t end) {
  std::vector<TraineeIndex> list;
  for (std::uint32_t t = first; t < end; ++t) list.emplace_back(t);
  return list;
}

Facility blk_a(int rooms, int seats) {
  Facility facility = make_facility("BLK-A");
  facility.rooms = rooms;
  facility.seats = seats;
  return facility;
}

// Facility BLK-A (the one under test) and BLK-B, which has a kitchen and no trainees;
// modules M-1 -> M-2 for both tracks, M-N for new entrepreneurs only and the elective
// kitchen module M-K; `count` umkm_owner trainees.
Dataset world(int count, Facility a, int hours_1 = 12, int hours_2 = 8) {
  Batch batch;
  batch.facilities = {std::move(a), make_facility("BLK-B", {"classroom", "kitchen"})};
  batch.modules = {make_module("M-1"), make_module("M-2", {"M-1"}),
                   make_module("M-N", {}, {Track::new_entrepreneur}), make_module("M-K", {}, {})};
  batch.modules[0].hours_jp = hours_1;
  batch.modules[1].hours_jp = hours_2;
  batch.modules[2].hours_jp = 8;
  batch.modules[3].required_features = {"classroom", "kitchen"};
  for (int t = 0; t < count; ++t) {
    batch.trainees.push_back(make_trainee("T-" + std::to_string(100 + t)));
  }
  batch.program = make_program();
  return Dataset(make_regencies(), std::move(batch));
}

// Every trainee at facility 0, or at the facility `at` gives per trainee.
Allocation placed(const Dataset& dataset, std::vector<std::int32_t> at = {}) {
  Allocation allocation;
  allocation.facility =
      at.empty() ? std::vector<std::int32_t>(dataset.trainees().size(), 0) : std::move(at);
  allocation.load.assign(dataset.facilities().size(), 0);
  allocation.capacity.assign(dataset.facilities().size(), 1000);
  for (auto f : allocation.facility) {
    const bool is_placed = f != Allocation::kUnplaced;
    allocation.status.push_back(is_placed ? PlacementStatus::placed : PlacementStatus::capacity);
    // Bad indices are left for timetable() to refuse.
    if (f >= 0 && static_cast<std::size_t>(f) < allocation.load.size()) {
      ++allocation.load[static_cast<std::size_t>(f)];
    }
  }
  return allocation;
}

// Two weeks from Monday 8 March 2027 with Wednesday and Thursday as holidays.
TimetableOptions fortnight() {
  TimetableOptions options;
  options.start = day("2027-03-08");
  options.weeks = 2;
  options.class_min = 2;
  options.holidays = days({"2027-03-10", "2027-03-11"});
  return options;
}

void require_sound(const Dataset& dataset, const Allocation& allocation,
                   const Timetable& timetable) {
  const auto problems = verify(dataset, allocation, timetable);
  for (const auto& problem : problems) UNSCOPED_INFO(problem.to_string());
  REQUIRE(problems.empty());
}

// A timetable, checked by verify() before any test looks at it.
Timetable sound(const Dataset& dataset, const Allocation& allocation,
                const TimetableOptions& options) {
  Timetable result = timetable(dataset, allocation, options);
  require_sound(dataset, allocation, result);
  return result;
}

bool has(const std::vector<Problem>& problems, const std::string& where, const std::string& field,
         const std::string& message) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
    return p.where == where && p.field == field && p.message.find(message) != std::string::npos;
  });
}

std::vector<std::string> codes(const Timetable& timetable) {
  std::vector<std::string> list;
  for (const auto& c : timetable.cohorts) list.push_back(c.code);
  return list;
}

}  // namespace

TEST_CASE("a chain of two modules in one room skips holidays and weekends", "[timetable][quick]") {
  const Dataset dataset = world(3, blk_a(1, 20));
  const Allocation allocation = placed(dataset);
  TimetableOptions options = fortnight();

  SECTION("known dates") {
    const Timetable result = sound(dataset, allocation, options);
    CHECK(result.window == DateRange(day("2027-03-08"), day("2027-03-21")));
    CHECK(result.holidays == days({"2027-03-10", "2027-03-11"}));
    REQUIRE(codes(result) == std::vector<std::string>{"BLK-A/M-1/1", "BLK-A/M-2/1"});
    // 12 JP in two sessions of 6; then 8 JP as 6 + 2 after Wednesday and Thursday's
    // holidays and the weekend.
    CHECK(result.cohorts[0].sessions == days({"2027-03-08", "2027-03-09"}));
    CHECK(result.cohorts[1].sessions == days({"2027-03-12", "2027-03-15"}));
    for (const auto& c : result.cohorts) {
      CHECK(c.facility == FacilityIndex(0));
      CHECK(c.room == 0);
      CHECK(c.trainees == trainees(0, 3));
    }
    CHECK(result.cohorts[0].module == ModuleIndex(0));
    CHECK(result.cohorts[1].module == ModuleIndex(1));
    CHECK(result.unscheduled.empty());
    CHECK(result.complete == std::vector<bool>{true, true, true});
  }
  SECTION("weekly hours: 12 JP a week leave no room for M-2 in the first week") {
    options.teaching_hours_per_week = 12;
    const Timetable result = sound(dataset, allocation, options);
    CHECK(result.cohorts[1].sessions == days({"2027-03-15", "2027-03-16"}));
  }
  SECTION("a class's own sessions count towards the weekly hours") {
    // 16 JP as 6 + 6 + 4: the third session would make 16 JP in the first week.
    const Dataset longer = world(3, blk_a(1, 20), 16, 8);
    options.teaching_hours_per_week = 12;
    const Timetable result = sound(longer, placed(longer), options);
    CHECK(result.cohorts[0].sessions == days({"2027-03-08", "2027-03-09", "2027-03-15"}));
    CHECK(result.cohorts[1].sessions == days({"2027-03-16", "2027-03-17"}));
  }
  SECTION("Saturday as a working day") {
    options.working_days = {1, 2, 3, 4, 5, 6};
    const Timetable result = sound(dataset, allocation, options);
    CHECK(result.cohorts[1].sessions == days({"2027-03-12", "2027-03-13"}));
  }
  SECTION("the embedded holidays of 2027 are those of Idul Fitri") {
    options.holidays.reset();
    const Timetable result = sound(dataset, allocation, options);
    CHECK(result.holidays == days({"2027-03-10", "2027-03-11"}));
    CHECK(result.cohorts[1].sessions == days({"2027-03-12", "2027-03-15"}));
  }
  SECTION("the program's pilot phase is the default window") {
    options.start.reset();
    options.holidays = std::vector<Date>{};
    const Timetable result = sound(dataset, allocation, options);
    CHECK(result.window == DateRange(day("2027-01-04"), day("2027-04-04")));
    CHECK(result.cohorts[0].sessions == days({"2027-01-04", "2027-01-05"}));
    CHECK(result.cohorts[1].sessions == days({"2027-01-06", "2027-01-07"}));
  }
  SECTION("the facility's active dates bound its sessions") {
    Facility a = blk_a(1, 20);
    a.active = DateRange(day("2027-03-09"), day("2027-12-31"));
    const Dataset late = world(3, a);
    const Timetable result = sound(late, placed(late), options);
    CHECK(result.cohorts[0].sessions == days({"2027-03-09", "2027-03-12"}));
    CHECK(result.cohorts[1].sessions == days({"2027-03-15", "2027-03-16"}));
  }
  SECTION("determinism") {
    CHECK(timetable(dataset, allocation, options) == timetable(dataset, allocation, options));
  }
}

TEST_CASE("national holidays are embedded for 2026 and 2027", "[timetable][quick]") {
  const auto y2026 = national_holidays(2026);
  CHECK(y2026.size() == 25);  // 17 holidays and 8 days of cuti bersama (SKB 3 Menteri)
  CHECK(std::is_sorted(y2026.begin(), y2026.end()));
  for (const char* text : {"2026-01-01", "2026-02-17", "2026-03-19", "2026-03-21", "2026-03-24",
                           "2026-04-03", "2026-05-27", "2026-06-16", "2026-08-17", "2026-12-24"}) {
    CHECK(std::count(y2026.begin(), y2026.end(), day(text)) == 1);
  }
  const auto y2027 = national_holidays(2027);
  CHECK(std::is_sorted(y2027.begin(), y2027.end()));
  CHECK(std::all_of(y2027.begin(), y2027.end(), [](Date d) { return d.ymd().year == 2027; }));
  // Easter 2027 is 28 March, so Good Friday the 26th and Ascension 6 May.
  for (const char* text :
       {"2027-01-01", "2027-03-26", "2027-03-28", "2027-05-06", "2027-08-17", "2027-12-25"}) {
    CHECK(std::count(y2027.begin(), y2027.end(), day(text)) == 1);
  }
  CHECK(national_holidays(2025).empty());
  CHECK(national_holidays(2028).empty());

  SECTION("a window across New Year applies both years") {
    const Dataset dataset = world(3, blk_a(1, 20));
    TimetableOptions options = fortnight();
    options.start = day("2026-12-21");
    options.weeks = 3;
    options.holidays.reset();
    const Timetable result = sound(dataset, placed(dataset), options);
    CHECK(result.holidays == days({"2026-12-24", "2026-12-25", "2027-01-01"}));
  }
}

TEST_CASE("classes are balanced and capped by class_max and the seats per room",
          "[timetable][quick]") {
  SECTION("25 trainees, 2 rooms of 10 seats: classes of 9, 8 and 8") {
    const Dataset dataset = world(25, blk_a(2, 20));
    const Timetable result = sound(dataset, placed(dataset), fortnight());
    REQUIRE(codes(result) == std::vector<std::string>{"BLK-A/M-1/1", "BLK-A/M-1/2", "BLK-A/M-1/3",
                                                      "BLK-A/M-2/1", "BLK-A/M-2/2", "BLK-A/M-2/3"});
    const auto& m1 = result.cohorts;
    CHECK(m1[0].trainees == trainees(0, 9));
    CHECK(m1[1].trainees == trainees(9, 17));
    CHECK(m1[2].trainees == trainees(17, 25));
    CHECK((m1[0].room == 0 && m1[1].room == 1 && m1[2].room == 0));
    CHECK(m1[0].sessions == days({"2027-03-08", "2027-03-09"}));
    CHECK(m1[1].sessions == days({"2027-03-08", "2027-03-09"}));
    CHECK(m1[2].sessions == days({"2027-03-12", "2027-03-15"}));
    // M-2: the first two classes are ready on the 12th, the third on the 16th. Room 0 is
    // taken on the 12th and 15th, so the first class finishes first in room 1.
    CHECK(m1[3].trainees == trainees(0, 9));
    CHECK((m1[3].room == 1 && m1[3].sessions == days({"2027-03-12", "2027-03-15"})));
    CHECK(m1[4].trainees == trainees(9, 17));
    CHECK((m1[4].room == 0 && m1[4].sessions == days({"2027-03-16", "2027-03-17"})));
    CHECK(m1[5].trainees == trainees(17, 25));
    CHECK((m1[5].room == 1 && m1[5].sessions == days({"2027-03-16", "2027-03-17"})));
    CHECK(result.unscheduled.empty());
  }
  SECTION("class_max below the seats per room") {
    const Dataset dataset = world(25, blk_a(2, 60));
    TimetableOptions options = fortnight();
    options.class_max = 12;
    const Timetable result = sound(dataset, placed(dataset), options);
    REQUIRE(result.cohorts.size() == 6);
    CHECK(result.cohorts[0].trainees.size() == 9);
    CHECK(result.cohorts[2].trainees.size() == 8);
  }
  SECTION("two sessions a day let the third class run alongside") {
    const Dataset dataset = world(25, blk_a(2, 20));
    TimetableOptions options = fortnight();
    options.sessions_per_day = 2;
    const Timetable result = sound(dataset, placed(dataset), options);
    CHECK(result.cohorts[2].sessions == days({"2027-03-08", "2027-03-09"}));
  }
  SECTION("no split fits between the minimum and the cap: the last ready are left over") {
    const Dataset dataset = world(11, blk_a(1, 10));
    TimetableOptions options = fortnight();
    options.class_min = 8;
    const Timetable result = sound(dataset, placed(dataset), options);
    REQUIRE(codes(result) == std::vector<std::string>{"BLK-A/M-1/1", "BLK-A/M-2/1"});
    CHECK(result.cohorts[0].trainees == trainees(0, 10));
    REQUIRE(result.unscheduled.size() == 2);
    CHECK(result.unscheduled[0] ==
          Unscheduled{FacilityIndex(0), ModuleIndex(0), trainees(10, 11),
                      UnscheduledReason::class_too_small,
                      "1 trainee, left over from full classes of 10, class minimum 8"});
    CHECK(result.unscheduled[1].reason == UnscheduledReason::prerequisite);
    CHECK(result.unscheduled[1].trainees == trainees(10, 11));
    CHECK(std::count(result.complete.begin(), result.complete.end(), true) == 10);
  }
}

TEST_CASE("unscheduled trainees are reported with the reason", "[timetable][quick]") {
  TimetableOptions options = fortnight();
  const auto prerequisite_lost = [](const Unscheduled& u, std::vector<TraineeIndex> who) {
    CHECK(u.module == ModuleIndex(1));
    CHECK(u.reason == UnscheduledReason::prerequisite);
    CHECK(u.trainees == who);
  };

  SECTION("class_too_small") {
    const Dataset dataset = world(3, blk_a(1, 20));
    options.class_min = 5;
    const Timetable result = sound(dataset, placed(dataset), options);
    CHECK(result.cohorts.empty());
    REQUIRE(result.unscheduled.size() == 2);
    CHECK(result.unscheduled[0] == Unscheduled{FacilityIndex(0), ModuleIndex(0), trainees(0, 3),
                                               UnscheduledReason::class_too_small,
                                               "3 trainees, class minimum 5"});
    prerequisite_lost(result.unscheduled[1], trainees(0, 3));
    CHECK(result.complete == std::vector<bool>(3, false));
  }
  SECTION("window: the second class of M-1 ends too late for M-2") {
    // One week, one room of 10: M-1 runs Mon-Tue and Wed-Thu; M-2 (one session) fits on
    // Friday for the first class only.
    const Dataset dataset = world(15, blk_a(1, 10), 12, 6);
    options.weeks = 1;
    options.holidays = std::vector<Date>{};
    const Timetable result = sound(dataset, placed(dataset), options);
    REQUIRE(codes(result) == std::vector<std::string>{"BLK-A/M-1/1", "BLK-A/M-1/2", "BLK-A/M-2/1"});
    CHECK(result.cohorts[2].sessions == days({"2027-03-12"}));
    CHECK(result.cohorts[2].trainees == trainees(0, 8));
    REQUIRE(result.unscheduled.size() == 1);
    CHECK(result.unscheduled[0] ==
          Unscheduled{FacilityIndex(0), ModuleIndex(1), trainees(8, 15), UnscheduledReason::window,
                      "7 trainees, no room has 1 free teaching day for them by 2027-03-12"});
    CHECK(std::count(result.complete.begin(), result.complete.end(), true) == 8);
  }
  SECTION("no_room: no rooms at all") {
    const Dataset dataset = world(12, blk_a(0, 0));
    const Timetable result = sound(dataset, placed(dataset), options);
    REQUIRE(result.unscheduled.size() == 2);
    CHECK(result.unscheduled[0] == Unscheduled{FacilityIndex(0), ModuleIndex(0), trainees(0, 12),
                                               UnscheduledReason::no_room,
                                               "12 trainees, the facility has no rooms"});
    prerequisite_lost(result.unscheduled[1], trainees(0, 12));
  }
  SECTION("no_room: rooms smaller than a class") {
    const Dataset dataset = world(12, blk_a(2, 16));
    options.class_min = 10;
    const Timetable result = sound(dataset, placed(dataset), options);
    REQUIRE(result.unscheduled.size() == 2);
    CHECK(result.unscheduled[0].reason == UnscheduledReason::no_room);
    CHECK(result.unscheduled[0].detail == "12 trainees, 8 seats per room, class minimum 10");
  }
  SECTION("no_room: a facility that lacks the module's features") {
    // Trainees of BLK-B (kitchen) and of BLK-A; only BLK-A's lack nothing.
    const Dataset dataset = world(4, blk_a(1, 20));
    options.class_min = 1;
    Batch extra;
    Module kitchen = make_module("M-3", {"M-2"});
    kitchen.required_features = {"classroom", "kitchen"};
    Dataset with_kitchen(make_regencies(), dataset.to_batch());
    extra.modules = {kitchen};
    with_kitchen.add(std::move(extra));
    const Allocation allocation = placed(with_kitchen, {0, 0, 1, 1});
    const Timetable result = sound(with_kitchen, allocation, options);
    REQUIRE(result.unscheduled.size() == 1);
    CHECK(result.unscheduled[0] ==
          Unscheduled{FacilityIndex(0), ModuleIndex(4), trainees(0, 2), UnscheduledReason::no_room,
                      "2 trainees, the facility lacks a feature the module requires"});
    CHECK(result.complete == std::vector<bool>{false, false, true, true});
  }
  SECTION("too_many_sessions") {
    const Dataset dataset = world(12, blk_a(1, 20), 6 * 64 + 1);
    const Timetable result = sound(dataset, placed(dataset), options);
    REQUIRE(result.unscheduled.size() == 2);
    CHECK(result.unscheduled[0].reason == UnscheduledReason::too_many_sessions);
    CHECK(result.unscheduled[0].trainees == trainees(0, 12));
    CHECK(result.unscheduled[0].detail ==
          "12 trainees, 385 JP in sessions of 6 JP take 65 sessions, more than 64");
    prerequisite_lost(result.unscheduled[1], trainees(0, 12));
  }
  SECTION("unplaced trainees are neither scheduled nor reported") {
    const Dataset dataset = world(4, blk_a(1, 20));
    const Allocation allocation = placed(dataset, {0, Allocation::kUnplaced, 0, 0});
    const Timetable result = sound(dataset, allocation, options);
    REQUIRE(result.cohorts.size() == 2);
    CHECK(result.cohorts[0].trainees ==
          std::vector<TraineeIndex>{TraineeIndex(0), TraineeIndex(2), TraineeIndex(3)});
    CHECK(result.unscheduled.empty());
    CHECK(result.complete == std::vector<bool>{true, false, true, true});
  }
}

TEST_CASE("session start instants follow the facility's time zone", "[timetable][quick]") {
  Batch batch;
  const std::vector<std::pair<const char*, int>> zones{
      {"BLK-WIB", 32}, {"BLK-WITA", 51}, {"BLK-WIT", 91}};
  for (auto [id, province] : zones) {
    Facility facility = make_facility(id);
    facility.province = static_cast<ProvinceCode>(province);
    facility.regency.reset();
    batch.facilities.push_back(facility);
  }
  batch.modules = {make_module("M-1")};
  for (int t = 0; t < 3; ++t) batch.trainees.push_back(make_trainee("T-" + std::to_string(t)));
  batch.program = make_program();
  const Dataset dataset(make_regencies(), std::move(batch));
  const Allocation allocation = placed(dataset, {0, 1, 2});
  TimetableOptions options = fortnight();
  options.class_min = 1;
  const Timetable result = sound(dataset, allocation, options);
  REQUIRE(result.cohorts.size() == 3);

  // 08:00 on Monday 8 March 2027 at UTC+7, +8 and +9; M-1's 16 JP take three sessions.
  CHECK(utc_timestamp(result.session_start(dataset, result.cohorts[0], 0)) ==
        "2027-03-08T01:00:00Z");
  CHECK(utc_timestamp(result.session_start(dataset, result.cohorts[1], 0)) ==
        "2027-03-08T00:00:00Z");
  CHECK(utc_timestamp(result.session_start(dataset, result.cohorts[2], 1)) ==
        "2027-03-08T23:00:00Z");
  Timetable afternoon = result;
  afternoon.options.session_start_minutes = 13 * 60 + 30;
  CHECK(utc_timestamp(afternoon.session_start(dataset, afternoon.cohorts[0], 1)) ==
        "2027-03-09T06:30:00Z");
  CHECK_THROWS_AS(result.session_start(dataset, result.cohorts[0], 3), ValidationError);
  ScheduledCohort stranger = result.cohorts[0];
  stranger.facility = FacilityIndex(7);
  CHECK_THROWS_AS(result.session_start(dataset, stranger, 0), ValidationError);
}

TEST_CASE("timetable options: bad values are named", "[timetable][bad-input][quick]") {
  CHECK(check(TimetableOptions{}).empty());
  const auto field_of = [](const TimetableOptions& options) {
    const auto problems = check(options);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].where == "timetable options");
    return problems[0].field;
  };
  TimetableOptions o;
  SECTION("phase") {
    o.phase = "";
    CHECK(field_of(o) == "phase");
    o.start = day("2027-01-04");
    CHECK(check(o).empty());
  }
  SECTION("weeks") {
    o.weeks = 0;
    CHECK(field_of(o) == "weeks");
    o.weeks = 521;
    CHECK(field_of(o) == "weeks");
  }
  SECTION("class sizes") {
    o.class_min = 0;
    CHECK(field_of(o) == "class_min");
    o.class_min = 20;
    o.class_max = 19;
    CHECK(field_of(o) == "class_max");
  }
  SECTION("session_jp and sessions_per_day") {
    o.session_jp = 0;
    CHECK(check(o).front().field == "session_jp");
    o.session_jp = 6;
    o.sessions_per_day = 0;
    CHECK(field_of(o) == "sessions_per_day");
    o.sessions_per_day = 4;  // 4 x 6 x 45 minutes from 08:00 end at 02:00
    CHECK(field_of(o) == "sessions_per_day");
  }
  SECTION("teaching_hours_per_week") {
    o.teaching_hours_per_week = 5;
    CHECK(field_of(o) == "teaching_hours_per_week");
  }
  SECTION("working_days") {
    o.working_days = {};
    CHECK(field_of(o) == "working_days");
    o.working_days = {1, 8};
    CHECK(field_of(o) == "working_days");
    o.working_days = {0, 2};
    CHECK(field_of(o) == "working_days");
    o.working_days = {2, 2};
    CHECK(field_of(o) == "working_days");
  }
  SECTION("session_start_minutes") {
    o.session_start_minutes = -1;
    CHECK(field_of(o) == "session_start_minutes");
    o.session_start_minutes = 24 * 60;
    CHECK(field_of(o) == "session_start_minutes");
  }
  SECTION("timetable() throws them, and names windows and allocations it cannot use") {
    const Dataset dataset = world(3, blk_a(1, 20));
    const Allocation allocation = placed(dataset);
    o.class_min = 0;
    CHECK_THROWS_AS(timetable(dataset, allocation, o), ValidationError);
    o = TimetableOptions{};
    o.phase = "harvest";
    try {
      (void)timetable(dataset, allocation, o);
      FAIL("an unknown phase was accepted");
    } catch (const ValidationError& e) {
      CHECK(e.problems().at(0).field == "phase");
      CHECK(e.problems().at(0).value == "harvest");
    }
    Batch no_program = dataset.to_batch();
    no_program.program.reset();
    const Dataset bare(make_regencies(), std::move(no_program));
    CHECK_THROWS_AS(timetable(bare, allocation, TimetableOptions{}), ValidationError);
    CHECK_THROWS_AS(timetable(dataset, placed(world(4, blk_a(1, 20))), TimetableOptions{}),
                    ValidationError);
    CHECK_THROWS_AS(timetable(dataset, placed(dataset, {0, 2, 0}), TimetableOptions{}),
                    ValidationError);
    CHECK_THROWS_AS(timetable(dataset, placed(dataset, {0, -5, 0}), TimetableOptions{}),
                    ValidationError);
  }
}

TEST_CASE("verify accepts the timetables of tiny_scenario", "[timetable][quick]") {
  for (std::uint64_t seed : {1U, 2U, 3U}) {
    const Dataset dataset = tiny_scenario(seed);
    const Allocation allocation = allocate(dataset);
    const Timetable result = sound(dataset, allocation, TimetableOptions{});
    CHECK_FALSE(result.cohorts.empty());
    CHECK(result == timetable(dataset, allocation, TimetableOptions{}));
    TimetableOptions rollout;
    rollout.phase = "rollout";
    rollout.class_min = 2;
    rollout.sessions_per_day = 2;
    (void)sound(dataset, allocation, rollout);
  }
}

TEST_CASE("verify accepts the timetables of 10,000 national trainees", "[timetable][quick]") {
  const Dataset dataset = indonesia(ScenarioOptions{.trainees = 10'000});
  const Allocation allocation = allocate(dataset);
  const Timetable result = sound(dataset, allocation, TimetableOptions{});
  SECTION("under other options") {
    TimetableOptions options;
    options.class_min = 3;
    (void)sound(dataset, allocation, options);
    options.sessions_per_day = 2;
    options.teaching_hours_per_week = 20;
    (void)sound(dataset, allocation, options);
    options.session_jp = 8;
    options.working_days = {1, 2, 3, 4, 5, 6};
    options.class_max = 12;
    (void)sound(dataset, allocation, options);
    options.phase = "rollout";
    options.sessions_per_day = 1;
    options.holidays = std::vector<Date>{};
    (void)sound(dataset, allocation, options);
  }
  CHECK(result == timetable(dataset, allocation, TimetableOptions{}));
  const auto complete = std::count(result.complete.begin(), result.complete.end(), true);
  CHECK(complete > 0);
  CHECK(complete <= allocation.objective.placed);

  const Uuid name_space = Uuid::parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  const Roster roster = timetable_roster(dataset, result, name_space);
  // Only the fully timetabled are registered.
  CHECK(roster.registration_count() == static_cast<std::size_t>(complete));
  CHECK(roster.cohorts().size() == result.cohorts.size());
}

TEST_CASE("verify catches each kind of defect", "[timetable][quick]") {
  const Dataset dataset = world(25, blk_a(2, 20));
  const Allocation sound_allocation = placed(dataset);
  const Timetable base = sound(dataset, sound_allocation, fortnight());
  // base: M-1/1 room 0 and M-1/2 room 1 on the 8th and 9th, M-1/3 room 0 on the 12th and
  // 15th; M-2/1 room 1 on the 12th and 15th, M-2/2 and M-2/3 on the 16th and 17th.
  const auto m = [](Timetable& t, std::size_t c) -> ScheduledCohort& { return t.cohorts.at(c); };

  struct Defect {
    const char* name;
    std::function<void(Timetable&, Allocation&)> corrupt;
    const char* where;
    const char* field;
    const char* message;
  };
  const std::vector<Defect> defects{
      {"a room booked twice on a day", [&](Timetable& t, Allocation&) { m(t, 1).room = 0; },
       "cohort BLK-A/M-1/2", "room", "2 classes on one day, at most 1"},
      {"a room over its weekly hours",
       [](Timetable& t, Allocation&) { t.options.teaching_hours_per_week = 6; },
       "cohort BLK-A/M-1/1", "room", "12 JP in one week, at most 6"},
      {"a class above its maximum",
       [&](Timetable& t, Allocation&) {
         m(t, 0).trainees = trainees(0, 11);
         m(t, 1).trainees = trainees(11, 17);
       },
       "cohort BLK-A/M-1/1", "trainees", "above the class maximum 10"},
      {"a class below its minimum", [](Timetable& t, Allocation&) { t.options.class_min = 9; },
       "cohort BLK-A/M-1/2", "trainees", "below the class minimum 9"},
      {"a session outside the window",
       [&](Timetable& t, Allocation&) { m(t, 5).sessions[1] = day("2027-03-22"); },
       "cohort BLK-A/M-2/3", "sessions", "outside the window"},
      {"a session on a holiday",
       [](Timetable& t, Allocation&) {
         t.options.holidays = days({"2027-03-09"});
         t.holidays = days({"2027-03-09"});
       },
       "cohort BLK-A/M-1/1", "sessions", "a public holiday"},
      {"a session on a non-working day",
       [&](Timetable& t, Allocation&) { m(t, 3).sessions[1] = day("2027-03-13"); },
       "cohort BLK-A/M-2/1", "sessions", "not a working day"},
      {"the wrong number of sessions",
       [&](Timetable& t, Allocation&) { m(t, 5).sessions.pop_back(); }, "cohort BLK-A/M-2/3",
       "sessions", "take 2 sessions"},
      {"a cohort without sessions", [&](Timetable& t, Allocation&) { m(t, 5).sessions.clear(); },
       "cohort BLK-A/M-2/3", "sessions", "take 2 sessions"},
      {"a trainee away from their facility", [](Timetable&, Allocation& a) { a.facility[3] = 1; },
       "cohort BLK-A/M-1/1", "trainees", "allocated to another facility"},
      {"a trainee twice for one module",
       [&](Timetable& t, Allocation&) { m(t, 1).trainees.push_back(TraineeIndex(20)); },
       "cohort BLK-A/M-1/3", "trainees", "for the same module"},
      {"a module the facility cannot host",
       [&](Timetable& t, Allocation&) { m(t, 5).module = ModuleIndex(3); }, "cohort BLK-A/M-2/3",
       "module", "the facility cannot host it"},
      {"a module the track does not require",
       [&](Timetable& t, Allocation&) { m(t, 5).module = ModuleIndex(2); }, "cohort BLK-A/M-2/3",
       "trainees", "their track does not require M-N"},
      {"a module starting before its prerequisite ends",
       [&](Timetable& t, Allocation&) {
         m(t, 2).sessions = days({"2027-03-12", "2027-03-16"});
       },
       "cohort BLK-A/M-2/3", "sessions", "starts before M-1 ends"},
      {"two sessions of one trainee on one day",
       [&](Timetable& t, Allocation&) { m(t, 3).trainees.push_back(TraineeIndex(20)); },
       "cohort BLK-A/M-2/1", "sessions", "also has a session of cohort BLK-A/M-1/3"},
      {"a wrong completeness flag", [](Timetable& t, Allocation&) { t.complete[4] = false; },
       "trainee T-104", "complete", "every module of the track is scheduled"},
      {"a module neither scheduled nor reported",
       [&](Timetable& t, Allocation&) {
         m(t, 3).trainees.erase(m(t, 3).trainees.begin());
         t.complete[0] = false;
       },
       "trainee T-100", "unscheduled", "neither scheduled nor reported"},
      {"a trainee reported unscheduled in a module they have",
       [](Timetable& t, Allocation&) {
         t.unscheduled.push_back(
             {FacilityIndex(0), ModuleIndex(0), trainees(0, 1), UnscheduledReason::window, ""});
       },
       "unscheduled BLK-A/M-1", "trainees", "scheduled in this module after all"},
      {"a window the options do not call for",
       [](Timetable& t, Allocation&) {
         t.window = DateRange(day("2027-03-08"), day("2027-03-28"));
       },
       "timetable", "window", "the options call for 2027-03-08 2027-03-21"},
  };
  for (const auto& defect : defects) {
    DYNAMIC_SECTION(defect.name) {
      Timetable broken = base;
      Allocation allocation = sound_allocation;
      defect.corrupt(broken, allocation);
      const auto problems = verify(dataset, allocation, broken);
      for (const auto& problem : problems) UNSCOPED_INFO(problem.to_string());
      CHECK(has(problems, defect.where, defect.field, defect.message));
    }
  }
}

TEST_CASE("timetable_roster registers every scheduled trainee in their cohorts",
          "[timetable][quick]") {
  const Dataset dataset = world(25, blk_a(2, 20));
  std::vector<std::int32_t> at(25, 0);
  at[24] = Allocation::kUnplaced;
  const Timetable result = sound(dataset, placed(dataset, at), fortnight());
  const Uuid name_space = Uuid::parse("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
  const Roster roster = timetable_roster(dataset, result, name_space);

  REQUIRE(roster.cohorts().size() == result.cohorts.size());
  for (std::size_t c = 0; c < result.cohorts.size(); ++c) {
    const Cohort& cohort = roster.cohorts()[c];
    CHECK(cohort.code == result.cohorts[c].code);
    CHECK(cohort.module == dataset.module(result.cohorts[c].module).code);
    CHECK(cohort.facility == "BLK-A");
    CHECK(cohort.sessions == result.cohorts[c].sessions);
    CHECK(cohort.deadline == std::optional<Date>(day("2027-03-21")));
  }
  REQUIRE(roster.registration_count() == 24);
  for (std::size_t r = 0; r < 24; ++r) {
    const Registration& registration = roster.registrations()[r];
    const std::string& id = dataset.trainees()[r].id;
    CHECK(registration.trainee == id);
    CHECK(registration.id == Uuid::v5(name_space, id).to_string());
    std::vector<std::string> expected;
    for (const auto& c : result.cohorts) {
      const TraineeIndex t(static_cast<std::uint32_t>(r));
      if (std::find(c.trainees.begin(), c.trainees.end(), t) != c.trainees.end()) {
        expected.push_back(c.code);
      }
    }
    CHECK(expected.size() == 2);
    CHECK(registration.cohorts == expected);
  }
  CHECK(timetable_roster(dataset, result, name_space) == roster);

  ScheduledCohort stranger = result.cohorts[0];
  stranger.trainees.push_back(TraineeIndex(99));
  Timetable broken = result;
  broken.cohorts.push_back(stranger);
  CHECK_THROWS_AS(timetable_roster(dataset, broken, name_space), ValidationError);
}

TEST_CASE("timetable_capacity counts places in the scheduler's units", "[timetable][quick]") {
  // Two rooms of 10 seats; the fortnight has 8 teaching days (3 in the first week, after
  // two holidays). The owners' track takes 2 + 2 sessions, the newcomers' 2 + 2 + 2.
  const Dataset dataset = world(3, blk_a(2, 20));
  const auto capacity = timetable_capacity(dataset, fortnight());
  REQUIRE(capacity.size() == 2);
  CHECK(capacity[0].places == 2 * (8 / 6) * 10);  // whole classes of the longest track
  CHECK(capacity[0].most == 2 * 8 * 10 / 4);      // every session on the shortest track

  SECTION("a room below the class minimum, or a track longer than the window, has none") {
    TimetableOptions options = fortnight();
    options.class_min = 11;
    CHECK(timetable_capacity(dataset, options)[0] == TimetableCapacity{});
    options = fortnight();
    options.weeks = 1;  // 3 teaching days, fewer than either track's sessions
    CHECK(timetable_capacity(dataset, options)[0] == TimetableCapacity{});
  }
  SECTION("the weekly teaching hours bound a room's sessions") {
    TimetableOptions options = fortnight();
    options.sessions_per_day = 2;
    options.teaching_hours_per_week = 24;  // four sessions of 6 JP a week
    CHECK(timetable_capacity(dataset, options)[0].most == 2 * (4 + 4) * 10 / 4);
  }
  CHECK_THROWS_AS(timetable_capacity(dataset, TimetableOptions{.weeks = 0}), ValidationError);
}

TEST_CASE("a module without a class blocks only the modules that depend on it",
          "[timetable][quick]") {
  // 3 newcomers among 12 trainees at one site, class minimum 4. The newcomers' own module
  // M-N comes first in the catalogue and has no class; M-1 and M-2 do not depend on it, so
  // the newcomers still take them (and missing it, they are not registered).
  using namespace balai::testing;
  Batch batch;
  batch.facilities = {blk_a(2, 40)};
  batch.modules = {make_module("M-N", {}, {Track::new_entrepreneur}), make_module("M-1"),
                   make_module("M-2", {"M-1"})};
  for (int t = 0; t < 12; ++t) {
    batch.trainees.push_back(make_trainee("T-" + std::to_string(100 + t)));
    if (t >= 9) batch.trainees.back().track = Track::new_entrepreneur;
  }
  batch.program = make_program();
  Dataset dataset;
  dataset.add(batch);
  TimetableOptions options = fortnight();
  options.class_min = 4;
  const Timetable result = sound(dataset, placed(dataset), options);
  REQUIRE(result.unscheduled.size() == 1);
  CHECK(result.unscheduled[0].reason == UnscheduledReason::class_too_small);
  CHECK(dataset.module(result.unscheduled[0].module).code == "M-N");
  REQUIRE(result.cohorts.size() == 2);
  for (const auto& cohort : result.cohorts) CHECK(cohort.trainees.size() == 12);
  CHECK(std::count(result.complete.begin(), result.complete.end(), true) == 9);
  const Roster roster =
      timetable_roster(dataset, result, Uuid::parse("6ba7b811-9dad-11d1-80b4-00c04fd430c8"));
  CHECK(roster.registration_count() == 9);
}
