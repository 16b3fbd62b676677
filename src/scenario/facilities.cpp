#include "facilities.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "balai/scenario/catalog.hpp"

namespace balai::detail {
namespace {

// Random streams of the facility layout, one per kind.
constexpr std::uint64_t kFacilityPurpose = 0x46414349'4c495459ULL;  // "FACILITY"

// The six shared production houses (RPB) the ministry piloted, each for one commodity;
// a regency code when the pilot's regency is public, otherwise it sits near the capital.
struct RpbPilot {
  ProvinceCode province;
  std::uint16_t regency;
  const char* commodity;
  std::array<std::string_view, 2> features;
};
constexpr std::array<RpbPilot, kMaxRpbPilots> kRpbPilots{{
    {11, 0, "Minyak Atsiri", {"distillery", feature::kAgroProcessing}},
    {71, 0, "Kelapa", {"coconut_processing", feature::kAgroProcessing}},
    {33, 3314, "Furnitur", {"woodworking", feature::kCraftWorkshop}},
    {53, 0, "Daging Sapi", {"meat_processing", "cold_storage"}},
    {64, 0, "Jamu dan Obat Herbal", {"herbal_processing", feature::kAgroProcessing}},
    {34, 3404, "Susu Sapi Perah", {"dairy_processing", "cold_storage"}},
}};
// A production house the builder puts where no pilot is.
constexpr RpbPilot kGenericRpb{
    0, 0, "Olahan Pangan", {feature::kKitchen, feature::kAgroProcessing}};

const RpbPilot& pilot_of(ProvinceCode province) {
  const auto it = std::find_if(kRpbPilots.begin(), kRpbPilots.end(),
                               [&](const RpbPilot& pilot) { return pilot.province == province; });
  return it == kRpbPilots.end() ? kGenericRpb : *it;
}

// The vocational programmes (kejuruan) of BLK Komunitas and regency BLK, weighted by how
// often the ministry funds them: sewing and computing lead, then automotive repair.
struct Kejuruan {
  std::string_view tag;
  std::uint64_t weight;
};
constexpr std::array<Kejuruan, 8> kKejuruan{{
    {feature::kSewing, 22},
    {feature::kComputerLab, 22},
    {feature::kRepairWorkshop, 18},
    {"welding", 10},
    {feature::kKitchen, 10},
    {feature::kAgroProcessing, 8},
    {feature::kCraftWorkshop, 5},
    {"beauty_salon", 5},
}};

const WeightedPicker& kejuruan_picker() {
  static const WeightedPicker picker = [] {
    std::vector<std::uint64_t> weights;
    for (const auto& kejuruan : kKejuruan) weights.push_back(kejuruan.weight);
    return WeightedPicker(weights);
  }();
  return picker;
}

constexpr std::array<std::string_view, 14> kCommunityHosts{
    "Pondok Pesantren Darul Ulum",
    "Pondok Pesantren Al-Hikmah",
    "Pondok Pesantren Nurul Huda",
    "Pondok Pesantren Miftahul Huda",
    "Pondok Pesantren Al-Falah",
    "Pondok Pesantren Darussalam",
    "Pondok Pesantren Al-Ikhlas",
    "Pondok Pesantren Roudlotul Jannah",
    "Yayasan Bina Insani",
    "Yayasan Karya Mandiri",
    "Yayasan Harapan Bangsa",
    "Yayasan Tunas Harapan",
    "Lembaga Pelatihan Serikat Pekerja",
    "Koperasi Karya Bersama",
};

using Features = std::vector<std::string>;

void add(Features& features, std::initializer_list<std::string_view> tags) {
  for (auto tag : tags) features.emplace_back(tag);
}

void add_workshops(Features& features) {
  using namespace feature;
  add(features, {kKitchen, kSewing, kCraftWorkshop, kAgroProcessing, kRepairWorkshop});
}

// `count` different kejuruan, drawn by weight.
void add_kejuruan(Features& features, int count, Rng& rng) {
  std::vector<std::size_t> chosen;
  while (static_cast<int>(chosen.size()) < count) {
    const std::size_t pick = kejuruan_picker().pick(rng);
    if (std::find(chosen.begin(), chosen.end(), pick) == chosen.end()) chosen.push_back(pick);
  }
  for (auto pick : chosen) features.emplace_back(kKejuruan[pick].tag);
}

int int_between(Rng& rng, int low, int high) { return static_cast<int>(rng.between(low, high)); }

struct Shape {
  int rooms = 0;
  int seats_per_room = 0;
  Features features;
};

Shape shape_of(const FacilityDraft& draft, bool flagship, Rng& rng) {
  using namespace feature;
  Shape shape;
  shape.features.emplace_back(kClassroom);
  switch (draft.kind) {
    case FacilityKind::uptp:
      shape.rooms = int_between(rng, 16, 32);
      shape.seats_per_room = 16 + 4 * int_between(rng, 0, 1);
      add(shape.features, {kComputerLab, "dormitory", "welding"});
      add_workshops(shape.features);
      break;
    case FacilityKind::uptd:
      if (flagship) {
        shape.rooms = int_between(rng, 8, 16);
        add(shape.features, {kComputerLab, "dormitory"});
        add_workshops(shape.features);
      } else {
        shape.rooms = int_between(rng, 3, 8);
        add_kejuruan(shape.features, int_between(rng, 2, 3), rng);
      }
      shape.seats_per_room = 16 + 4 * int_between(rng, 0, 1);
      break;
    case FacilityKind::blk_komunitas: {
      // A BLK Komunitas trains one package of 16 per workshop; it grows a room and a
      // programme as it moves up the grades.
      const int grade = static_cast<int>(draft.grade.value_or(BlkGrade::tumbuh));
      shape.rooms = 1 + grade;
      shape.seats_per_room = 16;
      add_kejuruan(shape.features, grade == 2 ? 2 : 1, rng);
      break;
    }
    case FacilityKind::plut:
      // PLUT mentor rather than teach: a meeting room or two beside the clinic.
      shape.rooms = int_between(rng, 1, 2);
      shape.seats_per_room = int_between(rng, 20, 30);
      add(shape.features, {"business_clinic", "consultation_room", "showroom"});
      if (rng.chance(0.5)) add(shape.features, {kComputerLab});
      break;
    case FacilityKind::rpb: {
      shape.rooms = 1;
      shape.seats_per_room = int_between(rng, 15, 25);
      const auto& pilot = pilot_of(draft.province->province->code);
      add(shape.features, {"production_floor", pilot.features[0], pilot.features[1]});
      break;
    }
  }
  return shape;
}

std::string facility_name(const FacilityDraft& draft, bool flagship, Rng& rng) {
  const std::string place(draft.seat->name);
  const std::string& province = draft.province->province->name;
  switch (draft.kind) {
    case FacilityKind::uptp: return "BPVP " + place;
    case FacilityKind::uptd:
      return flagship ? "UPTD BLK Provinsi " + province : "UPTD BLK " + place;
    case FacilityKind::blk_komunitas: {
      std::string name = "BLK Komunitas ";
      name.append(kCommunityHosts[rng.below(kCommunityHosts.size())]).append(" ").append(place);
      return name;
    }
    case FacilityKind::plut:
      return flagship ? "PLUT-KUMKM Provinsi " + province : "PLUT-KUMKM " + place;
    case FacilityKind::rpb: {
      std::string name = "Rumah Produksi Bersama ";
      name.append(pilot_of(draft.province->province->code).commodity).append(" ").append(place);
      return name;
    }
  }
  return place;
}

constexpr std::array<const char*, 5> kIdPrefix{"UPTP", "UPTD", "BLKK", "PLUT", "RPB"};

std::vector<std::int64_t> province_populations(const Places& places) {
  std::vector<std::int64_t> populations;
  for (const auto& province : places.provinces())
    populations.push_back(province.province->population);
  return populations;
}

// The facilities of one kind, `counts[i]` in the i-th province.
void lay_out(std::vector<Facility>& out, FacilityKind kind, const std::vector<int>& counts,
             const std::optional<WeightedPicker>& grades, const Places& places,
             std::uint64_t seed) {
  Rng rng = Rng::stream(seed, kFacilityPurpose, static_cast<std::uint64_t>(kind));
  const auto provinces = places.provinces();
  for (std::size_t p = 0; p < provinces.size(); ++p) {
    const ProvincePlaces& province = provinces[p];
    for (int serial = 1; serial <= counts[p]; ++serial) {
      FacilityDraft draft = draft_facility(kind, province, serial == 1, rng);
      if (grades) draft.grade = static_cast<BlkGrade>(grades->pick(rng));
      out.push_back(make_facility(draft, facility_id(kind, province.province->code, serial), rng));
    }
  }
}

}  // namespace

Facility make_facility(const FacilityDraft& draft, std::string id, Rng& rng) {
  // Every UPTP and a province's own UPTD are full training centres; a province's own
  // UPTD and PLUT carry its name.
  const bool flagship = draft.kind == FacilityKind::uptp ||
                        (draft.kind == FacilityKind::uptd && draft.owner == OwnerLevel::province) ||
                        (draft.kind == FacilityKind::plut && draft.owner == OwnerLevel::province);
  Facility facility;
  facility.id = std::move(id);
  facility.kind = draft.kind;
  facility.owner = draft.owner;
  if (draft.kind == FacilityKind::blk_komunitas) {
    facility.grade = draft.grade.value_or(BlkGrade::tumbuh);
  }
  const double spread = draft.at_capital ? std::min(2.0, draft.province->facility_spread_km)
                                         : draft.province->facility_spread_km;
  facility.location = jitter(*draft.seat, spread, rng);
  facility.province = draft.province->province->code;
  facility.regency = draft.seat->regency;
  Shape shape = shape_of(draft, flagship, rng);
  facility.rooms = shape.rooms;
  facility.seats = shape.rooms * shape.seats_per_room;
  facility.features = std::move(shape.features);
  std::sort(facility.features.begin(), facility.features.end());
  facility.features.erase(std::unique(facility.features.begin(), facility.features.end()),
                          facility.features.end());
  facility.name = facility_name(draft, flagship, rng);
  return facility;
}

std::string facility_id(FacilityKind kind, ProvinceCode province, int serial) {
  char text[32];
  std::snprintf(text, sizeof text, "%s-%02u-%04d", kIdPrefix[static_cast<std::size_t>(kind)],
                static_cast<unsigned>(province.value()), serial);
  return text;
}

FacilityDraft draft_facility(FacilityKind kind, const ProvincePlaces& province,
                             bool first_in_province, Rng& rng) {
  FacilityDraft draft;
  draft.kind = kind;
  draft.province = &province;
  const bool main_one = first_in_province && kind != FacilityKind::blk_komunitas;
  if (kind == FacilityKind::rpb) {
    const RpbPilot& pilot = pilot_of(province.province->code);
    draft.seat = pilot.regency != 0 ? province.find(RegencyCode(pilot.regency)) : nullptr;
  }
  if (draft.seat == nullptr) {
    draft.at_capital = main_one;
    draft.seat = main_one ? &province.capital() : &province.seats[province.by_population.pick(rng)];
  }
  switch (kind) {
    case FacilityKind::uptp: draft.owner = OwnerLevel::central; break;
    case FacilityKind::blk_komunitas: draft.owner = OwnerLevel::community; break;
    case FacilityKind::uptd:
    case FacilityKind::plut:
      draft.owner = main_one ? OwnerLevel::province : OwnerLevel::regency;
      break;
    case FacilityKind::rpb:
      // The ministry hands a finished production house to the regency it stands in.
      draft.owner = draft.seat->regency ? OwnerLevel::regency : OwnerLevel::province;
      break;
  }
  return draft;
}

std::vector<Facility> national_facilities(const ScenarioOptions& options, const Places& places) {
  const auto populations = province_populations(places);
  const int provinces = static_cast<int>(populations.size());
  std::vector<Facility> out;
  out.reserve(static_cast<std::size_t>(options.uptp + options.uptd + options.blk_komunitas +
                                       options.plut + options.rpb));

  // Central BLK are few: no province gets more than three, as in the real network,
  // unless there are too many to spread that thin.
  const int uptp_maximum = std::max(3, (options.uptp + provinces - 1) / provinces);
  lay_out(out, FacilityKind::uptp, apportion(options.uptp, populations, 0, uptp_maximum),
          std::nullopt, places, options.seed);
  lay_out(out, FacilityKind::uptd, apportion(options.uptd, populations, 1, options.uptd),
          std::nullopt, places, options.seed);
  // Normalised first, so that the largest share weighs at least a third of a million.
  double grade_total = 0.0;
  for (double share : options.grade_shares) grade_total += share;
  std::vector<std::uint64_t> grade_weights;
  for (double share : options.grade_shares) {
    grade_weights.push_back(static_cast<std::uint64_t>(std::llround(share / grade_total * 1e6)));
  }
  lay_out(out, FacilityKind::blk_komunitas,
          apportion(options.blk_komunitas, populations, 0, options.blk_komunitas),
          WeightedPicker(grade_weights), places, options.seed);
  // Where there are enough, every province has its own PLUT.
  const int plut_minimum = options.plut >= provinces ? 1 : 0;
  lay_out(out, FacilityKind::plut, apportion(options.plut, populations, plut_minimum, options.plut),
          std::nullopt, places, options.seed);
  // One production house in each of the first `rpb` pilots' provinces.
  std::vector<int> pilots(populations.size(), 0);
  for (int i = 0; i < options.rpb; ++i) {
    const ProvincePlaces& province = places.of(kRpbPilots[static_cast<std::size_t>(i)].province);
    pilots[static_cast<std::size_t>(&province - places.provinces().data())] = 1;
  }
  lay_out(out, FacilityKind::rpb, pilots, std::nullopt, places, options.seed);
  return out;
}

}  // namespace balai::detail
