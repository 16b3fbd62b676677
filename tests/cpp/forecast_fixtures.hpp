// A realistic roster for the forecast's tests and benchmark, without the timetabler: the
// national scenario's trainees, each placed at the nearest facility of their province that
// can host every module of their track, in classes of up to 25 per facility and track.
// A class takes its track's modules one after another, prerequisites first, in
// ceil(hours_jp / 6) sessions on consecutive weekdays, the classes of a facility starting
// a week apart from 2027-01-04. Some cohorts have a deadline, some registrations lack a
// cohort, to exercise the ledger's rules. Header-only so that bench/ can include it.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "balai/core/geo.hpp"
#include "balai/scenario/indonesia.hpp"
#include "balai/tracking/roster.hpp"

namespace balai::testing {

struct ForecastWorld {
  Dataset dataset;
  Roster roster;
  std::vector<double> distance_km;  // per registration, trainee to facility
};

struct ForecastWorldOptions {
  int trainees = 2'000;
  std::uint64_t seed = 2027;
  // Every n-th registration lacks the cohort of its track's last module (0: none does),
  // and every m-th has no cohort at all.
  std::size_t missing_last_every = 0;
  std::size_t unplaced_every = 0;
};

inline constexpr std::size_t kForecastClassSize = 25;

// The next weekday after `date`.
inline Date next_weekday(Date date) {
  do {
    date = date + 1;
  } while (date.weekday() > 5);
  return date;
}

inline ForecastWorld forecast_world(const ForecastWorldOptions& options = {}) {
  ForecastWorld world{
      indonesia(ScenarioOptions{.seed = options.seed, .trainees = options.trainees}), {}, {}};
  const auto& dataset = world.dataset;
  const auto facilities = dataset.facilities();
  const auto trainees = dataset.trainees();

  // Per track, the facilities that can host all its modules, grouped by province.
  std::array<std::vector<ModuleIndex>, 2> modules;
  std::array<std::map<ProvinceCode, std::vector<FacilityIndex>>, 2> hosts;
  for (const auto track : {Track::umkm_owner, Track::new_entrepreneur}) {
    const auto t = static_cast<std::size_t>(track);
    modules[t] = dataset.modules_for(track);
    for (std::size_t f = 0; f < facilities.size(); ++f) {
      const FacilityIndex index(static_cast<std::uint32_t>(f));
      bool all = true;
      for (const auto m : modules[t]) all = all && dataset.can_host(index, m);
      if (all) hosts[t][facilities[f].province].push_back(index);
    }
  }

  // Nearest host in the trainee's province (anywhere when the province has none).
  std::vector<std::optional<FacilityIndex>> placed(trainees.size());
  std::vector<double> distance(trainees.size(), 0.0);
  for (std::size_t i = 0; i < trainees.size(); ++i) {
    const auto& trainee = trainees[i];
    const auto t = static_cast<std::size_t>(trainee.track);
    const auto nearest = [&](const std::vector<FacilityIndex>& candidates) {
      for (const auto f : candidates) {
        const auto km = haversine_km(trainee.location, dataset.facility(f).location);
        if (!placed[i] || km < distance[i]) {
          placed[i] = f;
          distance[i] = km;
        }
      }
    };
    if (const auto it = hosts[t].find(trainee.province); it != hosts[t].end()) {
      nearest(it->second);
    } else {
      for (const auto& [province, candidates] : hosts[t]) nearest(candidates);
    }
  }

  // Classes per (facility, track), in trainee order.
  std::map<std::pair<std::uint32_t, std::size_t>, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < trainees.size(); ++i) {
    if (placed[i]) {
      members[{placed[i]->value(), static_cast<std::size_t>(trainees[i].track)}].push_back(i);
    }
  }
  std::vector<Cohort> cohorts;
  std::vector<std::vector<std::string>> cohorts_of(trainees.size());
  for (const auto& [key, list] : members) {
    const auto& [facility, t] = key;
    const auto& facility_id = facilities[facility].id;
    for (std::size_t first = 0, group = 0; first < list.size();
         first += kForecastClassSize, ++group) {
      auto day = Date(2027, 1, 4) + static_cast<std::int32_t>(7 * (group % 6));
      for (std::size_t k = 0; k < modules[t].size(); ++k) {
        const auto& module = dataset.module(modules[t][k]);
        Cohort cohort{
            facility_id + "/" + std::to_string(t) + "/" + std::to_string(group) + "/" + module.code,
            module.code,
            facility_id,
            {},
            std::nullopt};
        const auto sessions = (module.hours_jp + 5) / 6;
        for (int s = 0; s < sessions; ++s, day = next_weekday(day)) cohort.sessions.push_back(day);
        if (group % 2 == 1) cohort.deadline = cohort.sessions.back() + 7;
        const auto last = std::min(first + kForecastClassSize, list.size());
        for (auto m = first; m < last; ++m) cohorts_of[list[m]].push_back(cohort.code);
        cohorts.push_back(std::move(cohort));
      }
    }
  }

  const auto name_space = Uuid::parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  std::vector<Registration> registrations;
  for (std::size_t i = 0; i < trainees.size(); ++i) {
    Registration registration{Uuid::v5(name_space, trainees[i].id).to_string(), trainees[i].id,
                              std::move(cohorts_of[i])};
    const auto n = i + 1;
    if (options.unplaced_every != 0 && n % options.unplaced_every == 0) {
      registration.cohorts.clear();
    } else if (options.missing_last_every != 0 && n % options.missing_last_every == 0 &&
               !registration.cohorts.empty()) {
      registration.cohorts.pop_back();
    }
    registrations.push_back(std::move(registration));
    world.distance_km.push_back(distance[i]);
  }
  world.roster = Roster(dataset, std::move(cohorts), std::move(registrations));
  return world;
}

}  // namespace balai::testing
