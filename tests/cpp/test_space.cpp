// The shared-space model: the rules of check() for inventories and requests one by one,
// verify() and utilisation() on hand-made bookings with hand-computed numbers, and the
// training a small timetable puts on a workshop and on mentor hours.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "balai/core/text.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/space/space.hpp"
#include "balai/planning/timetable/timetable.hpp"
#include "fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

Date day(const char* text) { return Date::parse(text); }

// Two sites over four weeks from Monday 4 January 2027: BLK-A with a kitchen (40 h a
// week, 10 of them training in week 1) and mentor hours, BLK-B with storage.
SpaceInventory two_sites() {
  SpaceInventory inventory;
  inventory.start = day("2027-01-04");
  inventory.weeks = 4;
  inventory.sites = {SpaceSite{"BLK-A", FacilityKind::uptd, GeoPoint(-6.9, 107.6), 32},
                     SpaceSite{"BLK-B", FacilityKind::blk_komunitas, GeoPoint(-7.0, 107.5), 32}};
  inventory.resources = {
      Resource{0, ResourceKind::workshop, "kitchen", {40, 40, 40, 32}, {0, 10, 0, 0}},
      Resource{0, ResourceKind::mentoring, "", {60, 60, 60, 60}, {}},
      Resource{1, ResourceKind::storage, "", {100, 100, 0, 100}, {}},
  };
  return inventory;
}

SpaceRequest a_request() {
  SpaceRequest request;
  request.id = "UMKM-REQ-000001";
  request.business = "UMKM-T-100";
  request.kind = ResourceKind::workshop;
  request.label = "kitchen";
  request.amount = 8;
  request.first_week = 0;
  request.weeks = 2;
  request.location = GeoPoint(-6.9, 107.6);
  request.province = 32;
  return request;
}

Booking booking(std::string id, std::uint32_t resource, int first_week, int weeks, int amount) {
  return Booking{std::move(id), "R", resource, first_week, weeks, amount, 1.0};
}

bool has(const std::vector<Problem>& problems, const std::string& where, const std::string& field) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const Problem& p) { return p.where == where && p.field == field; });
}

void show(const std::vector<Problem>& problems) {
  for (const auto& problem : problems) UNSCOPED_INFO(problem.to_string());
}

// The single problem of `problems`, which must be about `field`.
Problem only(const std::vector<Problem>& problems, const std::string& field) {
  show(problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].field == field);
  return problems[0];
}

}  // namespace

TEST_CASE("units, weeks of the window and free capacity", "[space][quick]") {
  CHECK(unit_of(ResourceKind::workshop) == "hours");
  CHECK(unit_of(ResourceKind::mentoring) == "hours");
  CHECK(unit_of(ResourceKind::production) == "slots");
  CHECK(unit_of(ResourceKind::storage) == "m2");
  CHECK(unit_of(ResourceKind::display) == "m2");

  const SpaceInventory inventory = two_sites();
  CHECK(inventory.week_of(day("2027-01-03")) == std::nullopt);
  CHECK(inventory.week_of(day("2027-01-04")) == 0);
  CHECK(inventory.week_of(day("2027-01-10")) == 0);
  CHECK(inventory.week_of(day("2027-01-11")) == 1);
  CHECK(inventory.week_of(day("2027-01-31")) == 3);
  CHECK(inventory.week_of(day("2027-02-01")) == std::nullopt);

  CHECK(inventory.free(0, 0) == 40);
  CHECK(inventory.free(0, 1) == 30);  // training takes 10
  CHECK(inventory.free(0, 3) == 32);
  CHECK(inventory.free(1, 2) == 60);  // no training list
  CHECK(inventory.free(2, 2) == 0);
}

TEST_CASE("check accepts a sound inventory", "[space][quick]") {
  const auto problems = check(two_sites());
  show(problems);
  CHECK(problems.empty());
}

TEST_CASE("check names every broken rule of an inventory", "[space][quick][bad-input]") {
  SpaceInventory inventory = two_sites();
  const std::string kitchen = "resource 0 (BLK-A workshop:kitchen)";

  SECTION("a start that is not a Monday") {
    inventory.start = day("2027-01-05");
    CHECK(only(check(inventory), "start").where == "inventory");
  }
  SECTION("weeks out of range") {
    for (int weeks : {0, kMaxSpaceWeeks + 1}) {
      inventory.weeks = weeks;
      CHECK(has(check(inventory), "inventory", "weeks"));
    }
  }
  SECTION("a site without a facility id, or with a bad province") {
    inventory.sites[1].facility = "";
    inventory.sites[0].province = 99;
    const auto problems = check(inventory);
    CHECK(problems.size() == 2);
    CHECK(has(problems, "site 1", "facility"));
    CHECK(has(problems, "site 0", "province"));
  }
  SECTION("a site outside Indonesia") {
    inventory.sites[1].location = GeoPoint(6.9, 107.6);  // Bandung, the latitude flipped
    const Problem problem = only(check(inventory), "location");
    CHECK(problem.where == "site 1");
    CHECK(problem.value == "6.9, 107.6");
  }
  SECTION("a resource naming no site") {
    inventory.resources[2].site = 7;
    CHECK(only(check(inventory), "site").where == "resource 2 (site 7 storage)");
  }
  SECTION("a kind that is none of the five") {
    inventory.resources[1].kind = static_cast<ResourceKind>(9);
    CHECK(only(check(inventory), "kind").value == "9");
  }
  SECTION("labels must suit the kind") {
    for (const char* label : {"", "Kitchen", "dapur umum"}) {
      inventory.resources[0].label = label;
      CHECK(only(check(inventory), "label").value == label);
    }
    inventory = two_sites();
    inventory.resources[1].label = "consultant";
    CHECK(only(check(inventory), "label").where == "resource 1 (BLK-A mentoring:consultant)");
    inventory.resources[1].label = "";
    inventory.resources[2].label = "gudang";
    CHECK(only(check(inventory), "label").value == "gudang");
    inventory.resources[2].label = "";
    inventory.resources.push_back(Resource{1, ResourceKind::production, "10", {5, 5, 5, 5}, {}});
    CHECK(check(inventory).empty());
    for (const char* label : {"", "1", "101", "1a", "A1"}) {
      inventory.resources[3].label = label;
      CHECK(only(check(inventory), "label").value == label);
    }
  }
  SECTION("capacity and training lists of the wrong length") {
    inventory.resources[1].capacity.pop_back();
    inventory.resources[0].training.push_back(0);
    const auto problems = check(inventory);
    CHECK(problems.size() == 2);
    CHECK(has(problems, "resource 1 (BLK-A mentoring)", "capacity"));
    CHECK(has(problems, kitchen, "training"));
  }
  SECTION("negative or too large amounts, reported once per list") {
    inventory.resources[1].capacity = {-1, 60, -5, kMaxSpaceAmount + 1};
    const Problem problem = only(check(inventory), "capacity");
    CHECK(problem.value == "-1");
    CHECK(problem.message.find("week 0") != std::string::npos);
    CHECK(problem.message.find("2 more weeks") != std::string::npos);
    inventory = two_sites();
    inventory.resources[0].training = {0, -3, 0, 0};
    CHECK(only(check(inventory), "training").value == "-3");
  }
  SECTION("training above capacity") {
    inventory.resources[0].training = {0, 10, 41, 0};
    const Problem problem = only(check(inventory), "training");
    CHECK(problem.where == kitchen);
    CHECK(problem.value == "41");
    CHECK(problem.message.find("week 2") != std::string::npos);
    CHECK(problem.message.find("40") != std::string::npos);
  }
  SECTION("two resources for one site, kind and label") {
    inventory.resources.push_back(inventory.resources[0]);
    inventory.resources.push_back(Resource{0, ResourceKind::workshop, "sewing", {1, 1, 1, 1}, {}});
    inventory.resources.push_back(Resource{1, ResourceKind::workshop, "kitchen", {1, 1, 1, 1}, {}});
    CHECK(only(check(inventory), "label").where == "resource 3 (BLK-A workshop:kitchen)");
  }
}

TEST_CASE("space_sites takes the dataset's facilities in order", "[space][quick]") {
  Batch batch;
  batch.facilities = {make_facility("BLK-A"), make_facility("BLK-B", {"classroom", "kitchen"})};
  batch.facilities[1].kind = FacilityKind::plut;
  batch.facilities[1].province = 35;
  batch.facilities[1].regency = RegencyCode(3578);
  batch.facilities[1].location = GeoPoint(-7.25, 112.75);
  batch.modules = {make_module("M-1")};
  const Dataset dataset(make_regencies(), std::move(batch));

  const SpaceInventory inventory = space_sites(dataset, day("2027-01-04"), 13);
  CHECK(inventory.start == day("2027-01-04"));
  CHECK(inventory.weeks == 13);
  CHECK(inventory.resources.empty());
  REQUIRE(inventory.sites.size() == 2);
  CHECK(inventory.sites[0] ==
        SpaceSite{"BLK-A", FacilityKind::uptd, GeoPoint(-6.9217, 107.6060), 32});
  CHECK(inventory.sites[1] == SpaceSite{"BLK-B", FacilityKind::plut, GeoPoint(-7.25, 112.75), 35});
  CHECK(check(inventory).empty());

  SECTION("a bad window", "[bad-input]") {
    const auto field_of = [&](Date start, int weeks) {
      try {
        (void)space_sites(dataset, start, weeks);
      } catch (const ValidationError& error) {
        return error.problems().at(0).field;
      }
      return std::string("no error");
    };
    CHECK(field_of(day("2027-01-06"), 13) == "start");
    CHECK(field_of(day("2027-01-04"), 0) == "weeks");
    CHECK(field_of(day("2027-01-04"), kMaxSpaceWeeks + 1) == "weeks");
    CHECK(field_of(day("2027-01-04"), kMaxSpaceWeeks) == "no error");
  }
}

TEST_CASE("check names every broken rule of a request", "[space][quick][bad-input]") {
  SpaceRequest request = a_request();
  CHECK(check(request).empty());

  const auto field_of_one = [&](auto change) {
    SpaceRequest broken = a_request();
    change(broken);
    const auto problems = check(broken);
    show(problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].where == "request " + printable(broken.id, 64));
    return problems[0].field;
  };
  CHECK(field_of_one([](SpaceRequest& r) { r.id = ""; }) == "id");
  CHECK(field_of_one([](SpaceRequest& r) { r.id = "REQ\n1"; }) == "id");
  CHECK(field_of_one([](SpaceRequest& r) { r.id = std::string(65, 'x'); }) == "id");
  CHECK(field_of_one([](SpaceRequest& r) { r.business = ""; }) == "business");
  CHECK(field_of_one([](SpaceRequest& r) { r.priority = -1; }) == "priority");
  CHECK(field_of_one([](SpaceRequest& r) { r.priority = kMaxSpacePriority + 1; }) == "priority");
  CHECK(field_of_one([](SpaceRequest& r) { r.kind = static_cast<ResourceKind>(5); }) == "kind");
  CHECK(field_of_one([](SpaceRequest& r) { r.label = ""; }) == "label");
  CHECK(field_of_one([](SpaceRequest& r) {
          r.kind = ResourceKind::production;
          r.label = "kitchen";
        }) == "label");
  CHECK(field_of_one([](SpaceRequest& r) { r.kind = ResourceKind::display; }) == "label");
  CHECK(field_of_one([](SpaceRequest& r) { r.amount = 0; }) == "amount");
  CHECK(field_of_one([](SpaceRequest& r) { r.amount = kMaxSpaceAmount + 1; }) == "amount");
  CHECK(field_of_one([](SpaceRequest& r) { r.first_week = -1; }) == "first_week");
  CHECK(field_of_one([](SpaceRequest& r) { r.weeks = 0; }) == "weeks");
  CHECK(field_of_one([](SpaceRequest& r) { r.max_distance_km = 0.0; }) == "max_distance_km");
  CHECK(field_of_one([](SpaceRequest& r) {
          r.max_distance_km = std::numeric_limits<double>::quiet_NaN();
        }) == "max_distance_km");
  CHECK(field_of_one([](SpaceRequest& r) {
          r.max_distance_km = std::numeric_limits<double>::infinity();
        }) == "max_distance_km");
  CHECK(field_of_one([](SpaceRequest& r) { r.province = 10; }) == "province");
  // Personal data (issue 17, part 3): a NIK as the request's or the business's id.
  CHECK(field_of_one([](SpaceRequest& r) { r.business = "3273015203880001"; }) == "business");
  {
    SpaceRequest broken = a_request();
    broken.id = "REQ-3273015203880001";
    const auto problems = check(broken);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].field == "id");
    CHECK(problems[0].to_string().find("3273015203880001") == std::string::npos);
    CHECK(problems[0].to_string().find("3273********0001") != std::string::npos);
  }
  // Places outside Indonesia (issue 17, part 8): London, Bandung with the latitude flipped.
  CHECK(field_of_one([](SpaceRequest& r) { r.location = GeoPoint(51.5074, -0.1278); }) ==
        "location");
  CHECK(field_of_one([](SpaceRequest& r) { r.location = GeoPoint(6.9, 107.6); }) == "location");

  request.kind = ResourceKind::mentoring;
  request.label = "";
  request.priority = kMaxSpacePriority;
  request.amount = kMaxSpaceAmount;
  CHECK(check(request).empty());
}

TEST_CASE("verify accepts bookings that fit what training leaves", "[space][quick]") {
  const SpaceInventory inventory = two_sites();
  // Kitchen week 1: 30 free, booked 20 + 10; storage weeks 0-1 full, none in week 2.
  const std::vector<Booking> bookings{booking("R1/1", 0, 0, 2, 20), booking("R2/1", 0, 1, 3, 10),
                                      booking("R3/1", 2, 0, 2, 100), booking("R4/1", 2, 3, 1, 1)};
  const auto problems = verify(inventory, bookings);
  show(problems);
  CHECK(problems.empty());
  CHECK(verify(inventory, {}).empty());
}

TEST_CASE("verify finds over-booked weeks with their numbers", "[space][quick][bad-input]") {
  const SpaceInventory inventory = two_sites();
  // Kitchen: 21 + 12 = 33 booked in weeks 1-3, where 30, 40 and 32 are free. Storage:
  // 1 m2 in week 2, which has none.
  const std::vector<Booking> bookings{booking("R1/1", 0, 0, 4, 21), booking("R2/1", 0, 1, 3, 12),
                                      booking("R3/1", 2, 2, 1, 1), booking("R4/1", 2, 0, 2, 100)};
  const auto problems = verify(inventory, bookings);
  show(problems);
  const std::string kitchen = "resource 0 (BLK-A workshop:kitchen)";
  CHECK(problems == std::vector<Problem>{
                        {kitchen, "week", "1", "booked 33 hours, 30 free"},
                        {kitchen, "week", "3", "booked 33 hours, 32 free"},
                        {"resource 2 (BLK-B storage)", "week", "2", "booked 1 m2, 0 free"},
                    });
}

TEST_CASE("verify names bad bookings", "[space][quick][bad-input]") {
  const SpaceInventory inventory = two_sites();
  const auto problems_of = [&](std::vector<Booking> bookings) {
    const auto problems = verify(inventory, bookings);
    show(problems);
    return problems;
  };
  SECTION("empty and duplicate ids") {
    const auto problems = problems_of(
        {booking("R1/1", 1, 0, 1, 1), booking("", 1, 0, 1, 1), booking("R1/1", 1, 1, 1, 1)});
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] == Problem{"booking #1", "id", "", "must not be empty"});
    CHECK(problems[1].where == "booking R1/1");
    CHECK(problems[1].field == "id");
    CHECK(problems[1].message.find("booking #0") != std::string::npos);
  }
  SECTION("an unknown resource") {
    CHECK(only(problems_of({booking("R1/1", 3, 0, 1, 1)}), "resource").value == "3");
  }
  SECTION("weeks outside the window") {
    CHECK(only(problems_of({booking("R1/1", 1, -1, 2, 1)}), "first_week").value == "-1");
    CHECK(only(problems_of({booking("R1/1", 1, 4, 1, 1)}), "first_week").value == "4");
    CHECK(only(problems_of({booking("R1/1", 1, 2, 3, 1)}), "weeks").value == "3");
    CHECK(only(problems_of({booking("R1/1", 1, 2, 0, 1)}), "weeks").value == "0");
    CHECK(problems_of({booking("R1/1", 1, 2, 2, 1)}).empty());
  }
  SECTION("an amount below 1") {
    CHECK(only(problems_of({booking("R1/1", 1, 0, 1, 0)}), "amount").value == "0");
  }
  SECTION("a distance that is not a finite number of km") {
    const auto with_distance = [&](double km) {
      Booking b = booking("R1/1", 1, 0, 1, 1);
      b.distance_km = km;
      return problems_of({b});
    };
    CHECK(only(with_distance(std::numeric_limits<double>::quiet_NaN()), "distance_km").value ==
          "nan");
    CHECK(only(with_distance(std::numeric_limits<double>::infinity()), "distance_km").value ==
          "inf");
    CHECK(only(with_distance(-0.5), "distance_km").value == "-0.5");
    CHECK(with_distance(0.0).empty());
  }
  SECTION("bad bookings take no capacity") {
    // The second booking has a bad amount; the first alone fits.
    CHECK(only(problems_of({booking("R1/1", 1, 0, 1, 60), booking("R2/1", 1, 0, 1, -5)}), "amount")
              .where == "booking R2/1");
  }
}

TEST_CASE("utilisation splits each week into training, shared use and idle", "[space][quick]") {
  const SpaceInventory inventory = two_sites();
  const std::vector<Booking> bookings{booking("R1/1", 0, 0, 2, 20), booking("R2/1", 0, 1, 3, 10),
                                      booking("R3/1", 2, 1, 1, 75)};
  const auto rows = utilisation(inventory, bookings);
  const std::vector<SpaceUse> expected{
      {0, 0, 40, 0, 20, 20},  {0, 1, 40, 10, 30, 0},  {0, 2, 40, 0, 10, 30}, {0, 3, 32, 0, 10, 22},
      {1, 0, 60, 0, 0, 60},   {1, 1, 60, 0, 0, 60},   {1, 2, 60, 0, 0, 60},  {1, 3, 60, 0, 0, 60},
      {2, 0, 100, 0, 0, 100}, {2, 1, 100, 0, 75, 25}, {2, 2, 0, 0, 0, 0},    {2, 3, 100, 0, 0, 100},
  };
  CHECK(rows == expected);

  SECTION("bookings that do not verify", "[bad-input]") {
    const std::vector<Booking> over{booking("R1/1", 0, 1, 1, 31)};
    try {
      (void)utilisation(inventory, over);
      FAIL("no error");
    } catch (const ValidationError& error) {
      CHECK(error.problems() == verify(inventory, over));
    }
  }
  SECTION("an inventory that does not check", "[bad-input]") {
    SpaceInventory broken = inventory;
    broken.resources[0].capacity.pop_back();
    CHECK_THROWS_AS(utilisation(broken, bookings), ValidationError);
  }
}

namespace {

// BLK-A (one room, a computer lab and a kitchen) and three trainees who take M-1 (18 JP,
// needs the computer lab) and then M-2 (8 JP, a classroom).
Dataset lab_world() {
  Batch batch;
  Facility a = make_facility("BLK-A", {"classroom", "computer_lab", "kitchen"});
  a.rooms = 1;
  a.seats = 20;
  batch.facilities = {std::move(a)};
  batch.modules = {make_module("M-1"), make_module("M-2", {"M-1"})};
  batch.modules[0].hours_jp = 18;
  batch.modules[0].required_features = {"classroom", "computer_lab"};
  batch.modules[1].hours_jp = 8;
  for (int t = 0; t < 3; ++t) batch.trainees.push_back(make_trainee("T-" + std::to_string(t)));
  batch.program = make_program();
  return Dataset(make_regencies(), std::move(batch));
}

Timetable lab_timetable(const Dataset& dataset) {
  TimetableOptions options;
  options.start = day("2027-03-01");
  options.weeks = 2;
  options.class_min = 2;
  options.holidays = std::vector<Date>{};
  const Allocation allocation = allocate(dataset);
  return timetable(dataset, allocation, options);
}

SpaceInventory lab_inventory(const Dataset& dataset, Date start, int weeks) {
  SpaceInventory inventory = space_sites(dataset, start, weeks);
  const std::vector<int> forty(static_cast<std::size_t>(weeks), 40);
  inventory.resources = {
      Resource{0, ResourceKind::workshop, "computer_lab", forty, {}},
      Resource{0, ResourceKind::workshop, "kitchen", forty, {}},
      Resource{0, ResourceKind::mentoring, "", forty, {}},
      Resource{0, ResourceKind::storage, "", forty, std::vector<int>(forty.size(), 5)},
  };
  return inventory;
}

}  // namespace

TEST_CASE("with_training counts the sessions that use each resource", "[space][quick]") {
  const Dataset dataset = lab_world();
  const Timetable table = lab_timetable(dataset);
  // M-1's three sessions, then M-2's two, all in the first week.
  REQUIRE(table.cohorts.size() == 2);
  REQUIRE(table.cohorts[0].sessions ==
          std::vector<Date>{day("2027-03-01"), day("2027-03-02"), day("2027-03-03")});
  REQUIRE(table.cohorts[1].sessions == std::vector<Date>{day("2027-03-04"), day("2027-03-05")});

  const SpaceInventory inventory =
      with_training(lab_inventory(dataset, day("2027-03-01"), 2), dataset, table);
  // The lab: 3 sessions x 6 JP x 45 min = 810 min, 13.5 h, rounded up. Mentor hours: all
  // five sessions, 1350 min = 22.5 h. The kitchen is never needed; storage never trains.
  CHECK(inventory.resources[0].training == std::vector<int>{14, 0});
  CHECK(inventory.resources[1].training == std::vector<int>{0, 0});
  CHECK(inventory.resources[2].training == std::vector<int>{23, 0});
  CHECK(inventory.resources[3].training.empty());
  CHECK(inventory.free(0, 0) == 26);
  CHECK(check(inventory).empty());

  SECTION("sessions outside the window are ignored") {
    const SpaceInventory later =
        with_training(lab_inventory(dataset, day("2027-03-08"), 1), dataset, table);
    CHECK(later.resources[0].training == std::vector<int>{0});
    CHECK(later.resources[2].training == std::vector<int>{0});
  }
  SECTION("training beyond capacity", "[bad-input]") {
    SpaceInventory small = lab_inventory(dataset, day("2027-03-01"), 2);
    small.resources[0].capacity = {13, 13};
    try {
      (void)with_training(small, dataset, table);
      FAIL("no error");
    } catch (const ValidationError& error) {
      const Problem problem = only(error.problems(), "training");
      CHECK(problem.where == "resource 0 (BLK-A workshop:computer_lab)");
      CHECK(problem.value == "14");
      CHECK(problem.message.find("week 0") != std::string::npos);
    }
  }
  SECTION("sites that are not the dataset's facilities", "[bad-input]") {
    SpaceInventory other = lab_inventory(dataset, day("2027-03-01"), 2);
    other.sites[0].facility = "BLK-Z";
    CHECK_THROWS_AS(with_training(other, dataset, table), ValidationError);
    other.sites.push_back(other.sites[0]);
    CHECK_THROWS_AS(with_training(other, dataset, table), ValidationError);
  }
}
