#include "balai/model/dataset.hpp"

#include <algorithm>
#include <queue>

#include "balai/core/text.hpp"
#include "batch_validation.hpp"
#include "text_checks.hpp"

namespace balai {
namespace {

std::vector<Problem> check_regencies(const std::vector<Regency>& regencies) {
  std::vector<Problem> problems;
  for (std::size_t i = 0; i < regencies.size(); ++i) {
    const auto& regency = regencies[i];
    const std::string where = "regency " + regency.code.to_string();
    detail::check_text(problems, where, "name", regency.name);
    if (regency.population < 0) {
      problems.push_back(
          {where, "population", std::to_string(regency.population), "must not be negative"});
    }
    if (i > 0 && regencies[i - 1].code == regency.code) {
      problems.push_back({where, "code", regency.code.to_string(), "duplicate regency code"});
    }
  }
  return problems;
}

template <class Entity, class Key, class IndexType>
void append(std::vector<Entity>& into, std::vector<Entity>& from, IdMap<IndexType>& ids, Key key) {
  // Grow geometrically: reserving the exact size would copy the whole table on every
  // small batch.
  const std::size_t needed = into.size() + from.size();
  if (needed > into.capacity()) {
    const std::size_t capacity = std::max(needed, 2 * into.capacity());
    into.reserve(capacity);
    ids.reserve(capacity);
  }
  for (auto& entity : from) {
    ids.insert(key(entity));
    into.push_back(std::move(entity));
  }
}

}  // namespace

Dataset::Dataset(std::vector<Regency> regencies) : regencies_(std::move(regencies)) {
  std::stable_sort(regencies_.begin(), regencies_.end(),
                   [](const Regency& a, const Regency& b) { return a.code < b.code; });
  if (auto problems = check_regencies(regencies_); !problems.empty()) {
    throw ValidationError(std::move(problems));
  }
}

Dataset::Dataset(std::vector<Regency> regencies, Batch batch) : Dataset(std::move(regencies)) {
  add(std::move(batch));
}

void Dataset::add(Batch batch) {
  detail::normalise(batch);
  if (auto problems = detail::validate(*this, batch); !problems.empty()) {
    throw ValidationError(std::move(problems));
  }

  const auto intern = [this](const std::vector<std::string>& tags) {
    std::vector<FeatureIndex> indices;
    indices.reserve(tags.size());
    for (const auto& tag : tags) {
      const auto found = features_.find(tag);
      indices.push_back(found ? *found : features_.insert(tag));
    }
    std::sort(indices.begin(), indices.end());
    return indices;
  };
  for (const auto& facility : batch.facilities)
    facility_features_.push_back(intern(facility.features));
  for (const auto& module : batch.modules)
    module_features_.push_back(intern(module.required_features));

  append(facilities_, batch.facilities, facility_ids_, [](const Facility& f) { return f.id; });
  append(modules_, batch.modules, module_ids_, [](const Module& m) { return m.code; });
  append(trainees_, batch.trainees, trainee_ids_, [](const Trainee& t) { return t.id; });
  if (batch.program) program_ = std::move(batch.program);

  // Prerequisites of earlier modules never change; only the new modules need resolving.
  for (std::size_t i = prerequisites_.size(); i < modules_.size(); ++i) {
    std::vector<ModuleIndex> resolved;
    for (const auto& code : modules_[i].prerequisites) resolved.push_back(module_ids_.at(code));
    prerequisites_.push_back(std::move(resolved));
  }
}

const Regency* Dataset::find_regency(RegencyCode code) const noexcept {
  const auto it = std::lower_bound(regencies_.begin(), regencies_.end(), code,
                                   [](const Regency& r, RegencyCode c) { return r.code < c; });
  return it != regencies_.end() && it->code == code ? &*it : nullptr;
}

bool Dataset::can_host(FacilityIndex facility, ModuleIndex module) const {
  const auto offered = facility_features(facility);
  const auto needed = module_features(module);
  return std::includes(offered.begin(), offered.end(), needed.begin(), needed.end());
}

std::vector<ModuleIndex> Dataset::modules_for(Track track) const {
  // Kahn's algorithm over the track's modules, taking the lowest index first so that the
  // order is the catalog's order wherever prerequisites allow.
  std::vector<int> waiting(modules_.size(), 0);
  std::vector<std::vector<ModuleIndex>> unlocks(modules_.size());
  std::priority_queue<ModuleIndex, std::vector<ModuleIndex>, std::greater<>> ready;
  for (std::size_t i = 0; i < modules_.size(); ++i) {
    if (!modules_[i].required_by(track)) continue;
    const ModuleIndex index{static_cast<ModuleIndex::value_type>(i)};
    for (ModuleIndex prerequisite : prerequisites_[i]) {
      ++waiting[i];
      unlocks[prerequisite.pos()].push_back(index);
    }
    if (waiting[i] == 0) ready.push(index);
  }
  std::vector<ModuleIndex> order;
  while (!ready.empty()) {
    const ModuleIndex next = ready.top();
    ready.pop();
    order.push_back(next);
    for (ModuleIndex unlocked : unlocks[next.pos()]) {
      if (--waiting[unlocked.pos()] == 0) ready.push(unlocked);
    }
  }
  return order;
}

bool operator==(const Dataset& a, const Dataset& b) {
  return a.regencies_ == b.regencies_ && a.facilities_ == b.facilities_ &&
         a.modules_ == b.modules_ && a.trainees_ == b.trainees_ && a.program_ == b.program_;
}

Batch Dataset::to_batch() const { return Batch{facilities_, modules_, trainees_, program_}; }

}  // namespace balai
