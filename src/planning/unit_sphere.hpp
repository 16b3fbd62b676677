// Points as unit vectors, for comparing great-circle distances cheaply: the chord between
// two unit vectors grows with their great-circle distance and costs a few multiplications,
// where haversine_km costs five transcendental calls. Shared by the spatial index and the
// site selection's demand lists.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "balai/core/geo.hpp"

namespace balai::detail {

using UnitVector = std::array<double, 3>;

inline UnitVector unit_vector(const GeoPoint& point) {
  constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
  const double lat = point.lat() * kRadiansPerDegree;
  const double lng = point.lng() * kRadiansPerDegree;
  const double cos_lat = std::cos(lat);
  return {cos_lat * std::cos(lng), cos_lat * std::sin(lng), std::sin(lat)};
}

inline double squared_chord(const UnitVector& a, const UnitVector& b) {
  const double dx = a[0] - b[0];
  const double dy = a[1] - b[1];
  const double dz = a[2] - b[2];
  return dx * dx + dy * dy + dz * dz;
}

// Squared chord on the unit sphere of a great-circle distance; 4 (the diameter squared)
// from half the circumference on.
inline double squared_chord_of_km(double km) {
  const double half_chord = std::sin(std::min(km / kEarthRadiusKm, std::numbers::pi) / 2.0);
  return 4.0 * half_chord * half_chord;
}

}  // namespace balai::detail
