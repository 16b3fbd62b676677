#include "balai/tracking/roster.hpp"

#include <algorithm>
#include <string>

#include "../core/canonical_text.hpp"
#include "balai/core/text.hpp"

namespace balai {
namespace {

std::string where_cohort(std::size_t i, const Cohort& cohort) {
  return "cohort " + std::to_string(i) + " (" + printable(cohort.code, 64) + ")";
}

std::string where_registration(std::size_t i, const Registration& registration) {
  return "registration " + std::to_string(i) + " (" + printable(registration.id, 64) + ")";
}

// Cohorts resolved to indices; problems for everything that does not resolve.
struct ResolvedCohorts {
  IdMap<CohortIndex> ids{"cohort"};
  std::vector<std::optional<ModuleIndex>> modules;
};

ResolvedCohorts resolve_cohorts(const Dataset& dataset, std::span<const Cohort> cohorts,
                                std::vector<Problem>& problems) {
  ResolvedCohorts resolved;
  for (std::size_t i = 0; i < cohorts.size(); ++i) {
    const auto& c = cohorts[i];
    const auto where = where_cohort(i, c);
    if (c.code.empty()) problems.push_back({where, "code", "", "must not be empty"});
    if (!resolved.ids.try_insert(c.code).second) {
      problems.push_back({where, "code", printable(c.code, 64), "duplicate cohort code"});
    }
    const auto module = dataset.module_ids().find(c.module);
    const auto facility = dataset.facility_ids().find(c.facility);
    resolved.modules.push_back(module);
    if (!module) problems.push_back({where, "module", printable(c.module, 64), "unknown module"});
    if (!facility) {
      problems.push_back({where, "facility", printable(c.facility, 64), "unknown facility"});
    }
    if (module && facility && !dataset.can_host(*facility, *module)) {
      problems.push_back(
          {where, "facility", c.facility, "lacks a feature module " + c.module + " requires"});
    }
    if (c.sessions.empty() || c.sessions.size() > kMaxSessions) {
      problems.push_back({where, "sessions", std::to_string(c.sessions.size()),
                          "a cohort has 1 to " + std::to_string(kMaxSessions) + " sessions"});
    }
    if (!std::is_sorted(c.sessions.begin(), c.sessions.end())) {
      problems.push_back({where, "sessions", "", "session dates must be in order"});
    }
    if (c.deadline && !c.sessions.empty() && *c.deadline < c.sessions.front()) {
      problems.push_back({where, "deadline", c.deadline->to_string(),
                          "is before the first session " + c.sessions.front().to_string()});
    }
  }
  return resolved;
}

}  // namespace

Roster::Roster(const Dataset& dataset, std::vector<Cohort> cohorts,
               std::vector<Registration> registrations)
    : cohorts_(std::move(cohorts)),
      registrations_(std::move(registrations)),
      modules_(dataset.modules().begin(), dataset.modules().end()) {
  for (const auto& facility : dataset.facilities()) facility_ids_.push_back(facility.id);
  for (const auto& module : modules_) module_ids_.insert(module.code);
  if (const auto& program = dataset.program()) {
    program_name_ = program->name;
    target_min_ = program->target_min;
    target_max_ = program->target_max;
  }
  for (const auto track : {Track::umkm_owner, Track::new_entrepreneur}) {
    const auto t = static_cast<std::size_t>(track);
    required_[t] = dataset.modules_for(track);
    slot_of_[t].assign(modules_.size(), -1);
    for (std::size_t s = 0; s < required_[t].size(); ++s) {
      slot_of_[t][required_[t][s].pos()] = static_cast<std::int16_t>(s);
    }
  }

  std::vector<Problem> problems;
  const auto resolved = resolve_cohorts(dataset, cohorts_, problems);
  for (const auto& c : cohorts_) {
    const auto facility = dataset.facility_ids().find(c.facility);
    zones_.push_back(facility ? province(dataset.facility(*facility).province).time_zone
                              : TimeZone::wib);
  }

  cohort_offsets_.push_back(0);
  for (std::size_t i = 0; i < registrations_.size(); ++i) {
    auto& reg = registrations_[i];
    const auto where = where_registration(i, reg);
    RosterEntry entry;
    if (Uuid::is_uuid(reg.id)) {
      entry.id = Uuid::parse(reg.id);
      reg.id = entry.id.to_string();  // one spelling, so lookups are case-blind
      if (!registration_ids_.try_insert(reg.id).second) {
        problems.push_back({where, "id", reg.id, "duplicate registration id"});
      }
    } else {
      problems.push_back({where, "id", printable(reg.id, 64), "must be a UUID"});
      registration_ids_.try_insert("invalid:" + std::to_string(i));
    }
    const auto trainee = dataset.trainee_ids().find(reg.trainee);
    if (!trainee) {
      problems.push_back({where, "trainee", printable(reg.trainee, 64), "unknown trainee"});
    } else {
      const auto& t = dataset.trainee(*trainee);
      entry.trainee = *trainee;
      entry.track = t.track;
      entry.gender = t.gender;
      entry.province = t.province;
      entry.regency = t.regency;
    }
    const auto track = static_cast<std::size_t>(entry.track);
    const auto first_slot = cohort_offsets_.back();
    cohort_of_.resize(first_slot + required_[track].size(), -1);
    for (const auto& code : reg.cohorts) {
      const auto cohort = resolved.ids.find(code);
      if (!cohort) {
        problems.push_back({where, "cohorts", printable(code, 64), "unknown cohort"});
        continue;
      }
      const auto module = resolved.modules[cohort->pos()];
      if (!module || !trainee) continue;  // reported above
      const auto slot = slot_of_[track][module->pos()];
      if (slot < 0) {
        problems.push_back({where, "cohorts", code,
                            "module " + modules_[module->pos()].code +
                                " is not required by track " + std::string(name_of(entry.track))});
        continue;
      }
      auto& assigned = cohort_of_[first_slot + static_cast<std::size_t>(slot)];
      if (assigned >= 0) {
        problems.push_back(
            {where, "cohorts", code, "a second cohort of module " + modules_[module->pos()].code});
        continue;
      }
      assigned = static_cast<std::int32_t>(cohort->pos());
      if (!entry.facility)
        entry.facility = dataset.facility_ids().find(cohorts_[cohort->pos()].facility);
    }
    cohort_offsets_.push_back(static_cast<std::uint32_t>(cohort_of_.size()));
    entries_.push_back(entry);
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

std::optional<RegistrationIndex> Roster::find_registration(std::string_view id) const {
  if (!Uuid::is_uuid(id)) return std::nullopt;
  return registration_ids_.find(Uuid::parse(id).to_string());
}

std::optional<ModuleIndex> Roster::find_module(std::string_view code) const {
  return module_ids_.find(code);
}

std::array<std::uint8_t, 32> Roster::digest() const {
  detail::CanonicalText text;
  for (const auto& m : modules_) {
    text << "M" << m.code << m.tracks << m.rule.min_attendance << m.rule.pass_mark
         << m.rule.move_on;
    text.end_record();
  }
  for (const auto& f : facility_ids_) {
    text << "F" << f;
    text.end_record();
  }
  for (const auto& c : cohorts_) {
    text << "C" << c.code << c.module << c.facility << c.sessions << c.deadline;
    text.end_record();
  }
  for (std::size_t i = 0; i < registrations_.size(); ++i) {
    const auto& r = registrations_[i];
    text << "R" << r.id << r.trainee << r.cohorts << entries_[i].track;
    text.end_record();
  }
  return text.digest();
}

}  // namespace balai
