// allocate() on datasets: hand-made cases with known answers, the national scenario
// checked by the verifier, statuses, quotas, priorities, options and cancelling.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "balai/io/regions_csv.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/allocation/verify.hpp"
#include "balai/scenario/indonesia.hpp"
#include "fixtures.hpp"

using namespace balai;
using balai::testing::make_facility;
using balai::testing::make_module;
using balai::testing::make_program;
using balai::testing::make_regencies;
using balai::testing::make_trainee;

namespace {

Facility facility_at(std::string id, double lat, double lng) {
  Facility facility = make_facility(std::move(id));
  facility.location = GeoPoint(lat, lng);
  return facility;
}

Trainee trainee_at(std::string id, double lat, double lng) {
  Trainee trainee = make_trainee(std::move(id));
  trainee.location = GeoPoint(lat, lng);
  return trainee;
}

Dataset dataset_of(std::vector<Facility> facilities, std::vector<Trainee> trainees) {
  Dataset dataset(make_regencies());
  Batch batch;
  batch.facilities = std::move(facilities);
  batch.modules = {make_module("ENT-101")};
  batch.trainees = std::move(trainees);
  batch.program = make_program();
  dataset.add(std::move(batch));
  return dataset;
}

// Three trainees on a line of longitude 0.1 degrees (~11 km) apart, two one-place
// facilities: greedy in index order gives trainee 0 the middle facility and strands the
// far one's neighbour with a long trip; the optimum keeps both trips short.
Dataset line_dataset() {
  return dataset_of({facility_at("F-WEST", -6.9, 107.50), facility_at("F-EAST", -6.9, 107.70)},
                    {trainee_at("T-MID", -6.9, 107.61), trainee_at("T-WEST", -6.9, 107.50),
                     trainee_at("T-EAST", -6.9, 107.70)});
}

AllocationOptions with_capacity(std::vector<int> capacity) {
  AllocationOptions options;
  options.capacity = std::move(capacity);
  return options;
}

void require_verified(const Dataset& dataset, const AllocationOptions& options,
                      const Allocation& allocation) {
  const AllocationProblem problem = allocation_problem(dataset, options);
  AllocationSolution solution;
  solution.facility = allocation.facility;
  solution.cost = allocation.objective.cost;
  if (options.mode == AllocationMode::optimal) solution = solve_optimal(problem);
  REQUIRE(solution.facility == allocation.facility);
  const auto problems = verify(problem, solution);
  INFO((problems.empty() ? std::string() : problems.front().to_string()));
  REQUIRE(problems.empty());
}

const std::vector<Regency>& national_regencies() {
  static const auto regencies =
      read_regencies(std::string(BALAI_SHARED_DATA_DIR) + "/regencies.csv");
  return regencies;
}

}  // namespace

TEST_CASE("optimal allocation beats greedy nearest on a line", "[allocation][quick]") {
  const Dataset dataset = line_dataset();
  auto options = with_capacity({1, 1});
  const Allocation optimal = allocate(dataset, options);
  CHECK(optimal.facility == std::vector<std::int32_t>{Allocation::kUnplaced, 0, 1});
  CHECK(optimal.objective.placed == 2);
  CHECK(optimal.objective.distance_km == Approx(0.0).margin(1e-9));
  CHECK(optimal.status[0] == PlacementStatus::capacity);
  CHECK(optimal.load == std::vector<int>{1, 1});
  require_verified(dataset, options, optimal);

  options.mode = AllocationMode::nearest;
  const Allocation nearest = allocate(dataset, options);
  CHECK(nearest.facility == std::vector<std::int32_t>{1, 0, Allocation::kUnplaced});
  CHECK(nearest.objective.placed == 2);
  CHECK(nearest.objective.cost > optimal.objective.cost);
  require_verified(dataset, options, nearest);
}

TEST_CASE("unplaced trainees carry the reason", "[allocation][quick]") {
  auto far = trainee_at("T-FAR", -8.0, 110.0);  // ~300 km from Bandung
  auto dataset =
      dataset_of({facility_at("F-1", -6.9, 107.6)},
                 {trainee_at("T-1", -6.9, 107.6), trainee_at("T-2", -6.9, 107.61), std::move(far)});
  SECTION("out of range and capacity") {
    const Allocation allocation = allocate(dataset, with_capacity({1}));
    CHECK(allocation.status == std::vector{PlacementStatus::placed, PlacementStatus::capacity,
                                           PlacementStatus::out_of_range});
    CHECK(std::isnan(allocation.distance_km[2]));
    // The placed trainee's facility as the dataset's strong index; nothing for the others.
    const auto placed = allocation.facility_of(TraineeIndex(0));
    REQUIRE(placed.has_value());
    CHECK(dataset.facility(*placed).id == "F-1");
    CHECK_FALSE(allocation.facility_of(TraineeIndex(1)).has_value());
    CHECK_FALSE(allocation.facility_of(TraineeIndex(2)).has_value());
    CHECK_THROWS_AS(allocation.facility_of(TraineeIndex(3)), UnknownReferenceError);
  }
  SECTION("a province maximum") {
    auto options = with_capacity({5});
    options.quotas = {ProvinceQuota{.province = 32, .min_placed = 0, .max_placed = 1}};
    const Allocation allocation = allocate(dataset, options);
    CHECK(allocation.objective.placed == 1);
    CHECK(allocation.status[1] == PlacementStatus::quota);
    CHECK(allocation.provinces == std::vector{ProvinceCount{32, 1, 2}});
    require_verified(dataset, options, allocation);
  }
}

TEST_CASE("priority bonuses decide who gets a contested seat", "[allocation][quick]") {
  auto man = trainee_at("T-MAN", -6.9, 107.60);
  man.gender = Gender::male;
  auto woman = trainee_at("T-WOMAN", -6.9, 107.65);  // ~5.5 km further away
  const auto dataset = dataset_of({facility_at("F-1", -6.9, 107.6)}, {man, woman});
  auto options = with_capacity({1});
  CHECK(allocate(dataset, options).facility == std::vector<std::int32_t>{0, Allocation::kUnplaced});
  options.priority.female_km = 10.0;
  const Allocation favoured = allocate(dataset, options);
  CHECK(favoured.facility == std::vector<std::int32_t>{Allocation::kUnplaced, 0});
  require_verified(dataset, options, favoured);
}

TEST_CASE("quotas that cannot be met together name the provinces", "[allocation][quick]") {
  auto bandung = trainee_at("T-32", -6.9, 107.61);
  auto banten = trainee_at("T-36", -6.9, 107.62);
  banten.province = 36;
  banten.regency.reset();
  const auto dataset = dataset_of({facility_at("F-1", -6.9, 107.6)}, {bandung, banten});
  auto options = with_capacity({1});
  options.quotas = {ProvinceQuota{.province = 32, .min_placed = 1},
                    ProvinceQuota{.province = 36, .min_placed = 1}};
  REQUIRE_THROWS_AS(allocate(dataset, options), InfeasibleError);
  REQUIRE_THROWS_WITH(allocate(dataset, options), Catch::Contains("province 36 (Banten)"));

  options.quotas.pop_back();
  const Allocation allocation = allocate(dataset, options);  // one minimum alone can be met
  CHECK(allocation.facility == std::vector<std::int32_t>{0, Allocation::kUnplaced});
}

TEST_CASE("phase capacity follows seats, hours and the active window", "[allocation][quick]") {
  auto part_time = facility_at("F-PART", -6.9, 107.6);
  part_time.active = DateRange(Date(2027, 1, 4), Date(2027, 1, 31));  // 28 of 91 pilot days
  const auto dataset = dataset_of({facility_at("F-FULL", -6.9, 107.6), part_time}, {});
  const auto capacity = phase_capacity(dataset, AllocationOptions{});
  // 80 seats * 30 JP a week * 91 days / (7 days * 16 JP for the one module)
  CHECK(capacity == std::vector<int>{80 * 30 * 91 / (7 * 16), 80 * 30 * 28 / (7 * 16)});
}

TEST_CASE("bad allocation options are refused with the field named",
          "[allocation][quick][bad-input]") {
  const Dataset dataset = line_dataset();
  const auto refuses = [&](AllocationOptions options, const std::string& field) {
    INFO(field);
    REQUIRE_THROWS_AS(allocate(dataset, options), ValidationError);
    REQUIRE_THROWS_WITH(allocate(dataset, options), Catch::Contains(field));
  };
  AllocationOptions options;
  options.k = 0;
  refuses(options, "k");
  options = {};
  options.max_distance_km = std::nan("");
  refuses(options, "max_distance_km");
  options = with_capacity({1, -3});
  refuses(options, "capacity");
  options = with_capacity({1});
  refuses(options, "capacity");
  options = {};
  options.quotas = {ProvinceQuota{.province = 99}};
  refuses(options, "quota of province 99");
  options = {};
  options.priority.micro_km = -1.0;
  refuses(options, "micro_km");
  options = {};
  options.phase = "harvest";
  REQUIRE_THROWS_AS(allocate(dataset, options), UnknownReferenceError);
}

TEST_CASE("a progress callback sees the stages and can cancel", "[allocation][quick]") {
  const Dataset dataset = line_dataset();
  std::vector<std::string> stages;
  const auto record = [&](const Progress& progress) {
    if (stages.empty() || stages.back() != progress.stage) stages.emplace_back(progress.stage);
    return true;
  };
  (void)allocate(dataset, with_capacity({1, 1}), record);
  CHECK(stages == std::vector<std::string>{"candidates", "allocate"});
  REQUIRE_THROWS_AS(allocate(dataset, with_capacity({1, 1}), [](const Progress&) { return false; }),
                    CancelledError);
}

TEST_CASE("the national scenario is allocated optimally and deterministically",
          "[allocation][slow]") {
  ScenarioOptions scenario;
  scenario.trainees = 20'000;
  const Dataset dataset = indonesia(scenario, national_regencies());
  AllocationOptions options;
  const Allocation optimal = allocate(dataset, options);
  require_verified(dataset, options, optimal);
  CHECK(allocate(dataset, options) == optimal);
  for (std::size_t t = 0; t < optimal.facility.size(); ++t) {
    if (optimal.facility[t] != Allocation::kUnplaced) REQUIRE(optimal.distance_km[t] <= 50.0);
  }

  options.mode = AllocationMode::nearest;
  const Allocation nearest = allocate(dataset, options);
  CHECK(nearest.objective.placed <= optimal.objective.placed);
  CHECK(nearest.objective.cost >= optimal.objective.cost);

  options.mode = AllocationMode::stable;
  const Allocation stable = allocate(dataset, options);
  CHECK(stable.objective.cost >= optimal.objective.cost);
}
