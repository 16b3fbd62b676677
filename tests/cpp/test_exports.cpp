// The JSON exports: xAPI statements from a ledger and Open Badges credentials from
// certificates. The output is parsed back with a small reader written here (independent
// of the writer), and its structure checked against the ledger and the statuses.
#include <algorithm>
#include <catch2/catch.hpp>
#include <charconv>
#include <cstdint>
#include <map>
#include <range/v3/view/chunk.hpp>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "balai/io/open_badges.hpp"
#include "balai/io/xapi.hpp"
#include "balai/io/xapi_view.hpp"
#include "balai/tracking/certificate.hpp"
#include "balai/tracking/ledger.hpp"
#include "fixtures.hpp"

using namespace balai;
using balai::testing::make_facility;
using balai::testing::make_module;
using balai::testing::make_program;
using balai::testing::make_regencies;
using balai::testing::make_trainee;

namespace {

// ---- a strict JSON reader (RFC 8259), for reading the exports back ------------------

struct Json {
  enum class Type { null, boolean, number, string, array, object } type = Type::null;
  bool boolean = false;
  double number = 0.0;
  std::string string;
  std::vector<Json> array;
  std::vector<std::pair<std::string, Json>> object;  // in document order

  [[nodiscard]] bool has(std::string_view key) const {
    for (const auto& [name, value] : object) {
      if (name == key) return true;
    }
    return false;
  }
  [[nodiscard]] const Json& operator[](std::string_view key) const {
    for (const auto& [name, value] : object) {
      if (name == key) return value;
    }
    FAIL("no member " << key);
    throw std::logic_error("unreachable");
  }
  [[nodiscard]] const Json& operator[](std::size_t i) const { return array.at(i); }
  [[nodiscard]] const std::string& str() const {
    REQUIRE(type == Type::string);
    return string;
  }
};

class JsonReader {
 public:
  static Json parse(std::string_view text) {
    JsonReader reader(text);
    Json value = reader.value();
    reader.space();
    reader.check(reader.at_ == text.size(), "the end of the text");
    return value;
  }

 private:
  explicit JsonReader(std::string_view text) : text_(text) {}

  // Malformed text fails the test, saying where.
  void check(bool holds, std::string_view expected) const {
    if (!holds) {
      throw std::runtime_error("invalid JSON at byte " + std::to_string(at_) + ": expected " +
                               std::string(expected));
    }
  }
  void space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t')) {
      ++at_;
    }
  }
  char peek() const {
    check(at_ < text_.size(), "more text");
    return text_[at_];
  }
  char next() {
    const char c = peek();
    ++at_;
    return c;
  }
  void expect(char c) { check(next() == c, std::string(1, c)); }
  void expect(std::string_view word) {
    check(text_.substr(at_, word.size()) == word, word);
    at_ += word.size();
  }

  Json value() {
    space();
    Json json;
    const char c = peek();
    if (c == '{') {
      json.type = Json::Type::object;
      ++at_;
      space();
      if (peek() == '}') return ++at_, json;
      do {
        space();
        std::string key = string();
        space();
        expect(':');
        json.object.emplace_back(std::move(key), value());
        space();
      } while (peek() == ',' && ++at_);
      expect('}');
    } else if (c == '[') {
      json.type = Json::Type::array;
      ++at_;
      space();
      if (peek() == ']') return ++at_, json;
      do {
        json.array.push_back(value());
        space();
      } while (peek() == ',' && ++at_);
      expect(']');
    } else if (c == '"') {
      json.type = Json::Type::string;
      json.string = string();
    } else if (c == 't' || c == 'f') {
      json.type = Json::Type::boolean;
      json.boolean = c == 't';
      expect(c == 't' ? "true" : "false");
    } else if (c == 'n') {
      expect("null");
    } else {
      // from_chars also reads "inf" and "nan", which JSON has not.
      check(c == '-' || (c >= '0' && c <= '9'), "a value");
      json.type = Json::Type::number;
      const auto [end, error] =
          std::from_chars(text_.data() + at_, text_.data() + text_.size(), json.number);
      check(error == std::errc(), "a number");
      at_ = static_cast<std::size_t>(end - text_.data());
    }
    return json;
  }

  std::string string() {
    expect('"');
    std::string out;
    for (;;) {
      const char c = next();
      if (c == '"') return out;
      check(static_cast<unsigned char>(c) >= 0x20, "no raw control character");
      if (c != '\\') {
        out += c;
        continue;
      }
      const char escape = next();
      switch (escape) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned code = 0;
          check(at_ + 4 <= text_.size() &&
                    std::from_chars(text_.data() + at_, text_.data() + at_ + 4, code, 16).ec ==
                        std::errc(),
                "four hex digits");
          at_ += 4;
          check(code < 0x20, "\\u only for control characters");  // what the writer escapes
          out += static_cast<char>(code);
          break;
        }
        default: check(false, "an escape");
      }
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

// ---- a ledger with one of each kind of statement -------------------------------------

constexpr Timestamp kHour = 3600;
constexpr Timestamp kDay = 86400;

Timestamp at(Date date, Timestamp hour) { return Timestamp{date.days()} * kDay + hour * kHour; }

const std::string kTitle = "Kewirausahaan \"Dasar\" — pemasaran\\digital";
const std::vector<std::string> kIds{
    "0f6e4c2a-1b7d-4e8f-9a3c-5d2e1f0a9b01", "0f6e4c2a-1b7d-4e8f-9a3c-5d2e1f0a9b02",
    "0f6e4c2a-1b7d-4e8f-9a3c-5d2e1f0a9b03", "0f6e4c2a-1b7d-4e8f-9a3c-5d2e1f0a9b04"};

// Registration 0 completes: attends ENT-101, passes ENT-102 with 85, is waived from
// ENT/103. Registration 1 attends once (voided), is absent once (also voided), and fails
// ENT-102 with 33.3. Registration 2 enrols and withdraws; registration 3 never enrols.
Ledger make_ledger() {
  Batch batch;
  batch.facilities = {make_facility("BLK-3273-001")};
  Module attendance = make_module("ENT-101");
  attendance.title = kTitle;
  Module assessed = make_module("ENT-102");
  assessed.rule = CompletionRule{0.8, 70.0, MoveOnRule::passed};
  batch.modules = {attendance, assessed, make_module("ENT/103")};
  for (int i = 0; i < 4; ++i) batch.trainees.push_back(make_trainee("T-" + std::to_string(i)));
  batch.program = make_program();
  const Dataset dataset(make_regencies(), std::move(batch));
  const Date first(2027, 1, 4);
  const Date second(2027, 1, 5);
  std::vector<Cohort> cohorts{{"C-101/A", "ENT-101", "BLK-3273-001", {first, second}, {}},
                              {"C-102", "ENT-102", "BLK-3273-001", {Date(2027, 1, 11)}, {}}};
  std::vector<Registration> registrations;
  for (int i = 0; i < 4; ++i) {
    registrations.push_back({kIds[i], "T-" + std::to_string(i), {"C-101/A", "C-102"}});
  }
  Ledger ledger(Roster(dataset, std::move(cohorts), std::move(registrations)));

  std::vector<Event> events;
  events.reserve(16);  // add() hands out references that must stay valid
  const auto add = [&](EventKind kind, std::uint32_t r, Timestamp time) -> Event& {
    Event event;
    event.id = 1000 + events.size();
    event.kind = kind;
    event.registration = RegistrationIndex(r);
    event.time = time;
    event.actor = "operator-7";
    return events.emplace_back(std::move(event));
  };
  const ModuleIndex ent101(0);
  const ModuleIndex ent102(1);
  const ModuleIndex ent103(2);
  for (std::uint32_t r = 0; r < 3; ++r) add(EventKind::enrolled, r, at(Date(2027, 1, 1), 2));
  for (int s = 1; s <= 2; ++s) {
    auto& event = add(EventKind::attended, 0, at(s == 1 ? first : second, 3));
    event.module = ent101;
    event.session = s;
  }
  auto& pass = add(EventKind::assessed, 0, at(Date(2027, 1, 11), 8));
  pass.module = ent102;
  pass.score = 85.0;
  auto& waiver = add(EventKind::waived, 0, at(Date(2027, 1, 2), 1));
  waiver.module = ent103;
  waiver.reason = "recognised prior learning";

  auto& attended = add(EventKind::attended, 1, at(first, 3));
  attended.module = ent101;
  attended.session = 1;
  auto& absent = add(EventKind::absent, 1, at(second, 3));
  absent.module = ent101;
  absent.session = 2;
  auto& fail = add(EventKind::assessed, 1, at(Date(2027, 1, 11), 8));
  fail.module = ent102;
  fail.score = 33.3;
  const EventId attended_id = attended.id;
  const EventId absent_id = absent.id;
  add(EventKind::voided, 1, at(Date(2027, 1, 20), 1)).target = attended_id;
  add(EventKind::voided, 1, at(Date(2027, 1, 20), 2)).target = absent_id;

  add(EventKind::withdrew, 2, at(Date(2027, 1, 6), 5)).reason = "moved to Surabaya";
  ledger.append(events);
  return ledger;
}

XapiOptions options() {
  XapiOptions options;
  options.base_iri = "https://pelatihan.example.go.id/xapi/2027";
  options.home_page = "https://registrasi.example.go.id";
  return options;
}

std::vector<std::string> verbs_of(const Json& statements) {
  std::vector<std::string> verbs;
  for (const auto& statement : statements.array) {
    const auto& id = statement["verb"]["id"].str();
    verbs.push_back(id.substr(id.rfind('/') + 1));
  }
  return verbs;
}

}  // namespace

TEST_CASE("xAPI: one statement per event with a verb, then the completions", "[exports][quick]") {
  const Ledger ledger = make_ledger();
  const Json statements = JsonReader::parse(xapi_statements(ledger, options()));
  REQUIRE(statements.type == Json::Type::array);

  XapiOptions events_only = options();
  events_only.completions = false;
  const Json events = JsonReader::parse(xapi_statements(ledger, events_only));
  // Absences, and the void of one, have no statement.
  CHECK(verbs_of(events) == std::vector<std::string>{"registered", "registered", "registered",
                                                     "attended", "attended", "scored", "waived",
                                                     "attended", "scored", "voided", "exited"});

  XapiOptions completions_only = options();
  completions_only.events = false;
  const Json completions = JsonReader::parse(xapi_statements(ledger, completions_only));
  CHECK(statements.array.size() == events.array.size() + completions.array.size());

  // The completions are what the statuses say, module by module and program by program.
  const Statuses statuses = ledger.statuses();
  const Roster& roster = ledger.roster();
  std::multiset<std::pair<std::string, std::string>> expected;  // (registration, verb/object)
  for (std::uint32_t r = 0; r < statuses.size(); ++r) {
    const RegistrationIndex registration(r);
    const auto modules = statuses.modules(registration);
    for (std::size_t k = 0; k < modules.size(); ++k) {
      const auto status = modules[k].status;
      if (status == Status::completed || status == Status::passed || status == Status::failed) {
        const auto& code = roster.modules()[roster.required(registration)[k].pos()].code;
        expected.emplace(kIds[r], std::string(name_of(status)) + " " + code);
      }
    }
    const auto program = statuses.program(registration).status;
    if (program == Status::completed) expected.emplace(kIds[r], "satisfied program");
    if (program == Status::passed || program == Status::failed) {
      expected.emplace(kIds[r], std::string(name_of(program)) + " program");
    }
  }
  std::multiset<std::pair<std::string, std::string>> actual;
  for (const auto& statement : completions.array) {
    const auto& verb = statement["verb"]["id"].str();
    const auto& object = statement["object"]["id"].str();
    actual.emplace(
        statement["actor"]["account"]["name"].str(),
        verb.substr(verb.rfind('/') + 1) + " " +
            (object.ends_with("/program") ? "program" : object.substr(object.rfind('/') + 1)));
  }
  CHECK(actual == expected);
  // The scenario reaches every kind of completion statement.
  CHECK(expected.count({kIds[0], "completed ENT-101"}) == 1);
  CHECK(expected.count({kIds[0], "passed ENT-102"}) == 1);
  CHECK(expected.count({kIds[0], "satisfied program"}) == 1);
  CHECK(expected.count({kIds[1], "failed ENT-102"}) == 1);
}

TEST_CASE("xAPI: the parts of a statement", "[exports][quick]") {
  const Ledger ledger = make_ledger();
  const auto text = xapi_statements(ledger, options());
  const Json statements = JsonReader::parse(text);
  const std::string base = options().base_iri;

  std::set<std::string> ids;
  for (const auto& statement : statements.array) {
    CHECK(Uuid::is_uuid(statement["id"].str()));
    ids.insert(statement["id"].str());
    CHECK(statement["version"].str() == "1.0.3");
    const auto& actor = statement["actor"];
    CHECK(actor["objectType"].str() == "Agent");
    CHECK(actor.object.size() == 2);  // objectType and the one identifier, account
    CHECK(actor["account"]["homePage"].str() == options().home_page);
    const auto& registration = actor["account"]["name"].str();
    CHECK(std::find(kIds.begin(), kIds.end(), registration) != kIds.end());
    CHECK(statement["context"]["registration"].str() == registration);
    const auto& timestamp = statement["timestamp"].str();
    CHECK(timestamp.size() == 20);
    CHECK(timestamp.ends_with("Z"));
    CHECK(timestamp[10] == 'T');
  }
  CHECK(ids.size() == statements.array.size());
  // No personal data and no free text: trainee ids, the recorder, reasons stay home.
  CHECK(text.find("T-0") == std::string::npos);
  CHECK(text.find("operator-7") == std::string::npos);
  CHECK(text.find("recognised") == std::string::npos);
  CHECK(text.find("Surabaya") == std::string::npos);

  const auto with_verb = [&](std::string_view verb, std::string_view registration) {
    for (const auto& statement : statements.array) {
      if (statement["verb"]["id"].str().ends_with(verb) &&
          statement["actor"]["account"]["name"].str() == registration) {
        return statement;
      }
    }
    FAIL("no " << verb << " statement for " << registration);
    return Json{};
  };

  SECTION("an attendance names the session, its module and the program") {
    const Json attended = with_verb("/attended", kIds[0]);
    CHECK(attended["id"].str() == xapi_statement_id(options(), 1003).to_string());
    CHECK(attended["timestamp"].str() == "2027-01-04T03:00:00Z");
    CHECK(attended["object"]["id"].str() == base + "/cohorts/C-101%2FA/sessions/1");
    CHECK(attended["object"]["definition"]["type"].str() ==
          "http://adlnet.gov/expapi/activities/meeting");
    const auto& activities = attended["context"]["contextActivities"];
    CHECK(activities["parent"][0]["id"].str() == base + "/modules/ENT-101");
    CHECK(activities["grouping"][0]["id"].str() == base + "/program");
  }
  SECTION("a score is raw and scaled, and text survives the round trip") {
    const Json scored = with_verb("/scored", kIds[1]);
    const auto& score = scored["result"]["score"];
    CHECK(score["raw"].number == 33.3);
    CHECK(score["scaled"].number == 0.333);  // not 33.3 / 100.0 = 0.33299999999999996
    CHECK(score["min"].number == 0);
    CHECK(score["max"].number == 100);
    const Json completed = with_verb("/completed", kIds[0]);
    CHECK(completed["object"]["definition"]["name"]["id-ID"].str() == kTitle);
    CHECK(completed["result"]["completion"].boolean);
  }
  SECTION("a module code with a '/' stays one path segment") {
    CHECK(with_verb("/waived", kIds[0])["object"]["id"].str() == base + "/modules/ENT%2F103");
    CHECK(with_verb("/waived", kIds[0])["result"]["success"].boolean);
  }
  SECTION("passed and failed carry success and the best score") {
    const Json passed = with_verb("/passed", kIds[0]);
    CHECK(passed["result"]["success"].boolean);
    CHECK(passed["result"]["score"]["scaled"].number == 0.85);
    const Json failed = with_verb("/failed", kIds[1]);
    CHECK_FALSE(failed["result"]["success"].boolean);
    CHECK_FALSE(failed["result"].has("completion"));
  }
  SECTION("a void refers to the voided event's statement, which is exported") {
    const Json voided = with_verb("/voided", kIds[1]);
    CHECK(voided["object"]["objectType"].str() == "StatementRef");
    const auto& target = voided["object"]["id"].str();
    CHECK(target == xapi_statement_id(options(), 1007).to_string());
    CHECK(ids.count(target) == 1);
    CHECK_FALSE(voided["context"].has("contextActivities"));
  }
  SECTION("the program's completion") {
    const Json satisfied = with_verb("/satisfied", kIds[0]);
    CHECK(satisfied["verb"]["id"].str() == "https://w3id.org/xapi/adl/verbs/satisfied");
    CHECK(satisfied["object"]["id"].str() == base + "/program");
    CHECK(satisfied["object"]["definition"]["name"]["id-ID"].str() == make_program().name);
    CHECK(satisfied["timestamp"].str() == "2027-01-11T08:00:00Z");
  }
}

TEST_CASE("xAPI: exports are reproducible and stream", "[exports][quick]") {
  const Ledger ledger = make_ledger();
  const auto text = xapi_statements(ledger, options());
  CHECK(xapi_statements(ledger, options()) == text);
  std::ostringstream out;
  write_xapi_statements(out, ledger, options());
  CHECK(out.str() == text);

  // Statement ids belong to what the options put in a statement: another program run,
  // registration system or language gets its own.
  XapiOptions other = options();
  other.base_iri += "-rollout";
  CHECK(xapi_statement_id(other, 1003) != xapi_statement_id(options(), 1003));
  other = options();
  other.home_page = "https://sso.example.go.id";
  CHECK(xapi_statement_id(other, 1003) != xapi_statement_id(options(), 1003));
  other = options();
  other.language = "en-US";
  CHECK(xapi_statement_id(other, 1003) != xapi_statement_id(options(), 1003));

  // As of the first session: three enrolments, one attendance each for the first two
  // registrations; nothing completed yet.
  XapiOptions early = options();
  early.as_of = at(Date(2027, 1, 4), 3);
  CHECK(verbs_of(JsonReader::parse(xapi_statements(ledger, early))) ==
        std::vector<std::string>{"registered", "registered", "registered", "attended", "waived",
                                 "attended"});
}

TEST_CASE("xAPI: an incremental export voids the completions taken back", "[exports][quick]") {
  Ledger ledger = make_ledger();
  XapiExport first(ledger, options());
  std::vector<std::string> sent;
  while (auto statement = first.next()) sent.push_back(*statement);
  CHECK(first.position() == ledger.size());
  const auto passed = std::ranges::find_if(sent, [](const std::string& statement) {
    return statement.find("verbs/passed") != std::string::npos;
  });
  REQUIRE(passed != sent.end());

  // Registration 0's pass (ENT-102, 85) turns out to be a mistake.
  Event mistake;
  mistake.id = 2000;
  mistake.kind = EventKind::voided;
  mistake.registration = RegistrationIndex(0);
  mistake.time = at(Date(2027, 1, 25), 9);
  mistake.actor = "operator-7";
  mistake.target = ledger.event(*ledger.find(1005)).id;
  REQUIRE(ledger.event(*ledger.find(1005)).kind == EventKind::assessed);
  ledger.append(std::span(&mistake, 1));

  XapiOptions since = options();
  since.since = first.position();
  const Json changes = JsonReader::parse(xapi_statements(ledger, since));
  const Json passed_json = JsonReader::parse(*passed);
  std::vector<std::string> voided_ids;
  for (const auto& statement : changes.array) {
    if (statement["object"]["objectType"].str() == "StatementRef") {
      voided_ids.push_back(statement["object"]["id"].str());
    }
  }
  // The void event's own statement (of the scored statement) and the void of the pass;
  // the program's satisfied goes too, since it rested on the pass.
  CHECK(std::ranges::count(voided_ids, passed_json["id"].str()) == 1);
  CHECK(std::ranges::count(voided_ids, xapi_statement_id(options(), 1005).to_string()) == 1);
  for (const auto& statement : changes.array) {
    CHECK(statement["verb"]["id"].str().find("/passed") == std::string::npos);
  }
  // Nothing left to say once everything is out.
  since.since = ledger.size();
  CHECK(xapi_statements(ledger, since) == "[]");
  since.since = ledger.size() + 1;
  CHECK_THROWS_AS(XapiExport(ledger, since), ValidationError);
}

TEST_CASE("xAPI: the statements as a lazy view, batched by chunk", "[exports][views][quick]") {
  const Ledger ledger = make_ledger();
  const std::string whole = xapi_statements(ledger, options());
  views::xapi_statements statements(ledger, options());
  std::string joined = "[";
  std::size_t batches = 0;
  for (const auto& batch : statements | ranges::views::chunk(4)) {
    ++batches;
    std::size_t in_batch = 0;
    for (const std::string& statement : batch) {
      if (joined.size() > 1) joined += ',';
      joined += statement;
      ++in_batch;
    }
    CHECK(in_batch <= 4);
  }
  joined += ']';
  CHECK(joined == whole);
  CHECK(batches == (JsonReader::parse(whole).array.size() + 3) / 4);
  CHECK(statements.position() == ledger.size());
}

TEST_CASE("xAPI: options are checked", "[exports][quick][bad-input]") {
  const Ledger ledger = make_ledger();
  XapiOptions bad = options();
  bad.base_iri = "pelatihan/xapi";
  bad.home_page = "registrasi.example.go.id";
  bad.language = "indonesian-language";
  try {
    (void)xapi_statements(ledger, bad);
    FAIL("accepted bad options");
  } catch (const ValidationError& error) {
    std::vector<std::string> fields;
    for (const auto& problem : error.problems()) fields.push_back(problem.field);
    CHECK(fields == std::vector<std::string>{"base_iri", "home_page", "language"});
  }
  XapiOptions slash = options();
  slash.base_iri += "/";
  CHECK_FALSE(check(slash).empty());
  XapiOptions space = options();
  space.base_iri = "https://example.go.id/x api";
  CHECK_FALSE(check(space).empty());
  CHECK(check(options()).empty());
}

TEST_CASE("Open Badges: a certificate as an OpenBadgeCredential", "[exports][quick]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry(std::vector<std::uint8_t>(32, 7));
  Certificate certificate = registry.issue(ledger, RegistrationIndex(0), at(Date(2027, 2, 1), 2));
  OpenBadgeOptions badge;
  badge.issuer_id = "https://umkm.example.go.id/issuer";
  badge.issuer_name = "Kementerian UMKM";
  badge.achievement_id = "https://umkm.example.go.id/achievements/pkn-2027";

  const auto text = open_badge_credential(certificate, badge);
  const Json credential = JsonReader::parse(text);
  CHECK(credential["@context"][0].str() == "https://www.w3.org/ns/credentials/v2");
  CHECK(credential["@context"][1].str() ==
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
  // balai's own terms, defined inline under the terms IRI (tests/python/test_jsonld.py
  // expands the credential with a JSON-LD processor).
  const auto& terms = credential["@context"][2];
  CHECK(terms["completionDate"]["@id"].str() == "https://balai.example/ns#completionDate");
  CHECK(terms["completionDate"]["@type"].str() == "http://www.w3.org/2001/XMLSchema#date");
  CHECK(terms["verificationCode"].str() == "https://balai.example/ns#verificationCode");
  CHECK(credential["@context"].array.size() == 3);
  // Plain Indonesian strings where the OB 3.0 JSON Schema asks for strings, and language
  // maps of the same properties beside them.
  CHECK(terms["nameByLanguage"]["@id"].str() == "https://schema.org/name");
  CHECK(terms["nameByLanguage"]["@container"].str() == "@language");
  CHECK(credential["name"].str() == make_program().name + ": sertifikat kelulusan");
  CHECK(credential["nameByLanguage"]["id"].str() == credential["name"].str());
  CHECK(credential["nameByLanguage"]["en"].str() ==
        make_program().name + ": certificate of completion");
  CHECK(credential["type"][0].str() == "VerifiableCredential");
  CHECK(credential["type"][1].str() == "OpenBadgeCredential");
  CHECK(credential["id"].str() == "urn:uuid:" + certificate.serial);
  CHECK(credential["issuer"]["id"].str() == badge.issuer_id);
  CHECK(credential["issuer"]["type"][0].str() == "Profile");
  CHECK(credential["issuer"]["name"].str() == badge.issuer_name);
  CHECK(credential["validFrom"].str() == "2027-02-01T02:00:00Z");
  CHECK(credential["validUntil"].str() == "2032-02-01T02:00:00Z");
  const auto& subject = credential["credentialSubject"];
  CHECK(subject["id"].str() == "urn:uuid:" + kIds[0]);
  CHECK(subject["type"][0].str() == "AchievementSubject");
  CHECK(subject["completionDate"].str() == "2027-01-11");
  const auto& achievement = subject["achievement"];
  CHECK(achievement["id"].str() == badge.achievement_id);
  CHECK(achievement["type"][0].str() == "Achievement");
  CHECK(achievement["achievementType"].str() == "CertificateOfCompletion");
  CHECK(achievement["inLanguage"].str() == "id");
  CHECK(achievement["name"].str() == make_program().name);
  CHECK(achievement["nameByLanguage"]["en"].str() == make_program().name);
  CHECK(achievement["description"].str() == "Kelulusan " + make_program().name + ".");
  CHECK(achievement["descriptionByLanguage"]["en"].str() ==
        "Completion of " + make_program().name + ".");
  CHECK_FALSE(achievement["criteria"]["narrative"].str().empty());
  CHECK_FALSE(achievement["criteria"]["narrativeByLanguage"]["en"].str().empty());
  CHECK(credential["verificationCode"].str() == certificate.verification_code);
  CHECK_FALSE(credential.has("proof"));  // unsigned: see open_badges.hpp
  CHECK(text.find("T-0") == std::string::npos);

  SECTION("text is escaped and read back unchanged") {
    certificate.program = "Program \"Nasional\"\t\\ Kewirausahaan — 2027";
    const Json again = JsonReader::parse(open_badge_credential(certificate, badge));
    CHECK(again["credentialSubject"]["achievement"]["name"].str() == certificate.program);
    CHECK(again["credentialSubject"]["achievement"]["nameByLanguage"]["en"].str() ==
          certificate.program);
  }
  SECTION("bad options or a malformed certificate") {
    OpenBadgeOptions bad = badge;
    bad.issuer_id = "";
    bad.issuer_name = "";
    bad.achievement_id = "no scheme";
    bad.terms_iri = "https://balai.example/ns";  // neither '#' nor '/' at the end
    CHECK(check(bad).size() == 4);
    bad.terms_iri = "relative/";
    CHECK(check(bad).size() == 4);
    OpenBadgeOptions own = badge;
    own.terms_iri = "https://umkm.example.go.id/terms/";
    CHECK(check(own).empty());
    const Json mine = JsonReader::parse(open_badge_credential(certificate, own));
    CHECK(mine["@context"][2]["verificationCode"].str() ==
          "https://umkm.example.go.id/terms/verificationCode");
    CHECK_THROWS_AS(open_badge_credential(certificate, bad), ValidationError);
    certificate.verification_code = "forged";
    CHECK_THROWS_WITH(open_badge_credential(certificate, badge),
                      Catch::Contains("verification_code"));
  }
}
