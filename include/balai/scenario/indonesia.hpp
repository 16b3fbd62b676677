// The built-in national scenario: a seeded, realistic Indonesia to plan with before real
// registrations exist. Facilities in the published numbers of each kind, spread over the
// 38 provinces in proportion to population; the entrepreneurship catalog; trainees
// living near the seats of the 514 regencies and cities (or of a caller's regency table);
// and the national program. The same options give the same Dataset on every platform and
// with any number of threads.
//
//   const Dataset world = balai::indonesia({.seed = 7, .trainees = 100'000});
//
// docs/scenario.md lists the distributions and says which numbers are facts.
#pragma once

#include <cstdint>
#include <span>

#include "balai/core/export.hpp"
#include "balai/core/regions.hpp"
#include "balai/model/dataset.hpp"
#include "balai/model/nik.hpp"
#include "balai/scenario/options.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// A national scenario over the embedded regency table (indonesia_regencies()): the
// dataset holds the 514 regencies, and facilities and trainees sit at regency seats
// weighted by population. ValidationError naming the option for bad options.
[[nodiscard]] Dataset indonesia(const ScenarioOptions& options = {});

// The same over the caller's `regencies`, which replace the embedded table. A province the
// table does not cover is served from its capital, so an empty table gives the old
// scenario of trainees around the 38 capitals. The Dataset's ValidationError for a bad
// regency table.
[[nodiscard]] Dataset indonesia(const ScenarioOptions& options, std::span<const Regency> regencies);

// The key that protects the scenario's synthetic NIKs, derived from the seed: the same
// seed gives the same digests, and no NIK is kept in clear.
[[nodiscard]] NikKey scenario_nik_key(std::uint64_t seed);

}  // namespace balai
BALAI_EXPORT_END
