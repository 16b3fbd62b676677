// A person in the program: an UMKM owner or a worker becoming an entrepreneur. Trainees
// carry no NIK in clear (see nik.hpp), only what planning and reporting need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/core/geo.hpp"
#include "balai/core/regions.hpp"
#include "balai/model/nik.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

enum class Track : std::uint8_t { umkm_owner, new_entrepreneur };
enum class Gender : std::uint8_t { female, male };
enum class UmkmClass : std::uint8_t { micro, small, medium };
enum class KbliVersion : std::uint8_t { kbli2020, kbli2025 };

template <>
struct EnumNames<Track> {
  static constexpr std::array<std::string_view, 2> names{"umkm_owner", "new_entrepreneur"};
};
template <>
struct EnumNames<Gender> {
  static constexpr std::array<std::string_view, 2> names{"female", "male"};
};
template <>
struct EnumNames<UmkmClass> {
  static constexpr std::array<std::string_view, 3> names{"micro", "small", "medium"};
};
template <>
struct EnumNames<KbliVersion> {
  static constexpr std::array<std::string_view, 2> names{"2020", "2025"};
};

// Rupiah amounts are whole rupiah.
using Rupiah = std::int64_t;

// The UMKM class by PP 7/2021 art. 35: capital (excluding land and buildings) for a new
// business, annual sales for a running one. Micro: capital <= Rp1 bn or sales <= Rp2 bn;
// small: <= Rp5 bn or <= Rp15 bn; medium: <= Rp10 bn or <= Rp50 bn. Above medium the
// business is large and not an UMKM: std::nullopt. ValidationError for negative amounts.
[[nodiscard]] std::optional<UmkmClass> umkm_class_by_capital(Rupiah capital);
[[nodiscard]] std::optional<UmkmClass> umkm_class_by_sales(Rupiah annual_sales);

// A business sector under a KBLI edition: a section letter (A-U) or 2 to 5 digits.
struct Kbli {
  KbliVersion version = KbliVersion::kbli2020;
  std::string code{};

  friend bool operator==(const Kbli&, const Kbli&) = default;
};

[[nodiscard]] bool is_kbli_code(std::string_view code) noexcept;

// Accessibility needs a facility must accommodate, as a set of flags.
enum class Need : std::uint8_t { mobility, visual, hearing, other };
template <>
struct EnumNames<Need> {
  static constexpr std::array<std::string_view, 4> names{"mobility", "visual", "hearing", "other"};
};

class AccessibilityNeeds {
 public:
  constexpr AccessibilityNeeds() noexcept = default;
  constexpr AccessibilityNeeds(std::initializer_list<Need> needs) noexcept {
    for (auto need : needs) bits_ = static_cast<std::uint8_t>(bits_ | bit(need));
  }
  [[nodiscard]] static constexpr AccessibilityNeeds from_bits(std::uint8_t bits) noexcept {
    AccessibilityNeeds needs;
    needs.bits_ = static_cast<std::uint8_t>(bits & 0x0f);
    return needs;
  }

  [[nodiscard]] constexpr bool has(Need need) const noexcept { return (bits_ & bit(need)) != 0; }
  [[nodiscard]] constexpr bool any() const noexcept { return bits_ != 0; }
  [[nodiscard]] constexpr std::uint8_t bits() const noexcept { return bits_; }
  [[nodiscard]] std::vector<Need> list() const;

  friend constexpr bool operator==(AccessibilityNeeds, AccessibilityNeeds) noexcept = default;

 private:
  static constexpr std::uint8_t bit(Need need) noexcept {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(need));
  }
  std::uint8_t bits_ = 0;
};

struct Trainee {
  std::string id{};                   // external id (registration system's)
  std::optional<ProtectedNik> nik{};  // keyed digest and masked form, never the number
  Gender gender = Gender::female;
  int birth_year = 1990;
  ProvinceCode province = 0;
  std::optional<RegencyCode> regency{};
  GeoPoint location{};
  Track track = Track::umkm_owner;
  UmkmClass umkm_class = UmkmClass::micro;
  Kbli sector{};
  AccessibilityNeeds needs{};

  friend bool operator==(const Trainee&, const Trainee&) = default;
};

// The ages `check` accepts in the reference year. Wide on purpose: the program admits
// school leavers and retired workers starting a business.
inline constexpr int kMinAge = 15;
inline constexpr int kMaxAge = 80;

// Everything wrong with `trainee`; empty when valid. With a reference year (the year the
// program starts) the age must lie in [kMinAge, kMaxAge]; without one, the birth year
// must merely lie in [1900, 2100].
[[nodiscard]] std::vector<Problem> check(const Trainee& trainee, std::optional<int> reference_year);

}  // namespace balai
BALAI_EXPORT_END
