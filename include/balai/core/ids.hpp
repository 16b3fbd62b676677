// Strong 32-bit indices, one type per entity, and the map from external string ids to
// them. Inside the library every entity is a position in a contiguous vector; the ids
// users know ("BLK-3201-004") are translated once, at the boundary. A TraineeIndex cannot
// be passed where a FacilityIndex is expected: the compiler refuses.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

template <class Tag>
class Index {
 public:
  using value_type = std::uint32_t;

  constexpr Index() noexcept = default;
  constexpr explicit Index(value_type value) noexcept : value_(value) {}

  [[nodiscard]] constexpr value_type value() const noexcept { return value_; }
  // For indexing std::vector and friends without a cast at every call site.
  [[nodiscard]] constexpr std::size_t pos() const noexcept { return value_; }

  friend constexpr auto operator<=>(Index, Index) noexcept = default;

 private:
  value_type value_ = 0;
};

struct TraineeTag {};
struct FacilityTag {};
struct ModuleTag {};
struct RegencyTag {};
struct FeatureTag {};

using TraineeIndex = Index<TraineeTag>;
using FacilityIndex = Index<FacilityTag>;
using ModuleIndex = Index<ModuleTag>;
using RegencyIndex = Index<RegencyTag>;
using FeatureIndex = Index<FeatureTag>;

// Transparent hashing so lookups by std::string_view do not allocate.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

// A bijection between external string ids and dense indices 0..size()-1, in insertion
// order. `kind` names the entity in error messages ("facility", "module").
template <class IndexType>
class IdMap {
 public:
  explicit IdMap(std::string kind = "entity") : kind_(std::move(kind)) {}

  [[nodiscard]] std::size_t size() const noexcept { return ids_.size(); }
  [[nodiscard]] bool contains(std::string_view id) const { return find(id).has_value(); }

  [[nodiscard]] std::optional<IndexType> find(std::string_view id) const {
    if (auto it = index_.find(id); it != index_.end()) return it->second;
    return std::nullopt;
  }

  // The index of a known id; UnknownReferenceError otherwise.
  [[nodiscard]] IndexType at(std::string_view id) const {
    if (auto found = find(id)) return *found;
    throw UnknownReferenceError(kind_, std::string(id));
  }

  [[nodiscard]] const std::string& id(IndexType index) const { return ids_.at(index.pos()); }

  // Adds a new id at the end; ConflictError if it is already present.
  IndexType insert(std::string_view id) {
    const auto [index, added] = try_insert(id);
    if (!added) throw ConflictError("duplicate " + kind_ + " id '" + std::string(id) + "'");
    return index;
  }

  // Adds `id` at the end unless it is present. Returns its index, and whether it was added.
  // One hash lookup either way: this is the hot path of indexing a million trainees.
  std::pair<IndexType, bool> try_insert(std::string_view id) {
    if (ids_.size() >= std::numeric_limits<typename IndexType::value_type>::max())
      throw ValidationError(Problem{"", kind_ + " count", std::to_string(ids_.size()),
                                    "more entities than a 32-bit index can hold"});
    const IndexType next{static_cast<typename IndexType::value_type>(ids_.size())};
    const auto [it, added] = index_.try_emplace(std::string(id), next);
    if (added) {
      try {
        ids_.emplace_back(id);
      } catch (...) {
        index_.erase(it);
        throw;
      }
    }
    return {it->second, added};
  }

  // Forgets every id from position `size` on: the undo of the inserts since size() was
  // `size`.
  void truncate(std::size_t size) {
    for (std::size_t i = size; i < ids_.size(); ++i) index_.erase(ids_[i]);
    if (size < ids_.size()) ids_.resize(size);
  }

  [[nodiscard]] const std::vector<std::string>& ids() const noexcept { return ids_; }

  // Makes room for `count` ids in all, so a large batch does not rehash as it grows.
  void reserve(std::size_t count) {
    ids_.reserve(count);
    index_.reserve(count);
  }

 private:
  std::string kind_;
  std::vector<std::string> ids_;
  std::unordered_map<std::string, IndexType, StringHash, std::equal_to<>> index_;
};

}  // namespace balai
BALAI_EXPORT_END

template <class Tag>
struct std::hash<balai::Index<Tag>> {
  std::size_t operator()(balai::Index<Tag> index) const noexcept {
    return std::hash<std::uint32_t>{}(index.value());
  }
};
