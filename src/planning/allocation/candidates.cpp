// The candidate graph: for each trainee, the k nearest facilities with places that can
// host the trainee's track, within range and on the trainee's island group. A facility
// without places is no candidate: listing it would take a slot of the k from one that has
// room (the pilot closes every facility it does not select by giving it no places). One spatial
// index per (island group, track) holds exactly the eligible facilities, so a query never has to
// skip ineligible ones.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "../../core/parallel.hpp"
#include "../progress.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/spatial_index.hpp"

namespace balai {
namespace {

constexpr std::size_t kTracks = 2;

std::int32_t metres(double km) { return static_cast<std::int32_t>(std::llround(km * 1000.0)); }

// Whether the facility offers every feature of every module the track requires, and can be
// used at some point of the phase.
class Eligibility {
 public:
  Eligibility(const Dataset& dataset, const AllocationOptions& options) : dataset_(dataset) {
    for (std::size_t track = 0; track < kTracks; ++track) {
      for (auto module : dataset.modules_for(static_cast<Track>(track))) {
        for (auto feature : dataset.module_features(module)) required_[track].push_back(feature);
      }
    }
    if (dataset.program()) window_ = dataset.program()->phase(options.phase).window;
  }

  [[nodiscard]] bool hosts(FacilityIndex index, std::size_t track) const {
    const Facility& facility = dataset_.facility(index);
    if (window_ && facility.active && !facility.active->overlaps(*window_)) return false;
    const auto offered = dataset_.facility_features(index);
    return std::ranges::all_of(required_[track], [&](FeatureIndex feature) {
      return std::ranges::find(offered, feature) != offered.end();
    });
  }

 private:
  const Dataset& dataset_;
  std::array<std::vector<FeatureIndex>, kTracks> required_{};
  std::optional<DateRange> window_{};
};

// Spatial indices keyed by (island group, track); the group is 0 for all when trainees
// may cross the sea.
class CandidateIndex {
 public:
  CandidateIndex(const Dataset& dataset, const AllocationOptions& options,
                 std::span<const int> capacity)
      : same_island_group_(options.same_island_group) {
    const Eligibility eligibility(dataset, options);
    std::map<std::pair<int, std::size_t>,
             std::pair<std::vector<GeoPoint>, std::vector<std::uint32_t>>>
        members;
    for (std::uint32_t f = 0; f < dataset.facilities().size(); ++f) {
      const Facility& facility = dataset.facilities()[f];
      if (capacity[f] <= 0) continue;
      for (std::size_t track = 0; track < kTracks; ++track) {
        if (!eligibility.hosts(FacilityIndex(f), track)) continue;
        auto& [points, ids] = members[{group(facility.province), track}];
        points.push_back(facility.location);
        ids.push_back(f);
      }
    }
    for (const auto& [key, member] : members)
      indices_.emplace(key, SpatialIndex(member.first, member.second));
  }

  [[nodiscard]] const SpatialIndex* find(const Trainee& trainee) const {
    auto it = indices_.find({group(trainee.province), static_cast<std::size_t>(trainee.track)});
    return it == indices_.end() ? nullptr : &it->second;
  }

 private:
  [[nodiscard]] int group(ProvinceCode province) const noexcept {
    return same_island_group_ ? island_group(province) : 0;
  }

  bool same_island_group_;
  std::map<std::pair<int, std::size_t>, SpatialIndex> indices_;
};

std::int32_t bonus_m(const Trainee& trainee, const Priority& priority) {
  double km = 0.0;
  if (trainee.gender == Gender::female) km += priority.female_km;
  if (trainee.needs.any()) km += priority.accessibility_km;
  if (trainee.umkm_class == UmkmClass::micro) km += priority.micro_km;
  return metres(km);
}

// The arcs of a contiguous block of trainees, built by one worker.
struct Block {
  std::vector<std::uint32_t> arcs_per_trainee;
  std::vector<FacilityIndex> facility;
  std::vector<std::int32_t> cost_m;
};

constexpr std::size_t kBlockSize = 8192;
constexpr std::uint64_t kMaxArcs = std::numeric_limits<std::uint32_t>::max();

}  // namespace

AllocationProblem allocation_problem(const Dataset& dataset, const AllocationOptions& options,
                                     const ProgressCallback& progress) {
  check(options, dataset);
  AllocationProblem problem;
  problem.capacity = phase_capacity(dataset, options);
  problem.quotas = options.quotas;

  const auto trainees = dataset.trainees();
  problem.province.reserve(trainees.size());
  problem.bonus_m.reserve(trainees.size());
  for (const auto& trainee : trainees) {
    problem.province.push_back(trainee.province);
    problem.bonus_m.push_back(bonus_m(trainee, options.priority));
  }

  const CandidateIndex index(dataset, options, problem.capacity);
  std::vector<Block> blocks((trainees.size() + kBlockSize - 1) / kBlockSize);
  std::atomic<std::size_t> next{0};
  detail::ProgressReporter reporter(progress, "candidates", trainees.size());
  const auto k = static_cast<std::size_t>(options.k);
  detail::run_on_threads(detail::worker_count(), [&] {
    std::vector<Neighbour> neighbours;
    for (std::size_t b = next++; b < blocks.size() && !reporter.cancelled(); b = next++) {
      const std::size_t end = std::min(trainees.size(), (b + 1) * kBlockSize);
      Block& block = blocks[b];
      for (std::size_t t = b * kBlockSize; t < end; ++t) {
        neighbours.clear();
        if (const SpatialIndex* near = index.find(trainees[t])) {
          near->nearest(trainees[t].location, k, options.max_distance_km, neighbours);
        }
        block.arcs_per_trainee.push_back(static_cast<std::uint32_t>(neighbours.size()));
        for (const auto& neighbour : neighbours) {
          block.facility.emplace_back(neighbour.id);
          block.cost_m.push_back(metres(neighbour.distance_km));
        }
      }
      reporter.advance(end - b * kBlockSize);
    }
  });
  reporter.finish();

  problem.first_arc.reserve(trainees.size() + 1);
  std::uint64_t arcs = 0;
  for (auto& block : blocks) {
    for (auto count : block.arcs_per_trainee) {
      arcs += count;
      if (arcs > kMaxArcs) {
        throw ValidationError(
            std::vector<Problem>{{"allocation options", "k", std::to_string(options.k),
                                  "more than 2^32 - 1 candidate arcs in all; lower k"}});
      }
      problem.first_arc.push_back(static_cast<std::uint32_t>(arcs));
    }
    problem.arc_facility.insert(problem.arc_facility.end(), block.facility.begin(),
                                block.facility.end());
    problem.arc_cost_m.insert(problem.arc_cost_m.end(), block.cost_m.begin(), block.cost_m.end());
    block = Block{};
  }
  return problem;
}

}  // namespace balai
