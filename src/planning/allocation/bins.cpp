#include "bins.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <limits>
#include <numeric>
#include <tuple>

#include "../../core/parallel.hpp"
#include "objective.hpp"

namespace balai::detail {
namespace {

constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max() / 4;

// Trainees from which the price rounds use every core.
constexpr std::size_t kParallelFrom = std::size_t{1} << 16;

// A function object rather than a function, so the heap algorithms inline it.
constexpr auto heap_after = [](const Move& a, const Move& b) noexcept {
  return a.key != b.key ? a.key > b.key : a.trainee > b.trainee;
};

// Union-find over bins, for the components no trainee's options connect.
class Components {
 public:
  explicit Components(std::size_t size) : parent_(size) {
    std::iota(parent_.begin(), parent_.end(), 0U);
  }
  std::uint32_t root(std::uint32_t bin) noexcept {
    while (parent_[bin] != bin) bin = parent_[bin] = parent_[parent_[bin]];
    return bin;
  }
  void join(std::uint32_t a, std::uint32_t b) noexcept {
    a = root(a);
    b = root(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::uint32_t> parent_;
};

}  // namespace

Bins::Bins(const AllocationProblem& problem, std::int64_t penalty)
    : problem_(problem),
      penalty_(penalty),
      slot_of_province_(kProvinceCodes, 0),
      load_(problem.facilities(), 0),
      segments_(problem.facilities()),
      bin_of_(problem.trainees(), 0),
      stamp_(problem.trainees(), 0) {
  for (std::size_t f = 0; f < problem.facilities(); ++f) {
    if (problem.capacity[f] > 0) segments_[f].list[segments_[f].count++] = {0, problem.capacity[f]};
  }
  add_province_bins();
  absorbed_.assign(load_.size(), 0);
  price_.resize(load_.size());
  for (std::size_t bin = 0; bin < load_.size(); ++bin) {
    const auto& segments = segments_[bin];
    price_[bin] = segments.count > 0 ? segments.list[0].cost : 0;
  }
  place_everyone_at_cheapest();
  price_overfull_facilities();
  absorb_initial_loads();
  out_.resize(load_.size());
  for (std::size_t t = 0; t < problem.trainees(); ++t) index_moves_from(t, false);
  for (auto& out : out_) {
    for (std::uint32_t slot = 0; slot < out.pairs.size(); ++slot) {
      auto& heap = out.pairs[slot].heap;
      std::make_heap(heap.begin(), heap.end(), heap_after);
      out.pairs[slot].top_key = heap.front().key;
      enqueue(out, slot, heap.front().key + price_[out.pairs[slot].to]);
    }
  }
}

// One unplaced node per province with trainees, in code order. Its segments turn the
// quota into costs: -Q for each unplaced trainee up to n - max_placed (forcing that many
// out), 0 up to n - min_placed, +Q beyond (a missed minimum).
void Bins::add_province_bins() {
  std::vector<std::int64_t> trainees(slot_of_province_.size(), 0);
  for (auto code : problem_.province) ++trainees[code.pos()];
  std::vector<const ProvinceQuota*> quota(slot_of_province_.size(), nullptr);
  for (const auto& q : problem_.quotas) quota[q.province.pos()] = &q;

  const std::int64_t q_cost = quota_penalty(penalty_);
  for (std::size_t code = 0; code < trainees.size(); ++code) {
    const std::int64_t n = trainees[code];
    if (n == 0) continue;
    slot_of_province_[code] = static_cast<std::uint32_t>(province_of_slot_.size());
    province_of_slot_.push_back(static_cast<ProvinceCode>(code));
    const std::int64_t min_placed = quota[code] ? quota[code]->min_placed : 0;
    const std::int64_t max_placed = quota[code] ? quota[code]->max_placed : n;
    const std::int64_t forced_out = std::max<std::int64_t>(0, n - max_placed);
    const std::int64_t allowed_out = n - min_placed;

    Segments segments;
    if (forced_out > 0) segments.list[segments.count++] = {-q_cost, forced_out};
    if (allowed_out > forced_out) segments.list[segments.count++] = {0, allowed_out - forced_out};
    segments.list[segments.count++] = {q_cost, kUnbounded};
    segments_.push_back(segments);
    load_.push_back(0);
  }
}

std::uint32_t Bins::unplaced_bin(std::size_t trainee) const noexcept {
  return static_cast<std::uint32_t>(problem_.facilities()) +
         slot_of_province_[problem_.province[trainee].pos()];
}

template <class Visit>
void Bins::for_each_option(std::size_t trainee, Visit&& visit) const {
  for (auto arc = problem_.first_arc[trainee]; arc < problem_.first_arc[trainee + 1]; ++arc) {
    visit(problem_.arc_facility[arc].value(), std::int64_t{problem_.arc_cost_m[arc]});
  }
  visit(unplaced_bin(trainee), penalty_ + problem_.bonus_m[trainee]);
}

std::int64_t Bins::option_cost(std::size_t trainee, std::uint32_t bin) const noexcept {
  std::int64_t cost = 0;
  for_each_option(trainee, [&](std::uint32_t option, std::int64_t option_cost) {
    if (option == bin) cost = option_cost;
  });
  return cost;
}

// The start: every trainee at its cheapest option at the initial prices, the lowest
// candidate position on ties. Only capacity can be violated, as excess.
void Bins::place_everyone_at_cheapest() {
  for (std::size_t t = 0; t < problem_.trainees(); ++t) {
    std::uint32_t best = 0;
    std::int64_t best_cost = std::numeric_limits<std::int64_t>::max();
    for_each_option(t, [&](std::uint32_t bin, std::int64_t cost) {
      if (cost + price_[bin] < best_cost) {
        best = bin;
        best_cost = cost + price_[bin];
      }
    });
    bin_of_[t] = best;
    ++load_[best];
  }
}

// A head start for the exact search, which costs one shortest path per unit of excess:
// rounds of bulk price rises on the over-full facilities (an auction in all but name).
// Each raises its price by the k-th smallest slack of its trainees (k its excess; a
// trainee's slack is how much dearer its next-best option is), so fewer than k of them
// find another option strictly cheaper and move there. Prices only rise and trainees only
// move to a strictly cheaper option, so every trainee stays at a cheapest option and
// every facility with a price stays full: exactly the state the search may start from,
// with prices nearer the final ones, so its paths are found sooner (the excess itself
// shrinks little). Optimality does not depend on how far this gets.
void Bins::price_overfull_facilities() {
  // More rounds move fewer trainees each and, measured on the national scenario, leave
  // prices that make the search explore more: 8 gave the fastest solve at 10^6 trainees.
  constexpr int kRounds = 8;
  const auto facilities = static_cast<std::uint32_t>(problem_.facilities());
  // Only when the trainees at facilities outnumber all their places, so that most excess
  // must leave for good; where seats suffice overall the rounds measured slower (10^5
  // trainees: 0.39 s without, 0.59 s with).
  const std::int64_t at_facilities =
      std::accumulate(load_.begin(), load_.begin() + facilities, std::int64_t{0});
  const std::int64_t places =
      std::accumulate(problem_.capacity.begin(), problem_.capacity.end(), std::int64_t{0});
  if (at_facilities <= places) return;
  const auto overfull = [&](std::uint32_t bin) {
    return bin < facilities && load_[bin] > problem_.capacity[bin];
  };
  // The cheapest option other than `bin` and the cost of `bin` itself, at current prices.
  const auto options_around = [&](std::size_t t, std::uint32_t bin) {
    std::int64_t here = 0;
    std::int64_t elsewhere = std::numeric_limits<std::int64_t>::max();
    std::uint32_t best = bin;
    for_each_option(t, [&](std::uint32_t option, std::int64_t cost) {
      if (option == bin) {
        here = cost + price_[option];
      } else if (cost + price_[option] < elsewhere) {
        elsewhere = cost + price_[option];
        best = option;
      }
    });
    return std::tuple{here, elsewhere, best};
  };
  const std::size_t trainees = problem_.trainees();
  // Threads for large problems only: the pilot's rounds allocate small ones by the hundred.
  const std::size_t workers = trainees >= kParallelFrom ? worker_count() : 1;
  std::vector<std::int64_t> slack(trainees);  // per trainee at an over-full facility
  // The trainees of each over-full facility (from first[f]) with their slacks, which
  // nth_element reorders in place, so that the workers allocate nothing.
  std::vector<std::uint32_t> first(facilities + 1);
  std::vector<std::int64_t> ranked(trainees);
  std::vector<std::uint32_t> full;  // the over-full facilities
  std::vector<std::int64_t> raise(facilities);

  for (int round = 0; round < kRounds; ++round) {
    // The slacks in trainee order, which streams through the arcs (in the facilities'
    // order every trainee's arcs were a cache miss), in chunks on every core.
    constexpr std::size_t kChunk = std::size_t{1} << 14;
    std::atomic<std::size_t> next{0};
    run_on_threads(workers, [&] {
      for (std::size_t begin = next++ * kChunk; begin < trainees; begin = next++ * kChunk) {
        for (std::size_t t = begin; t < std::min(trainees, begin + kChunk); ++t) {
          if (!overfull(bin_of_[t])) continue;
          const auto [here, elsewhere, best] = options_around(t, bin_of_[t]);
          slack[t] = elsewhere - here;
        }
      }
    });

    // Each facility's raise: the excess-th smallest slack of its trainees.
    std::fill(first.begin(), first.end(), 0U);
    for (const std::uint32_t bin : bin_of_) {
      if (overfull(bin)) ++first[bin + 1];
    }
    std::partial_sum(first.begin(), first.end(), first.begin());
    std::vector<std::uint32_t> cursor(first.begin(), first.end() - 1);
    for (std::size_t t = 0; t < trainees; ++t) {
      if (overfull(bin_of_[t])) ranked[cursor[bin_of_[t]]++] = slack[t];
    }
    full.clear();
    for (std::uint32_t f = 0; f < facilities; ++f) {
      if (overfull(f)) full.push_back(f);
    }
    std::fill(raise.begin(), raise.end(), 0);
    next = 0;
    run_on_threads(std::min(workers, full.size()), [&] {
      for (std::size_t n = next++; n < full.size(); n = next++) {
        const std::uint32_t f = full[n];
        const auto kth = ranked.begin() + first[f] + (load_[f] - problem_.capacity[f] - 1);
        std::nth_element(ranked.begin() + first[f], kth, ranked.begin() + first[f + 1]);
        raise[f] = *kth;
      }
    });

    // Prices only rose, so a trainee whose slack covered its facility's raise still stays:
    // only the few below it (fewer than the excess) are looked at again. Each decision
    // reads prices alone, so the order of the moves does not matter.
    for (std::uint32_t f = 0; f < facilities; ++f) price_[f] += raise[f];
    std::size_t moved = 0;
    for (std::size_t t = 0; t < trainees; ++t) {
      const std::uint32_t f = bin_of_[t];
      if (f >= facilities || raise[f] == 0 || slack[t] >= raise[f]) continue;
      const auto [here, elsewhere, best] = options_around(t, f);
      if (elsewhere >= here) continue;
      bin_of_[t] = best;
      --load_[f];
      ++load_[best];
      ++moved;
    }
    if (moved == 0) break;
  }
}

// At its initial price a bin absorbs units into its first segment only.
void Bins::absorb_initial_loads() {
  for (std::uint32_t bin = 0; bin < size(); ++bin) {
    if (segments_[bin].count == 0) continue;
    const std::int64_t units = std::min(load_[bin], segments_[bin].list[0].capacity);
    for (std::int64_t unit = 0; unit < units; ++unit) absorb_one(bin);
  }
}

std::optional<std::int64_t> Bins::absorb_cost(std::uint32_t bin) const noexcept {
  const auto& segments = segments_[bin];
  if (segments.current == segments.count) return std::nullopt;
  return segments.list[segments.current].cost;
}

void Bins::absorb_one(std::uint32_t bin) noexcept {
  auto& segments = segments_[bin];
  ++absorbed_[bin];
  if (++segments.used == segments.list[segments.current].capacity) {
    ++segments.current;
    segments.used = 0;
  }
}

auto Bins::slot_entry(Out& out, std::uint32_t to)
    -> std::vector<std::pair<std::uint32_t, std::uint32_t>>::iterator {
  return std::lower_bound(out.slot_of.begin(), out.slot_of.end(), to,
                          [](const auto& entry, std::uint32_t bin) { return entry.first < bin; });
}

Bins::Pair& Bins::pair(std::uint32_t from, std::uint32_t to) {
  Out& out = out_[from];
  auto it = slot_entry(out, to);
  if (it == out.slot_of.end() || it->first != to) {
    it = out.slot_of.insert(it, {to, static_cast<std::uint32_t>(out.pairs.size())});
    out.pairs.push_back(Pair{.to = to});
  }
  return out.pairs[it->second];
}

void Bins::enqueue(Out& out, std::uint32_t slot, std::int64_t value) {
  Pair& pair = out.pairs[slot];
  pair.queued = true;
  pair.queued_value = value;
  out.queue.push_back({value, slot, ++pair.ticket});
  std::push_heap(out.queue.begin(), out.queue.end(), queued_after);
}

// Adds the trainee's moves out of its bin, one per other option. The constructor builds
// the heaps and queues afterwards in one go; later arrivals keep both ordered, queuing a
// pair again when the arrival is its new cheapest move.
void Bins::index_moves_from(std::size_t trainee, bool keep_heaps) {
  const std::uint32_t at = bin_of_[trainee];
  const std::int64_t here = option_cost(trainee, at);
  for_each_option(trainee, [&](std::uint32_t bin, std::int64_t cost) {
    if (bin == at) return;
    Pair& into = pair(at, bin);
    const Move move{cost - here, static_cast<std::uint32_t>(trainee), stamp_[trainee]};
    into.heap.push_back(move);
    if (!keep_heaps) return;
    std::push_heap(into.heap.begin(), into.heap.end(), heap_after);
    into.top_key = into.heap.front().key;
    const std::int64_t value = move.key + price_[bin];
    if (!into.queued || value < into.queued_value) {
      enqueue(out_[at], static_cast<std::uint32_t>(&into - out_[at].pairs.data()), value);
    }
  });
}

void Bins::restore_queue(Out& out, std::vector<std::uint32_t>& raised) {
  auto& queue = out.queue;
  std::sort(raised.begin(), raised.end(), std::greater<>{});
  for (std::size_t at : raised) {
    if (queue[at].value == kDeadEntry) ++out.dead;
    while (true) {
      std::size_t child = 2 * at + 1;
      if (child >= queue.size()) break;
      if (child + 1 < queue.size() && queued_after(queue[child], queue[child + 1])) ++child;
      if (!queued_after(queue[at], queue[child])) break;
      std::swap(queue[at], queue[child]);
      at = child;
    }
  }
  if (2 * out.dead > queue.size()) {
    std::erase_if(queue, [](const Queued& entry) { return entry.value == kDeadEntry; });
    std::make_heap(queue.begin(), queue.end(), queued_after);
    out.dead = 0;
  }
}

void Bins::settle_top(Pair& pair) {
  auto& heap = pair.heap;
  while (!heap.empty() && heap.front().stamp != stamp_[heap.front().trainee]) {
    std::pop_heap(heap.begin(), heap.end(), heap_after);
    heap.pop_back();
  }
  if (!heap.empty()) pair.top_key = heap.front().key;
}

Bins::Pair* Bins::find_pair(std::uint32_t from, std::uint32_t to) {
  Out& out = out_[from];
  const auto it = slot_entry(out, to);
  return it == out.slot_of.end() || it->first != to ? nullptr : &out.pairs[it->second];
}

void Bins::move_cheapest(std::uint32_t from, Pair& pair) {
  const std::uint32_t trainee = pair.heap.front().trainee;
  --load_[from];
  ++load_[pair.to];
  bin_of_[trainee] = pair.to;
  ++stamp_[trainee];
  // The trainee's other entries out of `from` are stale now; clear those on top.
  for_each_option(trainee, [&](std::uint32_t bin, std::int64_t) {
    if (bin == from) return;
    Pair* other = find_pair(from, bin);
    if (other != nullptr && !other->heap.empty() && other->heap.front().trainee == trainee) {
      settle_top(*other);
    }
  });
  index_moves_from(trainee, true);
}

std::vector<std::vector<std::uint32_t>> Bins::components_with_excess() const {
  Components components(size());
  for (std::size_t t = 0; t < problem_.trainees(); ++t) {
    const std::uint32_t unplaced = unplaced_bin(t);
    for_each_option(t, [&](std::uint32_t bin, std::int64_t) { components.join(bin, unplaced); });
  }
  std::vector<std::vector<std::uint32_t>> groups;
  std::vector<std::uint32_t> group_of_root(size(), std::numeric_limits<std::uint32_t>::max());
  for (std::uint32_t bin = 0; bin < size(); ++bin) {
    if (excess(bin) <= 0) continue;
    auto& group = group_of_root[components.root(bin)];
    if (group == std::numeric_limits<std::uint32_t>::max()) {
      group = static_cast<std::uint32_t>(groups.size());
      groups.emplace_back();
    }
    groups[group].push_back(bin);
  }
  return groups;
}

std::size_t Bins::total_excess() const noexcept {
  std::int64_t total = 0;
  for (std::uint32_t bin = 0; bin < size(); ++bin) total += std::max<std::int64_t>(excess(bin), 0);
  return static_cast<std::size_t>(total);
}

AllocationSolution Bins::solution() const {
  AllocationSolution solution;
  const auto facilities = static_cast<std::uint32_t>(problem_.facilities());
  solution.facility.resize(problem_.trainees());
  for (std::size_t t = 0; t < problem_.trainees(); ++t) {
    solution.facility[t] = bin_of_[t] < facilities ? static_cast<std::int32_t>(bin_of_[t])
                                                   : AllocationSolution::kUnplaced;
  }
  solution.facility_price.assign(price_.begin(), price_.begin() + facilities);
  solution.province_price.assign(slot_of_province_.size(), 0);
  for (std::size_t slot = 0; slot < province_of_slot_.size(); ++slot) {
    solution.province_price[province_of_slot_[slot].pos()] = price_[facilities + slot];
  }
  solution.cost = objective(problem_, solution.facility, penalty_);
  return solution;
}

}  // namespace balai::detail
