#include "balai/model/places.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <string>

#include "balai/core/text.hpp"

namespace balai {
namespace {

std::string point_text(const GeoPoint& point) {
  return printable(point.lat()) + ", " + printable(point.lng());
}

const Regency* embedded_regency(RegencyCode code) noexcept {
  const auto table = indonesia_regencies();
  const auto found = std::lower_bound(table.begin(), table.end(), code,
                                      [](const Regency& r, RegencyCode c) { return r.code < c; });
  return found != table.end() && found->code == code ? &*found : nullptr;
}

template <class Entity>
void add_far(std::vector<Problem>& problems, std::span<const Entity> entities, const char* kind,
             double max_km) {
  for (const auto& entity : entities) {
    if (auto problem = far_from_seat(entity.location, entity.regency, max_km)) {
      problem->where = std::string(kind) + " " + printable(entity.id, 64);
      problems.push_back(std::move(*problem));
    }
  }
}

}  // namespace

std::optional<Problem> outside_indonesia(const GeoPoint& location) {
  if (kIndonesiaBounds.contains(location)) return std::nullopt;
  const auto& box = kIndonesiaBounds;
  return Problem{"", "location", point_text(location),
                 "lies outside Indonesia (lat " + printable(box.min_lat) + ".." +
                     printable(box.max_lat) + ", lng " + printable(box.min_lng) + ".." +
                     printable(box.max_lng) + ")"};
}

std::optional<Problem> far_from_seat(const GeoPoint& location,
                                     const std::optional<RegencyCode>& regency, double max_km) {
  if (!regency) return std::nullopt;
  const Regency* seat = embedded_regency(*regency);
  if (seat == nullptr) return std::nullopt;
  const double km = haversine_km(location, seat->seat);
  if (km <= max_km) return std::nullopt;
  return Problem{"", "location", point_text(location),
                 std::to_string(std::lround(km)) + " km from the seat of " + seat->name + " (" +
                     regency->to_string() + "), more than " + printable(max_km) + " km"};
}

std::vector<Problem> far_from_seats(std::span<const Facility> facilities,
                                    std::span<const Trainee> trainees, double max_km) {
  std::vector<Problem> problems;
  add_far(problems, facilities, "facility", max_km);
  add_far(problems, trainees, "trainee", max_km);
  return problems;
}

}  // namespace balai
