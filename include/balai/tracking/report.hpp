// Reports over statuses: how many registrations (or modules) stand where, grouped by
// province, regency, facility, track, gender or module, the completion funnel, and the
// program's progress against its target.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "balai/core/enum_names.hpp"
#include "balai/core/export.hpp"
#include "balai/tracking/ledger.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

enum class ReportBy : std::uint8_t { national, province, regency, facility, track, gender, module };

template <>
struct EnumNames<ReportBy> {
  static constexpr std::array<std::string_view, 7> names{
      "national", "province", "regency", "facility", "track", "gender", "module"};
};

// One group. `counts` is indexed by Status; by module it counts module states, otherwise
// registrations. Rates are over `total`.
struct ReportRow {
  std::string key{};  // "32", "3273", "BLK-1", "umkm_owner", "female", "ENT-101", "all"
  std::size_t total = 0;
  std::array<std::size_t, 8> counts{};

  [[nodiscard]] std::size_t count(Status status) const noexcept {
    return counts[static_cast<std::size_t>(status)];
  }
  [[nodiscard]] double rate(Status status) const noexcept {
    return total == 0 ? 0.0 : static_cast<double>(count(status)) / static_cast<double>(total);
  }
  friend bool operator==(const ReportRow&, const ReportRow&) = default;
};

// Rows sorted by key; groups without registrations are left out. Registrations without a
// regency or facility fall in a group with an empty key.
[[nodiscard]] std::vector<ReportRow> report(const Roster& roster, const Statuses& statuses,
                                            ReportBy by);

// The stages a registration passes, each counting those that reached it: registered (all),
// enrolled, started (any module progress), completed, certified (given by the caller, who
// holds the certificates).
struct Funnel {
  std::size_t registered = 0;
  std::size_t enrolled = 0;
  std::size_t started = 0;
  std::size_t completed = 0;
  std::size_t certified = 0;

  friend bool operator==(const Funnel&, const Funnel&) = default;
};

[[nodiscard]] Funnel funnel(const Statuses& statuses, std::size_t certified = 0);

// Completions against the program's target range.
struct TargetProgress {
  std::size_t completed = 0;
  std::size_t in_progress = 0;  // enrolled or in progress: could still complete
  int target_min = 0;
  int target_max = 0;

  [[nodiscard]] double share_of_min() const noexcept {
    return target_min == 0 ? 0.0 : static_cast<double>(completed) / target_min;
  }
  [[nodiscard]] bool met() const noexcept {
    return completed >= static_cast<std::size_t>(target_min);
  }
  friend bool operator==(const TargetProgress&, const TargetProgress&) = default;
};

[[nodiscard]] TargetProgress progress(const Roster& roster, const Statuses& statuses);

}  // namespace balai
BALAI_EXPORT_END
