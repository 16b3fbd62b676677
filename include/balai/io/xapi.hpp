// A ledger as xAPI 1.0.3 statements (JSON), for a Learning Record Store: one statement
// per event that has an xAPI verb, then one per completion the statuses show (modules
// completed, passed or failed; programs completed). See docs/exports.md for the mapping.
//
// No personal data leaves: the actor is an Agent whose account name is the registration
// UUID under the registration system's homePage, and reasons (free text) are left out.
// Statement ids are name-based UUIDs of the options that shape a statement (base IRI,
// home page, language) and of the event id (or, for a completion, of what it states and
// the newest event it rests on), so exporting the same ledger twice gives the same
// statements, an LRS that already holds one keeps it once, and no two different
// statements share an id.
//
// Incremental export (XapiOptions::since) sends what changed since an earlier export,
// including voids of the completions it sent that no longer hold, so that an LRS fed
// export after export holds the completions the ledger shows.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/tracking/event.hpp"
#include "balai/tracking/roster.hpp"

BALAI_EXPORT_BEGIN
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
  // What changed since an earlier export with the same options that covered the ledger's
  // first `since` events (its XapiExport::position()): statements for the events recorded
  // after them, for the completions that are new, and voids of the completion statements
  // it sent that no longer hold. 0: everything. Not with as_of.
  std::size_t since = 0;

  friend bool operator==(const XapiOptions&, const XapiOptions&) = default;
};

// Everything wrong with the options, each problem naming its field; empty when valid.
[[nodiscard]] std::vector<Problem> check(const XapiOptions& options);

// The statements of a ledger one at a time, for exports in batches of bounded memory.
// It covers the events recorded when it is made; the ledger must outlive it, and events
// appended meanwhile wait for the next export (since = position()).
class XapiExport {
 public:
  // ValidationError for bad options, or a `since` past the ledger's events.
  XapiExport(const Ledger& ledger, XapiOptions options);
  XapiExport(XapiExport&&) noexcept;
  XapiExport& operator=(XapiExport&&) noexcept;
  ~XapiExport();

  // The ledger's events the export covers: `since` for the next incremental export.
  [[nodiscard]] std::size_t position() const noexcept;
  // The next statement as a JSON object, or nothing once every statement is out.
  [[nodiscard]] std::optional<std::string> next();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The statements as one JSON array. ValidationError for bad options.
[[nodiscard]] std::string xapi_statements(const Ledger& ledger, const XapiOptions& options);
// The same text written to `out` statement by statement, for ledgers too large to hold
// as one string. balai::Error if the stream fails.
void write_xapi_statements(std::ostream& out, const Ledger& ledger, const XapiOptions& options);

// The id of the statement for the event with this id under these options (whether or not
// its kind has one).
[[nodiscard]] Uuid xapi_statement_id(const XapiOptions& options, EventId event);

}  // namespace balai
BALAI_EXPORT_END
