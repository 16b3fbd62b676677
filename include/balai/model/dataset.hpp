// The validated, indexed collection of everything balai plans with: regions, facilities,
// modules, trainees and the program. A Dataset only ever holds data that passed every
// check, so code downstream never re-validates. Entities are stored in contiguous vectors
// in insertion order and addressed by strong indices; external ids map to them once.
//
// Data arrives in batches. `add` is all-or-nothing: it checks the batch and the dataset
// it would produce, reports every problem found in one ValidationError (duplicate ids,
// unknown references, prerequisite cycles spelled out, modules no facility can host), and
// changes nothing unless the whole batch is valid.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/core/ids.hpp"
#include "balai/core/regions.hpp"
#include "balai/model/facility.hpp"
#include "balai/model/module.hpp"
#include "balai/model/program.hpp"
#include "balai/model/trainee.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct Batch {
  std::vector<Facility> facilities{};
  std::vector<Module> modules{};
  std::vector<Trainee> trainees{};
  std::optional<Program> program{};

  [[nodiscard]] bool empty() const noexcept {
    return facilities.empty() && modules.empty() && trainees.empty() && !program;
  }
};

class Dataset {
 public:
  // A dataset that knows provinces only; regency codes are checked for their province.
  Dataset() = default;
  // A dataset with a regency table: every regency code must then name one of these.
  // ValidationError for duplicate codes.
  explicit Dataset(std::vector<Regency> regencies);
  // A dataset holding `batch`: Dataset(regencies) followed by add(batch).
  Dataset(std::vector<Regency> regencies, Batch batch);

  // Adds a batch, all or nothing. ValidationError listing every problem otherwise.
  void add(Batch batch);

  // Sizes, entities and their ids.
  [[nodiscard]] std::span<const Regency> regencies() const noexcept { return regencies_; }
  [[nodiscard]] std::span<const Facility> facilities() const noexcept { return facilities_; }
  [[nodiscard]] std::span<const Module> modules() const noexcept { return modules_; }
  [[nodiscard]] std::span<const Trainee> trainees() const noexcept { return trainees_; }
  [[nodiscard]] const std::optional<Program>& program() const noexcept { return program_; }

  [[nodiscard]] const Facility& facility(FacilityIndex index) const {
    return facilities_.at(index.pos());
  }
  [[nodiscard]] const Module& module(ModuleIndex index) const { return modules_.at(index.pos()); }
  [[nodiscard]] const Trainee& trainee(TraineeIndex index) const {
    return trainees_.at(index.pos());
  }

  [[nodiscard]] const IdMap<FacilityIndex>& facility_ids() const noexcept { return facility_ids_; }
  [[nodiscard]] const IdMap<ModuleIndex>& module_ids() const noexcept { return module_ids_; }
  [[nodiscard]] const IdMap<TraineeIndex>& trainee_ids() const noexcept { return trainee_ids_; }

  // The regency with this code, if the dataset has a regency table that lists it.
  [[nodiscard]] const Regency* find_regency(RegencyCode code) const noexcept;

  // Feature tags interned over all facilities and modules.
  [[nodiscard]] const IdMap<FeatureIndex>& features() const noexcept { return features_; }
  [[nodiscard]] std::span<const FeatureIndex> facility_features(FacilityIndex index) const {
    return facility_features_.at(index.pos());
  }
  [[nodiscard]] std::span<const FeatureIndex> module_features(ModuleIndex index) const {
    return module_features_.at(index.pos());
  }
  // Whether the facility offers every feature the module requires.
  [[nodiscard]] bool can_host(FacilityIndex facility, ModuleIndex module) const;

  [[nodiscard]] std::span<const ModuleIndex> prerequisites(ModuleIndex index) const {
    return prerequisites_.at(index.pos());
  }
  // The modules a track requires, in an order where prerequisites come first.
  [[nodiscard]] std::vector<ModuleIndex> modules_for(Track track) const;

  // Equal content: the same regencies, entities (in order) and program.
  friend bool operator==(const Dataset& a, const Dataset& b);

  // Everything in the dataset as one batch, in insertion order; Dataset(regencies(),
  // to_batch()) is equal to *this.
  [[nodiscard]] Batch to_batch() const;

 private:
  std::vector<Regency> regencies_;
  std::vector<Facility> facilities_;
  std::vector<Module> modules_;
  std::vector<Trainee> trainees_;
  std::optional<Program> program_;

  IdMap<FacilityIndex> facility_ids_{"facility"};
  IdMap<ModuleIndex> module_ids_{"module"};
  IdMap<TraineeIndex> trainee_ids_{"trainee"};
  IdMap<FeatureIndex> features_{"feature"};
  std::vector<std::vector<FeatureIndex>> facility_features_;
  std::vector<std::vector<FeatureIndex>> module_features_;
  std::vector<std::vector<ModuleIndex>> prerequisites_;
};

// Declared here too, so that a shared libbalai exports it (balai/core/export.hpp): a
// function declared only as a friend takes the hidden visibility balai compiles with.
bool operator==(const Dataset& a, const Dataset& b);

}  // namespace balai
BALAI_EXPORT_END
