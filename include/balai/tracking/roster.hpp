// The roster: who is registered and which cohort (run of a module) each registration
// attends. A Roster is built once from a Dataset and keeps, as plain values, everything
// the ledger needs to validate events and compute statuses, so a ledger never points
// back into a Dataset.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/export.hpp"
#include "balai/core/ids.hpp"
#include "balai/core/regions.hpp"
#include "balai/model/dataset.hpp"
#include "balai/tracking/event.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// A UUID as 16 bytes. Registrations are identified by UUIDs because xAPI's
// context.registration is one.
class Uuid {
 public:
  constexpr Uuid() noexcept = default;
  constexpr explicit Uuid(const std::array<std::uint8_t, 16>& bytes) noexcept : bytes_(bytes) {}
  // Parses the canonical 8-4-4-4-12 hex form, either case; ValidationError naming `field`.
  [[nodiscard]] static Uuid parse(std::string_view text, std::string_view field = "uuid");
  [[nodiscard]] static bool is_uuid(std::string_view text) noexcept;
  // A name-based UUID (RFC 9562 version 5, SHA-1) of `name` in `name_space`: the same
  // name always gives the same UUID, which makes xAPI statement ids reproducible.
  [[nodiscard]] static Uuid v5(const Uuid& name_space, std::string_view name);

  [[nodiscard]] std::string to_string() const;  // lower-case canonical form
  [[nodiscard]] const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }
  friend constexpr auto operator<=>(const Uuid&, const Uuid&) noexcept = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

// One run of one module at one facility: its sessions in date order and, optionally, the
// last day by which the module must be satisfied.
struct Cohort {
  std::string code{};      // external id, e.g. "C-3201-ENT101-1"
  std::string module{};    // module code
  std::string facility{};  // facility id
  std::vector<Date> sessions{};
  std::optional<Date> deadline{};

  friend bool operator==(const Cohort&, const Cohort&) = default;
};

// At most this many sessions per cohort: the ledger keeps a session set in one machine word.
inline constexpr std::size_t kMaxSessions = 64;

// A trainee's place in the program run, and the cohort for each module they attend.
struct Registration {
  std::string id{};                    // a UUID
  std::string trainee{};               // trainee id
  std::vector<std::string> cohorts{};  // cohort codes, at most one per module

  friend bool operator==(const Registration&, const Registration&) = default;
};

// What the ledger needs about each registration, resolved to indices.
struct RosterEntry {
  Uuid id{};
  TraineeIndex trainee{};
  Track track = Track::umkm_owner;
  Gender gender = Gender::female;
  ProvinceCode province = 0;
  std::optional<RegencyCode> regency{};
  std::optional<FacilityIndex> facility{};  // the facility of its first cohort
};

class Roster {
 public:
  Roster() = default;
  // ValidationError listing every problem: duplicate codes or ids, unknown modules,
  // facilities, trainees or cohorts, a malformed UUID, sessions out of order or more than
  // kMaxSessions, a deadline before the first session, a facility that cannot host the
  // cohort's module, a cohort whose module the trainee's track does not require, two
  // cohorts of one module in a registration.
  Roster(const Dataset& dataset, std::vector<Cohort> cohorts,
         std::vector<Registration> registrations);

  [[nodiscard]] std::size_t registration_count() const noexcept { return entries_.size(); }
  [[nodiscard]] std::size_t module_count() const noexcept { return modules_.size(); }
  [[nodiscard]] std::span<const RosterEntry> entries() const noexcept { return entries_; }
  [[nodiscard]] const RosterEntry& entry(RegistrationIndex r) const { return entries_.at(r.pos()); }
  [[nodiscard]] std::span<const Cohort> cohorts() const noexcept { return cohorts_; }
  [[nodiscard]] std::span<const Registration> registrations() const noexcept {
    return registrations_;
  }
  [[nodiscard]] std::span<const Module> modules() const noexcept { return modules_; }
  [[nodiscard]] std::span<const std::string> facility_ids() const noexcept { return facility_ids_; }
  [[nodiscard]] std::string_view program_name() const noexcept { return program_name_; }
  [[nodiscard]] int target_min() const noexcept { return target_min_; }
  [[nodiscard]] int target_max() const noexcept { return target_max_; }

  [[nodiscard]] std::optional<RegistrationIndex> find_registration(std::string_view id) const;
  [[nodiscard]] std::optional<ModuleIndex> find_module(std::string_view code) const;

  // The modules the registration's track requires, prerequisites first. (These three are
  // inline: validating an event asks them, ten million times for ten million events.)
  [[nodiscard]] std::span<const ModuleIndex> required(RegistrationIndex r) const {
    return required_[static_cast<std::size_t>(entry(r).track)];
  }
  // The module's position in required(r), if the track requires it.
  [[nodiscard]] std::optional<std::size_t> slot(RegistrationIndex r, ModuleIndex m) const {
    const auto& slots = slot_of_[static_cast<std::size_t>(entry(r).track)];
    if (m.pos() >= slots.size() || slots[m.pos()] < 0) return std::nullopt;
    return static_cast<std::size_t>(slots[m.pos()]);
  }
  // The registration's cohort for the module, if it has one.
  [[nodiscard]] std::optional<CohortIndex> cohort(RegistrationIndex r, ModuleIndex m) const {
    const auto s = slot(r, m);
    if (!s) return std::nullopt;
    const auto c = cohort_of_[cohort_offsets_[r.pos()] + *s];
    if (c < 0) return std::nullopt;
    return CohortIndex(static_cast<std::uint32_t>(c));
  }
  // The time zone of the cohort's facility, in which session dates are local dates.
  [[nodiscard]] TimeZone time_zone(CohortIndex c) const { return zones_.at(c.pos()); }
  [[nodiscard]] const Cohort& cohort(CohortIndex c) const { return cohorts_.at(c.pos()); }

  // A digest of the roster's content: a journal refuses to replay into another roster.
  [[nodiscard]] std::array<std::uint8_t, 32> digest() const;

  friend bool operator==(const Roster& a, const Roster& b) {
    return a.cohorts_ == b.cohorts_ && a.registrations_ == b.registrations_ &&
           a.modules_ == b.modules_ && a.facility_ids_ == b.facility_ids_;
  }

 private:
  std::vector<Cohort> cohorts_;
  std::vector<Registration> registrations_;
  std::vector<Module> modules_;
  std::vector<std::string> facility_ids_;
  std::string program_name_;
  int target_min_ = 0;
  int target_max_ = 0;
  std::vector<RosterEntry> entries_;
  std::vector<TimeZone> zones_;                         // per cohort
  std::array<std::vector<ModuleIndex>, 2> required_{};  // per track
  std::array<std::vector<std::int16_t>, 2> slot_of_{};  // per track, per module; -1: none
  std::vector<std::uint32_t> cohort_offsets_;           // per registration, into cohort_of_
  std::vector<std::int32_t> cohort_of_;                 // per registration and slot; -1: none
  IdMap<RegistrationIndex> registration_ids_{"registration"};
  IdMap<ModuleIndex> module_ids_{"module"};
};

}  // namespace balai
BALAI_EXPORT_END
