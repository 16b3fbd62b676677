// The entrepreneurship-training catalog of the built-in scenario and the national
// program it runs in. The modules follow the topics the ministries' curricula cover
// (mindset, bookkeeping, costing, digital marketing, packaging, licensing, legality,
// finance) plus practical production modules that need a workshop; the feature tags
// below are the vocabulary facilities and modules share.
#pragma once

#include <string_view>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/model/module.hpp"
#include "balai/model/program.hpp"
#include "balai/scenario/options.hpp"

BALAI_EXPORT_BEGIN
namespace balai::feature {

inline constexpr std::string_view kClassroom = "classroom";
inline constexpr std::string_view kComputerLab = "computer_lab";
// Vocational workshops (kejuruan) that the practical modules need.
inline constexpr std::string_view kKitchen = "kitchen";                 // tata boga
inline constexpr std::string_view kSewing = "sewing";                   // menjahit, garmen
inline constexpr std::string_view kCraftWorkshop = "craft_workshop";    // kriya
inline constexpr std::string_view kAgroProcessing = "agro_processing";  // hasil pertanian
inline constexpr std::string_view kRepairWorkshop = "repair_workshop";  // otomotif, elektronika

}  // namespace balai::feature

namespace balai {

// The catalog in prerequisite order. Both tracks require orientation, mindset,
// bookkeeping, costing, digital marketing, legality and finance; `new_entrepreneur` adds
// the business model and a business plan, `umkm_owner` adds packaging, halal and product
// licensing and a growth plan. Practical modules belong to no track (they are chosen by
// sector) and are left out when `include_practical` is false, so that a scenario
// without workshops can still host every module.
[[nodiscard]] std::vector<Module> entrepreneurship_modules(bool include_practical = true);

// The national program: the two ministries, the target range, a pilot phase of
// `pilot_weeks` from `start_date` and a rollout phase of `rollout_weeks` right after it.
// The options must have passed `check`.
[[nodiscard]] Program national_program(const ScenarioOptions& options);

}  // namespace balai
BALAI_EXPORT_END
