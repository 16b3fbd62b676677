#include "places.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "balai/core/error.hpp"

namespace balai::detail {
namespace {

constexpr double kKmPerDegree = kEarthRadiusKm * std::numbers::pi / 180.0;
constexpr double kCitySpreadKm = 6.0;      // a kota is compact
constexpr double kRegencySpreadKm = 20.0;  // a kabupaten reaches far from its seat
constexpr double kFacilitySpreadKm = 3.0;

Seat make_seat(const GeoPoint& point, std::optional<RegencyCode> regency, std::string_view name,
               double spread_km, std::int64_t population) {
  // Floored so that a seat at a pole cannot divide by zero.
  const double km_per_degree_lng =
      std::max(kKmPerDegree * std::cos(point.lat() * std::numbers::pi / 180.0), 1e-3);
  return Seat{point,     km_per_degree_lng,
              regency,   name,
              spread_km, static_cast<std::uint64_t>(std::max<std::int64_t>(population, 0))};
}

// Kemendagri numbers cities (kota) from 71 within their province.
bool is_city(RegencyCode code) { return code.value() % 100 >= 71; }

// The radius of a disc a quarter of the province's area: most of its people live there.
double capital_spread_km(const Province& province) {
  return 0.5 * std::sqrt(province.area_km2 / std::numbers::pi);
}

// Population weights, or equal weights when every population is zero (a table without
// figures still places people: evenly).
WeightedPicker picker(std::vector<std::uint64_t> weights) {
  if (std::all_of(weights.begin(), weights.end(), [](auto w) { return w == 0; })) {
    std::fill(weights.begin(), weights.end(), 1);
  }
  return WeightedPicker(weights);
}

ProvincePlaces province_places(const Province& province, std::span<const Regency> regencies) {
  ProvincePlaces places;
  places.province = &province;
  for (const auto& regency : regencies) {
    if (regency.province() != province.code) continue;
    places.seats.push_back(make_seat(regency.seat, regency.code, regency.name,
                                     is_city(regency.code) ? kCitySpreadKm : kRegencySpreadKm,
                                     regency.population));
  }
  places.has_regencies = !places.seats.empty();
  if (places.has_regencies) {
    places.facility_spread_km = kFacilitySpreadKm;
    const auto to_capital = [&](const Seat& seat) {
      return haversine_km(seat.point, province.capital_location);
    };
    const auto nearest = std::min_element(
        places.seats.begin(), places.seats.end(),
        [&](const Seat& a, const Seat& b) { return to_capital(a) < to_capital(b); });
    places.capital_seat = static_cast<std::size_t>(nearest - places.seats.begin());
  } else {
    places.facility_spread_km = capital_spread_km(province);
    places.seats.push_back(make_seat(province.capital_location, std::nullopt, province.capital,
                                     places.facility_spread_km, province.population));
  }
  std::vector<std::uint64_t> weights;
  for (const auto& seat : places.seats) weights.push_back(seat.population);
  places.by_population = picker(std::move(weights));
  return places;
}

}  // namespace

Places::Places(std::span<const Regency> regencies) {
  std::vector<std::uint64_t> weights;
  for (const auto& province : balai::provinces()) {
    provinces_.push_back(province_places(province, regencies));
    const auto province_index = static_cast<std::uint32_t>(provinces_.size() - 1);
    const auto& seats = provinces_.back().seats;
    for (std::size_t i = 0; i < seats.size(); ++i) {
      national_seats_.emplace_back(province_index, static_cast<std::uint32_t>(i));
      weights.push_back(seats[i].population);
    }
  }
  national_ = picker(std::move(weights));
}

const Seat* ProvincePlaces::find(RegencyCode regency) const noexcept {
  const auto it = std::find_if(seats.begin(), seats.end(),
                               [&](const Seat& seat) { return seat.regency == regency; });
  return it == seats.end() ? nullptr : &*it;
}

const ProvincePlaces& Places::of(ProvinceCode code) const {
  for (const auto& places : provinces_) {
    if (places.province->code == code) return places;
  }
  throw UnknownReferenceError("province", code.to_string());
}

Places::Pick Places::pick_seat(Rng& rng) const noexcept {
  const auto [province, seat] = national_seats_[national_.pick(rng)];
  const ProvincePlaces& places = provinces_[province];
  return {&places, &places.seats[seat]};
}

GeoPoint jitter(const Seat& seat, double radius_km, Rng& rng) {
  double x = 0.0;
  double y = 0.0;
  do {
    x = 2.0 * rng.uniform() - 1.0;
    y = 2.0 * rng.uniform() - 1.0;
  } while (x * x + y * y > 1.0);
  const auto round = [](double degrees) { return std::round(degrees * 1e5) / 1e5; };
  const double lat = round(seat.point.lat() + y * radius_km / kKmPerDegree);
  const double lng = round(seat.point.lng() + x * radius_km / seat.km_per_degree_lng);
  return GeoPoint(std::clamp(lat, -90.0, 90.0), std::clamp(lng, -180.0, 180.0));
}

std::vector<int> apportion(int total, std::span<const std::int64_t> weights, int minimum,
                           int maximum) {
  std::vector<int> shares(weights.size(), minimum);
  int given = minimum * static_cast<int>(weights.size());
  // Sainte-Laguë: the next unit goes to the largest weight / (2 * share + 1), compared
  // in integers so that every platform breaks ties alike (the lower index wins).
  for (; given < total; ++given) {
    std::size_t best = weights.size();
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (shares[i] >= maximum) continue;
      if (best == weights.size() ||
          weights[i] * (2 * shares[best] + 1) > weights[best] * (2 * shares[i] + 1)) {
        best = i;
      }
    }
    if (best == weights.size()) break;
    ++shares[best];
  }
  return shares;
}

}  // namespace balai::detail
