// The trainees of the scenario: one function that makes a trainee living near a seat
// (track, gender, age, UMKM class, sector, needs and a protected synthetic NIK), and the
// national population, generated in parallel chunks with one random stream per chunk.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "balai/model/nik.hpp"
#include "balai/model/trainee.hpp"
#include "balai/scenario/builder.hpp"
#include "balai/scenario/options.hpp"
#include "places.hpp"

namespace balai::detail {

class TraineeMaker {
 public:
  explicit TraineeMaker(const ScenarioOptions& options);

  // Fills `out` as trainee number `number` (from 1) living near `seat`; what `shape`
  // pins down is taken as given.
  void make(Trainee& out, std::uint64_t number, const ProvincePlaces& province, const Seat& seat,
            const TraineeShape& shape, Rng& rng) const;

 private:
  NikKey key_;
  int reference_year_;
  double new_entrepreneur_share_;
  double female_share_;
  double accessibility_share_;
};

// "PST-00000042".
[[nodiscard]] std::string trainee_id(std::uint64_t number);

// options.trainees trainees spread over `places` by population. The result depends on
// the options' seed only, never on options.threads.
[[nodiscard]] std::vector<Trainee> national_trainees(const ScenarioOptions& options,
                                                     const Places& places);

}  // namespace balai::detail
