// Exact k-nearest-neighbour search over points on the Earth, for candidate facilities:
// a k-d tree over unit vectors (chord length orders points as great-circle distance
// does), so a query visits a few leaves instead of every facility.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/core/geo.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct Neighbour {
  std::uint32_t id = 0;
  double distance_km = 0.0;  // haversine_km, exactly as geo.hpp computes it

  friend bool operator==(const Neighbour&, const Neighbour&) = default;
};

class SpatialIndex {
 public:
  SpatialIndex() = default;
  // `ids[i]` is what queries report for `points[i]`; the spans must have equal sizes.
  SpatialIndex(std::span<const GeoPoint> points, std::span<const std::uint32_t> ids);

  [[nodiscard]] std::size_t size() const noexcept;

  // Replaces `out` with the at most `k` points within `max_km` of `from`, nearest first,
  // equal distances by id: the same list a scan of every point would give. Safe to call
  // from several threads at once. ValidationError if `max_km` is NaN.
  void nearest(const GeoPoint& from, std::size_t k, double max_km,
               std::vector<Neighbour>& out) const;

 private:
  // Points [begin, end) in tree order. An inner node's children are nodes_[left] and
  // nodes_[left + 1], split on `axis`: the first child's points lie at or below
  // `cut_low`, the second's at or above `cut_high`. A leaf has left == 0 (the root is
  // never a child).
  struct Node {
    double cut_low;
    double cut_high;
    std::uint32_t begin;
    std::uint32_t end;
    std::uint32_t left;
    std::uint32_t axis;
  };
  struct Search;
  void visit(Search& state, std::uint32_t node, double cell2) const;

  std::vector<Node> nodes_{};
  // Per point, in tree order so that a leaf's points are contiguous: the unit vector that
  // prunes, the location that gives the exact distance, and the id to report.
  std::vector<std::array<double, 3>> unit_{};
  std::vector<GeoPoint> locations_{};
  std::vector<std::uint32_t> ids_{};
};

}  // namespace balai
BALAI_EXPORT_END
