#include "balai/core/geo.hpp"

#include <algorithm>
#include <numbers>

#include "balai/core/error.hpp"
#include "balai/core/text.hpp"

namespace balai {
namespace {

constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;

void check_degrees(const char* field, double value, double limit) {
  if (!std::isfinite(value) || value < -limit || value > limit) {
    throw ValidationError(Problem{"", field, printable(value),
                                  "must be a finite number of degrees in [-" +
                                      std::to_string(static_cast<int>(limit)) + ", " +
                                      std::to_string(static_cast<int>(limit)) + "]"});
  }
}

}  // namespace

GeoPoint::GeoPoint(double lat, double lng) : lat_(lat), lng_(lng) {
  check_degrees("lat", lat, 90.0);
  check_degrees("lng", lng, 180.0);
}

double haversine_km(const GeoPoint& a, const GeoPoint& b) noexcept {
  const double dlat = (b.lat() - a.lat()) * kRadiansPerDegree;
  const double dlng = (b.lng() - a.lng()) * kRadiansPerDegree;
  const double sin_dlat = std::sin(dlat / 2.0);
  const double sin_dlng = std::sin(dlng / 2.0);
  const double h = sin_dlat * sin_dlat + std::cos(a.lat() * kRadiansPerDegree) *
                                             std::cos(b.lat() * kRadiansPerDegree) * sin_dlng *
                                             sin_dlng;
  // Rounding can push h a hair above 1 for antipodal points; asin would return NaN.
  return 2.0 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, h)));
}

std::string to_string(const GeoPoint& point) {
  char text[64];
  std::snprintf(text, sizeof text, "(%.6f, %.6f)", point.lat(), point.lng());
  return text;
}

}  // namespace balai
