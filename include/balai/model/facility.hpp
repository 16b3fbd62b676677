// A place with training capacity: a BLK of one of three kinds, a PLUT business service
// centre or a shared production house (RPB). Facilities are plain values; `check`
// reports what is wrong with one, and a Dataset accepts only facilities that pass.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/core/geo.hpp"
#include "balai/core/regions.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

enum class FacilityKind : std::uint8_t {
  uptp,           // central BLK (UPTP/BPVP), owned by the Ministry of Manpower
  uptd,           // regional BLK, owned by a province or regency
  blk_komunitas,  // community BLK, often at a pesantren
  plut,           // PLUT-KUMKM integrated business service centre
  rpb,            // rumah produksi bersama, a shared production house
};

enum class OwnerLevel : std::uint8_t { central, province, regency, community };

// The grade of a BLK Komunitas, from new to self-reliant.
enum class BlkGrade : std::uint8_t { tumbuh, berkembang, mandiri };

template <>
struct EnumNames<FacilityKind> {
  static constexpr std::array<std::string_view, 5> names{"uptp", "uptd", "blk_komunitas", "plut",
                                                         "rpb"};
};
template <>
struct EnumNames<OwnerLevel> {
  static constexpr std::array<std::string_view, 4> names{"central", "province", "regency",
                                                         "community"};
};
template <>
struct EnumNames<BlkGrade> {
  static constexpr std::array<std::string_view, 3> names{"tumbuh", "berkembang", "mandiri"};
};

// Every member of the model's aggregates has a default initializer, so designated
// initializers may leave any of them out (and -Wextra does not warn when they do).
struct Facility {
  std::string id{};  // external id, e.g. "BLK-3201-004"
  std::string name{};
  FacilityKind kind = FacilityKind::uptd;
  OwnerLevel owner = OwnerLevel::province;
  std::optional<BlkGrade> grade{};  // BLK Komunitas only
  GeoPoint location{};
  ProvinceCode province = 0;
  std::optional<RegencyCode> regency{};  // when known; must lie in `province`
  int rooms = 0;                         // training rooms
  int seats = 0;                         // training seats over all rooms
  std::vector<std::string> features{};   // tags such as "kitchen", "sewing"; sorted, unique
  std::optional<DateRange> active{};     // when the facility can be used; always if empty

  friend bool operator==(const Facility&, const Facility&) = default;
};

// The owner levels a kind of facility can have: UPTP are central, UPTD belong to a
// province or regency, BLK Komunitas to a community, PLUT to a province or regency, and
// RPB to any level of government.
[[nodiscard]] bool owner_fits_kind(FacilityKind kind, OwnerLevel owner) noexcept;

// Everything wrong with `facility`, each problem naming its field; empty when valid.
[[nodiscard]] std::vector<Problem> check(const Facility& facility);

// A feature tag is 1-40 characters of [a-z0-9_], so tags survive CSV lists and ids alike.
[[nodiscard]] bool is_feature_tag(std::string_view tag) noexcept;

}  // namespace balai
BALAI_EXPORT_END
