// Ledger ingest from the embedder's own event records: any input range, each record
// turned into a balai::Event by a projection (which maps the service's ids to the
// roster's, e.g. with Roster::find_registration), appended as one batch.
//
//   balai::generic::append(ledger, attendance_rows, [&](const Row& row) {
//     return balai::Event{.id = row.serial, .kind = balai::EventKind::attended,
//                         .registration = *roster.find_registration(row.registration),
//                         .module = row.module, .session = row.session, .time = row.at,
//                         .actor = row.device};
//   });
#pragma once

#include <concepts>
#include <functional>
#include <ranges>
#include <span>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/core/projection.hpp"
#include "balai/tracking/ledger.hpp"

BALAI_EXPORT_BEGIN
namespace balai::generic {

// Appends every record's event, all or nothing, as Ledger::append does (ValidationError
// or ConflictError naming each bad event by its batch position and id). The records are
// read once; a sized range is reserved for up front.
template <std::ranges::input_range Records, class ToEvent>
requires std::convertible_to<projected_t<ToEvent, Records>, Event> AppendResult
append(Ledger& ledger, Records&& records, ToEvent to_event) {
  std::vector<Event> events;
  if constexpr (std::ranges::sized_range<Records>) events.reserve(std::ranges::size(records));
  for (auto&& record : records) events.push_back(std::invoke(to_event, record));
  return ledger.append(std::span<const Event>(events));
}

}  // namespace balai::generic
BALAI_EXPORT_END
