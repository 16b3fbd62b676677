// Small hand-shaped scenarios for tests and examples: name the provinces, facilities and
// trainees a test needs, and let the builder fill in the rest the way the national
// generator would (places, seats, workshops, ages, classes, sectors, protected NIKs).
//
//   Dataset world = ScenarioBuilder({.seed = 7})
//                       .facility(FacilityKind::uptd, 32)
//                       .facility(FacilityKind::blk_komunitas, 34, {.grade = BlkGrade::mandiri})
//                       .trainees(12, 32)
//                       .trainees(8, 34, {.track = Track::new_entrepreneur})
//                       .build();
//
// The result is a Dataset with the full module catalog and the national program, so it
// needs a facility offering every module's features: a UPTP or a province's UPTD (the
// first UPTD of a province belongs to it) has them all, or leave out the practical
// modules. Otherwise build() raises the Dataset's ValidationError naming the modules.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/core/regions.hpp"
#include "balai/model/dataset.hpp"
#include "balai/model/facility.hpp"
#include "balai/model/trainee.hpp"
#include "balai/scenario/options.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// What a test pins down about a facility; everything left empty is generated. (The
// empty braces let designated initializers skip members without a warning.)
struct FacilityShape {
  std::optional<std::string> id{};       // default "UPTD-32-0001" style
  std::optional<RegencyCode> regency{};  // must be in the builder's regency table
  std::optional<OwnerLevel> owner{};
  std::optional<BlkGrade> grade{};  // BLK Komunitas only
  std::optional<int> rooms{};
  std::optional<int> seats{};
  std::optional<std::vector<std::string>> features{};
};

// What a test pins down about a group of trainees; everything left empty is generated.
struct TraineeShape {
  std::optional<RegencyCode> regency{};  // must be in the builder's regency table
  std::optional<Track> track{};
  std::optional<Gender> gender{};
  std::optional<int> birth_year{};
  std::optional<UmkmClass> umkm_class{};
  std::optional<std::string> sector{};  // a KBLI 2020 code
  std::optional<AccessibilityNeeds> needs{};
};

class ScenarioBuilder {
 public:
  // Takes the seed, the shares of the trainee mix and the program's dates and target
  // from `options`; its counts of facilities and trainees play no part.
  explicit ScenarioBuilder(ScenarioOptions options = {});

  // A regency table: places are then regency seats, weighted by population.
  ScenarioBuilder& regencies(std::vector<Regency> regencies);
  // One facility of `kind` in `province`. ValidationError for an unknown province.
  ScenarioBuilder& facility(FacilityKind kind, ProvinceCode province, FacilityShape shape = {});
  // `count` trainees living in `province`. ValidationError for a negative count, an
  // unknown province or a birth year outside 1900-2200.
  ScenarioBuilder& trainees(int count, ProvinceCode province, TraineeShape shape = {});
  // Whether the catalog keeps the practical modules that need workshops (default yes).
  ScenarioBuilder& practical_modules(bool include);

  // The dataset, or the ValidationError of the options or of the Dataset.
  [[nodiscard]] Dataset build() const;

 private:
  struct FacilityRequest {
    FacilityKind kind;
    ProvinceCode province;
    FacilityShape shape;
  };
  struct TraineeRequest {
    int count;
    ProvinceCode province;
    TraineeShape shape;
  };

  ScenarioOptions options_;
  std::vector<Regency> regencies_;
  std::vector<FacilityRequest> facilities_;
  std::vector<TraineeRequest> trainees_;
  bool practical_modules_ = true;
};

// The smallest scenario worth testing with: Jawa Barat and DI Yogyakarta, three
// facilities (the provincial UPTD in Bandung, a BLK Komunitas and a PLUT in Yogyakarta)
// and twenty trainees, twelve in Jawa Barat and eight in Yogyakarta.
[[nodiscard]] Dataset tiny_scenario(std::uint64_t seed = 1);

}  // namespace balai
BALAI_EXPORT_END
