#include "pilot_network.hpp"

#include <algorithm>

namespace balai::detail {

PilotNetwork pilot_network(const Dataset& dataset, const PilotOptions& options,
                           const ProgressCallback& progress) {
  PilotNetwork network;
  network.candidates = pilot_candidates(dataset, options);
  const auto places = timetable_capacity(dataset, options.timetable);
  network.capacity.assign(places.size(), TimetableCapacity{});
  AllocationOptions allocation = options.allocation;
  allocation.capacity.assign(places.size(), 0);
  for (const FacilityIndex f : network.candidates) {
    TimetableCapacity capacity = places[f.pos()];
    if (!options.allocation.capacity.empty()) {
      const int given = options.allocation.capacity[f.pos()];
      capacity = {std::min(capacity.places, given), std::min(capacity.most, given)};
    }
    network.capacity[f.pos()] = capacity;
    allocation.capacity[f.pos()] = capacity.most;
  }
  allocation.k = kMaxCandidates;
  network.problem = allocation_problem(dataset, allocation, progress);

  for (std::size_t t = 0; t < kTracks; ++t) {
    network.modules[t] = dataset.modules_for(static_cast<Track>(t));
  }
  network.required_by.assign(dataset.modules().size(), 0);
  for (std::size_t t = 0; t < kTracks; ++t) {
    for (const ModuleIndex m : network.modules[t]) {
      network.required_by[m.pos()] |= static_cast<TrackMask>(1U << t);
    }
  }
  network.track.reserve(dataset.trainees().size());
  for (const Trainee& trainee : dataset.trainees()) {
    network.track.push_back(static_cast<TrackMask>(1U << static_cast<unsigned>(trainee.track)));
  }
  return network;
}

}  // namespace balai::detail
