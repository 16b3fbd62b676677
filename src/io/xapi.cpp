#include "balai/io/xapi.hpp"

#include <algorithm>
#include <ostream>
#include <sstream>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "balai/core/text.hpp"
#include "balai/tracking/ledger.hpp"
#include "xapi_statement.hpp"

namespace balai {
namespace {

using detail::Completion;

bool is_language_tag(std::string_view tag) noexcept {
  // RFC 5646 in its common shape: a 2-8 letter primary subtag, then 1-8 alphanumeric ones.
  std::size_t start = 0;
  bool primary = true;
  while (start <= tag.size()) {
    const auto end = std::min(tag.find('-', start), tag.size());
    const auto subtag = tag.substr(start, end - start);
    const bool letters = std::all_of(subtag.begin(), subtag.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
    const bool alphanumeric = std::all_of(subtag.begin(), subtag.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
    if (subtag.empty() || subtag.size() > 8 ||
        !(primary ? letters && subtag.size() >= 2 : alphanumeric)) {
      return false;
    }
    primary = false;
    start = end + 1;
  }
  return true;
}

// What the completion statements rest on, from one pass over the events: per registration
// and per (registration, module slot), the latest live event time (when a failure became
// known, which a ModuleState does not keep) and the newest position of an event that
// concerns it (Completion::evidence; 0: none, else position + 1): the module's events,
// the registration's own (a withdrawal) and the voids of either. Any of them can take a
// standing back (a session marked absent after all, a void, an override), so a standing
// restored as it was rests on a newer one and gets a new id; the price is that a
// completion statement is sent again, the earlier one voided, when a later event of its
// module arrives.
struct History {
  std::vector<std::optional<Timestamp>> program_time;
  std::vector<std::vector<std::optional<Timestamp>>> module_time;  // per registration, slot
  std::vector<std::size_t> program_evidence;                       // any of the registration's
  std::vector<std::size_t> registration_evidence;                  // its events without a module
  std::vector<std::vector<std::size_t>> module_evidence;           // per registration, slot

  History(const Ledger& ledger, std::optional<Timestamp> as_of) {
    const Roster& roster = ledger.roster();
    const std::size_t registrations = roster.registration_count();
    program_time.resize(registrations);
    module_time.resize(registrations);
    program_evidence.assign(registrations, 0);
    registration_evidence.assign(registrations, 0);
    module_evidence.resize(registrations);
    for (std::size_t r = 0; r < registrations; ++r) {
      const auto slots = roster.required(RegistrationIndex(static_cast<std::uint32_t>(r))).size();
      module_time[r].resize(slots);
      module_evidence[r].assign(slots, 0);
    }
    for (std::size_t position = 0; position < ledger.size(); ++position) {
      const Event event = ledger.event(position);
      if (as_of && event.time > *as_of) continue;
      if (!ledger.is_voided(position) && event.kind != EventKind::voided) {
        note_time(roster, event);
      }
      // A void concerns what its target concerned.
      const bool void_event = event.kind == EventKind::voided;
      note_evidence(roster, void_event ? ledger.event(*ledger.find(*event.target)) : event,
                    position + 1);
    }
  }

  [[nodiscard]] std::size_t module_rests_on(RegistrationIndex r, std::size_t slot) const {
    return std::max(module_evidence[r.pos()][slot], registration_evidence[r.pos()]);
  }

 private:
  void note_time(const Roster& roster, const Event& event) {
    const auto r = event.registration.pos();
    program_time[r] = std::max(program_time[r].value_or(event.time), event.time);
    if (!event.module) return;
    if (const auto slot = roster.slot(event.registration, *event.module)) {
      auto& latest = module_time[r][*slot];
      latest = std::max(latest.value_or(event.time), event.time);
    }
  }

  void note_evidence(const Roster& roster, const Event& event, std::size_t evidence) {
    const auto r = event.registration.pos();
    program_evidence[r] = evidence;
    if (!event.module) {
      registration_evidence[r] = evidence;
    } else if (const auto slot = roster.slot(event.registration, *event.module)) {
      module_evidence[r][*slot] = evidence;
    }
  }
};

// Every standing with a completion statement, in registration order, each module before
// the program.
std::vector<Completion> completions_of(const Ledger& ledger, std::optional<Timestamp> as_of,
                                       const Statuses& statuses) {
  const Roster& roster = ledger.roster();
  const History history(ledger, as_of);
  std::vector<Completion> completions;
  for (std::uint32_t r = 0; r < statuses.size(); ++r) {
    const RegistrationIndex registration(r);
    const auto required = roster.required(registration);
    const auto modules = statuses.modules(registration);
    for (std::size_t slot = 0; slot < modules.size(); ++slot) {
      const ModuleState& state = modules[slot];
      // A failure has no done_at: it is known from the module's last event or, without
      // one (a deadline passed), from the registration's.
      const auto time = state.done_at                  ? state.done_at
                        : history.module_time[r][slot] ? history.module_time[r][slot]
                                                       : history.program_time[r];
      if (time && detail::states_completion(state.status)) {
        completions.push_back({registration, required[slot], state.status, *time, state.best_score,
                               history.module_rests_on(registration, slot)});
      }
    }
    const ProgramState& program = statuses.program(registration);
    const auto time = program.completed_at ? program.completed_at : history.program_time[r];
    if (time && detail::states_completion(program.status)) {
      completions.push_back(
          {registration, std::nullopt, program.status, *time, {}, history.program_evidence[r]});
    }
  }
  return completions;
}

// The ledger's first `count` events as a ledger of their own: what an earlier export saw.
Ledger prefix_of(const Ledger& ledger, std::size_t count) {
  std::vector<Event> events;
  events.reserve(count);
  for (std::size_t position = 0; position < count; ++position) {
    events.push_back(ledger.event(position));
  }
  Ledger prefix(ledger.roster(), ledger.options());
  prefix.append(events);
  return prefix;
}

}  // namespace

std::vector<Problem> check(const XapiOptions& options) {
  std::vector<Problem> problems;
  const std::string where = "xAPI options";
  if (!detail::is_absolute_iri(options.base_iri) || options.base_iri.ends_with('/')) {
    problems.push_back({where, "base_iri", printable(options.base_iri),
                        "must be an absolute IRI without a trailing '/'"});
  }
  if (!(options.home_page.starts_with("https://") || options.home_page.starts_with("http://")) ||
      !detail::is_absolute_iri(options.home_page)) {
    problems.push_back(
        {where, "home_page", printable(options.home_page), "must be an absolute http(s) URL"});
  }
  if (!is_language_tag(options.language)) {
    problems.push_back(
        {where, "language", printable(options.language), "must be a language tag like id-ID"});
  }
  return problems;
}

struct XapiExport::State {
  State(const Ledger& of, XapiOptions with)
      : ledger(of),
        options(std::move(with)),
        builder(of.roster(), options),
        end(of.size()),
        position(options.since) {}

  const Ledger& ledger;
  const XapiOptions options;
  const detail::StatementBuilder builder;
  const std::size_t end;                   // the ledger's events when the export was made
  std::size_t position;                    // the next event to export
  std::unordered_set<EventId> exported{};  // events with a statement, voids aside
  std::vector<Completion> voided{};        // sent earlier, no longer holding
  std::vector<Completion> completions{};   // new since the earlier export
  std::size_t next_void = 0;
  std::size_t next_completion = 0;
  Timestamp clock = kEarliestTime;  // the ledger's: the time of the voids

  // The next event's statement, if any is left.
  std::optional<std::string> next_event() {
    while (options.events && position < end) {
      const Event event = ledger.event(position++);
      if (options.as_of && event.time > *options.as_of) continue;
      if (auto statement = event_statement(event)) return statement;
    }
    return std::nullopt;
  }

  // A void of an event without a statement has nothing to void in the LRS, and a void is
  // never the target of one: xAPI forbids voiding a void.
  std::optional<std::string> event_statement(const Event& event) {
    if (event.kind == EventKind::voided && !exported.contains(*event.target)) {
      return std::nullopt;
    }
    auto statement = builder.event(event);
    if (statement && event.kind != EventKind::voided) exported.insert(event.id);
    return statement;
  }
};

XapiExport::XapiExport(const Ledger& ledger, XapiOptions options) {
  std::vector<Problem> problems = check(options);
  if (options.since > ledger.size()) {
    problems.push_back(
        {"xAPI options", "since", std::to_string(options.since),
         "must be at most the ledger's " + std::to_string(ledger.size()) + " events"});
  }
  if (options.since > 0 && options.as_of) {
    problems.push_back({"xAPI options", "since", std::to_string(options.since),
                        "cannot be combined with as_of: an incremental export covers every "
                        "event recorded"});
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
  state_ = std::make_unique<State>(ledger, std::move(options));
  State& state = *state_;
  for (std::size_t position = 0; position < state.options.since; ++position) {
    (void)state.event_statement(ledger.event(position));
  }
  if (!state.options.completions) return;
  const Statuses now = ledger.statuses(state.options.as_of);
  state.clock = now.as_of();
  state.completions = completions_of(ledger, state.options.as_of, now);
  if (state.options.since == 0) return;
  const Ledger earlier = prefix_of(ledger, state.options.since);
  const auto ids = [&](const std::vector<Completion>& completions) {
    std::unordered_set<std::string> set;
    for (const auto& completion : completions) {
      set.insert(state.builder.completion_id(completion).to_string());
    }
    return set;
  };
  std::vector<Completion> sent = completions_of(earlier, std::nullopt, earlier.statuses());
  const auto holding = ids(state.completions);
  const auto sent_ids = ids(sent);
  std::erase_if(sent, [&](const Completion& c) {
    return holding.contains(state.builder.completion_id(c).to_string());
  });
  state.voided = std::move(sent);
  std::erase_if(state.completions, [&](const Completion& c) {
    return sent_ids.contains(state.builder.completion_id(c).to_string());
  });
}

XapiExport::XapiExport(XapiExport&&) noexcept = default;
XapiExport& XapiExport::operator=(XapiExport&&) noexcept = default;
XapiExport::~XapiExport() = default;

std::size_t XapiExport::position() const noexcept { return state_->end; }

std::optional<std::string> XapiExport::next() {
  State& state = *state_;
  if (auto statement = state.next_event()) return statement;
  if (state.next_void < state.voided.size()) {
    return state.builder.void_of(state.voided[state.next_void++], state.clock);
  }
  if (state.next_completion < state.completions.size()) {
    return state.builder.completion(state.completions[state.next_completion++]);
  }
  return std::nullopt;
}

void write_xapi_statements(std::ostream& out, const Ledger& ledger, const XapiOptions& options) {
  XapiExport statements(ledger, options);
  out << '[';
  for (bool first = true; auto statement = statements.next(); first = false) {
    if (!first) out << ',';
    out << *statement;
  }
  out << ']';
  if (!out) throw Error("writing xAPI statements failed: the stream reports an error");
}

std::string xapi_statements(const Ledger& ledger, const XapiOptions& options) {
  std::ostringstream out;
  write_xapi_statements(out, ledger, options);
  return std::move(out).str();
}

Uuid xapi_statement_id(const XapiOptions& options, EventId event) {
  return detail::event_statement_id(detail::statement_name_space(options), event);
}

}  // namespace balai
