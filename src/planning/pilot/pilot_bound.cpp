// The bound on fully timetabled trainees. A class of a module needs class_min trainees who
// need the module at one site, and they must live within range of it; so a trainee can be
// fully timetabled only at a candidate site where, for each module of the track, at least
// class_min trainees within range need it. Of those, no plan places more than a maximum
// flow with every candidate open at its most places (TimetableCapacity::most). The class
// groups (pilot_class_groups.hpp) count each trainee at one site only; the bound is the
// smaller of the two.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "pilot_class_groups.hpp"

namespace balai::detail {
namespace {

// Per facility and module: the trainees with an arc to the facility who need the module.
std::vector<std::int32_t> needs_in_range(const Dataset& dataset, const PilotNetwork& network) {
  const std::size_t modules = dataset.modules().size();
  std::vector<std::int32_t> need(dataset.facilities().size() * modules, 0);
  const AllocationProblem& problem = network.problem;
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    const auto& track = network.modules[static_cast<std::size_t>(dataset.trainees()[t].track)];
    for (const FacilityIndex f : problem.candidates(t)) {
      for (const ModuleIndex m : track) ++need[f.pos() * modules + m.pos()];
    }
  }
  return need;
}

}  // namespace

PilotBound bound_of(const Dataset& dataset, const PilotOptions& options,
                    const PilotNetwork& network, const ClassGroups& groups) {
  const AllocationProblem& all = network.problem;
  const std::size_t modules = dataset.modules().size();
  const std::vector<std::int32_t> need = needs_in_range(dataset, network);

  AllocationProblem classes = all;  // the arcs to sites where the trainee's classes can form
  classes.first_arc.assign(1, 0);
  classes.arc_facility.clear();
  classes.arc_cost_m.clear();
  PilotBound bound;
  bound.trainees = static_cast<std::int64_t>(all.trainees());
  for (std::size_t t = 0; t < all.trainees(); ++t) {
    const auto& track = network.modules[static_cast<std::size_t>(dataset.trainees()[t].track)];
    for (std::uint32_t arc = all.first_arc[t]; arc < all.first_arc[t + 1]; ++arc) {
      const FacilityIndex f = all.arc_facility[arc];
      const bool forms = std::ranges::all_of(track, [&](ModuleIndex m) {
        return need[f.pos() * modules + m.pos()] >= options.timetable.class_min;
      });
      if (!forms) continue;
      classes.arc_facility.push_back(f);
      classes.arc_cost_m.push_back(all.arc_cost_m[arc]);
    }
    classes.first_arc.push_back(static_cast<std::uint32_t>(classes.arc_facility.size()));
    bound.in_reach += all.first_arc[t + 1] > all.first_arc[t] ? 1 : 0;
    bound.with_class += classes.first_arc[t + 1] > classes.first_arc[t] ? 1 : 0;
  }
  // Quotas would only lower the flow; leaving them out keeps the bound an upper bound
  // whatever they say.
  classes.quotas.clear();
  const AllocationSolution flow = solve_optimal(classes);
  bound.seated = std::ranges::count_if(
      flow.facility, [](std::int32_t f) { return f != AllocationSolution::kUnplaced; });
  bound.grouped = groups.trainees;
  bound.grouped_exact = groups.exact;
  bound.bound = std::min(bound.seated, bound.grouped);
  return bound;
}

}  // namespace balai::detail
