#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "balai/io/regions_csv.hpp"
#include "balai/scenario/builder.hpp"
#include "balai/scenario/catalog.hpp"
#include "balai/scenario/digest.hpp"
#include "balai/scenario/indonesia.hpp"
#include "balai/scenario/random.hpp"

using namespace balai;

namespace {

const std::vector<Regency>& shared_regencies() {
  static const auto table = read_regencies(BALAI_SHARED_DATA_DIR "/regencies.csv");
  return table;
}

// One national scenario with the 514 regencies, shared by the tests that only read it.
const Dataset& national() {
  static const Dataset world = indonesia({.trainees = 20'000}, shared_regencies());
  return world;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    syy += y[i] * y[i];
    sxy += x[i] * y[i];
  }
  return (n * sxy - sx * sy) / std::sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
}

template <class Entities, class Predicate>
double share_of(const Entities& entities, Predicate predicate) {
  const auto hits = std::count_if(entities.begin(), entities.end(), predicate);
  return static_cast<double>(hits) / static_cast<double>(entities.size());
}

// The fields of every ValidationError problem.
std::set<std::string> fields_of(const ScenarioOptions& options) {
  std::set<std::string> fields;
  try {
    (void)indonesia(options);
  } catch (const ValidationError& error) {
    for (const auto& problem : error.problems()) fields.insert(problem.field);
  }
  return fields;
}

}  // namespace

TEST_CASE("SplitMix64 gives the published reference sequence", "[scenario][quick]") {
  SplitMix64 generator(0);
  CHECK(generator.next() == 0xe220a8397b1dcdafULL);
  CHECK(generator.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(generator.next() == 0x06c45d188009454fULL);
}

TEST_CASE("Rng draws stay in range and follow their weights", "[scenario][quick]") {
  Rng rng(42);
  for (int i = 0; i < 10'000; ++i) {
    CHECK(rng.below(7) < 7);
    const double u = rng.uniform();
    CHECK((u >= 0.0 && u < 1.0));
    const auto v = rng.between(-3, 3);
    CHECK((v >= -3 && v <= 3));
  }
  const std::vector<std::uint64_t> weights{1, 0, 3, 6};
  const WeightedPicker picker(weights);
  std::vector<int> counts(weights.size(), 0);
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) ++counts[picker.pick(rng)];
  CHECK(counts[1] == 0);
  CHECK(counts[0] / double(kDraws) == Approx(0.1).margin(0.01));
  CHECK(counts[2] / double(kDraws) == Approx(0.3).margin(0.01));
  CHECK(counts[3] / double(kDraws) == Approx(0.6).margin(0.01));

  CHECK(Rng::stream(1, 2, 3).next() == Rng::stream(1, 2, 3).next());
  CHECK(Rng::stream(1, 2, 3).next() != Rng::stream(1, 2, 4).next());
  CHECK(Rng::stream(1, 2, 3).next() != Rng::stream(1, 3, 3).next());
}

TEST_CASE("The catalog forms a DAG the two tracks can follow", "[scenario][quick]") {
  const Dataset& world = national();
  REQUIRE(world.modules().size() == entrepreneurship_modules().size());
  for (Track track : {Track::umkm_owner, Track::new_entrepreneur}) {
    const auto order = world.modules_for(track);
    CHECK(order.size() >= 9);
    int hours = 0;
    std::set<std::string> done;
    for (ModuleIndex index : order) {
      const Module& module = world.module(index);
      for (const auto& prerequisite : module.prerequisites) CHECK(done.count(prerequisite) == 1);
      done.insert(module.code);
      hours += module.hours_jp;
    }
    CHECK(hours > 100);
    CHECK(hours < 200);
  }
  const auto practical =
      entrepreneurship_modules(true).size() - entrepreneurship_modules(false).size();
  CHECK(practical == 5);
}

TEST_CASE("The national scenario has the published facility counts", "[scenario][quick]") {
  const Dataset& world = national();
  std::map<FacilityKind, int> counts;
  for (const auto& facility : world.facilities()) ++counts[facility.kind];
  const ScenarioOptions defaults;
  CHECK(counts[FacilityKind::uptp] == defaults.uptp);
  CHECK(counts[FacilityKind::uptd] == defaults.uptd);
  CHECK(counts[FacilityKind::blk_komunitas] == defaults.blk_komunitas);
  CHECK(counts[FacilityKind::plut] == defaults.plut);
  CHECK(counts[FacilityKind::rpb] == 6);
  CHECK((defaults.uptp >= 20 && defaults.uptp <= 22));
  CHECK((defaults.blk_komunitas >= 3'700 && defaults.blk_komunitas <= 4'000));
}

TEST_CASE("BLK Komunitas grades follow 60/30/10", "[scenario][quick]") {
  std::vector<Facility> community;
  for (const auto& facility : national().facilities()) {
    if (facility.kind == FacilityKind::blk_komunitas) community.push_back(facility);
  }
  const auto graded = [&](BlkGrade grade) {
    return share_of(community, [&](const Facility& f) { return f.grade == grade; });
  };
  CHECK(graded(BlkGrade::tumbuh) == Approx(0.6).margin(0.03));
  CHECK(graded(BlkGrade::berkembang) == Approx(0.3).margin(0.03));
  CHECK(graded(BlkGrade::mandiri) == Approx(0.1).margin(0.02));
}

TEST_CASE("Facilities fit their kind", "[scenario][quick]") {
  for (const auto& facility : national().facilities()) {
    INFO(facility.id << " " << facility.name);
    CHECK(owner_fits_kind(facility.kind, facility.owner));
    CHECK(facility.rooms >= 1);
    CHECK(facility.seats >= facility.rooms * 15);
    CHECK(facility.seats <= facility.rooms * 30);
    CHECK_FALSE(facility.features.empty());
    if (facility.kind == FacilityKind::blk_komunitas) {
      CHECK(facility.rooms == 1 + static_cast<int>(*facility.grade));
      CHECK(facility.seats == 16 * facility.rooms);
    }
    if (facility.kind == FacilityKind::uptp) CHECK(facility.rooms >= 16);
  }
}

TEST_CASE("Every province has a regional or central BLK", "[scenario][quick]") {
  std::set<ProvinceCode> covered;
  for (const auto& facility : national().facilities()) {
    if (facility.kind == FacilityKind::uptd || facility.kind == FacilityKind::uptp) {
      covered.insert(facility.province);
    }
  }
  CHECK(covered.size() == provinces().size());
}

TEST_CASE("Facilities and trainees spread in proportion to population", "[scenario][quick]") {
  std::map<ProvinceCode, double> community, uptd, trainees;
  for (const auto& facility : national().facilities()) {
    if (facility.kind == FacilityKind::blk_komunitas) community[facility.province] += 1;
    if (facility.kind == FacilityKind::uptd) uptd[facility.province] += 1;
  }
  for (const auto& trainee : national().trainees()) trainees[trainee.province] += 1;
  std::vector<double> population, by_community, by_uptd, by_trainees;
  for (const auto& province : provinces()) {
    population.push_back(static_cast<double>(province.population));
    by_community.push_back(community[province.code]);
    by_uptd.push_back(uptd[province.code]);
    by_trainees.push_back(trainees[province.code]);
  }
  CHECK(pearson(population, by_community) > 0.99);
  CHECK(pearson(population, by_uptd) > 0.95);
  CHECK(pearson(population, by_trainees) > 0.99);
  // Java holds about 56% of the people, so about 56% of the BLK Komunitas.
  double java = 0, total = 0;
  for (std::size_t i = 0; i < by_community.size(); ++i) {
    total += by_community[i];
    if (island_group(provinces()[i].code) == 3) java += by_community[i];
  }
  CHECK(java / total == Approx(0.56).margin(0.02));
}

TEST_CASE("RPB stand at the six real pilots", "[scenario][quick]") {
  std::map<ProvinceCode, const Facility*> rpb;
  for (const auto& facility : national().facilities()) {
    if (facility.kind == FacilityKind::rpb) rpb[facility.province] = &facility;
  }
  REQUIRE(rpb.size() == 6);
  for (int code : {11, 33, 34, 53, 64, 71}) CHECK(rpb.count(static_cast<ProvinceCode>(code)) == 1);
  CHECK(rpb.at(33)->regency == RegencyCode(3314));  // Sragen: furniture
  CHECK(rpb.at(34)->regency == RegencyCode(3404));  // Sleman: dairy
  CHECK(rpb.at(33)->name.find("Furnitur") != std::string::npos);
  CHECK(std::count(rpb.at(34)->features.begin(), rpb.at(34)->features.end(), "dairy_processing") ==
        1);
}

TEST_CASE("Facilities and trainees sit near their regency seats", "[scenario][quick]") {
  const Dataset& world = national();
  for (const auto& facility : world.facilities()) {
    REQUIRE(facility.regency);
    const Regency* regency = world.find_regency(*facility.regency);
    REQUIRE(regency != nullptr);
    CHECK(haversine_km(facility.location, regency->seat) <= 3.05);
  }
  for (const auto& trainee : world.trainees()) {
    REQUIRE(trainee.regency);
    const Regency* regency = world.find_regency(*trainee.regency);
    REQUIRE(regency != nullptr);
    const double radius = trainee.regency->value() % 100 >= 71 ? 6.0 : 20.0;
    CHECK(haversine_km(trainee.location, regency->seat) <= radius * 1.01 + 0.01);
    CHECK(trainee.nik->masked.substr(0, 4) == trainee.regency->to_string().erase(2, 1));
  }
}

TEST_CASE("Trainees have a realistic mix", "[scenario][quick]") {
  const auto trainees = national().trainees();
  REQUIRE(trainees.size() == 20'000);
  const ScenarioOptions defaults;
  const int start_year = defaults.start_date.ymd().year;
  CHECK(share_of(trainees, [](const Trainee& t) { return t.umkm_class == UmkmClass::micro; }) >
        0.9);
  CHECK(share_of(trainees, [](const Trainee& t) { return t.umkm_class == UmkmClass::medium; }) >
        0.0);
  CHECK(share_of(trainees, [](const Trainee& t) { return t.track == Track::new_entrepreneur; }) ==
        Approx(defaults.new_entrepreneur_share).margin(0.02));
  CHECK(share_of(trainees, [](const Trainee& t) { return t.gender == Gender::female; }) ==
        Approx(defaults.female_share).margin(0.02));
  CHECK(share_of(trainees, [](const Trainee& t) { return t.needs.any(); }) ==
        Approx(defaults.accessibility_share).margin(0.01));
  const std::set<std::string> divisions{"01", "03", "10", "11", "13", "14", "16",
                                        "31", "32", "45", "47", "56", "95", "96"};
  std::set<std::string> seen;
  for (const auto& trainee : trainees) {
    const int age = start_year - trainee.birth_year;
    CHECK((age >= 18 && age <= 70));
    CHECK(trainee.sector.version == KbliVersion::kbli2020);
    CHECK(trainee.sector.code.size() == 5);
    CHECK(divisions.count(trainee.sector.code.substr(0, 2)) == 1);
    seen.insert(trainee.sector.code.substr(0, 2));
    REQUIRE(trainee.nik);
    CHECK(trainee.nik->masked.find("********") == 4);
  }
  CHECK(seen == divisions);
}

TEST_CASE("The program runs a 13-week pilot then a rollout", "[scenario][quick]") {
  const auto& program = national().program();
  REQUIRE(program);
  CHECK(program->ministries.size() == 2);
  CHECK(program->target_min == 5'000);
  CHECK(program->target_max == 10'000);
  const Phase& pilot = program->phase("pilot");
  CHECK(pilot.window.first() == Date(2027, 1, 4));
  CHECK(pilot.window.first().weekday() == 1);
  CHECK(pilot.window.days() == 13 * 7);
  CHECK(program->phase("rollout").window.first() == pilot.window.last() + 1);

  const auto no_rollout = indonesia(
      {.trainees = 0, .start_date = Date(2026, 7, 6), .pilot_weeks = 8, .rollout_weeks = 0});
  REQUIRE(no_rollout.program()->phases.size() == 1);
  CHECK(no_rollout.program()->phases[0].window.last() == Date(2026, 8, 30));
}

TEST_CASE("By default, places are the embedded regencies", "[scenario][quick]") {
  const Dataset world = indonesia({.trainees = 2'000});
  CHECK(world.regencies().size() == 514);
  CHECK(world == indonesia({.trainees = 2'000}, shared_regencies()));
  for (const auto& trainee : world.trainees()) CHECK(trainee.regency);
  // A given table replaces the embedded one: here, Jawa Barat's regencies alone.
  std::vector<Regency> west_java;
  std::copy_if(indonesia_regencies().begin(), indonesia_regencies().end(),
               std::back_inserter(west_java), [](const Regency& r) { return r.province() == 32; });
  const Dataset own = indonesia({.trainees = 2'000}, west_java);
  CHECK(own.regencies().size() == 27);
  for (const auto& trainee : own.trainees())
    CHECK(trainee.regency.has_value() == (trainee.province == 32));
}

TEST_CASE("With an empty regency table, places cluster around province capitals",
          "[scenario][quick]") {
  const Dataset world = indonesia({.trainees = 5'000}, {});
  CHECK(world.regencies().empty());
  for (const auto& facility : world.facilities()) {
    CHECK_FALSE(facility.regency);
    const Province& province = balai::province(facility.province);
    const double radius = 0.5 * std::sqrt(province.area_km2 / 3.141592653589793);
    CHECK(haversine_km(facility.location, province.capital_location) <= radius * 1.01 + 0.01);
    if (facility.owner == OwnerLevel::province && facility.kind == FacilityKind::uptd) {
      CHECK(haversine_km(facility.location, province.capital_location) <= 2.05);
    }
  }
  for (const auto& trainee : world.trainees()) {
    CHECK_FALSE(trainee.regency);
    const Province& province = balai::province(trainee.province);
    const double radius = 0.5 * std::sqrt(province.area_km2 / 3.141592653589793);
    CHECK(haversine_km(trainee.location, province.capital_location) <= radius * 1.01 + 0.01);
  }
}

TEST_CASE("The scenario is deterministic and independent of threads", "[scenario][quick]") {
  // 20,000 trainees are three chunks of random streams.
  const Dataset& world = national();
  const Dataset again = indonesia({.trainees = 20'000, .threads = 1}, shared_regencies());
  CHECK(again == world);
  CHECK(indonesia({.trainees = 20'000, .threads = 3}, shared_regencies()) == world);
  const Dataset other = indonesia({.seed = 2028, .trainees = 20'000}, shared_regencies());
  CHECK_FALSE(other == world);
  CHECK(other.trainees()[0].location != world.trainees()[0].location);

  // The regency table's order does not matter.
  auto shuffled = shared_regencies();
  std::reverse(shuffled.begin(), shuffled.end());
  CHECK(indonesia({.trainees = 100}, shuffled) == indonesia({.trainees = 100}, shared_regencies()));
  // More trainees leave the facilities and the first trainees as they were.
  const Dataset more = indonesia({.trainees = 20'100}, shared_regencies());
  CHECK(std::equal(world.facilities().begin(), world.facilities().end(), more.facilities().begin(),
                   more.facilities().end()));
  CHECK(more.trainees()[19'999] == world.trainees()[19'999]);
}

TEST_CASE("The scenario's digest is pinned", "[scenario][quick]") {
  // A change here means every seeded scenario changed: bump it only on purpose, and say
  // so in the changelog.
  CHECK(dataset_digest(indonesia({.trainees = 1'000}, shared_regencies())) ==
        "c55cda74958d2ded4d5bdc55e285aec3ff6ac3f973efb436ee5414850930bcec");
  CHECK(dataset_digest(indonesia({.trainees = 1'000})) ==
        "c55cda74958d2ded4d5bdc55e285aec3ff6ac3f973efb436ee5414850930bcec");
  CHECK(dataset_digest(indonesia({.seed = 7, .trainees = 500}, {})) ==
        "2fa877722e91ec6851d977e9bba64f536cf76d71262aab893305a8b5f5cd9fa4");
  CHECK(dataset_digest(tiny_scenario()) ==
        "04f0358d59214a4c70d79dab7b1a72d497dd0761a365fddd70e153212af3cfd5");
}

TEST_CASE("The digest sees every change", "[scenario][quick]") {
  const Dataset world = indonesia({.trainees = 10});
  const std::string digest = dataset_digest(world);
  CHECK(digest.size() == 64);
  // Rebuilt with the same regency table, so that only the change under test differs.
  const std::vector<Regency> table(world.regencies().begin(), world.regencies().end());
  CHECK(dataset_digest(Dataset(table, world.to_batch())) == digest);
  CHECK(dataset_digest(Dataset({}, world.to_batch())) != digest);
  auto batch = world.to_batch();
  batch.trainees[3].birth_year += 1;
  CHECK(dataset_digest(Dataset(table, batch)) != digest);
  batch = world.to_batch();
  batch.facilities[0].location =
      GeoPoint(batch.facilities[0].location.lat() + 1e-6, batch.facilities[0].location.lng());
  CHECK(dataset_digest(Dataset(table, batch)) != digest);
}

TEST_CASE("Zero and one trainee are scenarios too", "[scenario][quick]") {
  const Dataset empty = indonesia({.trainees = 0});
  CHECK(empty.trainees().empty());
  CHECK(empty.facilities().size() > 4'000);
  const Dataset one = indonesia({.trainees = 1}, shared_regencies());
  REQUIRE(one.trainees().size() == 1);
  CHECK(one.trainees()[0].id == "PST-00000001");
  const Dataset bare =
      indonesia({.trainees = 3, .uptp = 0, .uptd = 38, .blk_komunitas = 0, .plut = 0, .rpb = 0});
  CHECK(bare.facilities().size() == 38);
  CHECK(bare.trainees().size() == 3);
}

TEST_CASE("The generated dataset passes Dataset validation again", "[scenario][quick]") {
  const Dataset& world = national();
  const Dataset rebuilt(std::vector<Regency>(world.regencies().begin(), world.regencies().end()),
                        world.to_batch());
  CHECK(rebuilt == world);
}

TEST_CASE("Bad scenario options name the option", "[scenario][quick][bad-input]") {
  CHECK(fields_of({.trainees = -1}) == std::set<std::string>{"trainees"});
  CHECK(fields_of({.trainees = kMaxScenarioTrainees + 1}) == std::set<std::string>{"trainees"});
  CHECK(fields_of({.uptd = 37}) == std::set<std::string>{"uptd"});
  CHECK(fields_of({.rpb = 7}) == std::set<std::string>{"rpb"});
  CHECK(fields_of({.blk_komunitas = -5, .plut = -1}) ==
        std::set<std::string>{"blk_komunitas", "plut"});
  CHECK(fields_of({.grade_shares = {0.0, 0.0, 0.0}}) == std::set<std::string>{"grade_shares"});
  CHECK(fields_of({.grade_shares = {0.6, -0.3, 0.1}}) == std::set<std::string>{"grade_shares"});
  CHECK(fields_of({.female_share = 1.5}) == std::set<std::string>{"female_share"});
  CHECK(fields_of({.new_entrepreneur_share = std::nan("")}) ==
        std::set<std::string>{"new_entrepreneur_share"});
  CHECK(fields_of({.accessibility_share = -0.1}) == std::set<std::string>{"accessibility_share"});
  CHECK(fields_of({.start_date = Date(1999, 1, 4)}) == std::set<std::string>{"start_date"});
  CHECK(fields_of({.pilot_weeks = 0}) == std::set<std::string>{"pilot_weeks"});
  CHECK(fields_of({.rollout_weeks = -1}) == std::set<std::string>{"rollout_weeks"});
  CHECK(fields_of({.target_min = 9'000, .target_max = 8'000}) ==
        std::set<std::string>{"target_max"});
  CHECK(fields_of({.threads = -2}) == std::set<std::string>{"threads"});
  CHECK(check(ScenarioOptions{}).empty());
}

TEST_CASE("A bad regency table is the Dataset's validation error", "[scenario][quick][bad-input]") {
  auto table = shared_regencies();
  table.push_back(table.front());
  CHECK_THROWS_AS(indonesia({.trainees = 10}, table), ValidationError);
}

TEST_CASE("tiny_scenario: two provinces, three facilities, twenty trainees", "[scenario][quick]") {
  const Dataset tiny = tiny_scenario();
  REQUIRE(tiny.facilities().size() == 3);
  REQUIRE(tiny.trainees().size() == 20);
  std::set<ProvinceCode> provinces_seen;
  for (const auto& facility : tiny.facilities()) provinces_seen.insert(facility.province);
  for (const auto& trainee : tiny.trainees()) provinces_seen.insert(trainee.province);
  CHECK(provinces_seen == std::set<ProvinceCode>{32, 34});
  CHECK(tiny.facilities()[0].id == "UPTD-32-0001");
  CHECK(tiny.facilities()[0].owner == OwnerLevel::province);
  CHECK(tiny.facilities()[0].name == "UPTD BLK Provinsi Jawa Barat");
  CHECK(share_of(tiny.trainees(), [](const Trainee& t) { return t.province == 32; }) == 0.6);
  CHECK(tiny_scenario(1) == tiny);
  CHECK_FALSE(tiny_scenario(2) == tiny);
}

TEST_CASE("ScenarioBuilder honours what a test pins down", "[scenario][quick]") {
  const Dataset world = ScenarioBuilder({.seed = 5})
                            .regencies(shared_regencies())
                            .facility(FacilityKind::uptp, 35)
                            .facility(FacilityKind::blk_komunitas, 33,
                                      {.id = "BLKK-SRAGEN",
                                       .regency = RegencyCode(3314),
                                       .grade = BlkGrade::mandiri,
                                       .features = std::vector<std::string>{"classroom", "sewing"}})
                            .facility(FacilityKind::rpb, 34)
                            .trainees(5, 33,
                                      {.regency = RegencyCode(3314),
                                       .track = Track::new_entrepreneur,
                                       .gender = Gender::male,
                                       .birth_year = 1990,
                                       .umkm_class = UmkmClass::small,
                                       .sector = "31001",
                                       .needs = AccessibilityNeeds{Need::visual}})
                            .trainees(3, 35)
                            .build();
  REQUIRE(world.facilities().size() == 3);
  const Facility& sragen = world.facilities()[1];
  CHECK(sragen.id == "BLKK-SRAGEN");
  CHECK(sragen.grade == BlkGrade::mandiri);
  CHECK(sragen.features == std::vector<std::string>{"classroom", "sewing"});
  CHECK(haversine_km(sragen.location, world.find_regency(RegencyCode(3314))->seat) <= 3.05);
  CHECK(world.facilities()[2].regency == RegencyCode(3404));
  REQUIRE(world.trainees().size() == 8);
  for (std::size_t i = 0; i < 5; ++i) {
    const Trainee& t = world.trainees()[i];
    CHECK(t.regency == RegencyCode(3314));
    CHECK(t.track == Track::new_entrepreneur);
    CHECK(t.gender == Gender::male);
    CHECK(t.birth_year == 1990);
    CHECK(t.umkm_class == UmkmClass::small);
    CHECK(t.sector.code == "31001");
    CHECK(t.needs.has(Need::visual));
    CHECK(t.nik->masked.substr(0, 4) == "3314");
  }
  CHECK(world.trainees()[7].id == "PST-00000008");
  CHECK(world.trainees()[7].province == 35);
}

TEST_CASE("ScenarioBuilder refuses what cannot be built", "[scenario][quick][bad-input]") {
  CHECK_THROWS_AS(ScenarioBuilder().facility(FacilityKind::uptd, 20), ValidationError);
  CHECK_THROWS_AS(ScenarioBuilder().trainees(-1, 32), ValidationError);
  CHECK_THROWS_AS(ScenarioBuilder().trainees(1, 32, {.birth_year = 1800}), ValidationError);
  // A regency the table does not list.
  CHECK_THROWS_AS(
      ScenarioBuilder().facility(FacilityKind::uptd, 32, {.regency = RegencyCode(3201)}).build(),
      ValidationError);
  // Workshops nobody offers: the Dataset names the modules it cannot host.
  try {
    (void)ScenarioBuilder()
        .facility(FacilityKind::blk_komunitas, 32,
                  {.features = std::vector<std::string>{"classroom"}})
        .build();
    FAIL("expected a ValidationError");
  } catch (const ValidationError& error) {
    CHECK(error.problems().front().field == "required_features");
  }
  // Without the practical modules a classroom with computers is enough.
  const Dataset classroom_only =
      ScenarioBuilder()
          .practical_modules(false)
          .facility(FacilityKind::blk_komunitas, 32,
                    {.features = std::vector<std::string>{"classroom", "computer_lab"}})
          .trainees(2, 32)
          .build();
  CHECK(classroom_only.modules().size() == entrepreneurship_modules(false).size());
  // A trainee too young for the program's start year.
  CHECK_THROWS_AS(ScenarioBuilder()
                      .facility(FacilityKind::uptd, 32)
                      .trainees(1, 32, {.birth_year = 2020})
                      .build(),
                  ValidationError);
  // Bad options reach the builder too.
  CHECK_THROWS_AS(ScenarioBuilder({.female_share = 2.0}).build(), ValidationError);
}

TEST_CASE("A million trainees generate and validate", "[scenario][slow]") {
  const Dataset world = indonesia({.trainees = 1'000'000}, shared_regencies());
  CHECK(world.trainees().size() == 1'000'000);
  CHECK(world.trainees().back().id == "PST-01000000");
  CHECK(share_of(world.trainees(),
                 [](const Trainee& t) { return t.umkm_class == UmkmClass::micro; }) > 0.9);
}
