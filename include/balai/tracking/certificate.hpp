// Certificates of program completion. A CertificateRegistry issues one to a registration
// whose program status is `completed`, and only one at a time: asking again returns the
// active certificate. Each certificate carries a verification code, the HMAC-SHA256 under
// the registry's secret key of every other field, so anyone holding the key can tell an
// intact certificate from an edited or forged one, and the registry tells whether it is
// within its validity period and not revoked. After a revocation the registration can be
// issued a new certificate, with the next issue number and a new serial.
//
// The key is the operator's secret: at least 32 bytes, never exported, printed or
// serialised by balai. Persisting a registry means storing records() and passing them
// back, with the key, to the restoring constructor.
//
// The records are sealed as a chain: each carries an HMAC under the key of its own content
// (its certificate's code, its revocation) and of the seal before it. Restoring checks the
// chain, so records whose revocation was removed or changed, that were reordered, edited or
// dropped (short of the newest) are refused, naming the first record that does not match.
// The newest records, and a return to an older state as a whole, are proved by seal(): keep
// it apart from the records and pass it back when restoring.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/tracking/event.hpp"
#include "balai/tracking/roster.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

class Ledger;
struct ProgramState;

struct Certificate {
  std::string serial{};  // a UUID, derived from the registration and the issue number
  Uuid registration{};
  std::string trainee{};  // the trainee's external id
  std::string program{};  // the program's name
  Date completed_on{};    // local date, in the time zone of the trainee's province
  int issue = 1;          // 1 for the registration's first certificate, then 2, ...
  Timestamp issued_at = 0;
  Timestamp valid_from = 0;  // valid in [valid_from, valid_until)
  Timestamp valid_until = 0;
  std::string verification_code{};  // 64 lower-case hex digits

  friend bool operator==(const Certificate&, const Certificate&) = default;
};

// What is wrong with a certificate's form (not whether its code is right): serial not a
// UUID, empty or unclean texts, issue below 1, valid_until before valid_from, a code that
// is not 64 lower-case hex digits. Empty when well formed.
[[nodiscard]] std::vector<Problem> check(const Certificate& certificate);

struct Revocation {
  std::string reason{};
  Timestamp time = 0;

  friend bool operator==(const Revocation&, const Revocation&) = default;
};

// A certificate as the registry keeps it.
struct CertificateRecord {
  Certificate certificate{};
  std::optional<Revocation> revocation{};
  // HMAC-SHA256 under the registry's key of this record (its certificate's code, its
  // revocation) and of the seal of the record before it, as 64 lower-case hex digits.
  // Empty in records written before balai sealed them (see adopt_unsealed).
  std::string seal{};

  friend bool operator==(const CertificateRecord&, const CertificateRecord&) = default;
};

enum class Verification : std::uint8_t {
  valid,
  altered,        // the code does not match the fields: edited, forged, or another key
  not_yet_valid,  // before valid_from
  expired,        // at or after valid_until
  revoked,        // revoked at or before the time asked about
  unknown,        // intact, but this registry never issued it
};

template <>
struct EnumNames<Verification> {
  static constexpr std::array<std::string_view, 6> names{"valid",   "altered", "not_yet_valid",
                                                         "expired", "revoked", "unknown"};
};

struct CertificateOptions {
  int validity_days = 1826;  // five years (with one leap day); in [1, 36525]

  friend bool operator==(const CertificateOptions&, const CertificateOptions&) = default;
};

[[nodiscard]] std::vector<Problem> check(const CertificateOptions& options);

inline constexpr std::size_t kMinCertificateKeyBytes = 32;

class CertificateRegistry {
 public:
  // ValidationError for a key shorter than kMinCertificateKeyBytes (the message gives its
  // length, never its bytes) or bad options.
  explicit CertificateRegistry(std::span<const std::uint8_t> key, CertificateOptions options = {});
  // A registry holding `records`, as records() returned them. ValidationError listing
  // every record that does not verify under `key`, is malformed (or its revocation is),
  // repeats a serial, does not follow its registration's earlier records (issue numbers
  // 1, 2, ... in order, each after the one before was revoked), or whose seal does not
  // match (field "seal": the record, or those before it, were altered, dropped, added or
  // reordered). With `expected_seal`, seal() as it was when the records were stored, also
  // when the records end elsewhere (the newest were dropped, or they are an older state).
  CertificateRegistry(std::span<const std::uint8_t> key, CertificateOptions options,
                      std::vector<CertificateRecord> records,
                      std::optional<std::string> expected_seal = std::nullopt);
  // Records written before balai sealed them (empty seals), checked in every other way and
  // sealed anew. Their revocations and order cannot be proved: adopt only records kept
  // where nobody could have edited them, once, and store the sealed records() instead.
  [[nodiscard]] static CertificateRegistry adopt_unsealed(std::span<const std::uint8_t> key,
                                                          CertificateOptions options,
                                                          std::vector<CertificateRecord> records);
  CertificateRegistry(const CertificateRegistry&) = default;
  CertificateRegistry& operator=(const CertificateRegistry&) = default;
  CertificateRegistry(CertificateRegistry&&) noexcept = default;
  CertificateRegistry& operator=(CertificateRegistry&&) noexcept = default;
  ~CertificateRegistry();  // wipes the key

  // The registration's active certificate, issued now if it has none; the reference lasts
  // until the next issue. The registration must be `completed` in ledger.statuses(now):
  // otherwise ValidationError naming the registration (field "status") and its status.
  // UnknownReferenceError for an index outside the ledger's roster; ValidationError for
  // `now` outside [kEarliestTime, kLatestTime].
  const Certificate& issue(const Ledger& ledger, RegistrationIndex registration, Timestamp now);
  // issue() for every registration completed in ledger.statuses(now), evaluating the
  // statuses once (issue() evaluates them on each call). Returns how many certificates
  // were newly issued; records() holds them all.
  std::size_t issue_all(const Ledger& ledger, Timestamp now);

  // Revokes the certificate from `time` on. Revoking it again with the same reason and
  // time changes nothing; with another, it is a ConflictError. UnknownReferenceError for
  // an unknown serial; ValidationError for an empty or unclean reason or a time before
  // the certificate was issued. Seals the record and every later one again (one HMAC
  // each: revocations are rare, and the chain must carry them).
  void revoke(std::string_view serial, std::string_view reason, Timestamp time);

  // The certificate's standing at `at`. `altered` comes first: nothing else is said about
  // a certificate whose code does not match.
  [[nodiscard]] Verification verify(const Certificate& certificate, Timestamp at) const;

  [[nodiscard]] std::span<const CertificateRecord> records() const noexcept { return records_; }
  // The seal of the newest record, or of the empty chain: what a restore is given as
  // expected_seal to prove that the records are whole and current.
  [[nodiscard]] const std::string& seal() const noexcept;
  // The record with this serial, or nullptr. The pointer lasts until the next issue.
  [[nodiscard]] const CertificateRecord* find(std::string_view serial) const;
  [[nodiscard]] const CertificateOptions& options() const noexcept { return options_; }

 private:
  const Certificate& issue_completed(const Roster& roster, RegistrationIndex registration,
                                     const ProgramState& state, Timestamp now);
  [[nodiscard]] std::string code(const Certificate& certificate) const;
  // The seal of `record` following the record sealed `previous`: the chain alone fixes the
  // order, so a dropped or moved record breaks it at one place.
  [[nodiscard]] std::string seal_of(const CertificateRecord& record,
                                    std::string_view previous) const;
  void restore(std::vector<CertificateRecord> records, bool sealed,
               const std::optional<std::string>& expected_seal);
  void reseal_from(std::size_t position);
  void add(CertificateRecord record);

  std::vector<std::uint8_t> key_;
  CertificateOptions options_;
  std::string empty_seal_;                  // the chain's start: the seal of no record
  std::vector<CertificateRecord> records_;  // in issue order
  std::unordered_map<std::string, std::size_t> by_serial_;    // into records_
  std::map<Uuid, std::vector<std::size_t>> by_registration_;  // into records_, in issue order
};

}  // namespace balai
BALAI_EXPORT_END
