#include "balai/model/dataset.hpp"

#include <algorithm>
#include <iterator>
#include <queue>

#include "balai/core/text.hpp"
#include "balai/model/nik.hpp"
#include "balai/model/places.hpp"
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
    if (auto outside = outside_indonesia(regency.seat)) {
      outside->where = where;
      outside->field = "seat";
      problems.push_back(std::move(*outside));
    }
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

// The capacity to reserve for `more` items beyond `size`: at least double the current
// one, since reserving the exact size would copy the whole table on every small batch.
std::size_t grown_capacity(std::size_t size, std::size_t more, std::size_t capacity) {
  return size + more > capacity ? std::max(size + more, 2 * capacity) : capacity;
}

template <class Entity>
void append(std::vector<Entity>& table, std::vector<Entity>& batch) {
  table.reserve(grown_capacity(table.size(), batch.size(), table.capacity()));
  std::move(batch.begin(), batch.end(), std::back_inserter(table));
}

// Adds the batch's ids to `ids`, reporting each one the dataset already holds or the batch
// repeats. The caller undoes the inserts with IdMap::truncate if the batch fails.
template <class Entity, class IndexType>
void index_ids(std::vector<Problem>& problems, IdMap<IndexType>& ids, std::string_view kind,
               std::string_view field, const std::vector<Entity>& batch,
               const std::string& (*id_of)(const Entity&)) {
  const std::size_t before = ids.size();
  // Only when growing: reserving an unordered_map may rehash it even when it is big enough.
  if (const auto capacity = grown_capacity(before, batch.size(), ids.ids().capacity());
      capacity > ids.ids().capacity()) {
    ids.reserve(capacity);
  }
  std::vector<std::size_t> position_of_new;  // batch position of each id added
  position_of_new.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const std::string& id = id_of(batch[i]);
    const auto [index, added] = ids.try_insert(id);
    if (added) {
      position_of_new.push_back(i);
    } else if (index.pos() < before) {
      problems.push_back({detail::describe(kind, id, i), std::string(field),
                          hide_niks(printable(id)), "already in the dataset"});
    } else {
      problems.push_back({detail::describe(kind, id, i), std::string(field),
                          hide_niks(printable(id)),
                          "duplicate: also used by entry #" +
                              std::to_string(position_of_new[index.pos() - before])});
    }
  }
}

const std::string& facility_id(const Facility& facility) { return facility.id; }
const std::string& module_code(const Module& module) { return module.code; }
const std::string& trainee_id(const Trainee& trainee) { return trainee.id; }

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
  auto problems = detail::validate(*this, batch);

  const std::size_t facilities_before = facility_ids_.size();
  const std::size_t modules_before = module_ids_.size();
  const std::size_t trainees_before = trainee_ids_.size();
  const auto forget_new_ids = [&] {
    facility_ids_.truncate(facilities_before);
    module_ids_.truncate(modules_before);
    trainee_ids_.truncate(trainees_before);
  };
  try {
    index_ids(problems, facility_ids_, "facility", "id", batch.facilities, &facility_id);
    index_ids(problems, module_ids_, "module", "code", batch.modules, &module_code);
    index_ids(problems, trainee_ids_, "trainee", "id", batch.trainees, &trainee_id);
  } catch (...) {
    forget_new_ids();
    throw;
  }
  if (!problems.empty()) {
    forget_new_ids();
    throw ValidationError(std::move(problems));
  }

  const auto intern = [this](const std::vector<std::string>& tags) {
    std::vector<FeatureIndex> indices;
    indices.reserve(tags.size());
    for (const auto& tag : tags) indices.push_back(features_.try_insert(tag).first);
    std::sort(indices.begin(), indices.end());
    return indices;
  };
  for (const auto& facility : batch.facilities)
    facility_features_.push_back(intern(facility.features));
  for (const auto& module : batch.modules)
    module_features_.push_back(intern(module.required_features));

  append(facilities_, batch.facilities);
  append(modules_, batch.modules);
  append(trainees_, batch.trainees);
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
