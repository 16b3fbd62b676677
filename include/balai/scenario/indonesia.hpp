// The built-in national scenario: a seeded, realistic Indonesia to plan with before real
// registrations exist. Facilities in the published numbers of each kind, spread over the
// 38 provinces in proportion to population; the entrepreneurship catalog; trainees
// living near regency seats (or province capitals); and the national program. The same
// options give the same Dataset on every platform and with any number of threads.
//
//   const Dataset world = balai::indonesia({.seed = 7, .trainees = 100'000}, regencies);
//
// docs/scenario.md lists the distributions and says which numbers are facts.
#pragma once

#include <cstdint>
#include <span>

#include "balai/core/regions.hpp"
#include "balai/model/dataset.hpp"
#include "balai/model/nik.hpp"
#include "balai/scenario/options.hpp"

namespace balai {

// A national scenario. With `regencies` (e.g. the 514 of the shared regencies.csv), the
// dataset holds that table and places facilities and trainees at regency seats weighted
// by population; a province the table does not cover, or every province without a table,
// is served from its capital. ValidationError naming the option for bad options, or the
// Dataset's ValidationError for a bad regency table.
[[nodiscard]] Dataset indonesia(const ScenarioOptions& options = {},
                                std::span<const Regency> regencies = {});

// The key that protects the scenario's synthetic NIKs, derived from the seed: the same
// seed gives the same digests, and no NIK is kept in clear.
[[nodiscard]] NikKey scenario_nik_key(std::uint64_t seed);

}  // namespace balai
