#include "balai/planning/spatial_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "balai/core/error.hpp"
#include "unit_sphere.hpp"

namespace balai {
namespace {

using detail::squared_chord;
using detail::squared_chord_of_km;
using detail::unit_vector;
using Vector = detail::UnitVector;

// Leaves this small keep the exact distances computed per query close to k.
constexpr std::size_t kLeafSize = 8;

// Chord length on the unit sphere grows with great-circle distance, but chords from unit
// vectors and haversine distances round differently, by at most about 1e-15. Widening a
// squared chord bound b to b * (1 + 1e-8) + 1e-18 covers (c + 1e-14)^2 for every chord
// c, so pruning keeps every point whose haversine distance could tie or beat the k-th.
constexpr double kRelativeSlack = 1e-8;
constexpr double kAbsoluteSlack = 1e-18;

double widen(double bound2) { return bound2 * (1.0 + kRelativeSlack) + kAbsoluteSlack; }

}  // namespace

// One query's state, on the caller's stack: nothing shared between threads.
struct SpatialIndex::Search {
  Vector from;
  std::size_t k;
  double limit2;                       // squared chord of max_km
  double bound2;                       // squared chord beyond which nothing can qualify
  Vector offsets2{};                   // per axis, squared distance to the current cell
  std::vector<double>& heap;           // squared chords of the k nearest so far, max on top
  std::vector<Neighbour>& candidates;  // {tree position, squared chord} within bound2

  void tighten() { bound2 = widen(heap.size() < k ? limit2 : std::min(limit2, heap.front())); }

  void offer(std::uint32_t position, double distance2) {
    if (distance2 > bound2) return;
    candidates.push_back({position, distance2});
    if (heap.size() < k) {
      heap.push_back(distance2);
      std::push_heap(heap.begin(), heap.end());
    } else if (distance2 < heap.front()) {
      std::pop_heap(heap.begin(), heap.end());
      heap.back() = distance2;
      std::push_heap(heap.begin(), heap.end());
    } else {
      return;
    }
    tighten();
  }
};

SpatialIndex::SpatialIndex(std::span<const GeoPoint> points, std::span<const std::uint32_t> ids) {
  if (points.size() != ids.size()) {
    throw ValidationError(
        Problem{"SpatialIndex", "ids", std::to_string(ids.size()),
                "must have one id per point (" + std::to_string(points.size()) + " points)"});
  }
  if (points.size() >= std::numeric_limits<std::uint32_t>::max()) {
    throw ValidationError(Problem{"SpatialIndex", "points", std::to_string(points.size()),
                                  "too many points for 32-bit positions"});
  }
  if (points.empty()) return;

  std::vector<Vector> unit(points.size());
  std::transform(points.begin(), points.end(), unit.begin(), unit_vector);
  std::vector<std::uint32_t> order(points.size());
  std::iota(order.begin(), order.end(), 0U);
  const auto coordinate = [&](std::uint32_t i, std::size_t axis) { return unit[order[i]][axis]; };

  // Median splits on the widest side of each box: a balanced tree whose nodes are
  // appended in pairs, so a node's children are adjacent.
  nodes_.reserve(2 * points.size() / kLeafSize + 1);
  nodes_.push_back({0.0, 0.0, 0, static_cast<std::uint32_t>(points.size()), 0, 0});
  for (std::size_t index = 0; index < nodes_.size(); ++index) {
    Node node = nodes_[index];
    if (node.end - node.begin <= kLeafSize) continue;
    double widest = -1.0;
    for (std::size_t axis = 0; axis < 3; ++axis) {
      double low = coordinate(node.begin, axis);
      double high = low;
      for (std::uint32_t i = node.begin; i < node.end; ++i) {
        low = std::min(low, coordinate(i, axis));
        high = std::max(high, coordinate(i, axis));
      }
      if (high - low > widest) {
        widest = high - low;
        node.axis = static_cast<std::uint32_t>(axis);
      }
    }
    const std::uint32_t middle = node.begin + (node.end - node.begin) / 2;
    std::nth_element(
        order.begin() + node.begin, order.begin() + middle, order.begin() + node.end,
        [&](std::uint32_t a, std::uint32_t b) { return unit[a][node.axis] < unit[b][node.axis]; });
    node.cut_high = coordinate(middle, node.axis);
    node.cut_low = coordinate(node.begin, node.axis);
    for (std::uint32_t i = node.begin; i < middle; ++i) {
      node.cut_low = std::max(node.cut_low, coordinate(i, node.axis));
    }
    node.left = static_cast<std::uint32_t>(nodes_.size());
    nodes_[index] = node;
    nodes_.push_back({0.0, 0.0, node.begin, middle, 0, 0});
    nodes_.push_back({0.0, 0.0, middle, node.end, 0, 0});
  }

  unit_.reserve(points.size());
  locations_.reserve(points.size());
  ids_.reserve(points.size());
  for (const auto position : order) {
    unit_.push_back(unit[position]);
    locations_.push_back(points[position]);
    ids_.push_back(ids[position]);
  }
}

std::size_t SpatialIndex::size() const noexcept { return ids_.size(); }

// `cell2` is the squared distance from the query to the node's cell, as the sum of
// `offsets2` (Arya and Mount's incremental distance): a lower bound for its points that
// costs one subtraction per node.
void SpatialIndex::visit(Search& state, std::uint32_t index, double cell2) const {
  const Node& node = nodes_[index];
  if (node.left == 0) {
    for (std::uint32_t i = node.begin; i < node.end; ++i) {
      state.offer(i, squared_chord(state.from, unit_[i]));
    }
    return;
  }
  const double value = state.from[node.axis];
  const double past_low = value - node.cut_low;
  const double past_high = value - node.cut_high;
  const bool first_is_near = past_low + past_high < 0.0;
  const double far_offset2 = first_is_near ? past_high * past_high : past_low * past_low;
  const std::uint32_t near = first_is_near ? node.left : node.left + 1;
  visit(state, near, cell2);

  double& offset2 = state.offsets2[node.axis];
  const double saved = offset2;
  const double far_cell2 = cell2 - saved + far_offset2;
  if (far_cell2 <= state.bound2) {
    offset2 = far_offset2;
    visit(state, near == node.left ? node.left + 1 : node.left, far_cell2);
    offset2 = saved;
  }
}

void SpatialIndex::nearest(const GeoPoint& from, std::size_t k, double max_km,
                           std::vector<Neighbour>& out) const {
  if (std::isnan(max_km)) {
    throw ValidationError(
        Problem{"SpatialIndex::nearest", "max_km", "nan", "must be a number of kilometres"});
  }
  out.clear();
  if (k == 0 || max_km < 0.0 || nodes_.empty()) return;

  // The heap is per thread, so concurrent queries share nothing and repeated queries
  // do not allocate.
  thread_local std::vector<double> heap;
  heap.clear();
  Search state{unit_vector(from), k, squared_chord_of_km(max_km), 0.0, {}, heap, out};
  state.tighten();
  visit(state, 0, 0.0);

  // Every point that can make the list is among the candidates; the exact distances
  // decide which and in what order.
  std::size_t kept = 0;
  for (const auto& candidate : out) {
    if (candidate.distance_km > state.bound2) continue;
    const double distance = haversine_km(from, locations_[candidate.id]);
    if (distance <= max_km) out[kept++] = {ids_[candidate.id], distance};
  }
  out.resize(kept);
  const auto by_distance = [](const Neighbour& a, const Neighbour& b) {
    return a.distance_km != b.distance_km ? a.distance_km < b.distance_km : a.id < b.id;
  };
  if (out.size() > k) {
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(k), out.end(),
                      by_distance);
    out.resize(k);
  } else {
    std::sort(out.begin(), out.end(), by_distance);
  }
}

}  // namespace balai
