// The pilot's consolidation: allocation and timetable in rounds until every class the
// allocation implies can run. A lower-bounded facility-location problem (a site's group of
// a track is empty or at least a class) has no exact flow model, so this is the classic
// drop-and-add heuristic on top of the exact allocation, driven by what the real scheduler
// reports rather than by a model of it:
//
//   drop  a site's group below the class minimum is closed (that track at that site, or the
//         whole site when even the shared modules lack a class), smallest groups first and
//         never two groups that could take each other's trainees in one round, so two small
//         neighbouring groups merge instead of both vanishing; trainees left over from full
//         classes may not return to that site; a site out of teaching days loses the places
//         it could not teach; a site left without trainees closes;
//   add   when nothing is left to drop and the site budget allows, the candidates where
//         unplaced trainees of a track live open, largest gain first, borrowing fully
//         timetabled trainees nearby whose classes stay whole without them where the
//         unplaced are too few for a class.
//
// Each round re-solves the allocation exactly on the sites and tracks still allowed, so
// trainees move to the nearest site that can still take them. The last round's allocation
// and timetable are the plan: they agree with each other whatever round it is.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "../progress.hpp"
#include "pilot_network.hpp"

namespace balai::detail {
namespace {

// Rounds a small group alone pulls trainees before it closes.
constexpr std::int32_t kPullSteps = 5;

// A track opens at a site at most this often, so that drop and add cannot undo each
// other forever.
constexpr std::uint8_t kMaxOpenings = 2;

// A group of trainees at a site that cannot make a class, the tracks it stands for, and
// how many trainees of those tracks could come to the site.
struct Group {
  std::uint32_t facility;
  TrackMask tracks;
  std::int32_t size;
  std::int32_t reach;
};

class Consolidation {
 public:
  Consolidation(const Dataset& dataset, const PilotOptions& options, const PilotNetwork& network,
                const std::vector<std::uint32_t>& open, const std::vector<std::int32_t>& pins,
                int max_sites)
      : dataset_(dataset),
        options_(options),
        network_(network),
        max_sites_(max_sites),
        open_(dataset.facilities().size(), false),
        openings_(dataset.facilities().size() * kTracks, 0),
        closed_(dataset.facilities().size(), 0),
        banned_(dataset.trainees().size()),
        pull_(dataset.facilities().size(), 0),
        pin_(pins.empty() ? std::vector<std::int32_t>(dataset.trainees().size(), kNoPin) : pins) {
    places_.reserve(network.capacity.size());
    for (const auto& capacity : network.capacity) places_.push_back(capacity.places);
    for (const std::uint32_t f : open) {
      open_[f] = places_[f] > 0;
      for (std::size_t t = 0; t < kTracks; ++t) openings_[f * kTracks + t] = open_[f] ? 1 : 0;
    }
  }

  // The best round: most trainees fully timetabled, then fewest partly timetabled (when
  // the rounds run out before they settle, the last round need not be the best).
  Consolidated run(const ProgressCallback& progress) && {
    const auto rounds = static_cast<std::size_t>(std::max(options_.max_rounds, 0)) + 1;
    ProgressReporter reporter(progress, "consolidation", rounds);
    Consolidated best;
    std::pair<std::int64_t, std::int64_t> best_score{-1, 0};
    for (std::size_t round = 0; round < rounds && !reporter.cancelled(); ++round) {
      const AllocationProblem problem = allowed();
      AllocationOptions options = options_.allocation;
      options.capacity = problem.capacity;
      Allocation allocation =
          allocation_result(dataset_, options, problem, solve_allocation(problem, options));
      Timetable timetable = balai::timetable(dataset_, allocation, options_.timetable);
      reporter.advance(1);
      const auto complete = std::ranges::count(timetable.complete, true);
      const std::pair<std::int64_t, std::int64_t> score{complete,
                                                        complete - allocation.objective.placed};
      const bool better = score >= best_score;
      if (better) label_unplaced(allocation);  // against this round's sites, before repair
      const bool settles = round + 1 == rounds || !repair(problem, allocation, timetable);
      if (better) {
        best_score = score;
        best = {std::move(allocation), std::move(timetable), {}, static_cast<int>(round)};
      }
      if (settles) break;
    }
    reporter.finish();
    for (const auto& cohort : best.timetable.cohorts) best.sites.push_back(cohort.facility.value());
    std::ranges::sort(best.sites);
    best.sites.erase(std::unique(best.sites.begin(), best.sites.end()), best.sites.end());
    return best;
  }

 private:
  [[nodiscard]] bool banned(std::size_t trainee, std::uint32_t facility) const {
    return std::ranges::find(banned_[trainee], facility) != banned_[trainee].end();
  }
  [[nodiscard]] bool allows(std::size_t trainee, std::uint32_t facility) const {
    return open_[facility] && (closed_[facility] & network_.track[trainee]) == 0 &&
           !banned(trainee, facility);
  }
  // Whether `track` could open at `facility`: closed there (or the site is), opened there
  // fewer than kMaxOpenings times, and the site has places.
  [[nodiscard]] bool may_open(std::size_t facility, std::size_t track) const {
    const bool closed = !open_[facility] || ((closed_[facility] >> track) & 1U) != 0;
    return closed && openings_[facility * kTracks + track] < kMaxOpenings && places_[facility] > 0;
  }

  // The network with only the open sites, the tracks still allowed at each, no banned
  // pair, a borrowed trainee's arc to the borrowing site alone, and only arcs to sites
  // where the trainee's classes could form: for every module of the track, class_min
  // trainees with an arc to the site need it. Removing an arc can take another site below
  // that, so the filter runs to a fixed point. Each trainee keeps the allocation options'
  // k nearest arcs of what remains. Also counts, per site and track, the trainees who
  // could come (`reach_`), which orders the closures.
  [[nodiscard]] AllocationProblem allowed() {
    const AllocationProblem& all = network_.problem;
    const std::size_t modules = dataset_.modules().size();
    std::vector<bool> keep(all.arcs(), false);
    for (std::size_t t = 0; t < all.trainees(); ++t) {
      // A borrowed trainee goes back to choosing once the site closes their track.
      if (pin_[t] != kNoPin && !allows(t, static_cast<std::uint32_t>(pin_[t]))) pin_[t] = kNoPin;
      for (std::uint32_t arc = all.first_arc[t]; arc < all.first_arc[t + 1]; ++arc) {
        const std::uint32_t f = all.arc_facility[arc].value();
        keep[arc] = places_[f] > 0 && allows(t, f) &&
                    (pin_[t] == kNoPin || pin_[t] == static_cast<std::int32_t>(f));
      }
    }
    std::vector<std::int32_t> need(dataset_.facilities().size() * modules);
    for (bool dropped = true; dropped;) {
      std::ranges::fill(need, 0);
      for_kept(keep, [&](std::size_t t, std::uint32_t, std::uint32_t f) {
        for (const ModuleIndex m : track_modules(t)) ++need[f * modules + m.pos()];
      });
      dropped = false;
      for_kept(keep, [&](std::size_t t, std::uint32_t arc, std::uint32_t f) {
        const bool forms = std::ranges::all_of(track_modules(t), [&](ModuleIndex m) {
          return need[f * modules + m.pos()] >= options_.timetable.class_min;
        });
        if (forms) return;
        keep[arc] = false;
        dropped = true;
      });
    }
    reach_.assign(dataset_.facilities().size() * kTracks, 0);
    AllocationProblem problem;
    problem.capacity.assign(all.facilities(), 0);
    for (std::size_t f = 0; f < all.facilities(); ++f) {
      if (open_[f]) problem.capacity[f] = places_[f];
    }
    problem.province = all.province;
    problem.bonus_m = all.bonus_m;
    problem.quotas = all.quotas;
    problem.first_arc.reserve(all.first_arc.size());
    const auto k = static_cast<std::uint32_t>(options_.allocation.k);
    std::vector<std::pair<std::int32_t, FacilityIndex>> row;  // pulled cost, site
    for (std::size_t t = 0; t < all.trainees(); ++t) {
      row.clear();
      for (std::uint32_t arc = all.first_arc[t]; arc < all.first_arc[t + 1]; ++arc) {
        if (!keep[arc]) continue;
        const std::uint32_t f = all.arc_facility[arc].value();
        ++reach_[f * kTracks + track_of(t)];
        if (row.size() < k) row.emplace_back(std::max(all.arc_cost_m[arc] - pull_[f], 0), f);
      }
      // A pull can bring a farther site before nearer ones: the rows stay nearest first.
      std::ranges::stable_sort(row, {}, &std::pair<std::int32_t, FacilityIndex>::first);
      for (const auto& [cost, f] : row) {
        problem.arc_facility.push_back(f);
        problem.arc_cost_m.push_back(cost);
      }
      problem.first_arc.push_back(static_cast<std::uint32_t>(problem.arc_facility.size()));
    }
    return problem;
  }

  // Calls visit(trainee, arc, facility) for each kept arc of the whole network.
  template <class Visit>
  void for_kept(const std::vector<bool>& keep, Visit visit) const {
    const AllocationProblem& all = network_.problem;
    for (std::size_t t = 0; t < all.trainees(); ++t) {
      for (std::uint32_t arc = all.first_arc[t]; arc < all.first_arc[t + 1]; ++arc) {
        if (keep[arc]) visit(t, arc, all.arc_facility[arc].value());
      }
    }
  }

  [[nodiscard]] std::size_t track_of(std::size_t trainee) const {
    return static_cast<std::size_t>(dataset_.trainees()[trainee].track);
  }
  [[nodiscard]] const std::vector<ModuleIndex>& track_modules(std::size_t trainee) const {
    return network_.modules[track_of(trainee)];
  }

  // Changes what the next round may do from what this one could not timetable; false when
  // nothing is left to change.
  bool repair(const AllocationProblem& problem, const Allocation& allocation,
              const Timetable& timetable) {
    const std::size_t facilities = dataset_.facilities().size();
    // Per facility and track: the trainees placed there.
    std::vector<std::int32_t> placed(facilities * kTracks, 0);
    for (std::size_t t = 0; t < allocation.facility.size(); ++t) {
      if (allocation.facility[t] == Allocation::kUnplaced) continue;
      const auto track = static_cast<std::size_t>(dataset_.trainees()[t].track);
      ++placed[static_cast<std::size_t>(allocation.facility[t]) * kTracks + track];
    }
    const auto need = [&](std::size_t f, std::size_t m) {
      std::int32_t count = 0;
      for (std::size_t t = 0; t < kTracks; ++t) {
        if ((network_.required_by[m] >> t) & 1U) count += placed[f * kTracks + t];
      }
      return count;
    };
    const auto present = [&](std::size_t f) {
      TrackMask mask = 0;
      for (std::size_t t = 0; t < kTracks; ++t) {
        if (placed[f * kTracks + t] > 0) mask |= static_cast<TrackMask>(1U << t);
      }
      return mask;
    };

    std::vector<Group> small;
    std::vector<std::vector<TraineeIndex>> leftover(facilities);
    std::vector<std::vector<TraineeIndex>> late(facilities);
    bool changed = false;
    for (const Unscheduled& lost : timetable.unscheduled) {
      const std::size_t f = lost.facility.pos();
      const TrackMask tracks = network_.required_by[lost.module.pos()] & present(f);
      switch (lost.reason) {
        case UnscheduledReason::prerequisite: break;  // a cascade: its root is reported too
        case UnscheduledReason::class_too_small: {
          const std::int32_t size = need(f, lost.module.pos());
          if (size < options_.timetable.class_min) {
            small.push_back({static_cast<std::uint32_t>(f), tracks, size, reach(f, tracks)});
          } else {
            append(leftover[f], lost.trainees);
          }
          break;
        }
        case UnscheduledReason::window: append(late[f], lost.trainees); break;
        case UnscheduledReason::no_room:
        case UnscheduledReason::too_many_sessions:
          // Nothing this site does will run the module: its tracks go elsewhere.
          closed_[f] |= tracks;
          changed = true;
          break;
      }
    }

    const std::vector<bool> claimed = close_small(problem, allocation, small, changed);
    for (std::size_t f = 0; f < facilities; ++f) {
      if (claimed[f]) continue;  // its trainees change this round; judge it on the next
      dedupe(leftover[f]);
      dedupe(late[f]);
      for (const TraineeIndex t : leftover[f]) {
        banned_[t.pos()].push_back(static_cast<std::uint32_t>(f));
      }
      const auto lost = static_cast<int>(leftover[f].size() + late[f].size());
      if (lost > 0) {
        places_[f] = std::max(0, std::min(places_[f], allocation.load[f] - lost));
        changed = true;
      }
    }
    if (changed) return true;
    // Settled: a site that gathered nobody makes room for one that could. Not before, as
    // an empty site may be where a closed group's trainees go next.
    for (std::size_t f = 0; f < facilities; ++f) {
      if (open_[f] && allocation.load[f] == 0) open_[f] = false;
    }
    return add(allocation, timetable);
  }

  [[nodiscard]] std::int32_t reach(std::size_t facility, TrackMask tracks) const {
    std::int32_t count = 0;
    for (std::size_t t = 0; t < kTracks; ++t) {
      if ((tracks >> t) & 1U) count += reach_[facility * kTracks + t];
    }
    return count;
  }

  // Acts on the groups below the class minimum, those with the fewest trainees who could
  // come first (then the smallest), skipping a group while one acted on this round could
  // send trainees to its site or take trainees from it. A group with another small group
  // within its trainees' reach closes, so the two merge at the site that could gather
  // more. A group alone pulls: its site's arcs get cheaper by a fifth of the range per
  // round, so trainees who could as well come leave fuller classes nearby for it (the
  // flow knows no class minimum; this is its price); it closes once the pull reaches the
  // whole range. Returns the sites whose trainees will move.
  std::vector<bool> close_small(const AllocationProblem& problem, const Allocation& allocation,
                                std::vector<Group>& small, bool& changed) {
    std::ranges::sort(small, [](const Group& a, const Group& b) {
      return std::tie(a.reach, a.size, a.facility) < std::tie(b.reach, b.size, b.facility);
    });
    std::vector<bool> claimed(dataset_.facilities().size(), false);
    std::vector<bool> is_small(dataset_.facilities().size(), false);
    for (const Group& group : small) is_small[group.facility] = true;
    const auto range_m = static_cast<std::int32_t>(options_.allocation.max_distance_km * 1000.0);
    std::vector<std::uint32_t> reach;
    for (const Group& group : small) {
      if ((closed_[group.facility] & group.tracks) == group.tracks) continue;
      reach.assign(1, group.facility);
      for (std::size_t t = 0; t < allocation.facility.size(); ++t) {
        if (allocation.facility[t] != static_cast<std::int32_t>(group.facility) ||
            (network_.track[t] & group.tracks) == 0) {
          continue;
        }
        for (const FacilityIndex f : problem.candidates(t)) reach.push_back(f.value());
      }
      if (std::ranges::any_of(reach, [&](std::uint32_t f) { return claimed[f]; })) continue;
      for (const std::uint32_t f : reach) claimed[f] = true;
      const bool alone = std::ranges::none_of(
          reach, [&](std::uint32_t f) { return f != group.facility && is_small[f]; });
      if (alone && pull_[group.facility] < range_m) {
        pull_[group.facility] += range_m / kPullSteps + 1;
      } else {
        closed_[group.facility] |= group.tracks;
        pull_[group.facility] = 0;
      }
      changed = true;
    }
    return claimed;
  }

  // Opens tracks at sites where unplaced trainees could make their classes, largest gain
  // first, while the site budget allows: at a closed site (which then counts against the
  // budget) or at an open site that had closed the track, where the trainees already
  // there count towards the shared modules. Where the unplaced trainees are too few for a
  // class, fully timetabled trainees within range whose classes keep their minimum without
  // them are borrowed (pinned to the site), nearest first: the flow alone would keep them at
  // their nearer site. Each trainee counts for one opening per round, and a track opens at
  // a site at most kMaxOpenings times, so that drop and add cannot undo each other forever.
  // True when any opened.
  bool add(const Allocation& allocation, const Timetable& timetable) {
    auto budget = max_sites_ - std::ranges::count(open_, true);
    const AllocationProblem& all = network_.problem;
    const std::size_t facilities = dataset_.facilities().size();
    std::vector<std::int32_t> waiting(facilities * kTracks, 0);
    for (std::size_t t = 0; t < all.trainees(); ++t) {
      if (allocation.facility[t] != Allocation::kUnplaced) continue;
      for (const FacilityIndex f : all.candidates(t)) {
        if (may_open(f.pos(), track_of(t)) && !banned(t, f.value())) {
          ++waiting[f.pos() * kTracks + track_of(t)];
        }
      }
    }
    // Placed trainees who could move there too: borrowed, or pulled if the site stays small.
    std::vector<std::int32_t> nearby(facilities * kTracks, 0);
    for (std::size_t t = 0; t < all.trainees(); ++t) {
      if (allocation.facility[t] == Allocation::kUnplaced) continue;
      for (const FacilityIndex f : all.candidates(t)) {
        if (!banned(t, f.value())) ++nearby[f.pos() * kTracks + track_of(t)];
      }
    }
    std::vector<std::tuple<std::int32_t, std::uint32_t, TrackMask>> gains;  // -gain, site, tracks
    for (std::size_t f = 0; f < facilities; ++f) {
      std::array<std::int32_t, kTracks> coming{};
      for (std::size_t t = 0; t < kTracks; ++t) {
        coming[t] = waiting[f * kTracks + t] + nearby[f * kTracks + t];
      }
      TrackMask opens = tracks_with_classes(coming.data());
      std::int32_t gain = 0;
      for (std::size_t t = 0; t < kTracks; ++t) {
        if (waiting[f * kTracks + t] == 0) opens &= static_cast<TrackMask>(~(1U << t));
        if ((opens >> t) & 1U) gain += waiting[f * kTracks + t];
      }
      gain = std::min(gain, places_[f] - allocation.load[f]);
      if (opens != 0 && gain > 0) gains.emplace_back(-gain, static_cast<std::uint32_t>(f), opens);
    }
    std::ranges::sort(gains);
    Attendance attendance = attendance_of(allocation);
    std::vector<bool> counted(all.trainees(), false);
    bool opened = false;
    for (const auto& [minus_gain, f, opens] : gains) {
      if (!open_[f] && budget == 0) continue;
      std::vector<std::size_t> members;
      bool overlaps = false;
      for (std::size_t t = 0; t < all.trainees() && !overlaps; ++t) {
        if (allocation.facility[t] != Allocation::kUnplaced || (opens & network_.track[t]) == 0) {
          continue;
        }
        const auto row = all.candidates(t);
        if (std::ranges::find(row, FacilityIndex(f)) == row.end() || banned(t, f)) continue;
        overlaps = counted[t];
        members.push_back(t);
      }
      if (overlaps) continue;
      for (const std::size_t t : members) counted[t] = true;
      borrow(f, opens, members, allocation, timetable, attendance);
      if (!open_[f]) {
        open_[f] = true;
        closed_[f] = static_cast<TrackMask>((1U << kTracks) - 1U);
        --budget;
      }
      for (std::size_t t = 0; t < kTracks; ++t) {
        if (((opens >> t) & 1U) == 0) continue;
        closed_[f] &= static_cast<TrackMask>(~(1U << t));
        ++openings_[f * kTracks + t];
      }
      opened = true;
    }
    return opened;
  }

  // Per facility and module: the trainees placed there whose track requires the module,
  // the counts that decide whether a trainee can leave.
  using Attendance = std::vector<std::int32_t>;
  [[nodiscard]] Attendance attendance_of(const Allocation& allocation) const {
    const std::size_t modules = dataset_.modules().size();
    Attendance attendance(dataset_.facilities().size() * modules, 0);
    for (std::size_t t = 0; t < allocation.facility.size(); ++t) {
      if (allocation.facility[t] == Allocation::kUnplaced) continue;
      const auto f = static_cast<std::size_t>(allocation.facility[t]);
      for (const ModuleIndex m : track_modules(t)) ++attendance[f * modules + m.pos()];
    }
    return attendance;
  }

  // Whether `trainee` is fully timetabled, not yet borrowed, and its site's classes of
  // every module of its track would stay whole without it (each at least class_min, with
  // as many classes as the rooms' seats need).
  [[nodiscard]] bool lends(std::size_t trainee, const Allocation& allocation,
                           const Timetable& timetable, const Attendance& attendance) const {
    if (!timetable.complete[trainee] || pin_[trainee] != kNoPin) return false;
    const auto site = static_cast<std::size_t>(allocation.facility[trainee]);
    const std::int32_t cap = class_size_limit(dataset_.facilities()[site], options_.timetable);
    const std::size_t modules = dataset_.modules().size();
    return cap > 0 && std::ranges::all_of(track_modules(trainee), [&](ModuleIndex m) {
             const std::int32_t rest = attendance[site * modules + m.pos()] - 1;
             const std::int32_t classes = (rest + cap - 1) / cap;
             return rest >= classes * options_.timetable.class_min;
           });
  }

  // Pins lent trainees to `site`, nearest first, until every module of the tracks `opens`
  // has class_min trainees there counting `members` (unplaced, coming) and those already
  // placed there; nothing is pinned when the lenders run out first (the site may still
  // pull them, see close_small).
  void borrow(std::uint32_t site, TrackMask opens, const std::vector<std::size_t>& members,
              const Allocation& allocation, const Timetable& timetable, Attendance& attendance) {
    const std::size_t modules = dataset_.modules().size();
    std::vector<std::int32_t> count(modules, 0);
    const auto join = [&](std::size_t t) {
      for (const ModuleIndex m : track_modules(t)) ++count[m.pos()];
    };
    for (const std::size_t t : members) join(t);
    for (std::size_t t = 0; t < allocation.facility.size(); ++t) {
      if (allocation.facility[t] == static_cast<std::int32_t>(site)) join(t);
    }
    const auto short_of = [&](std::size_t t) {
      return std::ranges::any_of(track_modules(t), [&](ModuleIndex m) {
        return count[m.pos()] < options_.timetable.class_min;
      });
    };
    std::vector<std::size_t> pinned;
    const auto shortfall = [&] {
      return std::ranges::any_of(members, short_of) || std::ranges::any_of(pinned, short_of);
    };
    if (!shortfall()) return;
    std::vector<std::pair<std::int32_t, std::size_t>> lenders;  // cost to the site, trainee
    const AllocationProblem& all = network_.problem;
    for (std::size_t t = 0; t < all.trainees(); ++t) {
      if ((opens & network_.track[t]) == 0 ||
          allocation.facility[t] == static_cast<std::int32_t>(site) || banned(t, site) ||
          !lends(t, allocation, timetable, attendance)) {
        continue;
      }
      for (std::uint32_t arc = all.first_arc[t]; arc < all.first_arc[t + 1]; ++arc) {
        if (all.arc_facility[arc].value() == site) lenders.emplace_back(all.arc_cost_m[arc], t);
      }
    }
    std::ranges::sort(lenders);
    Attendance after = attendance;
    for (const auto& [cost, t] : lenders) {
      if (!shortfall()) break;
      if (!short_of(t) || !lends(t, allocation, timetable, after)) continue;
      const auto from = static_cast<std::size_t>(allocation.facility[t]);
      for (const ModuleIndex m : track_modules(t)) --after[from * modules + m.pos()];
      join(t);
      pinned.push_back(t);
    }
    if (shortfall()) return;
    for (const std::size_t t : pinned) pin_[t] = static_cast<std::int32_t>(site);
    attendance = std::move(after);
  }

  // The tracks whose every module would have class_min trainees if the trainees waiting
  // per track all came: a track drops out when one of its modules lacks them, which may
  // take others' shared modules below the minimum in turn.
  [[nodiscard]] TrackMask tracks_with_classes(const std::int32_t* waiting) const {
    TrackMask tracks = 0;
    for (std::size_t t = 0; t < kTracks; ++t) {
      if (waiting[t] > 0) tracks |= static_cast<TrackMask>(1U << t);
    }
    for (bool dropped = true; dropped;) {
      dropped = false;
      for (std::size_t t = 0; t < kTracks; ++t) {
        if (((tracks >> t) & 1U) == 0) continue;
        for (const ModuleIndex m : network_.modules[t]) {
          std::int32_t count = 0;
          for (std::size_t u = 0; u < kTracks; ++u) {
            if ((tracks >> u) & (network_.required_by[m.pos()] >> u) & 1U) count += waiting[u];
          }
          if (count >= options_.timetable.class_min) continue;
          tracks &= static_cast<TrackMask>(~(1U << t));
          dropped = true;
          break;
        }
      }
    }
    return tracks;
  }

  // Why each unplaced trainee has no place, against the open sites within range: none
  // (out_of_range), all full (capacity), or one with places whose classes cannot take
  // them (no_class). A quota keeps its own reason.
  void label_unplaced(Allocation& allocation) const {
    const AllocationProblem& all = network_.problem;
    for (std::size_t t = 0; t < all.trainees(); ++t) {
      if (allocation.facility[t] != Allocation::kUnplaced ||
          allocation.status[t] == PlacementStatus::quota) {
        continue;
      }
      bool open = false;
      bool free = false;
      for (const FacilityIndex f : all.candidates(t)) {
        if (!open_[f.pos()] || places_[f.pos()] == 0) continue;
        open = true;
        free = free || allocation.load[f.pos()] < allocation.capacity[f.pos()];
      }
      allocation.status[t] = !open  ? PlacementStatus::out_of_range
                             : free ? PlacementStatus::no_class
                                    : PlacementStatus::capacity;
    }
  }

  static void append(std::vector<TraineeIndex>& to, const std::vector<TraineeIndex>& more) {
    to.insert(to.end(), more.begin(), more.end());
  }
  static void dedupe(std::vector<TraineeIndex>& trainees) {
    std::ranges::sort(trainees);
    trainees.erase(std::unique(trainees.begin(), trainees.end()), trainees.end());
  }

  const Dataset& dataset_;
  const PilotOptions& options_;
  const PilotNetwork& network_;
  std::int64_t max_sites_;
  std::vector<bool> open_;
  std::vector<std::uint8_t> openings_;  // per facility and track: times opened
  std::vector<TrackMask> closed_;
  std::vector<std::vector<std::uint32_t>> banned_;  // per trainee: sites they may not return to
  std::vector<int> places_;                         // per facility, lowered by late classes
  std::vector<std::int32_t> reach_;  // per facility and track: trainees with an allowed arc
  std::vector<std::int32_t> pull_;   // per facility: metres off its arcs' costs
  std::vector<std::int32_t> pin_;    // per trainee: the site that borrowed or holds them, or kNoPin
};

}  // namespace

Consolidated consolidate(const Dataset& dataset, const PilotOptions& options,
                         const PilotNetwork& network, const std::vector<std::uint32_t>& open,
                         const std::vector<std::int32_t>& pins, int max_sites,
                         const ProgressCallback& progress) {
  return Consolidation(dataset, options, network, open, pins, max_sites).run(progress);
}

}  // namespace balai::detail
