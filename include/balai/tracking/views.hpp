// Lazy views over a ledger, on range-v3 (see balai/model/views.hpp): one registration's
// events, found through the ledger's per-registration index rather than by reading every
// event. The view borrows the ledger, which must outlive it; events appended after the
// view was made are not in it.
//
//   for (const balai::Event& event : balai::views::events_of(ledger, registration)) {
//     show(event.kind, event.time);
//   }
#pragma once

#include <cstddef>
#include <range/v3/view/iota.hpp>
#include <range/v3/view/transform.hpp>
#include <utility>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/tracking/ledger.hpp"

BALAI_EXPORT_BEGIN
namespace balai::views {

// The registration's events in arrival order, voided ones included (ledger.is_voided at
// the same position tells), each an Event made when reached. UnknownReferenceError for a
// registration outside the roster.
[[nodiscard]] inline auto events_of(const Ledger& ledger, RegistrationIndex registration) {
  std::vector<std::size_t> positions = ledger.positions_of(registration);
  const std::size_t count = positions.size();
  return ranges::views::iota(std::size_t{0}, count) |
         ranges::views::transform([&ledger, positions = std::move(positions)](std::size_t i) {
           return ledger.event(positions[i]);
         });
}

}  // namespace balai::views
BALAI_EXPORT_END
