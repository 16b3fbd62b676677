// One xAPI 1.0.3 statement as JSON: for an event, for a standing (a completion) and for
// the void of a standing an earlier export sent that no longer holds. The export
// (xapi.cpp) decides which statements to make; this says what each one says.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "balai/io/xapi.hpp"
#include "balai/tracking/ledger.hpp"
#include "json_writer.hpp"

namespace balai::detail {

// A module's (or, without a module, the program's) standing as a completion statement
// states it. `evidence` says which events could have taken it back so far (xapi.cpp,
// History): part of the statement's id, so that a standing taken back and later
// restored gets a new id rather than one the LRS already holds voided.
struct Completion {
  RegistrationIndex registration{};
  std::optional<ModuleIndex> module{};
  Status status = Status::registered;
  Timestamp time = kEarliestTime;
  std::optional<double> best_score{};
  std::size_t evidence = 0;

  friend bool operator==(const Completion&, const Completion&) = default;
};

// Whether a standing has a completion statement: completed, passed, failed (a `waived`
// module is said by its event's statement).
[[nodiscard]] bool states_completion(Status status) noexcept;

// The name space of one export's statement ids: everything the options put in a statement.
[[nodiscard]] Uuid statement_name_space(const XapiOptions& options);
// The id of an event's statement in the name space.
[[nodiscard]] Uuid event_statement_id(const Uuid& name_space, EventId event);

struct Verb {
  std::string_view id;
  std::string_view display;  // en-US
};

class StatementBuilder {
 public:
  StatementBuilder(const Roster& roster, const XapiOptions& options);

  // The event's statement; nothing for the kinds xAPI has no verb for.
  [[nodiscard]] std::optional<std::string> event(const Event& event) const;
  [[nodiscard]] std::string completion(const Completion& completion) const;
  // The void of `completion`'s statement, dated `time` (the ledger's clock).
  [[nodiscard]] std::string void_of(const Completion& completion, Timestamp time) const;

  [[nodiscard]] Uuid event_id(EventId event) const {
    return event_statement_id(name_space_, event);
  }
  [[nodiscard]] Uuid completion_id(const Completion& completion) const;

 private:
  void begin(JsonWriter& json, const Uuid& id, RegistrationIndex r, const Verb& verb,
             Timestamp time) const;
  void activity(JsonWriter& json, std::string_view id, std::string_view type,
                std::string_view name) const;
  void program_object(JsonWriter& json) const;
  void module_object(JsonWriter& json, ModuleIndex m) const;
  void session_object(JsonWriter& json, RegistrationIndex r, ModuleIndex m, int session) const;
  void statement_ref(JsonWriter& json, const Uuid& target) const;
  void context(JsonWriter& json, RegistrationIndex r, std::optional<ModuleIndex> parent,
               bool in_program, bool activity_object) const;

  const Roster& roster_;
  const XapiOptions& options_;
  Uuid name_space_;
};

}  // namespace balai::detail
