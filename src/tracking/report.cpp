#include "balai/tracking/report.hpp"

#include <map>

namespace balai {
namespace {

std::string key_of(const Roster& roster, RegistrationIndex r, ReportBy by) {
  const auto& entry = roster.entry(r);
  switch (by) {
    case ReportBy::national: return "all";
    case ReportBy::province: return entry.province.to_string();
    case ReportBy::regency: return entry.regency ? entry.regency->to_string() : std::string();
    case ReportBy::facility:
      return entry.facility ? roster.facility_ids()[entry.facility->pos()] : std::string();
    case ReportBy::track: return std::string(name_of(entry.track));
    case ReportBy::gender: return std::string(name_of(entry.gender));
    case ReportBy::module: break;
  }
  return {};
}

}  // namespace

std::vector<ReportRow> report(const Roster& roster, const Statuses& statuses, ReportBy by) {
  std::map<std::string, ReportRow, std::less<>> groups;
  auto add = [&](std::string key, Status status) {
    auto& row = groups[key];
    row.key = std::move(key);
    ++row.total;
    ++row.counts[static_cast<std::size_t>(status)];
  };
  for (std::uint32_t i = 0; i < statuses.size(); ++i) {
    const RegistrationIndex r(i);
    if (by != ReportBy::module) {
      add(key_of(roster, r, by), statuses.program(r).status);
      continue;
    }
    const auto required = roster.required(r);
    const auto modules = statuses.modules(r);
    for (std::size_t k = 0; k < modules.size(); ++k) {
      add(roster.modules()[required[k].pos()].code, modules[k].status);
    }
  }
  std::vector<ReportRow> rows;
  rows.reserve(groups.size());
  for (auto& [key, row] : groups) rows.push_back(std::move(row));
  return rows;
}

Funnel funnel(const Statuses& statuses, std::size_t certified) {
  Funnel f;
  f.certified = certified;
  for (std::uint32_t i = 0; i < statuses.size(); ++i) {
    const RegistrationIndex r(i);
    const auto& program = statuses.program(r);
    ++f.registered;
    if (!program.enrolled_at) continue;
    ++f.enrolled;
    const auto modules = statuses.modules(r);
    const bool started = program.status != Status::enrolled ||
                         std::any_of(modules.begin(), modules.end(), [](const ModuleState& m) {
                           return m.status != Status::enrolled;
                         });
    if (started) ++f.started;
    if (program.status == Status::completed) ++f.completed;
  }
  return f;
}

TargetProgress progress(const Roster& roster, const Statuses& statuses) {
  TargetProgress p;
  p.target_min = roster.target_min();
  p.target_max = roster.target_max();
  for (const auto& program : statuses.programs()) {
    if (program.status == Status::completed) ++p.completed;
    if (program.status == Status::enrolled || program.status == Status::in_progress) {
      ++p.in_progress;
    }
  }
  return p;
}

}  // namespace balai
