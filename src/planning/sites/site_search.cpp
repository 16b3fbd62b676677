// The site-selection engine: demand lists built in parallel from per-island-group spatial
// indices (one query per run of nearby points), their transpose (per candidate, the points
// that list it), a greedy whose gains stay exact as sites open, Resende and Werneck's fast
// interchange, and a tabu search on the interchange's evaluation of every swap. The demand
// points are taken along a Z-order curve, so that the points listing one candidate lie
// close in memory: that, more than anything, keeps the greedy and the swaps fast.
//
// Every point's cost is that of the first open site in its list, or `unserved`. Costs are
// floats (a float km is exact to a centimetre at 100 km); sums are doubles.
#include "site_search.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <utility>

#include "../../core/parallel.hpp"
#include "../progress.hpp"
#include "../unit_sphere.hpp"
#include "balai/planning/allocation/allocation_problem.hpp"
#include "balai/planning/spatial_index.hpp"
#include "balai/scenario/random.hpp"

namespace balai::detail {
namespace {

constexpr std::size_t kBlockSize = 4096;
constexpr std::size_t kIslandGroups = 10;  // island_group() is a province code's first digit
constexpr std::size_t kGainRanges = 16;
// A swap must gain more than this share of the cost with no site open.
constexpr double kRelativeTolerance = 1e-9;

// Runs `work(begin, end)` over [0, size) in chunks on every worker.
template <class Work>
void parallel_chunks(std::size_t size, std::size_t chunk, Work work) {
  std::atomic<std::size_t> next{0};
  run_on_threads(worker_count(), [&] {
    for (std::size_t begin = next.fetch_add(chunk); begin < size; begin = next.fetch_add(chunk)) {
      work(begin, std::min(size, begin + chunk));
    }
  });
}

// The candidates' spatial indices per island group (everything in group 0 when points
// may cross the sea), and the group each demand point searches.
class GroupIndex {
 public:
  GroupIndex(const SiteInstance& instance, bool same_island_group)
      : instance_(instance), same_island_group_(same_island_group) {
    std::array<std::vector<GeoPoint>, kIslandGroups> points{};
    std::array<std::vector<std::uint32_t>, kIslandGroups> ids{};
    for (std::uint32_t c = 0; c < instance.candidates.size(); ++c) {
      const auto group = group_of(instance.candidate_province[c]);
      points[group].push_back(instance.candidates[c]);
      ids[group].push_back(c);
    }
    for (std::size_t group = 0; group < kIslandGroups; ++group) {
      groups_[group] = SpatialIndex(points[group], ids[group]);
    }
    if (same_island_group && instance.demand_province.empty()) {
      std::vector<std::uint32_t> all(instance.candidates.size());
      std::iota(all.begin(), all.end(), 0U);
      all_ = SpatialIndex(instance.candidates, all);
    }
  }

  [[nodiscard]] const SpatialIndex& for_point(std::size_t point,
                                              std::vector<Neighbour>& scratch) const {
    if (!instance_.demand_province.empty()) {
      return groups_[group_of(instance_.demand_province[point])];
    }
    if (!same_island_group_) return groups_[0];
    all_.nearest(instance_.demand[point], 1, std::numeric_limits<double>::infinity(), scratch);
    return groups_[group_of(instance_.candidate_province[scratch.front().id])];
  }

 private:
  [[nodiscard]] std::size_t group_of(ProvinceCode province) const noexcept {
    return same_island_group_ ? static_cast<std::size_t>(island_group(province)) : 0;
  }

  const SiteInstance& instance_;
  bool same_island_group_;
  std::array<SpatialIndex, kIslandGroups> groups_{};
  SpatialIndex all_{};
};

// Interleaves the bits of two 16-bit numbers.
std::uint32_t interleave(std::uint32_t x, std::uint32_t y) {
  const auto spread = [](std::uint32_t v) {
    v = (v | (v << 8)) & 0x00ff00ffU;
    v = (v | (v << 4)) & 0x0f0f0f0fU;
    v = (v | (v << 2)) & 0x33333333U;
    return (v | (v << 1)) & 0x55555555U;
  };
  return spread(x) | (spread(y) << 1);
}

// The demand points along a Z-order curve over (lat, lng), ties by index.
std::vector<std::uint32_t> spatial_order(std::span<const GeoPoint> demand) {
  const auto quantise = [](double value, double low, double high) {
    return static_cast<std::uint32_t>(std::min(65535.0, (value - low) / (high - low) * 65536.0));
  };
  std::vector<std::uint64_t> keyed(demand.size());
  for (std::uint32_t i = 0; i < demand.size(); ++i) {
    const std::uint64_t key = interleave(quantise(demand[i].lng(), -180.0, 180.0),
                                         quantise(demand[i].lat(), -90.0, 90.0));
    keyed[i] = key << 32 | i;
  }
  std::ranges::sort(keyed);
  std::vector<std::uint32_t> order(demand.size());
  std::ranges::transform(keyed, order.begin(),
                         [](std::uint64_t entry) { return static_cast<std::uint32_t>(entry); });
  return order;
}

// The lists of a contiguous block of demand points, built by one worker.
struct Block {
  std::vector<std::uint32_t> length;
  std::vector<std::uint32_t> site;
  std::vector<float> cost;
  std::int64_t truncated = 0;
};

// The great-circle distance of a squared chord. Costs are kept as floats, so below 640 km
// four terms of asin's series (relative error under 1e-11) spare the call.
float km_of_chord2(double squared) {
  const double half_chord = std::min(1.0, std::sqrt(squared) / 2.0);
  if (half_chord >= 0.05) return static_cast<float>(2.0 * kEarthRadiusKm * std::asin(half_chord));
  const double x2 = half_chord * half_chord;
  const double series = 1.0 + x2 * (1.0 / 6.0 + x2 * (3.0 / 40.0 + x2 * (5.0 / 112.0)));
  return static_cast<float>(2.0 * kEarthRadiusKm * half_chord * series);
}

// Lists for runs of nearby points, one index query per run. A point q within delta of the
// run's anchor a has its `wanted` nearest within reach among a's candidates within
// min(reach + delta, D + 2 delta), D being a's wanted-th distance (triangle inequality),
// so a run needs one query and each point only chords to that shortlist.
class RunLister {
 public:
  RunLister(const SiteInstance& instance, const GroupIndex& index,
            const std::vector<UnitVector>& candidate_units, std::size_t wanted, double reach,
            bool coverage)
      : instance_(instance),
        index_(index),
        candidate_units_(candidate_units),
        wanted_(wanted),
        reach_(reach),
        reach2_(squared_chord_of_km(reach)),
        coverage_(coverage) {}

  // Appends the lists of order[0, size) to `block`, keeping at most wanted - 1 per point.
  void list(std::span<const std::uint32_t> order, Block& block) {
    for (std::size_t begin = 0; begin < order.size();) {
      const GeoPoint& anchor = instance_.demand[order[begin]];
      const SpatialIndex& near = index_.for_point(order[begin], neighbours_);
      std::size_t end = begin + 1;
      double delta = 0.0;
      for (; end < order.size() && end - begin < kMaxRun; ++end) {
        const double distance = haversine_km(anchor, instance_.demand[order[end]]);
        if (distance > kRunRadiusKm || &index_.for_point(order[end], neighbours_) != &near) break;
        delta = std::max(delta, distance);
      }
      double limit = reach_ + delta + kSlackKm;
      near.nearest(anchor, 2 * wanted_, limit, shortlist_);
      if (shortlist_.size() >= wanted_) {
        limit = std::min(limit, shortlist_[wanted_ - 1].distance_km + 2.0 * delta + kSlackKm);
      }
      if (shortlist_.size() == 2 * wanted_ && shortlist_.back().distance_km <= limit) {
        // The query stopped short of the limit (candidates crowd the edge of the run's
        // reach), so the shortlist may miss some: each point asks the index alone.
        for (std::size_t i = begin; i < end; ++i) {
          near.nearest(instance_.demand[order[i]], 2 * wanted_, reach_ + kSlackKm, shortlist_);
          list_point(instance_.demand[order[i]], reach_ + kSlackKm, block);
        }
      } else {
        for (std::size_t i = begin; i < end; ++i) {
          list_point(instance_.demand[order[i]], limit, block);
        }
      }
      begin = end;
    }
  }

 private:
  static constexpr double kRunRadiusKm = 5.0;
  static constexpr std::size_t kMaxRun = 1024;
  static constexpr double kSlackKm = 1e-6;  // far above any rounding of the distances

  struct Near {
    double chord2;
    std::uint32_t id;
    friend bool operator<(const Near& a, const Near& b) {
      return a.chord2 != b.chord2 ? a.chord2 < b.chord2 : a.id < b.id;
    }
  };

  // The shortlist's candidates within reach of `from`, nearest first, equal chords by id.
  void list_point(const GeoPoint& from, double limit, Block& block) {
    const UnitVector unit = unit_vector(from);
    near_.clear();
    for (const auto& entry : shortlist_) {
      if (entry.distance_km > limit) break;
      const double squared = squared_chord(unit, candidate_units_[entry.id]);
      if (squared <= reach2_) near_.push_back({squared, entry.id});
    }
    if (near_.size() >= wanted_) {
      std::nth_element(near_.begin(), near_.begin() + static_cast<std::ptrdiff_t>(wanted_ - 1),
                       near_.end());
      near_.resize(wanted_ - 1);
      ++block.truncated;
    }
    std::sort(near_.begin(), near_.end());
    block.length.push_back(static_cast<std::uint32_t>(near_.size()));
    for (const auto& entry : near_) {
      block.site.push_back(entry.id);
      if (!coverage_) block.cost.push_back(km_of_chord2(entry.chord2));
    }
  }

  const SiteInstance& instance_;
  const GroupIndex& index_;
  const std::vector<UnitVector>& candidate_units_;
  std::size_t wanted_;
  double reach_;
  double reach2_;
  bool coverage_;
  std::vector<Neighbour> shortlist_;
  std::vector<Neighbour> neighbours_;
  std::vector<Near> near_;
};

// Per candidate, the points that list it and at which position: the transpose of the
// lists, so that opening or closing a site visits only the points it can change.
struct Inverted {
  std::vector<std::uint64_t> first;
  std::vector<std::uint32_t> point;
  std::vector<std::uint16_t> position;

  Inverted(const SiteLists& lists, std::size_t candidates) : first(candidates + 1, 0) {
    for (const auto site : lists.site) ++first[site + 1];
    std::partial_sum(first.begin(), first.end(), first.begin());
    point.resize(lists.site.size());
    position.resize(lists.site.size());
    // Each worker reads every list and fills the candidates of its residue, so each
    // candidate's entries come in point order whoever fills them.
    const std::size_t parts = worker_count();
    std::vector<std::uint64_t> next(first.begin(), first.end() - 1);
    parallel_chunks(parts, 1, [&](std::size_t part, std::size_t) {
      for (std::uint32_t i = 0; i < lists.points(); ++i) {
        for (std::uint64_t q = lists.first[i]; q < lists.first[i + 1]; ++q) {
          const std::uint32_t site = lists.site[q];
          if (site % parts != part) continue;
          const std::uint64_t slot = next[site]++;
          point[slot] = i;
          position[slot] = static_cast<std::uint16_t>(q - lists.first[i]);
        }
      }
    });
  }
};

// What the greedy and the interchange share: the lists, their transpose, the weights and
// each candidate's province.
struct Demand {
  const SiteLists& lists;
  Inverted inverted;
  std::vector<double> weight;
  std::span<const ProvinceCode> province;

  [[nodiscard]] std::size_t candidates() const noexcept { return province.size(); }
  [[nodiscard]] std::uint32_t length(std::uint32_t i) const noexcept {
    return static_cast<std::uint32_t>(lists.first[i + 1] - lists.first[i]);
  }
  // The cost at position p of point i's list, `unserved` past its end.
  [[nodiscard]] float cost(std::uint32_t i, std::uint32_t p) const noexcept {
    return p < length(i) ? lists.cost_at(lists.first[i] + p) : lists.unserved;
  }
  [[nodiscard]] std::uint32_t site(std::uint32_t i, std::uint32_t p) const noexcept {
    return lists.site[lists.first[i] + p];
  }
  // Calls visit(point, position) for every point listing candidate c.
  template <class Visit>
  void for_listing(std::uint32_t c, Visit visit) const {
    for (std::uint64_t e = inverted.first[c]; e < inverted.first[c + 1]; ++e) {
      visit(inverted.point[e], std::uint32_t{inverted.position[e]});
    }
  }
};

std::vector<int> province_minimums(const SiteSelectionOptions& options) {
  std::vector<int> minimum(kProvinceCodes, 0);
  for (const auto& entry : options.minimums) minimum[entry.province.pos()] = entry.min_sites;
  return minimum;
}

// Greedy opening with every candidate's gain (the drop in cost if it opened now) kept
// exact: opening a site lowers the cost of the points it serves better, and each such
// point lowers the gains of the sites ahead of its old cost. This picks what lazy
// evaluation (CELF) would, without re-scanning any candidate.
class Greedy {
 public:
  explicit Greedy(const Demand& demand)
      : demand_(demand),
        current_(demand.lists.points(), demand.lists.unserved),
        gain_(demand.candidates(), 0.0),
        open_(demand.candidates(), false) {
    // Partial sums over fixed ranges of points, added in range order: the same sums
    // whatever the number of workers, from a sequential read of the lists.
    const std::size_t points = demand.lists.points();
    std::vector<std::vector<double>> partial(kGainRanges);
    parallel_chunks(kGainRanges, 1, [&](std::size_t range, std::size_t) {
      std::vector<double>& sum = partial[range];
      sum.assign(demand.candidates(), 0.0);
      const auto begin = static_cast<std::uint32_t>(points * range / kGainRanges);
      const auto end = static_cast<std::uint32_t>(points * (range + 1) / kGainRanges);
      for (std::uint32_t i = begin; i < end; ++i) {
        for (std::uint32_t p = 0; p < demand.length(i); ++p) {
          sum[demand.site(i, p)] +=
              demand.weight[i] * (double{demand.lists.unserved} - double{demand.cost(i, p)});
        }
      }
    });
    for (const auto& sum : partial) {
      for (std::size_t c = 0; c < gain_.size(); ++c) gain_[c] += sum[c];
    }
  }

  // The best closed candidate that `allowed` accepts, lower index on ties.
  template <class Allowed>
  [[nodiscard]] std::uint32_t best(Allowed allowed) const {
    std::uint32_t best = 0;
    double best_gain = -std::numeric_limits<double>::infinity();
    for (std::uint32_t c = 0; c < gain_.size(); ++c) {
      if (open_[c] || !allowed(c) || gain_[c] <= best_gain) continue;
      best = c;
      best_gain = gain_[c];
    }
    return best;
  }

  void open(std::uint32_t site) {
    open_[site] = true;
    demand_.for_listing(site, [&](std::uint32_t i, std::uint32_t p) {
      const float now = demand_.cost(i, p);
      const float before = current_[i];
      if (!(now < before)) return;
      for (std::uint32_t q = 0; q < demand_.length(i) && demand_.cost(i, q) < before; ++q) {
        const float cost = std::max(demand_.cost(i, q), now);
        gain_[demand_.site(i, q)] -= demand_.weight[i] * (double{before} - double{cost});
      }
      current_[i] = now;
    });
  }

  [[nodiscard]] std::vector<std::uint32_t> open_sites() const {
    std::vector<std::uint32_t> sites;
    for (std::uint32_t c = 0; c < open_.size(); ++c) {
      if (open_[c]) sites.push_back(c);
    }
    return sites;
  }

 private:
  const Demand& demand_;
  std::vector<float> current_;  // per point, its cost now
  std::vector<double> gain_;
  std::vector<bool> open_;
};

// Minimums first, among the candidates of provinces still short, then free picks.
std::vector<std::uint32_t> greedy_sites(const Demand& demand, const SiteSelectionOptions& options,
                                        const ProgressCallback& progress) {
  Greedy greedy(demand);
  std::vector<int> short_by = province_minimums(options);
  int short_total = std::accumulate(short_by.begin(), short_by.end(), 0);
  const auto sites = static_cast<std::size_t>(options.sites);
  ProgressReporter reporter(progress, "site greedy", sites);
  for (std::size_t pick = 0; pick < sites && !reporter.cancelled(); ++pick) {
    const std::uint32_t site =
        short_total > 0
            ? greedy.best([&](std::uint32_t c) { return short_by[demand.province[c].pos()] > 0; })
            : greedy.best([](std::uint32_t) { return true; });
    greedy.open(site);
    if (short_by[demand.province[site].pos()] > 0) {
      --short_by[demand.province[site].pos()];
      --short_total;
    }
    reporter.advance(1);
  }
  reporter.finish();
  return greedy.open_sites();
}

// One entry of the sparse extra[c][r]: what swapping candidate c for the site in `slot`
// gains beyond gain[c] - loss[slot], from the points `count` that slot serves first.
struct Extra {
  std::uint32_t slot;
  std::int32_t count;
  double value;
};

struct SwapMove {
  std::uint32_t in = 0;
  std::uint32_t slot = 0;
  double profit = -std::numeric_limits<double>::infinity();
};

// The best solution the tabu search saw, and the moves that led to it.
struct TabuResult {
  std::vector<std::uint32_t> open;  // ascending
  int moves = 0;
};

// The best swap of all, and the best that the tabu list allows.
struct SwapMoves {
  SwapMove any;
  SwapMove allowed;
};

// Per candidate, the last move in which it may not change state (open stays open, closed
// stays closed): the tabu list, as one array since a candidate is either.
struct Tabu {
  std::vector<int> until;
  int move = 0;

  [[nodiscard]] bool holds(std::uint32_t c) const noexcept { return until[c] >= move; }
};

// The fast interchange: per point its nearest (first) and second-nearest (second) open
// site, as positions in its list (the list length when none). gain[c] is what opening c
// saves, loss[slot] what closing the slot's site costs, and extra[c][slot] corrects
// their sum for the points whose first site is the one closed; a swap changes only the
// points whose first two sites change, so only they are taken out and put back.
class Interchange {
 public:
  Interchange(const Demand& demand, const SiteSelectionOptions& options,
              const std::vector<std::uint32_t>& open)
      : demand_(demand),
        minimum_(province_minimums(options)),
        open_in_province_(kProvinceCodes, 0),
        slot_of_(demand.candidates(), kClosed),
        site_in_(open),
        first_(demand.lists.points()),
        second_(demand.lists.points()),
        gain_(demand.candidates(), 0.0),
        loss_(open.size(), 0.0),
        extra_(demand.candidates()),
        seen_(demand.lists.points(), 0),
        threshold_(kRelativeTolerance * double{demand.lists.unserved} *
                   std::accumulate(demand.weight.begin(), demand.weight.end(), 0.0)) {
    for (std::uint32_t slot = 0; slot < open.size(); ++slot) {
      slot_of_[open[slot]] = static_cast<std::int32_t>(slot);
      ++open_in_province_[demand.province[open[slot]].pos()];
    }
    parallel_chunks(first_.size(), kBlockSize, [&](std::size_t begin, std::size_t end) {
      for (auto i = static_cast<std::uint32_t>(begin); i < end; ++i) find_first_two(i);
    });
    for (std::uint32_t i = 0; i < first_.size(); ++i) {
      if (first_[i] < demand.length(i)) loss_[first_slot(i)] += loss_term(i);
      objective_ += demand.weight[i] * double{demand.cost(i, first_[i])};
    }
    // Each candidate's gain and extra row from the points listing it, in point order, so
    // that the result does not depend on which worker did it.
    const std::size_t parts = worker_count();
    parallel_chunks(parts, 1, [&](std::size_t part, std::size_t) {
      for (std::uint32_t i = 0; i < first_.size(); ++i) {
        const std::uint32_t end = std::min<std::uint32_t>(second_[i], demand.length(i));
        for (std::uint32_t p = 0; p < end; ++p) {
          const std::uint32_t c = demand.site(i, p);
          if (c % parts == part) add(i, p, c, 1);
        }
      }
    });
  }

  // Swaps until none gains more than the tolerance, or max_swaps; the swaps made.
  int descend(const SiteSelectionOptions& options, const ProgressCallback& progress) {
    ProgressReporter reporter(progress, "site swaps", static_cast<std::size_t>(options.max_swaps));
    int swaps = 0;
    const Tabu none{std::vector<int>(slot_of_.size(), 0), 1};
    while (swaps < options.max_swaps && !reporter.cancelled()) {
      const SwapMove move = best_swaps(none).any;
      if (!(move.profit > threshold_)) break;
      apply(move);
      ++swaps;
      reporter.advance(1);
    }
    reporter.finish();
    return swaps;
  }

  // options.tabu_iterations moves of the best swap the tabu list allows, or of a tabu one
  // that beats the best solution seen, and on while they keep beating it: the best solution
  // seen is then a single-swap local optimum, since from it every gaining swap would have
  // been taken. Returns that solution, leaving the interchange where the search ended.
  TabuResult tabu_search(const SiteSelectionOptions& options, const ProgressCallback& progress) {
    const auto budget = options.tabu_iterations;
    ProgressReporter reporter(progress, "site tabu", static_cast<std::size_t>(budget));
    Tabu tabu{std::vector<int>(slot_of_.size(), 0), 0};
    // Tenures drawn afresh for every move: with a fixed one, the search often cycles
    // among a few solutions on small instances. Short enough that some open and some
    // closed site may always move.
    Rng rng = Rng::stream(kTenureSeed, kTenureSeed, 0);
    const int open = static_cast<int>(site_in_.size());
    const int closed = static_cast<int>(slot_of_.size()) - open;
    const auto tenure = [&](int most) {
      return std::min(kTenure + static_cast<int>(rng.below(kTenureSpread)), most);
    };
    double best = objective_;
    TabuResult result{open_sites(), 0};
    int since_best = 0;
    bool improved = false;
    while ((tabu.move < budget || improved) && !reporter.cancelled()) {
      ++tabu.move;
      const SwapMoves moves = best_swaps(tabu);
      const bool aspires = moves.any.profit > objective_ - best + threshold_;
      const bool stuck = moves.allowed.profit == -std::numeric_limits<double>::infinity();
      const SwapMove move = aspires || stuck ? moves.any : moves.allowed;
      if (move.profit == -std::numeric_limits<double>::infinity()) break;
      const std::uint32_t out = site_in_[move.slot];
      apply(move);
      tabu.until[move.in] = tabu.move + tenure(open - 1);
      tabu.until[out] = tabu.move + tenure(closed - 1);
      ++since_best;
      improved = objective_ < best - threshold_;
      if (improved) {
        best = objective_;
        result = {open_sites(), result.moves + since_best};
        since_best = 0;
      }
      reporter.advance(1);
    }
    reporter.finish();
    return result;
  }

  [[nodiscard]] std::vector<std::uint32_t> open_sites() const {
    std::vector<std::uint32_t> sites = site_in_;
    std::ranges::sort(sites);
    return sites;
  }

 private:
  static constexpr std::int32_t kClosed = -1;
  // Moves for which a site just opened stays open, and one just closed stays closed: from
  // kTenure to kTenure + kTenureSpread - 1. Measured on 8,000 small instances against
  // their optimum, 2 to 5 found every one; fixed tenures, or longer ones, missed some.
  static constexpr int kTenure = 2;
  static constexpr std::uint64_t kTenureSpread = 4;
  static constexpr std::uint64_t kTenureSeed = 0x7ab0;

  [[nodiscard]] bool is_open(std::uint32_t c) const noexcept { return slot_of_[c] != kClosed; }
  [[nodiscard]] std::uint32_t first_slot(std::uint32_t i) const noexcept {
    return static_cast<std::uint32_t>(slot_of_[demand_.site(i, first_[i])]);
  }
  [[nodiscard]] double loss_term(std::uint32_t i) const noexcept {
    return demand_.weight[i] *
           (double{demand_.cost(i, second_[i])} - double{demand_.cost(i, first_[i])});
  }

  void find_first_two(std::uint32_t i) {
    const std::uint32_t length = demand_.length(i);
    std::uint32_t p = 0;
    while (p < length && !is_open(demand_.site(i, p))) ++p;
    first_[i] = static_cast<std::uint16_t>(p);
    if (p < length) ++p;
    while (p < length && !is_open(demand_.site(i, p))) ++p;
    second_[i] = static_cast<std::uint16_t>(p);
  }

  // Adds (sign 1) or removes (sign -1) what position p of point i's list, candidate c,
  // contributes to gain[c] and extra[c]. Zero terms are skipped both ways, so an extra
  // entry lives exactly while some point contributes to it.
  void add(std::uint32_t i, std::uint32_t p, std::uint32_t c, int sign) {
    const std::uint32_t first = first_[i];
    if (p >= second_[i] || p == first) return;
    const float cost = demand_.cost(i, p);
    const float d1 = demand_.cost(i, first);
    const double weight = demand_.weight[i];
    if (p < first) gain_[c] += sign * weight * (double{d1} - double{cost});
    if (first == demand_.length(i)) return;
    const double value =
        weight * (double{demand_.cost(i, second_[i])} - double{std::max(cost, d1)});
    if (value == 0.0) return;
    const std::uint32_t slot = first_slot(i);
    auto& row = extra_[c];
    auto entry = std::ranges::find(row, slot, &Extra::slot);
    if (entry == row.end()) {
      row.push_back({slot, sign, sign * value});
      return;
    }
    entry->count += sign;
    entry->value += sign * value;
    if (entry->count == 0) {
      *entry = row.back();
      row.pop_back();
    }
  }

  // Everything point i contributes, with its current first two sites.
  void add_point(std::uint32_t i, int sign) {
    if (first_[i] < demand_.length(i)) loss_[first_slot(i)] += sign * loss_term(i);
    const std::uint32_t end = std::min<std::uint32_t>(second_[i], demand_.length(i));
    for (std::uint32_t p = 0; p < end; ++p) add(i, p, demand_.site(i, p), sign);
  }

  [[nodiscard]] bool may_close(std::uint32_t slot) const noexcept {
    const ProvinceCode province = demand_.province[site_in_[slot]];
    return open_in_province_[province.pos()] > minimum_[province.pos()];
  }

  // The cheapest slot to close that keeps every minimum, and per province the cheapest
  // slot a candidate of that province may replace, among the slots `usable` accepts.
  struct Cheapest {
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t free = kNone;
    std::array<std::uint32_t, kProvinceCodes> in{};
  };

  template <class Usable>
  [[nodiscard]] Cheapest cheapest(Usable usable) const {
    Cheapest cheapest;
    cheapest.in.fill(Cheapest::kNone);
    for (std::uint32_t slot = 0; slot < site_in_.size(); ++slot) {
      if (!usable(slot)) continue;
      const auto cheaper = [&](std::uint32_t than) {
        return than == Cheapest::kNone || loss_[slot] < loss_[than];
      };
      if (may_close(slot) && cheaper(cheapest.free)) cheapest.free = slot;
      auto& in_province = cheapest.in[demand_.province[site_in_[slot]].pos()];
      if (cheaper(in_province)) in_province = slot;
    }
    return cheapest;
  }

  // The most profitable swaps that keep every minimum, of all and among those `tabu`
  // allows. For a candidate, a slot without an extra entry gains gain[c] - loss[slot], so
  // only the cheapest slots it may replace and the slots in its row need a look.
  [[nodiscard]] SwapMoves best_swaps(const Tabu& tabu) const {
    const auto leaves = [&](std::uint32_t slot) { return !tabu.holds(site_in_[slot]); };
    const Cheapest any = cheapest([](std::uint32_t) { return true; });
    const Cheapest allowed = cheapest(leaves);
    SwapMoves best;
    for (std::uint32_t c = 0; c < slot_of_.size(); ++c) {
      if (is_open(c)) continue;
      const ProvinceCode province = demand_.province[c];
      const bool enters = !tabu.holds(c);
      const auto consider = [&](std::uint32_t slot, double extra) {
        if (slot == Cheapest::kNone) return;
        const double profit = gain_[c] - loss_[slot] + extra;
        if (profit > best.any.profit) best.any = {c, slot, profit};
        if (enters && profit > best.allowed.profit && leaves(slot))
          best.allowed = {c, slot, profit};
      };
      consider(any.free, 0.0);
      consider(any.in[province.pos()], 0.0);
      if (enters) {
        consider(allowed.free, 0.0);
        consider(allowed.in[province.pos()], 0.0);
      }
      for (const Extra& entry : extra_[c]) {
        if (may_close(entry.slot) || demand_.province[site_in_[entry.slot]] == province) {
          consider(entry.slot, entry.value);
        }
      }
    }
    return best;
  }

  void apply(const SwapMove& move) {
    const std::uint32_t out = site_in_[move.slot];
    ++epoch_;
    affected_.clear();
    const auto mark = [&](std::uint32_t i) {
      if (seen_[i] == epoch_) return;
      seen_[i] = epoch_;
      affected_.push_back(i);
    };
    demand_.for_listing(out, [&](std::uint32_t i, std::uint32_t p) {
      if (p == first_[i] || p == second_[i]) mark(i);
    });
    demand_.for_listing(move.in, [&](std::uint32_t i, std::uint32_t p) {
      if (p < second_[i]) mark(i);
    });
    for (const auto i : affected_) add_point(i, -1);
    // Every point the slot served first was just taken out: clear the rounding left over.
    loss_[move.slot] = 0.0;

    slot_of_[out] = kClosed;
    slot_of_[move.in] = static_cast<std::int32_t>(move.slot);
    site_in_[move.slot] = move.in;
    --open_in_province_[demand_.province[out].pos()];
    ++open_in_province_[demand_.province[move.in].pos()];

    for (const auto i : affected_) {
      find_first_two(i);
      add_point(i, 1);
    }
    gain_[move.in] = 0.0;  // an open site saves nothing more by opening
    objective_ -= move.profit;
  }

  const Demand& demand_;
  std::vector<int> minimum_;
  std::vector<int> open_in_province_;
  std::vector<std::int32_t> slot_of_;  // per candidate, kClosed unless open
  std::vector<std::uint32_t> site_in_;
  std::vector<std::uint16_t> first_;
  std::vector<std::uint16_t> second_;
  std::vector<double> gain_;
  std::vector<double> loss_;
  std::vector<std::vector<Extra>> extra_;
  std::vector<std::uint32_t> seen_;  // the epoch in which a point was last marked affected
  std::uint32_t epoch_ = 0;
  std::vector<std::uint32_t> affected_;
  double threshold_;        // a swap must gain more (kRelativeTolerance)
  double objective_ = 0.0;  // kept up to date by each swap's profit
};

}  // namespace

SiteLists build_site_lists(const SiteInstance& instance, const SiteSelectionOptions& options,
                           const ProgressCallback& progress) {
  const bool coverage = options.objective == SiteObjective::max_coverage;
  const double reach = coverage ? options.radius_km : options.max_distance_km;
  const auto k = static_cast<std::size_t>(options.k);
  const GroupIndex index(instance, options.same_island_group);
  std::vector<UnitVector> candidate_units(instance.candidates.size());
  std::ranges::transform(instance.candidates, candidate_units.begin(), unit_vector);

  SiteLists lists;
  lists.order = spatial_order(instance.demand);
  const std::size_t points = instance.demand.size();
  std::vector<Block> blocks((points + kBlockSize - 1) / kBlockSize);
  ProgressReporter reporter(progress, "site lists", points);
  parallel_chunks(points, kBlockSize, [&](std::size_t begin, std::size_t end) {
    if (reporter.cancelled()) return;
    // One more than k, to tell whether a list was cut.
    RunLister lister(instance, index, candidate_units, k + 1, reach, coverage);
    lister.list(std::span(lists.order).subspan(begin, end - begin), blocks[begin / kBlockSize]);
    reporter.advance(end - begin);
  });
  reporter.finish();

  lists.unserved = coverage ? 1.0F : static_cast<float>(options.max_distance_km);
  lists.first.reserve(points + 1);
  lists.first.push_back(0);
  for (const auto& block : blocks) {
    for (const auto length : block.length) lists.first.push_back(lists.first.back() + length);
    lists.truncated += block.truncated;
  }
  lists.site.resize(lists.first.back());
  if (!coverage) lists.cost.resize(lists.first.back());
  parallel_chunks(blocks.size(), 1, [&](std::size_t b, std::size_t) {
    Block& block = blocks[b];
    const std::uint64_t at = lists.first[b * kBlockSize];
    std::ranges::copy(block.site, lists.site.begin() + static_cast<std::ptrdiff_t>(at));
    if (!block.cost.empty()) {
      std::ranges::copy(block.cost, lists.cost.begin() + static_cast<std::ptrdiff_t>(at));
    }
    block = Block{};
  });
  return lists;
}

SiteSearch search_sites(const SiteInstance& instance, const SiteLists& lists,
                        const SiteSelectionOptions& options, const ProgressCallback& progress) {
  Demand demand{
      lists, Inverted(lists, instance.candidates.size()), {}, instance.candidate_province};
  demand.weight.assign(instance.demand.size(), 1.0);
  if (!instance.weight.empty()) {
    std::ranges::transform(lists.order, demand.weight.begin(),
                           [&](std::uint32_t point) { return instance.weight[point]; });
  }

  SiteSearch search;
  search.greedy = greedy_sites(demand, options, progress);
  if (options.max_swaps == 0) {
    search.open = search.greedy;
    return search;
  }
  Interchange interchange(demand, options, search.greedy);
  search.swaps = interchange.descend(options, progress);
  search.open = interchange.open_sites();
  if (options.tabu_iterations > 0) {
    TabuResult tabu = interchange.tabu_search(options, progress);
    search.swaps += tabu.moves;
    search.open = std::move(tabu.open);
  }
  return search;
}

}  // namespace balai::detail
