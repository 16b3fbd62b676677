#include <catch2/catch.hpp>

#include <algorithm>

#include "balai/model/dataset.hpp"
#include "fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

Batch small_batch() {
  Batch batch;
  batch.facilities = {make_facility("BLK-A"), make_facility("BLK-B", {"kitchen", "classroom"})};
  auto cooking = make_module("PRD-201", {"ENT-101"}, {Track::umkm_owner});
  cooking.required_features = {"kitchen", "classroom"};
  batch.modules = {make_module("ENT-101"), cooking};
  batch.trainees = {make_trainee("T-1"), make_trainee("T-2")};
  batch.program = make_program();
  return batch;
}

std::vector<Problem> problems_of(Dataset& dataset, Batch batch) {
  try {
    dataset.add(std::move(batch));
  } catch (const ValidationError& error) {
    return error.problems();
  }
  return {};
}

bool mentions(const std::vector<Problem>& problems, std::string_view field, std::string_view text) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& problem) {
    return problem.field == field && (problem.to_string().find(text) != std::string::npos);
  });
}

}  // namespace

TEST_CASE("a dataset indexes what it holds", "[dataset][quick]") {
  Dataset dataset(make_regencies(), small_batch());
  CHECK(dataset.facilities().size() == 2);
  CHECK(dataset.modules().size() == 2);
  CHECK(dataset.trainees().size() == 2);
  CHECK(dataset.program()->target_max == 10000);
  const auto blk_b = dataset.facility_ids().at("BLK-B");
  CHECK(dataset.facility(blk_b).id == "BLK-B");
  // Features are sorted and interned.
  CHECK(dataset.facility(blk_b).features == std::vector<std::string>{"classroom", "kitchen"});
  const auto cooking = dataset.module_ids().at("PRD-201");
  CHECK(dataset.can_host(blk_b, cooking));
  CHECK_FALSE(dataset.can_host(dataset.facility_ids().at("BLK-A"), cooking));
  CHECK(dataset.prerequisites(cooking).size() == 1);
  CHECK(dataset.module(dataset.prerequisites(cooking)[0]).code == "ENT-101");
  CHECK(dataset.find_regency(RegencyCode(3578))->name == "Kota Surabaya");
  CHECK(dataset.find_regency(RegencyCode(3201)) == nullptr);
  CHECK(dataset.regencies().front().code == RegencyCode(3204));  // sorted by code
}

TEST_CASE("modules_for orders a track's modules after their prerequisites", "[dataset][quick]") {
  Batch batch;
  batch.facilities = {make_facility("BLK-A")};
  batch.modules = {make_module("C", {"B"}), make_module("A"), make_module("B", {"A"}),
                   make_module("X", {}, {Track::new_entrepreneur})};
  Dataset dataset({}, batch);
  std::vector<std::string> codes;
  for (auto index : dataset.modules_for(Track::umkm_owner))
    codes.push_back(dataset.module(index).code);
  CHECK(codes == std::vector<std::string>{"A", "B", "C"});
  CHECK(dataset.modules_for(Track::new_entrepreneur).size() == 4);
}

TEST_CASE("batches add up, and equal content compares equal", "[dataset][quick]") {
  Dataset whole(make_regencies(), small_batch());
  Dataset pieces(make_regencies());
  auto batch = small_batch();
  Batch first;
  first.facilities = batch.facilities;
  first.modules = batch.modules;
  pieces.add(first);
  Batch second;
  second.trainees = batch.trainees;
  second.program = batch.program;
  pieces.add(second);
  CHECK(pieces == whole);
  CHECK(Dataset(make_regencies(), whole.to_batch()) == whole);
  Batch more;
  more.trainees = {make_trainee("T-3")};
  pieces.add(more);
  CHECK_FALSE(pieces == whole);
}

TEST_CASE("a failed batch reports every problem and changes nothing",
          "[dataset][quick][bad-input]") {
  Dataset dataset(make_regencies(), small_batch());
  const Dataset before = dataset;

  Batch bad;
  auto negative = make_facility("BLK-C");
  negative.seats = -1;
  auto unknown_regency = make_facility("BLK-D");
  unknown_regency.regency = RegencyCode(3201);  // a real code, but not in this table
  bad.facilities = {make_facility("BLK-A"), negative, unknown_regency};
  bad.modules = {make_module("M-1", {"NOPE"}), make_module("M-2"), make_module("M-2")};
  auto young = make_trainee("T-9");
  young.birth_year = 2020;
  bad.trainees = {young, make_trainee("T-1")};
  bad.program = make_program();

  const auto problems = problems_of(dataset, bad);
  CHECK(mentions(problems, "id", "BLK-A"));  // duplicate of an existing facility
  CHECK(mentions(problems, "seats", "-1"));
  CHECK(mentions(problems, "regency", "32.01"));
  CHECK(mentions(problems, "prerequisites", "NOPE"));
  CHECK(mentions(problems, "code", "M-2"));  // duplicate within the batch
  CHECK(mentions(problems, "birth_year", "2020"));
  CHECK(mentions(problems, "id", "T-1"));  // duplicate trainee
  CHECK(mentions(problems, "name", "already has a program"));
  CHECK(problems.size() == 8);
  CHECK(dataset == before);
}

TEST_CASE("prerequisite cycles are spelled out", "[dataset][quick][bad-input]") {
  Dataset dataset;
  Batch batch;
  batch.modules = {make_module("A", {"C"}),  make_module("B", {"A"}),  make_module("C", {"B"}),
                   make_module("D", {"D2"}), make_module("D2", {"D"}), make_module("E", {"A"})};
  const auto problems = problems_of(dataset, batch);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].value == "A -> C -> B -> A");
  CHECK(problems[1].value == "D -> D2 -> D");
  CHECK(problems[0].message == "prerequisite cycle");
  CHECK(dataset.modules().empty());
}

TEST_CASE("a track must require the prerequisites of its modules", "[dataset][quick][bad-input]") {
  Dataset dataset;
  Batch batch;
  batch.modules = {make_module("BASIC", {}, {Track::new_entrepreneur}),
                   make_module("NEXT", {"BASIC"}, {Track::umkm_owner, Track::new_entrepreneur})};
  const auto problems = problems_of(dataset, batch);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].where == "module NEXT");
  CHECK(problems[0].message.find("umkm_owner") != std::string::npos);
}

TEST_CASE("modules no facility can host are refused", "[dataset][quick][bad-input]") {
  Dataset dataset({}, small_batch());
  Batch batch;
  auto sewing = make_module("PRD-301");
  sewing.required_features = {"sewing", "classroom"};
  batch.modules = {sewing};
  const auto problems = problems_of(dataset, batch);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].field == "required_features");
  CHECK(problems[0].value == "classroom;sewing");
  // The same module is fine once a facility offers both features.
  batch.facilities = {make_facility("BLK-S", {"sewing", "classroom"})};
  CHECK_NOTHROW(dataset.add(batch));
  // Without any facility, hostability cannot be judged and is not required.
  Dataset catalog_only;
  Batch modules_only;
  modules_only.modules = {sewing};
  CHECK_NOTHROW(catalog_only.add(modules_only));
}

TEST_CASE("a program added after its trainees judges their ages", "[dataset][quick][bad-input]") {
  Dataset dataset;
  Batch trainees;
  auto old = make_trainee("T-OLD");
  old.birth_year = 1930;  // plausible without a program year
  trainees.trainees = {old};
  dataset.add(trainees);
  Batch program;
  program.program = make_program();
  const auto problems = problems_of(dataset, program);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].where == "trainee T-OLD");
  CHECK_FALSE(dataset.program());
}

TEST_CASE("regency tables are checked", "[dataset][quick][bad-input]") {
  auto regencies = make_regencies();
  regencies.push_back(regencies.front());
  regencies.back().name = "";
  try {
    Dataset dataset(regencies);
    FAIL("accepted duplicate regencies");
  } catch (const ValidationError& error) {
    CHECK(error.problems().size() == 2);
  }
}

TEST_CASE("a failed batch leaves no ids behind", "[dataset][quick][bad-input]") {
  Dataset dataset({}, small_batch());
  Batch bad;
  bad.trainees = {make_trainee("T-A"), make_trainee("T-A"), make_trainee("T-B"),
                  make_trainee("T-B")};
  const auto problems = problems_of(dataset, bad);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].message == "duplicate: also used by entry #0");
  CHECK(problems[1].where == "trainee T-B");
  CHECK(problems[1].message == "duplicate: also used by entry #2");
  // The ids the failed batch indexed are forgotten: the same ids are new again.
  CHECK_FALSE(dataset.trainee_ids().contains("T-A"));
  CHECK(dataset.trainee_ids().size() == dataset.trainees().size());
  Batch good;
  good.trainees = {make_trainee("T-A"), make_trainee("T-B")};
  dataset.add(good);
  CHECK(dataset.trainee_ids().at("T-B") == TraineeIndex{3});
  CHECK(dataset.trainee(TraineeIndex{3}).id == "T-B");
}
