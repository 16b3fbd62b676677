// The lazy views (balai/model/views.hpp, balai/planning/views.hpp,
// balai/tracking/views.hpp), each against the loop that builds the same selection eagerly.
#include <catch2/catch.hpp>

#include <cstdint>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/chunk.hpp>
#include <tuple>
#include <vector>

#include "balai/planning/views.hpp"
#include "balai/scenario/indonesia.hpp"
#include "balai/tracking/views.hpp"
#include "tracking_fixtures.hpp"

using namespace balai;

namespace {

const Dataset& world() {
  static const Dataset dataset = indonesia({.seed = 11, .trainees = 2'000});
  return dataset;
}

template <class Index, class View>
std::vector<Index> indices_of(View&& view) {
  std::vector<Index> indices;
  for (const auto& entry : view) indices.push_back(entry.index);
  return indices;
}

}  // namespace

TEST_CASE("views: trainees and facilities by place and kind", "[views][quick]") {
  const Dataset& dataset = world();
  for (const ProvinceCode province : {ProvinceCode{11}, ProvinceCode{32}, ProvinceCode{94}}) {
    std::vector<TraineeIndex> trainees;
    for (std::uint32_t t = 0; t < dataset.trainees().size(); ++t) {
      if (dataset.trainees()[t].province == province) trainees.emplace_back(t);
    }
    CHECK(indices_of<TraineeIndex>(views::trainees_in_province(dataset, province)) == trainees);
    std::vector<FacilityIndex> facilities;
    for (std::uint32_t f = 0; f < dataset.facilities().size(); ++f) {
      if (dataset.facilities()[f].province == province) facilities.emplace_back(f);
    }
    CHECK(indices_of<FacilityIndex>(views::facilities_in_province(dataset, province)) ==
          facilities);
  }
  const auto bandung = *dataset.trainees()[0].regency;
  for (const auto& [index, trainee] : views::trainees_in_regency(dataset, bandung)) {
    CHECK(trainee.regency == bandung);
    CHECK(&trainee == &dataset.trainee(index));
  }
  std::vector<FacilityIndex> plut;
  for (std::uint32_t f = 0; f < dataset.facilities().size(); ++f) {
    if (dataset.facilities()[f].kind == FacilityKind::plut) plut.emplace_back(f);
  }
  REQUIRE_FALSE(plut.empty());
  CHECK(indices_of<FacilityIndex>(views::facilities_of_kind(dataset, FacilityKind::plut)) == plut);
}

TEST_CASE("views: an allocation's placements and a facility's classes", "[views][quick]") {
  const Dataset& dataset = world();
  const Allocation allocation = allocate(dataset);
  std::vector<std::tuple<std::uint32_t, std::uint32_t, double>> eager;
  for (std::size_t t = 0; t < allocation.facility.size(); ++t) {
    if (allocation.facility[t] == Allocation::kUnplaced) continue;
    eager.emplace_back(static_cast<std::uint32_t>(t), allocation.facility[t],
                       allocation.distance_km[t]);
  }
  std::vector<std::tuple<std::uint32_t, std::uint32_t, double>> lazy;
  for (const auto& placement : views::placements(dataset, allocation)) {
    CHECK(&placement.facility.value == &dataset.facility(placement.facility.index));
    lazy.emplace_back(placement.trainee.index.value(), placement.facility.index.value(),
                      placement.distance_km);
  }
  REQUIRE_FALSE(eager.empty());
  CHECK(lazy == eager);
  // range-v3's chunk batches any of the views.
  std::size_t batched = 0;
  for (const auto& batch : views::placements(dataset, allocation) | ranges::views::chunk(100)) {
    const auto size = static_cast<std::size_t>(ranges::distance(batch));
    CHECK(size <= 100);
    batched += size;
  }
  CHECK(batched == eager.size());

  const Timetable table = timetable(dataset, allocation);
  REQUIRE_FALSE(table.cohorts.empty());
  const FacilityIndex busiest = table.cohorts.front().facility;
  std::vector<std::string> codes;
  for (const auto& cohort : table.cohorts) {
    if (cohort.facility == busiest) codes.push_back(cohort.code);
  }
  const auto lazy_codes = views::cohorts_at(table, busiest) |
                          ranges::views::transform([](const auto& c) { return c.code; }) |
                          ranges::to<std::vector>();
  CHECK(lazy_codes == codes);
}

TEST_CASE("views::events_of: one registration's events, as a scan of all finds them",
          "[views][ledger][quick]") {
  using namespace balai::testing;
  Ledger ledger(tracking_roster());
  const auto enrol = at(session_date(1), 1);
  ledger.append(std::vector{enrolled(1, 0, enrol), enrolled(2, 1, enrol), enrolled(3, 2, enrol)});
  ledger.append(std::vector{attended(10, 1, kBasic, 1), attended(11, 0, kBasic, 1),
                            attended(12, 1, kBasic, 2), attended(13, 1, kFinance, 1)});
  // The eager answer: every event read, those of the registration kept.
  const auto scanned = [&](std::uint32_t r) {
    std::vector<Event> events;
    for (std::size_t i = 0; i < ledger.size(); ++i) {
      if (ledger.event(i).registration == RegistrationIndex(r)) events.push_back(ledger.event(i));
    }
    return events;
  };
  const auto listed = [&](std::uint32_t r) {
    return views::events_of(ledger, RegistrationIndex(r)) | ranges::to<std::vector>();
  };
  for (std::uint32_t r = 0; r < 4; ++r) CHECK(listed(r) == scanned(r));
  CHECK(listed(1).size() == 4);
  CHECK(listed(3).empty());

  // Events appended after the index was built are found; a voided one stays, marked so.
  ledger.append(std::vector{attended(14, 1, kBasic, 3), voided(15, 1, 12, enrol + 86'400)});
  for (std::uint32_t r = 0; r < 4; ++r) CHECK(listed(r) == scanned(r));
  CHECK(ledger.positions_of(RegistrationIndex(1)) == std::vector<std::size_t>{1, 3, 5, 6, 7, 8});
  CHECK(ledger.is_voided(5));
  // A failed batch adds nothing to the index either.
  CHECK_THROWS_AS(
      ledger.append(std::vector{attended(16, 1, kBasic, 4), attended(17, 9, kBasic, 1)}),
      ValidationError);
  CHECK(listed(1) == scanned(1));
  // A copy builds its own index; a registration outside the roster is refused.
  const Ledger copy = ledger;
  CHECK((views::events_of(copy, RegistrationIndex(1)) | ranges::to<std::vector>()) == listed(1));
  CHECK_THROWS_AS(ledger.positions_of(RegistrationIndex(4)), UnknownReferenceError);
}
