#include "pilot_class_groups.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>
#include <utility>

namespace balai::detail {
namespace {

// A region with more sites than kMostSitesReduced, or than kMostSitesSearched once the
// dominated sites are gone, is bounded rather than searched; so is one whose search looks
// at more than kMostSteps trainees in all (a few tenths of a second). They keep the cost
// small where trainees are dense, and there the seats' flow bounds better anyway (large
// pilots).
constexpr std::size_t kMostSitesReduced = 256;
constexpr std::size_t kMostSitesSearched = 64;
constexpr std::int64_t kMostSteps = std::int64_t{1} << 25;

// Per track: the tracks requiring its most exclusive module (ties: the lowest mask); none
// for a track without modules, whose trainees need no class.
std::array<TrackMask, kTracks> groups_of_tracks(const PilotNetwork& network) {
  std::array<TrackMask, kTracks> group{};
  for (std::size_t t = 0; t < kTracks; ++t) {
    for (const ModuleIndex m : network.modules[t]) {
      const TrackMask requiring = network.required_by[m.pos()];
      const auto rank = [](TrackMask mask) { return std::pair(std::popcount(mask), mask); };
      if (group[t] == 0 || rank(requiring) < rank(group[t])) group[t] = requiring;
    }
  }
  return group;
}

// Per facility: the tracks it can host every module of.
std::vector<TrackMask> hosted_tracks(const Dataset& dataset, const PilotNetwork& network) {
  std::vector<TrackMask> hosted(dataset.facilities().size(), 0);
  for (const FacilityIndex f : network.candidates) {
    for (std::size_t t = 0; t < kTracks; ++t) {
      if (std::ranges::all_of(network.modules[t],
                              [&](ModuleIndex m) { return dataset.can_host(f, m); })) {
        hosted[f.pos()] |= static_cast<TrackMask>(1U << t);
      }
    }
  }
  return hosted;
}

// The most of `trainees` that classes of class_min to class_most each can seat: all of
// them, unless they fall between what k classes hold at most and k + 1 need at least.
std::int32_t most_seated(std::size_t trainees, int class_min, std::int32_t class_most) {
  const auto n = static_cast<std::int32_t>(trainees);
  return std::min(n, n / class_min * class_most);
}

// One region of a group: sites (local 0..) with the group's trainees in range (`members`,
// local 0..) and the targets among them, the trainees the group's classes complete.
struct Region {
  std::vector<std::uint32_t> facility{};  // per site
  std::vector<std::vector<std::int32_t>> members{};
  std::vector<std::vector<std::int32_t>> targets{};
  std::vector<std::int32_t> class_most{};  // per site: min(class_max, seats per room)
  std::vector<std::int32_t> seatable{};    // per site: most_seated() of its members
  std::int32_t trainees = 0;
  std::vector<std::size_t> trainee{};  // per member: the dataset's trainee

  // The targets in reach of any site, at most as many as all the sites' classes seat.
  [[nodiscard]] std::int64_t most_completed() const {
    return std::min(targets_in_reach(),
                    std::accumulate(seatable.begin(), seatable.end(), std::int64_t{0}));
  }

  [[nodiscard]] std::int64_t targets_in_reach() const {
    std::vector<bool> seen(static_cast<std::size_t>(trainees), false);
    std::int64_t count = 0;
    for (const auto& some : targets) {
      for (const std::int32_t x : some) {
        if (!seen[static_cast<std::size_t>(x)]) count += 1;
        seen[static_cast<std::size_t>(x)] = true;
      }
    }
    return count;
  }

  // Drops every site whose members and targets another kept site also has, with classes
  // that seat as many of them: opening that one instead never gathers fewer, so some best
  // choice avoids it.
  void drop_dominated() {
    std::vector<std::size_t> order(facility.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) {
      return std::pair(members[a].size(), targets[a].size()) >
             std::pair(members[b].size(), targets[b].size());
    });
    std::vector<std::size_t> kept;
    for (const std::size_t site : order) {
      const bool dominated = std::ranges::any_of(kept, [&](std::size_t other) {
        return std::ranges::includes(members[other], members[site]) &&
               std::ranges::includes(targets[other], targets[site]) &&
               seatable[other] >= seatable[site];
      });
      if (!dominated) kept.push_back(site);
    }
    // The search tries the sites with the most targets first: good choices early prune more.
    std::ranges::stable_sort(
        kept, [&](std::size_t a, std::size_t b) { return targets[a].size() > targets[b].size(); });
    Region reduced{.trainees = trainees, .trainee = std::move(trainee)};
    for (const std::size_t site : kept) {
      reduced.facility.push_back(facility[site]);
      reduced.members.push_back(std::move(members[site]));
      reduced.targets.push_back(std::move(targets[site]));
      reduced.class_most.push_back(class_most[site]);
      reduced.seatable.push_back(seatable[site]);
    }
    *this = std::move(reduced);
  }
};

// Branch and bound over which sites of a region open. A choice is feasible when each open
// site can have class_min members of its own (a b-matching, kept by augmenting paths as
// sites open). It completes the targets in reach of its open sites, at most as many as
// their classes seat: with one site open, or no open site with more members than one class
// seats, exactly that many (each target joins a class at one of them); otherwise
// seats_targets() says whether one class per site attains it.
class RegionSearch {
 public:
  RegionSearch(const Region& region, int class_min)
      : region_(region),
        class_min_(class_min),
        owner_(static_cast<std::size_t>(region.trainees), kFree),
        covering_(static_cast<std::size_t>(region.trainees), 0),
        seen_(static_cast<std::size_t>(region.trainees), 0),
        reached_(region.facility.size()) {}

  // Searches; false when it ran out of steps before proving its best choice the best.
  bool run() {
    visit(0);
    return steps_ <= kMostSteps;
  }
  // The most targets a feasible choice found completes, at most.
  [[nodiscard]] std::int64_t best() const { return best_; }
  // Whether some plan of the best choice completes best() (see the class comment).
  [[nodiscard]] bool best_attained() const {
    return best_attained_ || seats_targets(best_sites_, best_holders_) >= best_;
  }
  // The most any feasible choice completes, at most: best() unless the search ran out of
  // steps, then also what the choices it left unexplored could complete at most.
  [[nodiscard]] std::int64_t bound() const { return std::max(best_, unexplored_); }
  [[nodiscard]] const std::vector<std::size_t>& best_sites() const { return best_sites_; }
  // Per member: the site of the best choice that holds them for its class minimum, or kFree.
  [[nodiscard]] const std::vector<std::int32_t>& best_holders() const { return best_holders_; }
  static constexpr std::int32_t kFree = -1;

 private:
  void visit(std::size_t next) {
    if (steps_ > kMostSteps) {
      unexplored_ = std::max(unexplored_, covered_ + uncovered_from(next));
      return;
    }
    const std::int64_t completes = std::min(covered_, seated_);
    const bool attained = open_.size() == 1 || crowded_ == 0;
    if (completes > best_ || (completes == best_ && attained && !best_attained_)) {
      best_ = completes;
      best_attained_ = attained;
      best_sites_ = open_;
      best_holders_ = owner_;
    }
    if (next == region_.facility.size() || covered_ + uncovered_from(next) <= best_) return;
    if (open(next)) {
      visit(next + 1);
      close(next);
    }
    visit(next + 1);
  }

  // Targets of the sites from `next` on that no open site covers yet.
  [[nodiscard]] std::int64_t uncovered_from(std::size_t next) {
    std::int64_t count = 0;
    ++stamp_;
    for (std::size_t site = next; site < region_.facility.size(); ++site) {
      steps_ += static_cast<std::int64_t>(region_.targets[site].size());
      for (const std::int32_t x : region_.targets[site]) {
        auto& seen = seen_[static_cast<std::size_t>(x)];
        if (covering_[static_cast<std::size_t>(x)] == 0 && seen != stamp_) count += 1;
        seen = stamp_;
      }
    }
    return count;
  }

  bool open(std::size_t site) {
    for (int seat = 0; seat < class_min_; ++seat) {
      if (!augment(site)) {
        release(site);
        return false;
      }
    }
    open_.push_back(site);
    seat(site, 1);
    for (const std::int32_t x : region_.targets[site]) {
      if (covering_[static_cast<std::size_t>(x)]++ == 0) covered_ += 1;
    }
    return true;
  }

  void close(std::size_t site) {
    open_.pop_back();
    seat(site, -1);
    for (const std::int32_t x : region_.targets[site]) {
      if (--covering_[static_cast<std::size_t>(x)] == 0) covered_ -= 1;
    }
    release(site);
  }

  // The most targets one class per open site seats, each at a site where it is a target,
  // the holders keeping every class at class_min: a maximum b-matching of the targets into
  // the classes' seats, grown from the holders by augmenting paths. A target takes a free
  // seat, or the seat of a holder who is no target there, or moves one placed there on to
  // another of its sites, and so on. (A holder who is a target elsewhere stays where it is.)
  [[nodiscard]] std::int64_t seats_targets(const std::vector<std::size_t>& open,
                                           const std::vector<std::int32_t>& holders) const {
    const std::size_t sites = region_.facility.size();
    std::vector<std::vector<std::size_t>> sites_of(static_cast<std::size_t>(region_.trainees));
    for (const std::size_t site : open) {
      for (const std::int32_t x : region_.targets[site]) {
        sites_of[static_cast<std::size_t>(x)].push_back(site);
      }
    }
    std::vector<std::int32_t> at(sites_of.size(), kFree);  // per target: its seat's site
    std::vector<std::int32_t> seated(sites, 0);
    std::vector<std::vector<std::int32_t>> fillers(sites);  // holders who are no target there
    for (std::size_t x = 0; x < holders.size(); ++x) {
      if (holders[x] == kFree) continue;
      const auto site = static_cast<std::size_t>(holders[x]);
      seated[site] += 1;
      const auto& mine = sites_of[x];
      if (std::ranges::find(mine, site) != mine.end()) {
        at[x] = holders[x];
      } else {
        fillers[site].push_back(static_cast<std::int32_t>(x));
      }
    }
    std::vector<bool> held(sites_of.size(), false);
    for (std::size_t x = 0; x < holders.size(); ++x) held[x] = holders[x] != kFree;
    std::int64_t placed =
        std::ranges::count_if(at, [](std::int32_t site) { return site != kFree; });
    constexpr std::size_t kStart = std::numeric_limits<std::size_t>::max();
    struct Step {
      std::size_t from = 0;
      std::int32_t through = kFree;  // the target that moves into the site
    };
    std::vector<Step> reached(sites);
    std::vector<std::size_t> queue;
    for (std::size_t x = 0; x < sites_of.size(); ++x) {
      if (at[x] != kFree || held[x] || sites_of[x].empty()) continue;
      std::ranges::fill(reached, Step{});
      queue.clear();
      for (const std::size_t site : sites_of[x]) {
        reached[site] = {.from = kStart, .through = static_cast<std::int32_t>(x)};
        queue.push_back(site);
      }
      for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::size_t u = queue[head];
        const bool free_seat = seated[u] < region_.class_most[u];
        if (free_seat || !fillers[u].empty()) {
          if (free_seat) {
            seated[u] += 1;
          } else {
            fillers[u].pop_back();
          }
          for (std::size_t v = u; v != kStart; v = reached[v].from) {
            at[static_cast<std::size_t>(reached[v].through)] = static_cast<std::int32_t>(v);
          }
          placed += 1;
          break;
        }
        for (const std::int32_t y : region_.targets[u]) {
          if (at[static_cast<std::size_t>(y)] != static_cast<std::int32_t>(u)) continue;
          for (const std::size_t v : sites_of[static_cast<std::size_t>(y)]) {
            if (reached[v].through != kFree) continue;
            reached[v] = {.from = u, .through = y};
            queue.push_back(v);
          }
        }
      }
    }
    return placed;
  }

  // Counts the site's seats in (sign 1) or out (-1) of the open choice.
  void seat(std::size_t site, int sign) {
    seated_ += sign * region_.seatable[site];
    if (std::cmp_greater(region_.members[site].size(), region_.class_most[site])) crowded_ += sign;
  }

  // Frees the site's members; the other open sites keep class_min each.
  void release(std::size_t site) {
    for (const std::int32_t x : region_.members[site]) {
      if (owner_[static_cast<std::size_t>(x)] == static_cast<std::int32_t>(site)) {
        owner_[static_cast<std::size_t>(x)] = kFree;
      }
    }
  }

  // One more member for `site`: a free member, or one that another open site gives up for
  // a member of its own further along (breadth first over the sites).
  bool augment(std::size_t site) {
    std::ranges::fill(reached_, Reached{});
    reached_[site] = {.from = site, .through = kFree};
    std::vector<std::size_t> queue{site};
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const std::size_t u = queue[head];
      steps_ += static_cast<std::int64_t>(region_.members[u].size());
      for (const std::int32_t x : region_.members[u]) {
        const std::int32_t holder = owner_[static_cast<std::size_t>(x)];
        if (holder == static_cast<std::int32_t>(u)) continue;
        if (holder == kFree) {
          give(x, u, site);
          return true;
        }
        const auto v = static_cast<std::size_t>(holder);
        if (reached_[v].through != kUnreached) continue;
        reached_[v] = {.from = u, .through = x};
        queue.push_back(v);
      }
    }
    return false;
  }

  // x joins u; every site on the path back to `site` hands its member to the one before.
  void give(std::int32_t x, std::size_t u, std::size_t site) {
    owner_[static_cast<std::size_t>(x)] = static_cast<std::int32_t>(u);
    while (u != site) {
      const Reached back = reached_[u];
      owner_[static_cast<std::size_t>(back.through)] = static_cast<std::int32_t>(back.from);
      u = back.from;
    }
  }

  static constexpr std::int32_t kUnreached = -2;
  struct Reached {
    std::size_t from = 0;
    std::int32_t through = kUnreached;  // the member `from` takes over
  };

  const Region& region_;
  int class_min_;
  std::vector<std::int32_t> owner_;     // per member: the open site holding them, or kFree
  std::vector<std::int32_t> covering_;  // per member: open sites that complete them
  std::vector<std::uint32_t> seen_;     // per member: stamp_ once counted by uncovered_from
  std::vector<Reached> reached_;        // per site, during augment
  std::uint32_t stamp_ = 0;
  std::vector<std::size_t> open_{};
  std::int64_t covered_ = 0;  // targets in reach of an open site
  std::int64_t seated_ = 0;   // what the open sites' classes seat
  std::int32_t crowded_ = 0;  // open sites with more members than one class seats
  std::int64_t best_ = 0;
  bool best_attained_ = true;
  std::vector<std::size_t> best_sites_{};
  std::vector<std::int32_t> best_holders_{};
  std::int64_t steps_ = 0;  // trainees looked at, against kMostSteps
  std::int64_t unexplored_ = 0;
};

std::size_t root_of(std::vector<std::size_t>& parent, std::size_t site) {
  while (parent[site] != site) site = parent[site] = parent[parent[site]];
  return site;
}

// The regions of one group: its sites with class_min members and a target in reach, split
// where no member is in reach of sites on both sides.
std::vector<Region> regions_of(const Dataset& dataset, const PilotNetwork& network,
                               const std::vector<TrackMask>& hosted, TrackMask group,
                               TrackMask targeted, const TimetableOptions& timetable) {
  const AllocationProblem& problem = network.problem;
  std::vector<std::vector<std::int32_t>> members(dataset.facilities().size());
  std::vector<std::vector<std::int32_t>> targets(dataset.facilities().size());
  for (std::size_t t = 0; t < problem.trainees(); ++t) {
    if ((network.track[t] & group) == 0) continue;
    for (const FacilityIndex f : problem.candidates(t)) {
      members[f.pos()].push_back(static_cast<std::int32_t>(t));
      if ((network.track[t] & targeted & hosted[f.pos()]) != 0) {
        targets[f.pos()].push_back(static_cast<std::int32_t>(t));
      }
    }
  }
  std::vector<std::size_t> sites;  // facilities that could gather a class of the group
  for (std::size_t f = 0; f < members.size(); ++f) {
    if (std::cmp_greater_equal(members[f].size(), timetable.class_min) && !targets[f].empty()) {
      sites.push_back(f);
    }
  }
  std::vector<std::size_t> parent(sites.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  std::vector<std::size_t> first_site(problem.trainees(), sites.size());
  for (std::size_t s = 0; s < sites.size(); ++s) {
    for (const std::int32_t t : members[sites[s]]) {
      auto& first = first_site[static_cast<std::size_t>(t)];
      if (first == sites.size()) first = s;
      parent[root_of(parent, s)] = root_of(parent, first);
    }
  }
  std::vector<Region> regions;
  std::vector<std::size_t> region_of_root(sites.size(), sites.size());
  std::vector<std::int32_t> local(problem.trainees(), -1);  // per trainee, in its region
  for (std::size_t s = 0; s < sites.size(); ++s) {
    auto& index = region_of_root[root_of(parent, s)];
    if (index == sites.size()) {
      index = regions.size();
      regions.emplace_back();
    }
    Region& region = regions[index];
    const auto localise = [&](const std::vector<std::int32_t>& trainees) {
      std::vector<std::int32_t> ids;
      for (const std::int32_t t : trainees) {
        auto& id = local[static_cast<std::size_t>(t)];
        if (id < 0) {
          id = region.trainees++;
          region.trainee.push_back(static_cast<std::size_t>(t));
        }
        ids.push_back(id);
      }
      std::ranges::sort(ids);
      return ids;
    };
    region.facility.push_back(static_cast<std::uint32_t>(sites[s]));
    region.members.push_back(localise(members[sites[s]]));
    region.targets.push_back(localise(targets[sites[s]]));
    region.class_most.push_back(class_size_limit(dataset.facilities()[sites[s]], timetable));
    region.seatable.push_back(
        most_seated(region.members.back().size(), timetable.class_min, region.class_most.back()));
  }
  return regions;
}

// The region's best choice into `groups`, with what the search proved at most (everyone
// in reach when the region is too large to search).
void add_best(Region& region, int class_min, ClassGroups& groups) {
  if (region.facility.size() > kMostSitesReduced) {
    groups.trainees += region.most_completed();
    groups.exact = false;
    return;
  }
  region.drop_dominated();
  if (region.facility.size() > kMostSitesSearched) {
    groups.trainees += region.most_completed();
    groups.exact = false;
    return;
  }
  RegionSearch search(region, class_min);
  const bool proven = search.run();
  groups.trainees += search.bound();
  groups.exact = groups.exact && proven && search.best_attained();
  for (const std::size_t site : search.best_sites()) groups.sites.push_back(region.facility[site]);
  const auto& holders = search.best_holders();
  for (std::size_t x = 0; x < holders.size(); ++x) {
    auto& pin = groups.pin[region.trainee[x]];
    if (holders[x] != RegionSearch::kFree && pin == kNoPin) {
      pin = static_cast<std::int32_t>(region.facility[static_cast<std::size_t>(holders[x])]);
    }
  }
}

}  // namespace

ClassGroups class_groups(const Dataset& dataset, const PilotOptions& options,
                         const PilotNetwork& network) {
  const auto group_of = groups_of_tracks(network);
  const std::vector<TrackMask> hosted = hosted_tracks(dataset, network);
  ClassGroups groups{.pin = std::vector<std::int32_t>(network.problem.trainees(), kNoPin)};
  // A track without modules completes wherever its trainees are allocated.
  for (std::size_t t = 0; t < network.problem.trainees(); ++t) {
    const auto track = static_cast<std::size_t>(std::countr_zero(network.track[t]));
    if (group_of[track] == 0 && !network.problem.candidates(t).empty()) groups.trainees += 1;
  }
  std::vector<TrackMask> done;
  for (const TrackMask group : group_of) {
    if (group == 0 || std::ranges::find(done, group) != done.end()) continue;
    done.push_back(group);
    TrackMask targeted = 0;
    for (std::size_t t = 0; t < kTracks; ++t) {
      if (group_of[t] == group) targeted |= static_cast<TrackMask>(1U << t);
    }
    for (Region& region :
         regions_of(dataset, network, hosted, group, targeted, options.timetable)) {
      add_best(region, options.timetable.class_min, groups);
    }
  }
  std::ranges::sort(groups.sites);
  groups.sites.erase(std::unique(groups.sites.begin(), groups.sites.end()), groups.sites.end());
  return groups;
}

}  // namespace balai::detail
