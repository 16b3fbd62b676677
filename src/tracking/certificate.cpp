#include "balai/tracking/certificate.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <utility>

#include "balai/core/hmac.hpp"
#include "balai/core/regions.hpp"
#include "balai/core/text.hpp"
#include "balai/model/nik.hpp"
#include "balai/tracking/ledger.hpp"

namespace balai {
namespace {

constexpr int kMaxValidityDays = 36525;  // a century
constexpr std::size_t kCodeDigits = 64;

// The name space of certificate serials (a random UUID, fixed forever: changing it would
// change every serial).
constexpr Uuid kSerialNamespace({0xac, 0x28, 0x90, 0x75, 0x8d, 0x94, 0x4f, 0xca, 0x8e, 0x8c, 0xb1,
                                 0xe2, 0xf8, 0x08, 0x54, 0x21});

// The message the verification code authenticates: a version tag, then every field as an
// 8-byte big-endian length and its bytes. Length prefixes make the encoding injective, so
// no two different certificates (say, a trainee id ending where the program name starts)
// share a message. Integers are 8-byte big-endian two's complement.
class MacMessage {
 public:
  // The tag keeps the messages of codes and of seals apart under the one key.
  explicit MacMessage(std::string_view tag = "balai-certificate-v1") { field(tag); }

  MacMessage& field(std::string_view bytes) {
    append_u64(bytes.size());
    text_.append(bytes);
    return *this;
  }
  MacMessage& field(std::int64_t value) {
    char bytes[8];
    for (int i = 0; i < 8; ++i) {
      bytes[i] = static_cast<char>(static_cast<std::uint64_t>(value) >> (56 - 8 * i));
    }
    return field(std::string_view(bytes, sizeof bytes));
  }
  MacMessage& field(const Uuid& uuid) {
    const auto& bytes = uuid.bytes();
    return field(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }

  [[nodiscard]] const std::string& text() const noexcept { return text_; }

 private:
  void append_u64(std::uint64_t value) {
    for (int i = 0; i < 8; ++i) text_.push_back(static_cast<char>(value >> (56 - 8 * i)));
  }

  std::string text_;
};

// The tags of the record chain's messages: its start, and each record's seal.
constexpr std::string_view kChainTag = "balai-certificate-chain-v1";
constexpr std::string_view kRecordTag = "balai-certificate-record-v1";

// Whether `record` carries `expected` as its seal, compared in constant time.
bool sealed_by(const CertificateRecord& record, const std::string& expected) {
  return record.seal.size() == expected.size() &&
         CRYPTO_memcmp(record.seal.data(), expected.data(), expected.size()) == 0;
}

bool is_code(std::string_view text) noexcept {
  return text.size() == kCodeDigits && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void check_text(std::vector<Problem>& problems, std::string_view where, std::string_view field,
                std::string_view value) {
  if (value.empty()) {
    problems.push_back({std::string(where), std::string(field), "", "must not be empty"});
  } else if (!is_clean_text(value)) {
    problems.push_back({std::string(where), std::string(field), hide_niks(printable(value)),
                        "must be valid UTF-8 without control characters"});
  } else if (holds_nik(value)) {
    problems.push_back({std::string(where), std::string(field), hide_niks(value),
                        "holds a NIK: records keep no personal data in clear"});
  }
}

std::string where_serial(std::string_view serial) { return "certificate " + printable(serial, 64); }

// A revocation needs a reason and cannot precede the certificate.
std::vector<Problem> check(const Revocation& revocation, const Certificate& certificate) {
  std::vector<Problem> problems;
  const auto where = where_serial(certificate.serial);
  check_text(problems, where, "reason", revocation.reason);
  if (revocation.time < certificate.issued_at) {
    problems.push_back(
        {where, "time", std::to_string(revocation.time),
         "is before the certificate was issued at " + std::to_string(certificate.issued_at)});
  }
  return problems;
}

void check_now(Timestamp now) {
  if (now < kEarliestTime || now > kLatestTime) {
    throw ValidationError(Problem{"certificate", "now", std::to_string(now),
                                  "must lie in [" + std::to_string(kEarliestTime) + ", " +
                                      std::to_string(kLatestTime) + "]"});
  }
}

}  // namespace

std::vector<Problem> check(const Certificate& certificate) {
  std::vector<Problem> problems;
  const auto where = where_serial(certificate.serial);
  if (!Uuid::is_uuid(certificate.serial)) {
    problems.push_back({where, "serial", printable(certificate.serial, 64), "must be a UUID"});
  }
  check_text(problems, where, "trainee", certificate.trainee);
  check_text(problems, where, "program", certificate.program);
  if (certificate.issue < 1) {
    problems.push_back({where, "issue", std::to_string(certificate.issue), "must be at least 1"});
  }
  if (certificate.valid_until < certificate.valid_from) {
    problems.push_back({where, "valid_until", std::to_string(certificate.valid_until),
                        "is before valid_from " + std::to_string(certificate.valid_from)});
  }
  if (!is_code(certificate.verification_code)) {
    problems.push_back({where, "verification_code", printable(certificate.verification_code, 80),
                        "must be 64 lower-case hex digits"});
  }
  return problems;
}

std::vector<Problem> check(const CertificateOptions& options) {
  std::vector<Problem> problems;
  if (options.validity_days < 1 || options.validity_days > kMaxValidityDays) {
    problems.push_back({"certificate options", "validity_days",
                        std::to_string(options.validity_days),
                        "must lie in [1, " + std::to_string(kMaxValidityDays) + "]"});
  }
  return problems;
}

CertificateRegistry::CertificateRegistry(std::span<const std::uint8_t> key,
                                         CertificateOptions options)
    : key_(key.begin(), key.end()), options_(options) {
  auto problems = check(options_);
  if (key_.size() < kMinCertificateKeyBytes) {
    problems.push_back(
        {"certificate registry", "key", std::to_string(key_.size()) + " bytes",
         "a certificate key needs at least " + std::to_string(kMinCertificateKeyBytes) + " bytes"});
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
  empty_seal_ = to_hex(hmac_sha256(key_, MacMessage(kChainTag).text()));
}

CertificateRegistry::CertificateRegistry(std::span<const std::uint8_t> key,
                                         CertificateOptions options,
                                         std::vector<CertificateRecord> records,
                                         std::optional<std::string> expected_seal)
    : CertificateRegistry(key, options) {
  restore(std::move(records), true, expected_seal);
}

CertificateRegistry CertificateRegistry::adopt_unsealed(std::span<const std::uint8_t> key,
                                                        CertificateOptions options,
                                                        std::vector<CertificateRecord> records) {
  CertificateRegistry registry(key, options);
  registry.restore(std::move(records), false, std::nullopt);
  registry.reseal_from(0);
  return registry;
}

void CertificateRegistry::restore(std::vector<CertificateRecord> records, bool sealed,
                                  const std::optional<std::string>& expected_seal) {
  std::vector<Problem> problems;
  // The chain runs through the records as given, so that one altered record is reported
  // once, not again at every record after it.
  std::string previous = empty_seal_;
  for (std::size_t position = 0; position < records.size(); ++position) {
    auto& record = records[position];
    const auto& certificate = record.certificate;
    const auto where = where_serial(certificate.serial);
    // The seal is judged apart from the rest: a record whose seal fails still counts for
    // the numbering of the records after it, so that each problem is reported where it is.
    std::optional<Problem> unsealed;
    if (sealed && !sealed_by(record, seal_of(record, previous))) {
      unsealed = Problem{
          where + " (record " + std::to_string(position) + ")", "seal", printable(record.seal, 80),
          record.seal.empty() ? "missing: the record was written before balai sealed records "
                                "(CertificateRegistry::adopt_unsealed)"
                              : "does not match: this record (its revocation, its issue) or the "
                                "records before it were altered, dropped, added or reordered"};
    }
    previous = record.seal;
    const auto before = problems.size();
    auto form = check(certificate);
    problems.insert(problems.end(), form.begin(), form.end());
    if (problems.size() == before && code(certificate) != certificate.verification_code) {
      problems.push_back({where, "verification_code", certificate.verification_code,
                          "does not verify under this key"});
    }
    if (record.revocation) {
      auto revocation = check(*record.revocation, certificate);
      problems.insert(problems.end(), revocation.begin(), revocation.end());
    }
    if (by_serial_.contains(certificate.serial)) {
      problems.push_back({where, "serial", certificate.serial, "duplicate serial"});
    }
    // issue() numbers a registration's certificates 1, 2, ... and issues the next only
    // after revoking the last; restored records must leave it able to go on doing so.
    const auto earlier = by_registration_.find(certificate.registration);
    const std::size_t issued = earlier == by_registration_.end() ? 0 : earlier->second.size();
    if (issued > 0 && !records_[earlier->second.back()].revocation) {
      problems.push_back({where, "registration", certificate.registration.to_string(),
                          "follows the active certificate " +
                              records_[earlier->second.back()].certificate.serial});
    }
    if (certificate.issue != static_cast<int>(issued) + 1) {
      problems.push_back({where, "issue", std::to_string(certificate.issue),
                          "must be " + std::to_string(issued + 1) +
                              ": a registration's certificates are numbered 1, 2, ... in order"});
    }
    if (problems.size() == before) add(std::move(record));
    if (unsealed) problems.push_back(std::move(*unsealed));
  }
  if (problems.empty() && expected_seal && *expected_seal != seal()) {
    problems.push_back(
        {"certificate registry", "seal", printable(*expected_seal, 80),
         "the " + std::to_string(records.size()) +
             " records end with another seal: the newest records were dropped, or these are "
             "an older state than the one sealed"});
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

CertificateRegistry::~CertificateRegistry() {
  if (!key_.empty()) OPENSSL_cleanse(key_.data(), key_.size());
}

const Certificate& CertificateRegistry::issue(const Ledger& ledger, RegistrationIndex registration,
                                              Timestamp now) {
  const Roster& roster = ledger.roster();
  if (registration.pos() >= roster.registration_count()) {
    throw UnknownReferenceError("registration", std::to_string(registration.value()));
  }
  check_now(now);
  const ProgramState state = ledger.statuses(now).program(registration);
  if (state.status != Status::completed) {
    throw ValidationError(Problem{"registration " + roster.entry(registration).id.to_string(),
                                  "status", std::string(name_of(state.status)),
                                  "a certificate needs a completed program"});
  }
  return issue_completed(roster, registration, state, now);
}

std::size_t CertificateRegistry::issue_all(const Ledger& ledger, Timestamp now) {
  check_now(now);
  const std::size_t before = records_.size();
  const Statuses statuses = ledger.statuses(now);  // once for all, not once per registration
  for (std::uint32_t r = 0; r < statuses.size(); ++r) {
    const RegistrationIndex registration(r);
    const ProgramState& state = statuses.program(registration);
    if (state.status == Status::completed) {
      issue_completed(ledger.roster(), registration, state, now);
    }
  }
  return records_.size() - before;
}

const Certificate& CertificateRegistry::issue_completed(const Roster& roster,
                                                        RegistrationIndex registration,
                                                        const ProgramState& state, Timestamp now) {
  const RosterEntry& entry = roster.entry(registration);
  const auto earlier = by_registration_.find(entry.id);
  if (earlier != by_registration_.end() && !records_[earlier->second.back()].revocation) {
    return records_[earlier->second.back()].certificate;
  }
  Certificate certificate;
  certificate.issue =
      earlier == by_registration_.end() ? 1 : static_cast<int>(earlier->second.size()) + 1;
  certificate.registration = entry.id;
  certificate.serial =
      Uuid::v5(kSerialNamespace, entry.id.to_string() + "#" + std::to_string(certificate.issue))
          .to_string();
  certificate.trainee = roster.registrations()[registration.pos()].trainee;
  certificate.program = std::string(roster.program_name());
  // A completed program has its completion time; the issue time only keeps this total.
  certificate.completed_on =
      local_date(state.completed_at.value_or(now), province(entry.province).time_zone);
  certificate.issued_at = now;
  certificate.valid_from = now;
  certificate.valid_until = now + Timestamp{options_.validity_days} * 86'400;
  certificate.verification_code = code(certificate);
  CertificateRecord record{std::move(certificate), std::nullopt, {}};
  record.seal = seal_of(record, seal());
  add(std::move(record));
  return records_.back().certificate;
}

void CertificateRegistry::revoke(std::string_view serial, std::string_view reason, Timestamp time) {
  const auto found = by_serial_.find(std::string(serial));
  if (found == by_serial_.end()) throw UnknownReferenceError("certificate", std::string(serial));
  CertificateRecord& record = records_[found->second];
  Revocation revocation{std::string(reason), time};
  if (auto problems = check(revocation, record.certificate); !problems.empty()) {
    throw ValidationError(std::move(problems));
  }
  if (record.revocation) {
    if (*record.revocation == revocation) return;
    throw ConflictError(where_serial(serial) + " was already revoked at " +
                        std::to_string(record.revocation->time) + " for '" +
                        printable(record.revocation->reason) + "'");
  }
  record.revocation = std::move(revocation);
  reseal_from(found->second);
}

Verification CertificateRegistry::verify(const Certificate& certificate, Timestamp at) const {
  const std::string expected = code(certificate);
  const std::string& given = certificate.verification_code;
  if (given.size() != expected.size() ||
      CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return Verification::altered;
  }
  const CertificateRecord* record = find(certificate.serial);
  // An intact certificate under the same key that this registry does not hold: another
  // registry sharing the key, or a record lost from this one.
  if (record == nullptr || record->certificate != certificate) return Verification::unknown;
  if (record->revocation && record->revocation->time <= at) return Verification::revoked;
  if (at < certificate.valid_from) return Verification::not_yet_valid;
  if (at >= certificate.valid_until) return Verification::expired;
  return Verification::valid;
}

const CertificateRecord* CertificateRegistry::find(std::string_view serial) const {
  const auto found = by_serial_.find(std::string(serial));
  return found == by_serial_.end() ? nullptr : &records_[found->second];
}

std::string CertificateRegistry::code(const Certificate& certificate) const {
  MacMessage message;
  message.field(certificate.serial)
      .field(certificate.registration)
      .field(certificate.trainee)
      .field(certificate.program)
      .field(std::int64_t{certificate.completed_on.days()})
      .field(std::int64_t{certificate.issue})
      .field(certificate.issued_at)
      .field(certificate.valid_from)
      .field(certificate.valid_until);
  return to_hex(hmac_sha256(key_, message.text()));
}

const std::string& CertificateRegistry::seal() const noexcept {
  return records_.empty() ? empty_seal_ : records_.back().seal;
}

std::string CertificateRegistry::seal_of(const CertificateRecord& record,
                                         std::string_view previous) const {
  MacMessage message(kRecordTag);
  message.field(previous)
      .field(record.certificate.verification_code)
      .field(std::int64_t{record.revocation ? 1 : 0});
  if (record.revocation) message.field(record.revocation->reason).field(record.revocation->time);
  return to_hex(hmac_sha256(key_, message.text()));
}

void CertificateRegistry::reseal_from(std::size_t position) {
  for (auto i = position; i < records_.size(); ++i) {
    records_[i].seal = seal_of(records_[i], i == 0 ? empty_seal_ : records_[i - 1].seal);
  }
}

void CertificateRegistry::add(CertificateRecord record) {
  const std::size_t position = records_.size();
  by_serial_.emplace(record.certificate.serial, position);
  by_registration_[record.certificate.registration].push_back(position);
  records_.push_back(std::move(record));
}

}  // namespace balai
