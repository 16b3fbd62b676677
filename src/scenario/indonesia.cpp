#include "balai/scenario/indonesia.hpp"

#include <vector>

#include "balai/scenario/catalog.hpp"
#include "balai/scenario/random.hpp"
#include "facilities.hpp"
#include "places.hpp"
#include "trainees.hpp"

namespace balai {

Dataset indonesia(const ScenarioOptions& options) {
  return indonesia(options, indonesia_regencies());
}

Dataset indonesia(const ScenarioOptions& options, std::span<const Regency> regencies) {
  if (auto problems = check(options); !problems.empty()) throw ValidationError(std::move(problems));
  Dataset dataset(std::vector<Regency>(regencies.begin(), regencies.end()));
  // Places from the dataset's sorted table, so that the order of the input plays no part.
  const detail::Places places(dataset.regencies());
  Batch batch;
  batch.facilities = detail::national_facilities(options, places);
  batch.modules = entrepreneurship_modules();
  batch.trainees = detail::national_trainees(options, places);
  batch.program = national_program(options);
  dataset.add(std::move(batch));
  return dataset;
}

NikKey scenario_nik_key(std::uint64_t seed) {
  constexpr std::uint64_t kNikPurpose = 0x4e494b2d'4b455900ULL;  // "NIK-KEY"
  SplitMix64 words(mix64(seed ^ kNikPurpose));
  std::vector<std::uint8_t> bytes;
  for (int word = 0; word < 4; ++word) {
    const std::uint64_t value = words.next();
    for (int shift = 0; shift < 64; shift += 8) {
      bytes.push_back(static_cast<std::uint8_t>(value >> shift));
    }
  }
  return NikKey(std::move(bytes));
}

}  // namespace balai
