// Points on the WGS84 ellipsoid and great-circle distances between them. Distances use
// the haversine formula on a sphere of the mean Earth radius: within 0.5% of geodesic
// distance, which is far finer than the travel estimates they feed.
#pragma once

#include <cmath>
#include <string>

#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

inline constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean radius

class GeoPoint {
 public:
  // ValidationError unless -90 <= lat <= 90 and -180 <= lng <= 180 (finite).
  GeoPoint(double lat, double lng);
  GeoPoint() = default;

  [[nodiscard]] double lat() const noexcept { return lat_; }
  [[nodiscard]] double lng() const noexcept { return lng_; }

  friend bool operator==(const GeoPoint&, const GeoPoint&) = default;

 private:
  double lat_ = 0.0;
  double lng_ = 0.0;
};

// Great-circle distance in kilometres.
[[nodiscard]] double haversine_km(const GeoPoint& a, const GeoPoint& b) noexcept;

[[nodiscard]] std::string to_string(const GeoPoint& point);

}  // namespace balai
BALAI_EXPORT_END
