#include "balai/scenario/builder.hpp"

#include <map>
#include <utility>

#include "balai/scenario/catalog.hpp"
#include "facilities.hpp"
#include "places.hpp"
#include "trainees.hpp"

namespace balai {
namespace {

constexpr std::uint64_t kBuilderFacilities = 0x4255494c'44464143ULL;  // "BUILDFAC"
constexpr std::uint64_t kBuilderTrainees = 0x4255494c'44545241ULL;    // "BUILDTRA"

void require_province(ProvinceCode province) {
  if (!is_province_code(province)) {
    throw ValidationError(
        Problem{"scenario builder", "province", province.to_string(), "not a province code"});
  }
}

// The seat of a pinned regency; ValidationError unless the table lists it in `province`.
const detail::Seat& pinned_seat(const detail::ProvincePlaces& province, RegencyCode regency,
                                const std::string& where) {
  const detail::Seat* seat = province.find(regency);
  if (seat == nullptr) {
    throw ValidationError(Problem{where, "regency", regency.to_string(),
                                  "not a regency of province " +
                                      province.province->code.to_string() +
                                      " in the builder's regency table"});
  }
  return *seat;
}

}  // namespace

ScenarioBuilder::ScenarioBuilder(ScenarioOptions options) : options_(std::move(options)) {}

ScenarioBuilder& ScenarioBuilder::regencies(std::vector<Regency> regencies) {
  regencies_ = std::move(regencies);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::facility(FacilityKind kind, ProvinceCode province,
                                           FacilityShape shape) {
  require_province(province);
  facilities_.push_back({kind, province, std::move(shape)});
  return *this;
}

ScenarioBuilder& ScenarioBuilder::trainees(int count, ProvinceCode province, TraineeShape shape) {
  require_province(province);
  if (count < 0) {
    throw ValidationError(
        Problem{"scenario builder", "count", std::to_string(count), "must not be negative"});
  }
  if (shape.birth_year && (*shape.birth_year < 1900 || *shape.birth_year > 2200)) {
    throw ValidationError(Problem{"scenario builder", "birth_year",
                                  std::to_string(*shape.birth_year),
                                  "must lie between 1900 and 2200"});
  }
  trainees_.push_back({count, province, std::move(shape)});
  return *this;
}

ScenarioBuilder& ScenarioBuilder::practical_modules(bool include) {
  practical_modules_ = include;
  return *this;
}

Dataset ScenarioBuilder::build() const {
  // Only the seed, shares and program matter here; the national counts are not checked.
  ScenarioOptions checked = options_;
  const ScenarioOptions defaults;
  checked.trainees = 0;
  checked.uptp = defaults.uptp;
  checked.uptd = defaults.uptd;
  checked.blk_komunitas = defaults.blk_komunitas;
  checked.plut = defaults.plut;
  checked.rpb = defaults.rpb;
  if (auto problems = check(checked); !problems.empty()) throw ValidationError(std::move(problems));

  Dataset dataset(regencies_);
  const detail::Places places(dataset.regencies());
  Batch batch;

  Rng facility_rng = Rng::stream(options_.seed, kBuilderFacilities, 0);
  std::map<std::pair<FacilityKind, ProvinceCode>, int> serials;
  for (const auto& request : facilities_) {
    const auto& province = places.of(request.province);
    const int serial = ++serials[{request.kind, request.province}];
    const auto& shape = request.shape;
    auto draft = detail::draft_facility(request.kind, province, serial == 1, facility_rng);
    if (shape.regency) {
      draft.seat = &pinned_seat(province, *shape.regency, "scenario builder facility");
      draft.at_capital = false;
    }
    if (shape.owner) draft.owner = *shape.owner;
    if (shape.grade) draft.grade = *shape.grade;
    Facility facility = detail::make_facility(
        draft, shape.id.value_or(detail::facility_id(request.kind, request.province, serial)),
        facility_rng);
    if (shape.rooms) facility.rooms = *shape.rooms;
    if (shape.seats) facility.seats = *shape.seats;
    if (shape.features) facility.features = *shape.features;
    batch.facilities.push_back(std::move(facility));
  }

  const detail::TraineeMaker maker(options_);
  std::uint64_t number = 0;
  for (std::size_t group = 0; group < trainees_.size(); ++group) {
    const auto& request = trainees_[group];
    const auto& province = places.of(request.province);
    const detail::Seat* pinned =
        request.shape.regency
            ? &pinned_seat(province, *request.shape.regency, "scenario builder trainees")
            : nullptr;
    Rng rng = Rng::stream(options_.seed, kBuilderTrainees, group);
    for (int i = 0; i < request.count; ++i) {
      const auto& seat =
          pinned != nullptr ? *pinned : province.seats[province.by_population.pick(rng)];
      maker.make(batch.trainees.emplace_back(), ++number, province, seat, request.shape, rng);
    }
  }

  batch.modules = entrepreneurship_modules(practical_modules_);
  batch.program = national_program(options_);
  dataset.add(std::move(batch));
  return dataset;
}

Dataset tiny_scenario(std::uint64_t seed) {
  return ScenarioBuilder({.seed = seed})
      .facility(FacilityKind::uptd, 32)
      .facility(FacilityKind::blk_komunitas, 34)
      .facility(FacilityKind::plut, 34)
      .trainees(12, 32)
      .trainees(8, 34)
      .build();
}

}  // namespace balai
