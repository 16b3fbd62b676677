// Tracking from C++: a roster, a durable journal of events, the statuses they imply, a
// certificate for the trainee who completed, one registration's events and the xAPI
// statements for a learning record store as lazy views, and a service's own attendance
// records fed into a ledger. Runs as a ctest test; its output is checked.
#include <cstdio>
#include <filesystem>
#include <range/v3/view/chunk.hpp>
#include <string>
#include <vector>

#include "balai/io/journal.hpp"
#include "balai/io/xapi_view.hpp"
#include "balai/model/dataset.hpp"
#include "balai/tracking/certificate.hpp"
#include "balai/tracking/generic_ingest.hpp"
#include "balai/tracking/views.hpp"

namespace {

balai::Dataset one_class() {
  balai::Facility blk;
  blk.id = "UPTD-3273-001";
  blk.name = "UPTD BLK Kota Bandung";
  blk.location = balai::GeoPoint(-6.9175, 107.6191);
  blk.province = 32;
  blk.rooms = 6;
  blk.seats = 120;
  blk.features = {"classroom"};
  balai::Module ent;
  ent.code = "ENT-101";
  ent.title = "Pola pikir wirausaha";
  ent.hours_jp = 16;
  ent.required_features = {"classroom"};
  ent.tracks = {balai::Track::umkm_owner, balai::Track::new_entrepreneur};
  ent.rule = {0.75, std::nullopt, balai::MoveOnRule::completed};
  balai::Trainee siti;
  siti.id = "REG-0001";
  siti.province = 32;
  siti.location = balai::GeoPoint(-6.9034, 107.6181);
  siti.sector = {balai::KbliVersion::kbli2020, "10792"};
  return balai::Dataset({}, balai::Batch{{blk}, {ent}, {siti}, std::nullopt});
}

balai::Timestamp at(balai::Date day, int hour_utc) {
  return static_cast<balai::Timestamp>(day.days()) * 86400 + hour_utc * 3600;
}

}  // namespace

int main() {
  const auto dataset = one_class();
  const balai::Date first(2027, 1, 4);
  const balai::Roster roster(
      dataset,
      {balai::Cohort{
          "C-ENT-1", "ENT-101", "UPTD-3273-001", {first, first + 7, first + 14, first + 21}, {}}},
      {balai::Registration{"5f0c6f0e-2d4b-4c1a-9a53-000000000001", "REG-0001", {"C-ENT-1"}}});

  // Events: an enrolment and three of four sessions (75%, the module's threshold).
  std::vector<balai::Event> events;
  auto event = [&](balai::EventKind kind, balai::Timestamp time) -> balai::Event& {
    events.push_back(
        {.id = events.size() + 1, .kind = kind, .time = time, .actor = "instructor-7"});
    return events.back();
  };
  event(balai::EventKind::enrolled, at(first - 1, 2));
  for (int session = 1; session <= 3; ++session) {
    auto& attended = event(balai::EventKind::attended, at(first + 7 * (session - 1), 3));
    attended.module = balai::ModuleIndex(0);
    attended.session = session;
  }

  const auto path = std::filesystem::temp_directory_path() / "balai-example.journal";
  std::filesystem::remove(path);
  {
    auto journal = balai::Journal::open(path, roster);
    journal.append(events);  // durable when it returns
  }
  const auto journal = balai::Journal::open(path, roster);  // replays the file
  const auto statuses = journal.ledger().statuses();
  const auto& program = statuses.program(balai::RegistrationIndex(0));
  std::printf("%zu events replayed; program %s\n", journal.ledger().size(),
              balai::name_of(program.status).data());

  const std::vector<std::uint8_t> key(32, 0x5a);  // a real service keeps its key secret
  balai::CertificateRegistry registry(key);
  const auto& certificate =
      registry.issue(journal.ledger(), balai::RegistrationIndex(0), at(first + 22, 0));
  std::printf(
      "certificate verifies: %s\n",
      registry.verify(certificate, at(first + 30, 0)) == balai::Verification::valid ? "yes" : "no");

  balai::XapiOptions xapi;
  xapi.base_iri = "https://balai.example.id/pilot-2027";
  xapi.home_page = "https://registrasi.example.id";
  std::size_t statements = 0;  // posted to the record store two at a time
  std::size_t posts = 0;
  for (const auto& batch :
       balai::views::xapi_statements(journal.ledger(), xapi) | ranges::views::chunk(2)) {
    statements += static_cast<std::size_t>(ranges::distance(batch));
    ++posts;
  }
  std::printf("xAPI statements: %zu in %zu posts\n", statements, posts);

  // The attendance service keeps its own rows; generic::append maps them to events.
  struct Attendance {
    std::uint64_t serial;
    std::string registration;
    int session;
    balai::Timestamp scanned;
  };
  const std::vector<Attendance> scans{
      {901, "5f0c6f0e-2d4b-4c1a-9a53-000000000001", 4, at(first + 21, 3)}};
  balai::Ledger ledger = journal.ledger();
  const auto ingest = balai::generic::append(ledger, scans, [&](const Attendance& scan) {
    return balai::Event{.id = scan.serial,
                        .kind = balai::EventKind::attended,
                        .registration = *roster.find_registration(scan.registration),
                        .module = balai::ModuleIndex(0),
                        .session = scan.session,
                        .time = scan.scanned,
                        .actor = "scanner-3"};
  });
  std::size_t attended = 0;  // through the ledger's per-registration index, not a scan
  for (const balai::Event& recorded :
       balai::views::events_of(ledger, balai::RegistrationIndex(0))) {
    attended += recorded.kind == balai::EventKind::attended ? 1 : 0;
  }
  std::printf("scanner rows added: %zu; sessions attended: %zu of 4\n", ingest.added, attended);
  std::filesystem::remove(path);
  return 0;
}
