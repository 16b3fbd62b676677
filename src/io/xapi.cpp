#include "balai/io/xapi.hpp"
#include "balai/core/calendar.hpp"

#include <algorithm>
#include <charconv>
#include <ostream>
#include <sstream>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "balai/core/text.hpp"
#include "balai/tracking/ledger.hpp"
#include "json_writer.hpp"

namespace balai {
namespace {

using detail::JsonWriter;

// The name space of statement ids (a random UUID, fixed forever: changing it would change
// every id and make an LRS store every statement twice).
constexpr Uuid kStatementNamespace({0x9b, 0xfe, 0xf6, 0xf4, 0xef, 0x0b, 0x4c, 0xb1, 0xa2, 0x9b,
                                    0x90, 0x3b, 0x48, 0xd2, 0xb3, 0x0b});

constexpr std::string_view kVersion = "1.0.3";

struct Verb {
  std::string_view id;
  std::string_view display;  // en-US
};

constexpr Verb kRegistered{"http://adlnet.gov/expapi/verbs/registered", "registered"};
constexpr Verb kAttended{"http://adlnet.gov/expapi/verbs/attended", "attended"};
constexpr Verb kScored{"http://adlnet.gov/expapi/verbs/scored", "scored"};
constexpr Verb kWaived{"https://w3id.org/xapi/adl/verbs/waived", "waived"};
constexpr Verb kExited{"http://adlnet.gov/expapi/verbs/exited", "exited"};
constexpr Verb kVoided{"http://adlnet.gov/expapi/verbs/voided", "voided"};
constexpr Verb kCompleted{"http://adlnet.gov/expapi/verbs/completed", "completed"};
constexpr Verb kPassed{"http://adlnet.gov/expapi/verbs/passed", "passed"};
constexpr Verb kFailed{"http://adlnet.gov/expapi/verbs/failed", "failed"};
constexpr Verb kSatisfied{"https://w3id.org/xapi/adl/verbs/satisfied", "satisfied"};

constexpr std::string_view kCourseType = "http://adlnet.gov/expapi/activities/course";
constexpr std::string_view kModuleType = "http://adlnet.gov/expapi/activities/module";
constexpr std::string_view kMeetingType = "http://adlnet.gov/expapi/activities/meeting";

// The verb of an event's statement; none for the kinds xAPI has no fitting verb for
// (absent, excused) and for overrides, whose outcome the completion statements carry.
const Verb* event_verb(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::enrolled: return &kRegistered;
    case EventKind::attended: return &kAttended;
    case EventKind::assessed: return &kScored;
    case EventKind::waived: return &kWaived;
    case EventKind::withdrew: return &kExited;
    case EventKind::voided: return &kVoided;
    case EventKind::absent:
    case EventKind::excused:
    case EventKind::overridden: return nullptr;
  }
  return nullptr;
}

// The verb of a module's or a program's standing; none for the standings that are not a
// completion, and for `waived`, which its event's statement already says.
const Verb* status_verb(Status status, bool program) noexcept {
  switch (status) {
    case Status::completed: return program ? &kSatisfied : &kCompleted;
    case Status::passed: return &kPassed;
    case Status::failed: return &kFailed;
    default: return nullptr;
  }
}

// The ledger keeps scores in single precision and hands them back widened: a recorded
// 33.3 returns as 33.29999923706055. The float's shortest decimal form is the score that
// was recorded, so raw and scaled are computed from that.
double recorded_score(double value) {
  const auto single = static_cast<float>(value);
  if (static_cast<double>(single) != value) return value;
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, single).ptr;
  double decimal = value;
  std::from_chars(text, end, decimal);
  return decimal;
}

// The score out of 100 as a fraction, by moving the decimal point of its shortest form
// (33.3 -> 0.333) rather than dividing in binary (33.3 / 100 = 0.33299999999999996).
double scaled_score(double score) {
  char text[64];
  const auto [end, error] =
      std::to_chars(text, text + sizeof text - 3, score, std::chars_format::fixed);
  double scaled = score / 100.0;  // for the tiny scores whose fixed form does not fit
  if (error == std::errc()) {
    std::from_chars(text, std::copy_n("e-2", 3, end), scaled);
  }
  return scaled;
}

Uuid event_statement_id(const Uuid& name_space, EventId event) {
  return Uuid::v5(name_space, "event/" + std::to_string(event));
}

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

// Writes one statement after another into a JSON array, flushing each to the stream.
class StatementWriter {
 public:
  StatementWriter(std::ostream& out, const Ledger& ledger, const XapiOptions& options)
      : out_(out),
        roster_(ledger.roster()),
        options_(options),
        name_space_(Uuid::v5(kStatementNamespace, options.base_iri)) {
    json_.begin_array();
  }

  void finish() {
    json_.end_array();
    json_.flush_to(out_);
  }

  // A statement for `event` when its kind has a verb; returns whether it wrote one.
  bool event(const Event& event, const std::unordered_set<EventId>& exported) {
    const Verb* verb = event_verb(event.kind);
    if (verb == nullptr) return false;
    // A void of an event without a statement has nothing to void in the LRS.
    if (event.kind == EventKind::voided && !exported.contains(*event.target)) return false;

    begin(event_statement_id(name_space_, event.id), event.registration, *verb, event.time);
    switch (event.kind) {
      case EventKind::enrolled:
      case EventKind::withdrew: program_object(); break;
      case EventKind::attended:
        session_object(event.registration, *event.module, *event.session);
        break;
      case EventKind::voided:
        json_.key("object").begin_object();
        json_.member("objectType", "StatementRef");
        json_.member("id", event_statement_id(name_space_, *event.target).to_string());
        json_.end_object();
        break;
      default: module_object(*event.module); break;
    }
    if (event.kind == EventKind::assessed) {
      json_.key("result").begin_object();
      score(*event.score);
      json_.end_object();
    } else if (event.kind == EventKind::waived) {
      json_.key("result").begin_object();
      json_.member("success", true).member("completion", true);
      json_.end_object();
    }
    const bool below_program = event.kind == EventKind::attended ||
                               event.kind == EventKind::assessed || event.kind == EventKind::waived;
    context(event.registration, event.kind == EventKind::attended ? event.module : std::nullopt,
            below_program, event.kind != EventKind::voided);
    end();
    return true;
  }

  // A statement for a module's (or, with no module, the program's) standing.
  void completion(RegistrationIndex r, std::optional<ModuleIndex> module, Status status,
                  Timestamp time, std::optional<double> best_score) {
    const Verb* verb = status_verb(status, !module);
    if (verb == nullptr) return;
    // The id names what the statement says, so a changed standing gets a new statement
    // and an unchanged one the same id on every export.
    std::string name = "status/" + roster_.entry(r).id.to_string() + "/" +
                       (module ? "module/" + roster_.modules()[module->pos()].code : "program") +
                       "/" + std::string(name_of(status)) + "/" + std::to_string(time);
    if (best_score) {
      char digits[32];
      name += '/';
      name.append(digits, std::to_chars(digits, digits + sizeof digits, *best_score).ptr);
    }
    begin(Uuid::v5(name_space_, name), r, *verb, time);
    if (module) {
      module_object(*module);
    } else {
      program_object();
    }
    json_.key("result").begin_object();
    if (status == Status::passed || status == Status::failed) {
      json_.member("success", status == Status::passed);
    }
    if (status != Status::failed) json_.member("completion", true);
    if (best_score) score(*best_score);
    json_.end_object();
    context(r, std::nullopt, module.has_value(), true);
    end();
  }

 private:
  void begin(const Uuid& id, RegistrationIndex r, const Verb& verb, Timestamp time) {
    json_.begin_object();
    json_.member("id", id.to_string());
    json_.key("actor").begin_object();
    json_.member("objectType", "Agent");
    json_.key("account").begin_object();
    json_.member("homePage", options_.home_page);
    json_.member("name", roster_.entry(r).id.to_string());
    json_.end_object().end_object();
    json_.key("verb").begin_object();
    json_.member("id", verb.id);
    json_.key("display").begin_object().member("en-US", verb.display).end_object();
    json_.end_object();
    json_.member("timestamp", utc_timestamp(time));
    json_.member("version", kVersion);
  }

  void end() {
    json_.end_object();
    json_.flush_to(out_);
  }

  void activity(std::string_view id, std::string_view type, std::string_view name) {
    json_.begin_object();
    json_.member("objectType", "Activity");
    json_.member("id", id);
    json_.key("definition").begin_object();
    json_.member("type", type);
    if (!name.empty()) {
      json_.key("name").begin_object().member(options_.language, name).end_object();
    }
    json_.end_object();
    json_.end_object();
  }

  void program_object() {
    json_.key("object");
    activity(options_.base_iri + "/program", kCourseType, roster_.program_name());
  }

  void module_object(ModuleIndex m) {
    const Module& module = roster_.modules()[m.pos()];
    json_.key("object");
    activity(options_.base_iri + "/modules/" + detail::iri_segment(module.code), kModuleType,
             module.title);
  }

  void session_object(RegistrationIndex r, ModuleIndex m, int session) {
    const Cohort& cohort = roster_.cohort(*roster_.cohort(r, m));
    json_.key("object");
    activity(options_.base_iri + "/cohorts/" + detail::iri_segment(cohort.code) + "/sessions/" +
                 std::to_string(session),
             kMeetingType, {});
  }

  void score(double stored) {
    const double value = recorded_score(stored);
    json_.key("score").begin_object();
    json_.member("scaled", scaled_score(value)).member("raw", value);
    json_.member("min", 0).member("max", 100);
    json_.end_object();
  }

  // context.registration, and the activities a statement belongs to: the module of a
  // session (parent) and the program (grouping) of anything below it. The platform only
  // when the object is an Activity: xAPI 1.0.3 (Data 2.4.6) forbids it otherwise, and a
  // strict LRS refuses the statement (a void's object is a StatementRef).
  void context(RegistrationIndex r, std::optional<ModuleIndex> parent, bool in_program,
               bool activity_object) {
    json_.key("context").begin_object();
    json_.member("registration", roster_.entry(r).id.to_string());
    if (activity_object) json_.member("platform", "balai");
    if (parent || in_program) {
      json_.key("contextActivities").begin_object();
      if (parent) {
        json_.key("parent").begin_array();
        reference(options_.base_iri + "/modules/" +
                  detail::iri_segment(roster_.modules()[parent->pos()].code));
        json_.end_array();
      }
      if (in_program) {
        json_.key("grouping").begin_array();
        reference(options_.base_iri + "/program");
        json_.end_array();
      }
      json_.end_object();
    }
    json_.end_object();
  }

  void reference(const std::string& id) {
    json_.begin_object().member("objectType", "Activity").member("id", id).end_object();
  }

  std::ostream& out_;
  const Roster& roster_;
  const XapiOptions& options_;
  Uuid name_space_;
  JsonWriter json_;
};

// The latest live event time per registration and per (registration, module slot): the
// time a failure became known, which a ModuleState does not keep.
struct LatestTimes {
  std::vector<std::optional<Timestamp>> program;
  std::vector<std::vector<std::optional<Timestamp>>> modules;  // per registration, per slot

  explicit LatestTimes(const Roster& roster)
      : program(roster.registration_count()), modules(roster.registration_count()) {
    for (std::size_t r = 0; r < modules.size(); ++r) {
      modules[r].resize(roster.required(RegistrationIndex(static_cast<std::uint32_t>(r))).size());
    }
  }

  void note(const Roster& roster, const Event& event) {
    const auto r = event.registration.pos();
    program[r] = std::max(program[r].value_or(event.time), event.time);
    if (!event.module) return;
    if (const auto slot = roster.slot(event.registration, *event.module)) {
      auto& latest = modules[r][*slot];
      latest = std::max(latest.value_or(event.time), event.time);
    }
  }
};

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

void write_xapi_statements(std::ostream& out, const Ledger& ledger, const XapiOptions& options) {
  if (auto problems = check(options); !problems.empty()) {
    throw ValidationError(std::move(problems));
  }
  const Roster& roster = ledger.roster();
  StatementWriter writer(out, ledger, options);
  std::unordered_set<EventId> exported;
  LatestTimes latest(roster);
  for (std::size_t position = 0; position < ledger.size(); ++position) {
    const Event event = ledger.event(position);
    if (options.as_of && event.time > *options.as_of) continue;
    if (!ledger.is_voided(position) && event.kind != EventKind::voided) {
      latest.note(roster, event);
    }
    // A void is never the target of a statement's void: xAPI forbids voiding a void.
    if (options.events && writer.event(event, exported) && event.kind != EventKind::voided) {
      exported.insert(event.id);
    }
  }
  if (options.completions) {
    const Statuses statuses = ledger.statuses(options.as_of);
    for (std::uint32_t r = 0; r < statuses.size(); ++r) {
      const RegistrationIndex registration(r);
      const auto required = roster.required(registration);
      const auto modules = statuses.modules(registration);
      for (std::size_t slot = 0; slot < modules.size(); ++slot) {
        const ModuleState& state = modules[slot];
        // A failure has no done_at: it is known from the module's last event or, without
        // one (a deadline passed), from the registration's.
        const auto time = state.done_at             ? state.done_at
                          : latest.modules[r][slot] ? latest.modules[r][slot]
                                                    : latest.program[r];
        if (time) {
          writer.completion(registration, required[slot], state.status, *time, state.best_score);
        }
      }
      const ProgramState& program = statuses.program(registration);
      const auto time = program.completed_at ? program.completed_at : latest.program[r];
      if (time) writer.completion(registration, std::nullopt, program.status, *time, {});
    }
  }
  writer.finish();
  if (!out) throw Error("writing xAPI statements failed: the stream reports an error");
}

std::string xapi_statements(const Ledger& ledger, const XapiOptions& options) {
  std::ostringstream out;
  write_xapi_statements(out, ledger, options);
  return std::move(out).str();
}

Uuid xapi_statement_id(const XapiOptions& options, EventId event) {
  return event_statement_id(Uuid::v5(kStatementNamespace, options.base_iri), event);
}

}  // namespace balai
