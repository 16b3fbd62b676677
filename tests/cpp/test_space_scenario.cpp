// The shared-space scenario: resources by kind of facility within their documented
// ranges, capacity lowered by holidays and inactivity, determinism, and national request
// streams that check, stay in the window and keep the configured shares.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/timetable/timetable.hpp"
#include "balai/scenario/builder.hpp"
#include "balai/scenario/indonesia.hpp"
#include "balai/scenario/space.hpp"
#include "fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

Date day(const char* text) { return Date::parse(text); }

Facility facility(std::string id, FacilityKind kind, std::vector<std::string> features) {
  Facility result = make_facility(std::move(id), std::move(features));
  result.kind = kind;
  if (kind == FacilityKind::uptp) result.owner = OwnerLevel::central;
  if (kind == FacilityKind::blk_komunitas) {
    result.owner = OwnerLevel::community;
    result.grade = BlkGrade::tumbuh;
  }
  return result;
}

Dataset facilities_only(std::vector<Facility> facilities, int trainees = 0) {
  Batch batch;
  batch.facilities = std::move(facilities);
  batch.modules = {make_module("M-1")};
  for (int t = 0; t < trainees; ++t)
    batch.trainees.push_back(make_trainee("T-" + std::to_string(t)));
  batch.program = make_program();
  return Dataset(make_regencies(), std::move(batch));
}

// One facility of every kind, with features chosen to show which become workshops.
Dataset every_kind() {
  using K = FacilityKind;
  return facilities_only({
      facility("UPTP", K::uptp, {"classroom", "computer_lab", "dormitory", "kitchen", "welding"}),
      facility("BLKK", K::blk_komunitas, {"classroom", "sewing"}),
      facility("PLUT", K::plut,
               {"business_clinic", "computer_lab", "consultation_room", "showroom"}),
      facility("RPB-DAIRY", K::rpb, {"cold_storage", "dairy_processing", "production_floor"}),
      facility("RPB-WOOD", K::rpb, {"craft_workshop", "production_floor", "woodworking"}),
      facility("RPB-OIL", K::rpb, {"agro_processing", "distillery", "production_floor"}),
      facility("RPB-JAMU", K::rpb, {"agro_processing", "herbal_processing", "production_floor"}),
      facility("UPTD", K::uptd, {"classroom", "beauty_salon"}),
  });
}

using Key = std::tuple<std::uint32_t, ResourceKind, std::string>;

std::vector<Key> keys(const SpaceInventory& inventory) {
  std::vector<Key> list;
  for (const auto& r : inventory.resources) list.emplace_back(r.site, r.kind, r.label);
  return list;
}

// base x days / 5, rounded half up, as the generator documents.
int scaled(int base, int days) { return (2 * base * days + 5) / 10; }

void require_checks(const std::vector<Problem>& problems) {
  for (const auto& problem : problems) UNSCOPED_INFO(problem.to_string());
  REQUIRE(problems.empty());
}

std::string field_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const ValidationError& error) {
    return error.problems().at(0).field;
  }
  return "no error";
}

}  // namespace

TEST_CASE("each kind of facility offers its documented resources", "[space-scenario][quick]") {
  const Dataset dataset = every_kind();
  SpaceScenarioOptions options;
  options.holidays = std::vector<Date>{};
  const SpaceInventory inventory = scenario_inventory(dataset, day("2027-01-04"), 4, options);
  require_checks(check(inventory));
  CHECK(inventory.sites.size() == 8);

  using R = ResourceKind;
  CHECK(keys(inventory) == std::vector<Key>{
                               {0, R::workshop, "computer_lab"},
                               {0, R::workshop, "kitchen"},
                               {0, R::workshop, "welding"},
                               {0, R::storage, ""},
                               {1, R::workshop, "sewing"},
                               {1, R::storage, ""},
                               {2, R::mentoring, ""},
                               {2, R::display, ""},
                               {3, R::workshop, "dairy_processing"},
                               {3, R::production, "10"},
                               {3, R::storage, ""},
                               {4, R::workshop, "craft_workshop"},
                               {4, R::workshop, "woodworking"},
                               {4, R::production, "31"},
                               {4, R::storage, ""},
                               {5, R::workshop, "agro_processing"},
                               {5, R::workshop, "distillery"},
                               {5, R::production, "20"},
                               {5, R::storage, ""},
                               {6, R::workshop, "agro_processing"},
                               {6, R::workshop, "herbal_processing"},
                               {6, R::production, "21"},
                               {6, R::storage, ""},
                               {7, R::workshop, "beauty_salon"},
                               {7, R::storage, ""},
                           });

  // Without holidays every week has the base capacity, inside the documented range.
  for (const auto& r : inventory.resources) {
    const FacilityKind kind = inventory.sites[r.site].kind;
    const int base = r.capacity[0];
    CHECK(std::all_of(r.capacity.begin(), r.capacity.end(), [&](int c) { return c == base; }));
    CHECK(r.training.empty());
    int low = 0;
    int high = 0;
    switch (r.kind) {
      case R::workshop:
        low = kind == FacilityKind::blk_komunitas ? 20 : kind == FacilityKind::rpb ? 40 : 35;
        high = kind == FacilityKind::blk_komunitas ? 30 : kind == FacilityKind::rpb ? 50 : 45;
        break;
      case R::mentoring:
        low = 60;
        high = 120;
        // Consultants of 20 hours each, unless the rooms need more.
        CHECK((base % 20 == 0 || base == 23 * dataset.facilities()[r.site].rooms));
        break;
      case R::production:
        low = 10;
        high = 30;
        break;
      case R::storage:
        low = kind == FacilityKind::uptp   ? 100
              : kind == FacilityKind::uptd ? 50
              : kind == FacilityKind::rpb  ? 50
                                           : 10;
        high = kind == FacilityKind::uptp   ? 300
               : kind == FacilityKind::uptd ? 150
               : kind == FacilityKind::rpb  ? 100
                                            : 30;
        break;
      case R::display:
        low = 30;
        high = 80;
        break;
    }
    // Workshops training uses and mentoring cover what the rooms teach: 23 h per room.
    const bool taught =
        std::any_of(dataset.modules().begin(), dataset.modules().end(), [&](const Module& module) {
          return std::ranges::find(module.required_features, r.label) !=
                 module.required_features.end();
        });
    if ((r.kind == R::workshop && taught) || r.kind == R::mentoring) {
      const int teaching = 23 * dataset.facilities()[r.site].rooms;
      low = std::max(low, teaching);
      high = std::max(high, teaching);
    }
    INFO("resource at " << inventory.sites[r.site].facility << " " << name_of(r.kind));
    CHECK(base >= low);
    CHECK(base <= high);
  }
}

TEST_CASE("holidays lower a week's capacity", "[space-scenario][quick]") {
  const Dataset dataset = tiny_scenario();
  // 2027: Idul Fitri on Wednesday 10 and Thursday 11 March (week 9 of the window) and Good
  // Friday on 26 March (week 11); 6 February and Easter fall on a weekend.
  const std::set<int> expected_weekday_holidays_weeks{9, 11};
  const SpaceInventory inventory = scenario_inventory(dataset, day("2027-01-04"), 13);
  require_checks(check(inventory));
  REQUIRE(!inventory.resources.empty());
  for (const auto& r : inventory.resources) {
    const int base = r.capacity[0];
    for (int w = 0; w < 13; ++w) {
      const int days = w == 9 ? 3 : w == 11 ? 4 : 5;
      CHECK(r.capacity[static_cast<std::size_t>(w)] == scaled(base, days));
    }
  }
  int weekday_holidays = 0;
  for (Date date : national_holidays(2027)) {
    if (date >= day("2027-01-04") && date <= day("2027-04-04") && date.weekday() <= 5) {
      CHECK(expected_weekday_holidays_weeks.count((date - day("2027-01-04")) / 7) == 1);
      ++weekday_holidays;
    }
  }
  CHECK(weekday_holidays == 3);

  SECTION("the caller's own holidays replace the embedded list") {
    SpaceScenarioOptions options;
    options.holidays = std::vector<Date>{day("2027-01-05"), day("2027-01-09")};  // Tue, Sat
    const SpaceInventory own = scenario_inventory(dataset, day("2027-01-04"), 13, options);
    REQUIRE(keys(own) == keys(inventory));
    for (std::size_t r = 0; r < own.resources.size(); ++r) {
      const auto& capacity = own.resources[r].capacity;
      const int base = inventory.resources[r].capacity[0];  // the same draws
      CHECK(capacity[0] == scaled(base, 4));
      CHECK(std::all_of(capacity.begin() + 1, capacity.end(), [&](int c) { return c == base; }));
    }
  }
}

TEST_CASE("a facility has no capacity while it is inactive", "[space-scenario][quick]") {
  Facility part = facility("BLK-PART", FacilityKind::uptd, {"classroom", "kitchen"});
  part.active = DateRange(day("2027-01-13"), day("2027-01-28"));  // Wednesday to Thursday
  Facility gone = facility("BLK-GONE", FacilityKind::uptd, {"classroom", "welding"});
  gone.active = DateRange(day("2026-01-01"), day("2026-12-31"));
  const Dataset dataset = facilities_only({part, gone}, 5);
  SpaceScenarioOptions options;
  options.holidays = std::vector<Date>{};
  const SpaceInventory inventory = scenario_inventory(dataset, day("2027-01-04"), 5, options);
  require_checks(check(inventory));
  REQUIRE(inventory.resources.size() == 4);

  for (std::size_t r = 0; r < 2; ++r) {
    const auto& capacity = inventory.resources[r].capacity;
    const int base = capacity[2];  // the one full week
    INFO("resource " << r);
    CHECK(capacity == std::vector<int>{0, scaled(base, 3), base, scaled(base, 4), 0});
    CHECK(base > 0);
  }
  for (std::size_t r = 2; r < 4; ++r) {
    CHECK(inventory.resources[r].capacity == std::vector<int>(5, 0));
  }
  // Nobody asks for what only an inactive facility has.
  options.requests = 500;
  for (const auto& request : scenario_requests(dataset, inventory, options)) {
    CHECK(request.label != "welding");
  }
}

TEST_CASE("the space scenario is deterministic", "[space-scenario][quick]") {
  const Dataset dataset = tiny_scenario();
  SpaceScenarioOptions options;
  options.requests = 1'000;
  const SpaceInventory inventory = scenario_inventory(dataset, day("2027-01-04"), 13, options);
  CHECK(scenario_inventory(dataset, day("2027-01-04"), 13, options) == inventory);
  const auto requests = scenario_requests(dataset, inventory, options);
  CHECK(scenario_requests(dataset, inventory, options) == requests);

  // Each request has its own stream: a shorter stream is a prefix of a longer one.
  SpaceScenarioOptions fewer = options;
  fewer.requests = 100;
  const auto first = scenario_requests(dataset, inventory, fewer);
  CHECK(std::equal(first.begin(), first.end(), requests.begin()));

  SpaceScenarioOptions other = options;
  other.seed = options.seed + 1;
  CHECK(scenario_inventory(dataset, day("2027-01-04"), 13, other) != inventory);
  CHECK(scenario_requests(dataset, inventory, other) != requests);
}

TEST_CASE("national requests check, stay in the window and keep their shares",
          "[space-scenario][quick]") {
  const Dataset dataset = indonesia(ScenarioOptions{.trainees = 2000});
  SpaceScenarioOptions options;
  const int weeks = 13;
  const SpaceInventory inventory = scenario_inventory(dataset, day("2027-01-04"), weeks, options);
  require_checks(check(inventory));
  REQUIRE(inventory.sites.size() == dataset.facilities().size());

  // The six production houses' sectors, read from their features.
  std::map<std::string, std::string> sectors;
  std::set<std::pair<ResourceKind, std::string>> offered;
  for (const auto& r : inventory.resources) {
    offered.emplace(r.kind, r.label);
    if (r.kind == ResourceKind::production) sectors[inventory.sites[r.site].facility] = r.label;
  }
  CHECK(sectors == std::map<std::string, std::string>{{"RPB-11-0001", "20"},
                                                      {"RPB-33-0001", "31"},
                                                      {"RPB-34-0001", "10"},
                                                      {"RPB-53-0001", "10"},
                                                      {"RPB-64-0001", "21"},
                                                      {"RPB-71-0001", "10"}});

  const auto requests = scenario_requests(dataset, inventory, options);
  REQUIRE(requests.size() == 20'000);
  const std::array<std::pair<int, int>, 5> amounts{{{4, 16}, {1, 4}, {1, 3}, {2, 20}, {1, 6}}};
  std::array<int, 5> by_kind{};
  int graduates = 0;
  int splittable = 0;
  std::vector<const SpaceRequest*> others;
  for (std::size_t n = 0; n < requests.size(); ++n) {
    const SpaceRequest& request = requests[n];
    INFO(request.id);
    const auto problems = check(request);
    CHECK(problems.empty());
    CHECK(request.id ==
          "UMKM-REQ-" + std::string(6 - std::to_string(n + 1).size(), '0') + std::to_string(n + 1));
    CHECK(request.weeks >= 1);
    CHECK(request.weeks <= 8);
    CHECK(request.first_week + request.weeks <= weeks);
    CHECK(request.max_distance_km >= 10.0);
    CHECK(request.max_distance_km <= 50.0);
    CHECK(request.priority <= 3);
    CHECK(offered.count({request.kind, request.label}) == 1);
    const auto kind = static_cast<std::size_t>(request.kind);
    ++by_kind[kind];
    CHECK(request.amount >= amounts[kind].first);
    CHECK(request.amount <= amounts[kind].second);
    splittable += request.splittable ? 1 : 0;
    if (request.graduate) {
      ++graduates;
      REQUIRE(request.business.rfind("UMKM-", 0) == 0);
      const auto t = dataset.trainee_ids().find(request.business.substr(5));
      REQUIRE(t);
      const Trainee& trainee = dataset.trainee(*t);
      CHECK(trainee.track == Track::umkm_owner);
      CHECK(request.location == trainee.location);
      CHECK(request.province == trainee.province);
    } else {
      CHECK(request.business == "UMKM-X-" + std::to_string(n + 1));
      others.push_back(&request);
    }
  }
  const auto share = [&](int count) { return count / static_cast<double>(requests.size()); };
  CHECK(std::abs(share(graduates) - 0.3) <= 0.03);
  CHECK(std::abs(share(splittable) - 0.5) <= 0.03);
  const std::array<double, 5> mix{0.45, 0.20, 0.10, 0.15, 0.10};
  for (std::size_t k = 0; k < mix.size(); ++k) {
    INFO(name_of(static_cast<ResourceKind>(k)));
    CHECK(std::abs(share(by_kind[k]) - mix[k]) <= 0.03);
  }
  // Other UMKM live within 5 km of a trainee of their province (the first 300, by brute
  // force).
  for (std::size_t i = 0; i < std::min<std::size_t>(others.size(), 300); ++i) {
    const SpaceRequest& request = *others[i];
    const bool near = std::any_of(dataset.trainees().begin(), dataset.trainees().end(),
                                  [&](const Trainee& trainee) {
                                    return trainee.province == request.province &&
                                           haversine_km(trainee.location, request.location) <= 5.01;
                                  });
    INFO(request.id);
    CHECK(near);
  }
}

TEST_CASE("without trainees, requests come from facilities' places", "[space-scenario][quick]") {
  const Dataset dataset = every_kind();
  SpaceScenarioOptions options;
  options.requests = 300;
  const SpaceInventory inventory = scenario_inventory(dataset, day("2027-01-04"), 4, options);
  for (const auto& request : scenario_requests(dataset, inventory, options)) {
    CHECK(!request.graduate);
    CHECK(std::any_of(inventory.sites.begin(), inventory.sites.end(), [&](const SpaceSite& site) {
      return site.location == request.location && site.province == request.province;
    }));
  }
}

TEST_CASE("bad space scenario options are named", "[space-scenario][quick][bad-input]") {
  CHECK(check(SpaceScenarioOptions{}).empty());
  const auto option_field = [](auto change) {
    SpaceScenarioOptions options;
    change(options);
    const auto problems = check(options);
    REQUIRE(problems.size() == 1);
    return problems[0].field;
  };
  CHECK(option_field([](auto& o) { o.requests = -1; }) == "requests");
  CHECK(option_field([](auto& o) { o.requests = kMaxScenarioRequests + 1; }) == "requests");
  CHECK(option_field([](auto& o) { o.graduate_share = -0.1; }) == "graduate_share");
  CHECK(option_field([](auto& o) { o.graduate_share = std::nan(""); }) == "graduate_share");
  CHECK(option_field([](auto& o) { o.splittable_share = 1.5; }) == "splittable_share");

  const Dataset dataset = tiny_scenario();
  SpaceScenarioOptions bad;
  bad.graduate_share = 2.0;
  CHECK(field_of([&] { (void)scenario_inventory(dataset, day("2027-01-04"), 13, bad); }) ==
        "graduate_share");
  CHECK(field_of([&] { (void)scenario_inventory(dataset, day("2027-01-05"), 13); }) == "start");
  CHECK(field_of([&] { (void)scenario_inventory(dataset, day("2027-01-04"), 0); }) == "weeks");
  const SpaceInventory inventory = scenario_inventory(dataset, day("2027-01-04"), 13);
  CHECK(field_of([&] { (void)scenario_requests(dataset, inventory, bad); }) == "graduate_share");

  SpaceInventory broken = inventory;
  broken.resources[0].capacity.pop_back();
  CHECK(field_of([&] { (void)scenario_requests(dataset, broken, {}); }) == "capacity");

  SpaceInventory bare = inventory;
  bare.resources.clear();
  CHECK(field_of([&] { (void)scenario_requests(dataset, bare, {}); }) == "resources");
  SpaceScenarioOptions none;
  none.requests = 0;
  CHECK(scenario_requests(dataset, bare, none).empty());
}

namespace balai {

// The national timetable teaches the computer-lab modules in many rooms at once; the
// scenario's labs must still hold it (with_training refuses training above capacity).
TEST_CASE("the scenario's resources hold the national timetable's training",
          "[space-scenario][quick]") {
  const Dataset dataset = indonesia(ScenarioOptions{.trainees = 10'000});
  const Timetable table = timetable(dataset, allocate(dataset));
  REQUIRE(!table.cohorts.empty());
  const SpaceInventory inventory =
      with_training(scenario_inventory(dataset, table.window.first(), 13), dataset, table);
  std::int64_t lab_training = 0;
  for (const auto& resource : inventory.resources) {
    for (std::size_t w = 0; w < resource.training.size(); ++w) {
      CHECK(resource.training[w] <= resource.capacity[w]);
      if (resource.label == "computer_lab") lab_training += resource.training[w];
    }
  }
  CHECK(lab_training > 0);
  CHECK(check(inventory).empty());
}

}  // namespace balai
