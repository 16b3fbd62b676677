// What the pilot's bound and its consolidation rounds share: the candidate sites, their
// places in the timetable's units, and the allocation graph with every candidate open and
// every candidate within range listed (not only the nearest k), so that closing a site or
// a track at a site never leaves a trainee without the next candidate in line.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "balai/planning/pilot/pilot.hpp"

namespace balai::detail {

inline constexpr std::size_t kTracks = EnumNames<Track>::names.size();
using TrackMask = std::uint8_t;  // bit t: Track t
static_assert(kTracks <= 8);

struct PilotNetwork {
  std::vector<FacilityIndex> candidates{};
  std::vector<TimetableCapacity> capacity{};  // per facility; zero away from the candidates
  // Every candidate within range at TimetableCapacity::most (or the options' capacity,
  // when smaller), with the allocation options' priorities and quotas.
  AllocationProblem problem{};
  std::vector<TrackMask> track{};                           // per trainee: the bit of their track
  std::vector<TrackMask> required_by{};                     // per module: the tracks requiring it
  std::array<std::vector<ModuleIndex>, kTracks> modules{};  // per track
};

[[nodiscard]] PilotNetwork pilot_network(const Dataset& dataset, const PilotOptions& options,
                                         const ProgressCallback& progress);

// A trainee free to go to any allowed site (not pinned to one).
inline constexpr std::int32_t kNoPin = -1;

struct Consolidated {
  Allocation allocation{};
  Timetable timetable{};
  std::vector<std::uint32_t> sites{};  // facilities with at least one class, ascending
  int rounds = 0;
};

// The rounds of allocation and timetable from the sites `open` (docs/pilot.md), with
// trainees pinned to the sites `pins` names (per trainee, or empty: none) until a round
// closes their track there.
[[nodiscard]] Consolidated consolidate(const Dataset& dataset, const PilotOptions& options,
                                       const PilotNetwork& network,
                                       const std::vector<std::uint32_t>& open,
                                       const std::vector<std::int32_t>& pins, int max_sites,
                                       const ProgressCallback& progress);

}  // namespace balai::detail
