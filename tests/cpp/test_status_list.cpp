// Status lists (W3C Bitstring Status List 1.0): the bits against the registry's
// revocations (left-most bit first, revocations in the future not yet set), the GZIP
// encoding read back with zlib's own inflate, the list credential and its signature, and
// the credentialStatus entry each credential carries.
#include <zlib.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../../src/io/base_encodings.hpp"
#include "balai/io/open_badges.hpp"
#include "balai/io/status_list.hpp"
#include "balai/io/vc_jose.hpp"
#include "balai/tracking/ledger.hpp"
#include "fixtures.hpp"

using namespace balai;
using balai::testing::make_facility;
using balai::testing::make_module;
using balai::testing::make_program;
using balai::testing::make_regencies;
using balai::testing::make_trainee;

namespace {

constexpr Timestamp kDay = 86400;
constexpr Timestamp kHour = 3600;

// RFC 8037 Appendix A.1's Ed25519 key (tests/cpp/test_vc_jose.cpp checks it).
constexpr std::string_view kRfcPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";

Timestamp at(int year, int month, int day, Timestamp hour = 0) {
  return Timestamp{Date(year, month, day).days()} * kDay + hour * kHour;
}

// One module of two sessions; registration 0 attends both and completes the program.
Ledger make_ledger() {
  Batch batch;
  batch.facilities = {make_facility("BLK-3273-001")};
  batch.modules = {make_module("ENT-101")};
  batch.trainees = {make_trainee("T-1")};
  batch.program = make_program();
  const Dataset dataset(make_regencies(), std::move(batch));
  std::vector<Cohort> cohorts{
      {"C-101", "ENT-101", "BLK-3273-001", {Date(2027, 1, 4), Date(2027, 1, 5)}, {}}};
  std::vector<Registration> registrations{
      {"6b1e0b52-3a57-4c1e-9d43-1c0f2f6f1a01", "T-1", {"C-101"}}};
  Ledger ledger(Roster(dataset, std::move(cohorts), std::move(registrations)));
  std::vector<Event> events;
  const auto add = [&](EventKind kind, Timestamp time, std::optional<int> session = {}) {
    Event event;
    event.id = events.size() + 1;
    event.kind = kind;
    event.registration = RegistrationIndex(0);
    if (session) event.module = ModuleIndex(0);
    event.session = session;
    event.time = time;
    event.actor = "operator-1";
    events.push_back(event);
  };
  add(EventKind::enrolled, at(2027, 1, 1));
  add(EventKind::attended, at(2027, 1, 4, 3), 1);
  add(EventKind::attended, at(2027, 1, 5, 3), 2);
  ledger.append(events);
  return ledger;
}

const Timestamp kNow = at(2027, 2, 1, 9);

// A registry of `count` certificates of the one registration: each revoked (an hour
// apart) so that the next can be issued, but the last.
CertificateRegistry make_registry(const Ledger& ledger, int count) {
  CertificateRegistry registry(std::vector<std::uint8_t>(32, 9));
  for (int i = 0; i < count; ++i) {
    const Timestamp time = kNow + i * kHour;
    const Certificate& certificate = registry.issue(ledger, RegistrationIndex(0), time);
    if (i + 1 < count) registry.revoke(certificate.serial, "issued again", time + kHour / 2);
  }
  return registry;
}

bool bit(const std::vector<std::uint8_t>& bits, std::size_t i) {
  return ((bits.at(i / 8) >> (7 - i % 8)) & 1U) != 0;
}

// encodedList read back: multibase 'u', base64url, then GZIP through zlib's inflate.
std::vector<std::uint8_t> decode(const std::string& encoded) {
  REQUIRE(encoded.front() == 'u');
  const auto gzip = detail::base64url_decode(std::string_view(encoded).substr(1));
  REQUIRE(gzip.has_value());
  REQUIRE(gzip->size() > 18);
  CHECK((*gzip)[0] == 0x1f);  // the GZIP magic, not a zlib or raw deflate stream
  CHECK((*gzip)[1] == 0x8b);
  std::vector<std::uint8_t> out(1 << 20);
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
  std::vector<std::uint8_t> in = *gzip;
  stream.next_in = in.data();
  stream.avail_in = static_cast<uInt>(in.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = inflate(&stream, Z_FINISH);
  out.resize(out.size() - stream.avail_out);
  inflateEnd(&stream);
  REQUIRE(result == Z_STREAM_END);
  return out;
}

std::string member(const std::string& json, const std::string& name) {
  const std::string key = "\"" + name + "\":\"";
  const auto start = json.find(key);
  REQUIRE(start != std::string::npos);
  const auto from = start + key.size();
  return json.substr(from, json.find('"', from) - from);
}

}  // namespace

TEST_CASE("status list: one bit per certificate, set when revoked", "[status_list][quick]") {
  const Ledger ledger = make_ledger();
  const CertificateRegistry registry = make_registry(ledger, 12);
  REQUIRE(registry.records().size() == 12);

  const auto bits = revocation_bits(registry, kNow + 100 * kHour);
  CHECK(bits.size() * 8 == kMinStatusListBits);
  for (std::size_t i = 0; i < 12; ++i) CHECK(bit(bits, i) == (i < 11));
  CHECK(bits[0] == 0xff);  // bit 0 is the left-most bit of the first byte
  CHECK(bits[1] == 0xe0);
  for (std::size_t i = 2; i < bits.size(); ++i) REQUIRE(bits[i] == 0);

  // Before a revocation's time its bit is clear: the list is as of `at`.
  const auto early = revocation_bits(registry, kNow + 3 * kHour);
  CHECK(early[0] == 0xe0);  // revoked at +0.5h, +1.5h, +2.5h
  CHECK(decode(encode_status_list(bits)) == bits);
  CHECK(encode_status_list(bits).size() < 200);  // mostly zeros: compresses well

  const auto empty = revocation_bits(CertificateRegistry(std::vector<std::uint8_t>(32, 9)), kNow);
  CHECK(empty.size() * 8 == kMinStatusListBits);
  // The Bitstring Status List 1.0 example's empty list, but for the GZIP header's XFL byte
  // (2: zlib's best compression, where the example has 0).
  CHECK(encode_status_list(empty) ==
        "uH4sIAAAAAAACA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA");
}

TEST_CASE("status list: the credential, signed, and revoking changes it", "[status_list][quick]") {
  const Ledger ledger = make_ledger();
  CertificateRegistry registry = make_registry(ledger, 3);
  StatusListOptions options{"https://umkm.example.go.id/status/1",
                            "https://umkm.example.go.id/issuer"};
  const std::string text = status_list_credential(registry, options, kNow + 10 * kHour);
  CHECK(text.starts_with(
      R"({"@context":["https://www.w3.org/ns/credentials/v2",)"
      R"({"jti":{"@id":"https://www.iana.org/assignments/jwt#jti","@type":"@id"}}],)"
      R"("id":"https://umkm.example.go.id/status/1",)"
      R"("type":["VerifiableCredential","BitstringStatusListCredential"],)"
      R"("issuer":"https://umkm.example.go.id/issuer","validFrom":"2027-02-01T19:00:00Z",)"
      R"("credentialSubject":{"id":"https://umkm.example.go.id/status/1#list",)"
      R"("type":"BitstringStatusList","statusPurpose":"revocation","encodedList":"u)"));
  auto bits = decode(member(text, "encodedList"));
  CHECK(bits[0] == 0xc0);

  const std::string last = registry.records().back().certificate.serial;
  registry.revoke(last, "fraud", kNow + 11 * kHour);
  CHECK(status_list_credential(registry, options, kNow + 10 * kHour) == text);  // not yet
  bits =
      decode(member(status_list_credential(registry, options, kNow + 12 * kHour), "encodedList"));
  CHECK(bits[0] == 0xe0);

  const auto key = SigningKey::from_pem(kRfcPem);
  options.issuer_id.clear();
  const std::string jws = signed_status_list_credential(registry, options, key, kNow + 12 * kHour);
  const std::string payload = verify_credential(jws, key.verification_key());
  CHECK(member(payload, "issuer") == key.verification_key().did_key());
  CHECK(decode(member(payload, "encodedList")) == bits);

  SECTION("bad options") {
    StatusListOptions bad{"https://x.example/status#1", "not an IRI"};
    CHECK(check(bad).size() == 2);
    CHECK_THROWS_AS(status_list_credential(registry, bad, kNow), ValidationError);
    CHECK_THROWS_AS(status_list_credential(registry, options, kNow), ValidationError);  // no issuer
    options.issuer_id = "https://x.example/issuer";
    CHECK_THROWS_AS(status_list_credential(registry, options, 0), ValidationError);
  }
}

TEST_CASE("status list: each credential names its bit", "[status_list][quick]") {
  const Ledger ledger = make_ledger();
  const CertificateRegistry registry = make_registry(ledger, 3);
  OpenBadgeOptions badge;
  badge.issuer_id = "https://umkm.example.go.id/issuer";
  badge.issuer_name = "Kementerian UMKM";
  badge.achievement_id = "https://umkm.example.go.id/achievements/pkn-2027";
  const auto& second = registry.records()[1].certificate;

  // Without a status list the registry overload writes what the certificate one does.
  CHECK(open_badge_credential(registry, second.serial, badge) ==
        open_badge_credential(second, badge));
  badge.status_list = "https://umkm.example.go.id/status/1";
  const std::string text = open_badge_credential(registry, second.serial, badge);
  CHECK(text.find(R"("credentialStatus":{"id":"https://umkm.example.go.id/status/1#1",)"
                  R"("type":"BitstringStatusListEntry","statusPurpose":"revocation",)"
                  R"("statusListIndex":"1",)"
                  R"("statusListCredential":"https://umkm.example.go.id/status/1"})") !=
        std::string::npos);
  CHECK_THROWS_AS(open_badge_credential(second, badge), ValidationError);  // index unknown
  CHECK_THROWS_AS(open_badge_credential(registry, "no such serial", badge), UnknownReferenceError);
  OpenBadgeOptions fragment = badge;
  fragment.status_list += "#x";
  CHECK_THROWS_AS(open_badge_credential(registry, second.serial, fragment), ValidationError);

  const auto key = SigningKey::from_pem(kRfcPem);
  badge.issuer_id.clear();
  const std::string jws = signed_open_badge_credential(registry, second.serial, badge, key);
  CHECK(verify_credential(jws, key.verification_key()).find(R"("statusListIndex":"1")") !=
        std::string::npos);
}

TEST_CASE("status list: past 131,072 certificates it grows by another 131,072 bits",
          "[status_list]") {
  const Ledger ledger = make_ledger();
  const int count = static_cast<int>(kMinStatusListBits) + 1;
  const CertificateRegistry registry = make_registry(ledger, count);
  const Timestamp later = kNow + Timestamp{count} * kHour;
  const auto bits = revocation_bits(registry, later);
  CHECK(bits.size() * 8 == 2 * kMinStatusListBits);
  // Every certificate but the last (index 131,072, the first bit of the second block) is
  // revoked; nothing after it is set.
  CHECK(bit(bits, kMinStatusListBits - 1));
  CHECK_FALSE(bit(bits, kMinStatusListBits));
  std::size_t set = 0;
  for (std::size_t i = 0; i < bits.size() * 8; ++i) set += bit(bits, i) ? 1 : 0;
  CHECK(set == kMinStatusListBits);
  CHECK(decode(encode_status_list(bits)) == bits);
}
