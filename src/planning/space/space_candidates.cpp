#include "space_candidates.hpp"

#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "../../core/parallel.hpp"
#include "balai/planning/spatial_index.hpp"

namespace balai::detail {
namespace {

// (kind, label, island group); the group is 0 for all when requests may cross the sea.
using IndexKey = std::tuple<ResourceKind, std::string, int>;

class ResourceIndex {
 public:
  ResourceIndex(const SpaceInventory& inventory, bool same_island_group)
      : same_island_group_(same_island_group) {
    std::map<IndexKey, std::pair<std::vector<GeoPoint>, std::vector<std::uint32_t>>> members;
    for (std::uint32_t r = 0; r < inventory.resources.size(); ++r) {
      const Resource& resource = inventory.resources[r];
      const SpaceSite& site = inventory.sites[resource.site];
      auto& [points, ids] = members[{resource.kind, resource.label, group(site.province)}];
      points.push_back(site.location);
      ids.push_back(r);
    }
    for (const auto& [key, member] : members)
      indices_.emplace(key, SpatialIndex(member.first, member.second));
  }

  [[nodiscard]] const SpatialIndex* find(const SpaceRequest& request) const {
    const auto it = indices_.find({request.kind, request.label, group(request.province)});
    return it == indices_.end() ? nullptr : &it->second;
  }

 private:
  [[nodiscard]] int group(ProvinceCode province) const noexcept {
    return same_island_group_ ? island_group(province) : 0;
  }

  bool same_island_group_;
  std::map<IndexKey, SpatialIndex> indices_;
};

// The candidates of a contiguous block of requests, found by one worker.
struct Block {
  std::vector<std::uint32_t> count{};
  std::vector<SpaceCandidate> list{};
  std::vector<double> nearest_km{};
};

constexpr std::size_t kBlockSize = 4096;

}  // namespace

SpaceCandidates space_candidates(const SpaceInventory& inventory,
                                 std::span<const SpaceRequest> requests,
                                 const SpaceOptions& options) {
  const ResourceIndex index(inventory, options.same_island_group);
  std::vector<Block> blocks((requests.size() + kBlockSize - 1) / kBlockSize);
  std::atomic<std::size_t> next{0};
  const auto workers = detail::worker_count(options.threads);
  detail::run_on_threads(std::min(workers, std::max<std::size_t>(blocks.size(), 1)), [&] {
    std::vector<Neighbour> neighbours;
    for (std::size_t b = next++; b < blocks.size(); b = next++) {
      Block& block = blocks[b];
      const std::size_t end = std::min(requests.size(), (b + 1) * kBlockSize);
      for (std::size_t r = b * kBlockSize; r < end; ++r) {
        const SpaceRequest& request = requests[r];
        neighbours.clear();
        double nearest = std::numeric_limits<double>::quiet_NaN();
        if (const SpatialIndex* near = index.find(request)) {
          near->nearest(request.location, static_cast<std::size_t>(options.k),
                        request.max_distance_km, neighbours);
          if (neighbours.empty()) {
            near->nearest(request.location, 1, std::numeric_limits<double>::infinity(), neighbours);
            nearest = neighbours.front().distance_km;
            neighbours.clear();
          }
        }
        block.count.push_back(static_cast<std::uint32_t>(neighbours.size()));
        block.nearest_km.push_back(nearest);
        for (const auto& neighbour : neighbours)
          block.list.push_back({neighbour.id, neighbour.distance_km});
      }
    }
  });

  SpaceCandidates candidates;
  candidates.first.reserve(requests.size() + 1);
  candidates.nearest_km.reserve(requests.size());
  for (auto& block : blocks) {
    for (auto count : block.count) candidates.first.push_back(candidates.first.back() + count);
    candidates.list.insert(candidates.list.end(), block.list.begin(), block.list.end());
    candidates.nearest_km.insert(candidates.nearest_km.end(), block.nearest_km.begin(),
                                 block.nearest_km.end());
    block = Block{};
  }
  return candidates;
}

}  // namespace balai::detail
