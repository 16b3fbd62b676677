#include "xapi_statement.hpp"

#include <algorithm>
#include <charconv>

#include "balai/core/calendar.hpp"

namespace balai::detail {
namespace {

// The name space of statement ids (a random UUID, fixed forever: changing it would change
// every id and make an LRS store every statement twice).
constexpr Uuid kStatementNamespace({0x9b, 0xfe, 0xf6, 0xf4, 0xef, 0x0b, 0x4c, 0xb1, 0xa2, 0x9b,
                                    0x90, 0x3b, 0x48, 0xd2, 0xb3, 0x0b});

constexpr std::string_view kVersion = "1.0.3";

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

const Verb& status_verb(Status status, bool program) noexcept {
  switch (status) {
    case Status::passed: return kPassed;
    case Status::failed: return kFailed;
    default: return program ? kSatisfied : kCompleted;
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

void score(JsonWriter& json, double stored) {
  const double value = recorded_score(stored);
  json.key("score").begin_object();
  json.member("scaled", scaled_score(value)).member("raw", value);
  json.member("min", 0).member("max", 100);
  json.end_object();
}

void reference(JsonWriter& json, const std::string& id) {
  json.begin_object().member("objectType", "Activity").member("id", id).end_object();
}

std::string finished(JsonWriter& json) {
  json.end_object();
  return json.text();
}

}  // namespace

bool states_completion(Status status) noexcept {
  return status == Status::completed || status == Status::passed || status == Status::failed;
}

// Space and newline appear in no IRI or language tag, so the joined text names one set of
// options only.
Uuid statement_name_space(const XapiOptions& options) {
  return Uuid::v5(kStatementNamespace,
                  options.base_iri + ' ' + options.home_page + ' ' + options.language);
}

StatementBuilder::StatementBuilder(const Roster& roster, const XapiOptions& options)
    : roster_(roster), options_(options), name_space_(statement_name_space(options)) {}

Uuid event_statement_id(const Uuid& name_space, EventId event) {
  return Uuid::v5(name_space, "event/" + std::to_string(event));
}

// The id names what the statement says, so a changed standing gets a new statement and
// an unchanged one the same id on every export.
Uuid StatementBuilder::completion_id(const Completion& completion) const {
  const auto r = completion.registration;
  std::string name =
      "status/" + roster_.entry(r).id.to_string() + "/" +
      (completion.module ? "module/" + roster_.modules()[completion.module->pos()].code
                         : "program") +
      "/" + std::string(name_of(completion.status)) + "/" + std::to_string(completion.time);
  if (completion.best_score) {
    char digits[32];
    name += '/';
    name.append(digits, std::to_chars(digits, digits + sizeof digits, *completion.best_score).ptr);
  }
  name += "/evidence/" + std::to_string(completion.evidence);
  return Uuid::v5(name_space_, name);
}

std::optional<std::string> StatementBuilder::event(const Event& event) const {
  const Verb* verb = event_verb(event.kind);
  if (verb == nullptr) return std::nullopt;
  JsonWriter json;
  begin(json, event_id(event.id), event.registration, *verb, event.time);
  switch (event.kind) {
    case EventKind::enrolled:
    case EventKind::withdrew: program_object(json); break;
    case EventKind::attended:
      session_object(json, event.registration, *event.module, *event.session);
      break;
    case EventKind::voided: statement_ref(json, event_id(*event.target)); break;
    default: module_object(json, *event.module); break;
  }
  if (event.kind == EventKind::assessed) {
    json.key("result").begin_object();
    score(json, *event.score);
    json.end_object();
  } else if (event.kind == EventKind::waived) {
    json.key("result").begin_object();
    json.member("success", true).member("completion", true);
    json.end_object();
  }
  const bool below_program = event.kind == EventKind::attended ||
                             event.kind == EventKind::assessed || event.kind == EventKind::waived;
  context(json, event.registration, event.kind == EventKind::attended ? event.module : std::nullopt,
          below_program, event.kind != EventKind::voided);
  return finished(json);
}

std::string StatementBuilder::completion(const Completion& completion) const {
  JsonWriter json;
  begin(json, completion_id(completion), completion.registration,
        status_verb(completion.status, !completion.module), completion.time);
  if (completion.module) {
    module_object(json, *completion.module);
  } else {
    program_object(json);
  }
  json.key("result").begin_object();
  if (completion.status == Status::passed || completion.status == Status::failed) {
    json.member("success", completion.status == Status::passed);
  }
  if (completion.status != Status::failed) json.member("completion", true);
  if (completion.best_score) score(json, *completion.best_score);
  json.end_object();
  context(json, completion.registration, std::nullopt, completion.module.has_value(), true);
  return finished(json);
}

std::string StatementBuilder::void_of(const Completion& completion, Timestamp time) const {
  const Uuid target = completion_id(completion);
  JsonWriter json;
  begin(json, Uuid::v5(name_space_, "void/" + target.to_string()), completion.registration, kVoided,
        time);
  statement_ref(json, target);
  context(json, completion.registration, std::nullopt, false, false);
  return finished(json);
}

void StatementBuilder::begin(JsonWriter& json, const Uuid& id, RegistrationIndex r,
                             const Verb& verb, Timestamp time) const {
  json.begin_object();
  json.member("id", id.to_string());
  json.key("actor").begin_object();
  json.member("objectType", "Agent");
  json.key("account").begin_object();
  json.member("homePage", options_.home_page);
  json.member("name", roster_.entry(r).id.to_string());
  json.end_object().end_object();
  json.key("verb").begin_object();
  json.member("id", verb.id);
  json.key("display").begin_object().member("en-US", verb.display).end_object();
  json.end_object();
  json.member("timestamp", utc_timestamp(time));
  json.member("version", kVersion);
}

void StatementBuilder::activity(JsonWriter& json, std::string_view id, std::string_view type,
                                std::string_view name) const {
  json.begin_object();
  json.member("objectType", "Activity");
  json.member("id", id);
  json.key("definition").begin_object();
  json.member("type", type);
  if (!name.empty()) {
    json.key("name").begin_object().member(options_.language, name).end_object();
  }
  json.end_object();
  json.end_object();
}

void StatementBuilder::program_object(JsonWriter& json) const {
  json.key("object");
  activity(json, options_.base_iri + "/program", kCourseType, roster_.program_name());
}

void StatementBuilder::module_object(JsonWriter& json, ModuleIndex m) const {
  const Module& module = roster_.modules()[m.pos()];
  json.key("object");
  activity(json, options_.base_iri + "/modules/" + iri_segment(module.code), kModuleType,
           module.title);
}

void StatementBuilder::session_object(JsonWriter& json, RegistrationIndex r, ModuleIndex m,
                                      int session) const {
  const Cohort& cohort = roster_.cohort(*roster_.cohort(r, m));
  json.key("object");
  activity(json,
           options_.base_iri + "/cohorts/" + iri_segment(cohort.code) + "/sessions/" +
               std::to_string(session),
           kMeetingType, {});
}

void StatementBuilder::statement_ref(JsonWriter& json, const Uuid& target) const {
  json.key("object").begin_object();
  json.member("objectType", "StatementRef");
  json.member("id", target.to_string());
  json.end_object();
}

// context.registration, and the activities a statement belongs to: the module of a
// session (parent) and the program (grouping) of anything below it. The platform only
// when the object is an Activity: xAPI 1.0.3 (Data 2.4.6) forbids it otherwise, and a
// strict LRS refuses the statement (a void's object is a StatementRef).
void StatementBuilder::context(JsonWriter& json, RegistrationIndex r,
                               std::optional<ModuleIndex> parent, bool in_program,
                               bool activity_object) const {
  json.key("context").begin_object();
  json.member("registration", roster_.entry(r).id.to_string());
  if (activity_object) json.member("platform", "balai");
  if (parent || in_program) {
    json.key("contextActivities").begin_object();
    if (parent) {
      json.key("parent").begin_array();
      reference(json, options_.base_iri + "/modules/" +
                          iri_segment(roster_.modules()[parent->pos()].code));
      json.end_array();
    }
    if (in_program) {
      json.key("grouping").begin_array();
      reference(json, options_.base_iri + "/program");
      json.end_array();
    }
    json.end_object();
  }
  json.end_object();
}

}  // namespace balai::detail
