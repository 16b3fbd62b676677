// A ledger as xAPI 1.0.3 statements (JSON), for a Learning Record Store: one statement
// per event that has an xAPI verb, then one per completion the statuses show (modules
// completed, passed or failed; programs completed). See docs/exports.md for the mapping.
//
// No personal data leaves: the actor is an Agent whose account name is the registration
// UUID under the registration system's homePage, and reasons (free text) are left out.
// Statement ids are name-based UUIDs of the base IRI and the event id (or, for a
// completion, of what it states), so exporting the same ledger twice gives the same
// statements, and an LRS that already holds one keeps it once.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/tracking/event.hpp"
#include "balai/tracking/roster.hpp"

namespace balai {

class Ledger;

struct XapiOptions {
  // Activities are named under it: <base_iri>/program, <base_iri>/modules/<code>,
  // <base_iri>/cohorts/<code>/sessions/<n>. An absolute IRI without a trailing '/', one
  // per program run (statement ids depend on it).
  std::string base_iri{};
  // The account homePage of every actor: the registration system that knows the UUIDs.
  std::string home_page{};
  std::string language = "id-ID";  // the language tag of activity names
  // Only events with time <= as_of, and statuses as of then; everything when empty.
  std::optional<Timestamp> as_of{};
  bool events = true;       // statements for events
  bool completions = true;  // statements for completions

  friend bool operator==(const XapiOptions&, const XapiOptions&) = default;
};

// Everything wrong with the options, each problem naming its field; empty when valid.
[[nodiscard]] std::vector<Problem> check(const XapiOptions& options);

// The statements as one JSON array. ValidationError for bad options.
[[nodiscard]] std::string xapi_statements(const Ledger& ledger, const XapiOptions& options);
// The same text written to `out` statement by statement, for ledgers too large to hold
// as one string. balai::Error if the stream fails.
void write_xapi_statements(std::ostream& out, const Ledger& ledger, const XapiOptions& options);

// The id of the statement for the event with this id (whether or not its kind has one).
[[nodiscard]] Uuid xapi_statement_id(const XapiOptions& options, EventId event);

}  // namespace balai
