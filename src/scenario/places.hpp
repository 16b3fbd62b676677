// Where the scenario puts things: the seats of regencies (or, without a regency table,
// each province's capital), weighted by population, with jitter around them; and the
// apportionment of facility counts over provinces.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "balai/core/geo.hpp"
#include "balai/core/regions.hpp"
#include "balai/scenario/random.hpp"

namespace balai::detail {

// A point people and facilities cluster around.
struct Seat {
  GeoPoint point;
  double km_per_degree_lng = 0.0;  // shrinks with the cosine of the latitude
  std::optional<RegencyCode> regency;
  std::string_view name;         // the regency's or the capital's; lives as long as its source
  double spread_km = 0.0;        // how far trainees live from the seat
  std::uint64_t population = 0;  // the regency's, or the whole province's for a capital
};

struct ProvincePlaces {
  const Province* province = nullptr;
  std::vector<Seat> seats;  // the province's regencies, or its capital alone
  WeightedPicker by_population;
  std::size_t capital_seat = 0;  // the seat nearest the capital
  bool has_regencies = false;
  // Facilities sit this far from their seat: a few km at a regency seat, anywhere in a
  // disc that fits the province's area around a lone capital.
  double facility_spread_km = 0.0;

  [[nodiscard]] const Seat& capital() const noexcept { return seats[capital_seat]; }
  // The seat of `regency`, or nullptr when the province has no such regency.
  [[nodiscard]] const Seat* find(RegencyCode regency) const noexcept;
};

class Places {
 public:
  // `regencies` may cover some provinces or none; the others fall back to their capital.
  // The regencies must outlive the Places.
  explicit Places(std::span<const Regency> regencies);

  [[nodiscard]] std::span<const ProvincePlaces> provinces() const noexcept { return provinces_; }
  [[nodiscard]] const ProvincePlaces& of(ProvinceCode code) const;

  // A seat anywhere in the country, with probability proportional to its population.
  struct Pick {
    const ProvincePlaces* province;
    const Seat* seat;
  };
  [[nodiscard]] Pick pick_seat(Rng& rng) const noexcept;

 private:
  std::vector<ProvincePlaces> provinces_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> national_seats_;  // (province, seat)
  WeightedPicker national_;
};

// A point uniformly in the disc of `radius_km` around `seat`, rounded to 1e-5 degrees
// (about a metre) so that printed coordinates are exact.
[[nodiscard]] GeoPoint jitter(const Seat& seat, double radius_km, Rng& rng);

// Splits `total` over provinces in proportion to `weights` by the Sainte-Laguë method,
// giving each at least `minimum` and at most `maximum`; the result sums to `total`
// provided weights.size() * minimum <= total <= weights.size() * maximum.
[[nodiscard]] std::vector<int> apportion(int total, std::span<const std::int64_t> weights,
                                         int minimum, int maximum);

}  // namespace balai::detail
