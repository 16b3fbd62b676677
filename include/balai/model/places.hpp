// Whether a place is plausible for what it names: inside Indonesia's bounding region, and
// near the seat of its regency. Coordinates are otherwise only checked to be degrees, so a
// trainee "in Jawa Barat" at London's coordinates, or with the latitude's sign flipped,
// would be accepted.
//
// A point outside the region is an error wherever it enters (check(Facility),
// check(Trainee): CSV, frames, constructors). A point far from its regency's seat is only
// suspicious, since regencies are large and seats approximate: far_from_seats() lists such
// places, and the caller decides whether they warn or refuse (balai.Dataset does both, by
// an option).
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/core/geo.hpp"
#include "balai/core/regions.hpp"
#include "balai/model/facility.hpp"
#include "balai/model/trainee.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct GeoBox {
  double min_lat;
  double max_lat;
  double min_lng;
  double max_lng;

  [[nodiscard]] bool contains(const GeoPoint& point) const noexcept {
    return point.lat() >= min_lat && point.lat() <= max_lat && point.lng() >= min_lng &&
           point.lng() <= max_lng;
  }
};

// Indonesia with a margin of 0.5 to 0.8 degrees (55 to 90 km) around the outermost
// islands (Ndana -11.0, Miangas 5.6, Rondo 95.1, the Papua border 141.0) and every seat of
// the embedded regency table (lat -10.74..5.82, lng 95.31..140.78).
inline constexpr GeoBox kIndonesiaBounds{-11.5, 6.5, 94.5, 141.5};

// How far a place may lie from its regency's seat before it is suspicious. The largest
// regencies (Merauke, Boven Digoel, Kapuas Hulu) reach about 300 km from their seats; a
// latitude with its sign flipped moves a point 2|lat| degrees, 400 km from 1.8 degrees on.
inline constexpr double kMaxKmFromRegencySeat = 400.0;

// The problem (field "location") of `location` lying outside kIndonesiaBounds.
[[nodiscard]] std::optional<Problem> outside_indonesia(const GeoPoint& location);

// The problem (field "location") of `location` lying farther than `max_km` from the seat
// of `regency` in the embedded table (indonesia_regencies()); nullopt when it is nearer,
// when there is no regency, or when the embedded table does not know it.
[[nodiscard]] std::optional<Problem> far_from_seat(const GeoPoint& location,
                                                   const std::optional<RegencyCode>& regency,
                                                   double max_km = kMaxKmFromRegencySeat);

// far_from_seat() for each of `facilities` and `trainees` (a dataset's, or a batch's), in
// order, each problem naming its record ("facility BLK-1", "trainee REG-0001").
[[nodiscard]] std::vector<Problem> far_from_seats(std::span<const Facility> facilities,
                                                  std::span<const Trainee> trainees,
                                                  double max_km = kMaxKmFromRegencySeat);

}  // namespace balai
BALAI_EXPORT_END
