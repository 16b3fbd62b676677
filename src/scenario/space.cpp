// The scenario's shared space: resources drawn per facility from the ranges in
// balai/scenario/space.hpp, and requests drawn one by one. Each facility and each request
// has its own random stream, so nothing depends on order.
#include "balai/scenario/space.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "balai/core/text.hpp"
#include "balai/planning/timetable/timetable.hpp"
#include "balai/scenario/random.hpp"
#include "places.hpp"

namespace balai {
namespace {

constexpr std::uint64_t kResourcePurpose = 0x5350'4143'4552'4553ULL;  // "SPACERES"
constexpr std::uint64_t kRequestPurpose = 0x5350'4143'4552'4551ULL;   // "SPACEREQ"

// Features that are rooms to teach, lodge, advise, show or store in rather than to
// produce in. Every other feature of a BLK or RPB is a workshop that UMKM can book by
// the hour: the kejuruan (kitchen, sewing, welding, beauty_salon, ...), the computer lab
// and the RPB processing lines (distillery, woodworking, meat_processing, ...). An RPB's
// production floor is offered as production slots, and its cold storage is part of its
// storage.
constexpr std::array<std::string_view, 7> kNotWorkshops{
    "business_clinic", "classroom", "cold_storage",    "consultation_room",
    "dormitory",       "showroom",  "production_floor"};

bool is_workshop(std::string_view feature) {
  return std::find(kNotWorkshops.begin(), kNotWorkshops.end(), feature) == kNotWorkshops.end();
}

// An RPB's sector, read from the processing feature its commodity gives it (the facility
// records no commodity): furniture (woodworking) is KBLI 31, essential oils (distillery)
// 20, herbal medicine (jamu) 21; food, drink and dairy (coconut, meat, dairy, kitchen,
// agro processing) and any other RPB are food products, 10.
struct Sector {
  std::string_view feature;
  std::string_view division;
};
constexpr std::array<Sector, 3> kSectors{{
    {"woodworking", "31"},
    {"distillery", "20"},
    {"herbal_processing", "21"},
}};
constexpr std::string_view kFoodDivision = "10";

std::string_view rpb_division(const Facility& facility) {
  for (const Sector& sector : kSectors) {
    if (std::binary_search(facility.features.begin(), facility.features.end(), sector.feature)) {
      return sector.division;
    }
  }
  return kFoodDivision;
}

struct Range {
  int low;
  int high;
};

// What one kind of facility offers per week before holidays: workshops per practical
// feature, then mentoring, production, storage and display (an empty range: none).
struct Offer {
  Range workshop;
  Range mentoring;
  Range production;
  Range storage;
  Range display;
};

constexpr Range kNone{0, 0};
// PLUT mentoring is drawn as 3-6 consultants giving 20 hours a week each.
constexpr int kConsultantHours = 20;

Offer offer_of(FacilityKind kind) {
  switch (kind) {
    case FacilityKind::uptp: return {{35, 45}, kNone, kNone, {100, 300}, kNone};
    case FacilityKind::uptd: return {{35, 45}, kNone, kNone, {50, 150}, kNone};
    case FacilityKind::blk_komunitas: return {{20, 30}, kNone, kNone, {10, 30}, kNone};
    case FacilityKind::plut: return {kNone, {3, 6}, kNone, kNone, {30, 80}};
    case FacilityKind::rpb: return {{40, 50}, kNone, {10, 30}, {50, 100}, kNone};
  }
  return {kNone, kNone, kNone, kNone, kNone};
}

// The days per week a facility can serve shared use: working days (Monday to Friday)
// that are not holidays and fall while the facility is active.
std::vector<int> open_days(const SpaceInventory& inventory, const std::set<Date>& holidays,
                           const std::optional<DateRange>& active) {
  std::vector<int> days(static_cast<std::size_t>(inventory.weeks), 0);
  for (int w = 0; w < inventory.weeks; ++w) {
    for (int d = 0; d < 5; ++d) {
      const Date date = inventory.start + (7 * w + d);
      if (holidays.count(date) == 0 && (!active || active->contains(date))) {
        ++days[static_cast<std::size_t>(w)];
      }
    }
  }
  return days;
}

std::set<Date> holidays_of(const SpaceInventory& inventory, const SpaceScenarioOptions& options) {
  if (options.holidays) return {options.holidays->begin(), options.holidays->end()};
  std::set<Date> holidays;
  const int first = inventory.start.ymd().year;
  const int last = (inventory.start + (7 * inventory.weeks - 1)).ymd().year;
  for (int year = first; year <= last; ++year) {
    for (Date date : national_holidays(year)) holidays.insert(date);
  }
  return holidays;
}

int draw(Rng& rng, Range range) { return static_cast<int>(rng.between(range.low, range.high)); }

// A resource with `base` per full week: base x open days / 5, rounded half up.
Resource resource(std::uint32_t site, ResourceKind kind, std::string label, int base,
                  const std::vector<int>& days) {
  Resource result{site, kind, std::move(label), {}, {}};
  for (int open : days) result.capacity.push_back((2 * base * open + 5) / 10);
  return result;
}

// The hours a facility's rooms can teach in a week at the timetable's defaults. The
// timetable may hold a class of a module that needs a workshop in every room at once, and
// a PLUT's consultants teach every class there, so such workshops (their hours counted
// over all the rooms that have one) and mentoring offer at least this much: training
// then always fits, as with_training requires.
int room_hours(const Facility& facility) {
  const int jp = TimetableOptions{}.teaching_hours_per_week;
  return facility.rooms * ((jp * kMinutesPerJp + 59) / 60);
}

// The feature tags some module of the dataset requires: the workshops training uses.
std::set<std::string, std::less<>> taught_features(const Dataset& dataset) {
  std::set<std::string, std::less<>> taught;
  for (const Module& module : dataset.modules())
    taught.insert(module.required_features.begin(), module.required_features.end());
  return taught;
}

void add_resources(SpaceInventory& inventory, const Facility& facility, std::uint32_t site,
                   const std::vector<int>& days, const std::set<std::string, std::less<>>& taught,
                   std::uint64_t seed) {
  Rng rng = Rng::stream(seed, kResourcePurpose, site);
  const Offer offer = offer_of(facility.kind);
  const int teaching = room_hours(facility);
  auto& out = inventory.resources;
  if (offer.workshop.high > 0) {
    for (const auto& feature : facility.features) {
      if (!is_workshop(feature)) continue;
      const int drawn = draw(rng, offer.workshop);
      const int hours = taught.contains(feature) ? std::max(drawn, teaching) : drawn;
      out.push_back(resource(site, ResourceKind::workshop, feature, hours, days));
    }
  }
  if (offer.mentoring.high > 0) {
    const int hours = std::max(kConsultantHours * draw(rng, offer.mentoring), teaching);
    out.push_back(resource(site, ResourceKind::mentoring, "", hours, days));
  }
  if (offer.production.high > 0) {
    out.push_back(resource(site, ResourceKind::production, std::string(rpb_division(facility)),
                           draw(rng, offer.production), days));
  }
  if (offer.storage.high > 0) {
    out.push_back(resource(site, ResourceKind::storage, "", draw(rng, offer.storage), days));
  }
  if (offer.display.high > 0) {
    out.push_back(resource(site, ResourceKind::display, "", draw(rng, offer.display), days));
  }
}

void require_valid(const SpaceScenarioOptions& options) {
  if (auto problems = check(options); !problems.empty()) throw ValidationError(problems);
}

// Requests: a kind by the weights below among the kinds the inventory offers, a label of
// that kind by how many resources offer it, an amount per week from the kind's range, a
// first week uniform over the window for 2-8 weeks (cut at the window's end), a reach of
// 10-50 km, a priority of 0-3, splittable with `splittable_share`.
struct Demand {
  std::uint64_t weight;  // percent of requests
  Range amount;          // per week, in the kind's unit
};
constexpr std::array<Demand, 5> kDemand{{
    {45, {4, 16}},  // workshop hours
    {20, {1, 4}},   // mentoring hours
    {10, {1, 3}},   // production slots
    {15, {2, 20}},  // storage m2
    {10, {1, 6}},   // display m2
}};
constexpr Range kRequestWeeks{2, 8};
constexpr double kMinDistanceKm = 10.0;
constexpr double kMaxDistanceKm = 50.0;
constexpr Range kPriority{0, 3};
constexpr double kNeighbourKm = 5.0;  // how far other UMKM sit from a trainee's home

// What the inventory offers: per kind, the labels with a resource that has capacity in
// some week, weighted by how many such resources there are.
struct Menu {
  WeightedPicker kinds;
  std::array<std::vector<std::string>, 5> labels;
  std::array<WeightedPicker, 5> pickers;
};

Menu menu_of(const SpaceInventory& inventory) {
  std::array<std::map<std::string, std::uint64_t>, 5> counts;
  for (const Resource& resource : inventory.resources) {
    const bool open = std::any_of(resource.capacity.begin(), resource.capacity.end(),
                                  [](int capacity) { return capacity > 0; });
    if (open) ++counts[static_cast<std::size_t>(resource.kind)][resource.label];
  }
  Menu menu;
  std::vector<std::uint64_t> kind_weights;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    std::vector<std::uint64_t> weights;
    for (const auto& [label, count] : counts[k]) {
      menu.labels[k].push_back(label);
      weights.push_back(count);
    }
    if (!weights.empty()) menu.pickers[k] = WeightedPicker(weights);
    kind_weights.push_back(weights.empty() ? 0 : kDemand[k].weight);
  }
  if (std::all_of(kind_weights.begin(), kind_weights.end(), [](auto w) { return w == 0; })) {
    throw ValidationError(Problem{"inventory", "resources",
                                  std::to_string(inventory.resources.size()),
                                  "offers no capacity in any week to request"});
  }
  menu.kinds = WeightedPicker(kind_weights);
  return menu;
}

// "UMKM-REQ-000042": the number zero-padded to six digits, more when it needs them.
std::string request_id(std::size_t number) {
  const std::string digits = std::to_string(number);
  return "UMKM-REQ-" + std::string(6 - std::min<std::size_t>(digits.size(), 6), '0') + digits;
}

// A point within kNeighbourKm of `home`, drawn as the scenario jitters its places.
GeoPoint near(const GeoPoint& home, Rng& rng) {
  constexpr double kKmPerDegree = kEarthRadiusKm * std::numbers::pi / 180.0;
  const double km_per_degree_lng =
      std::max(kKmPerDegree * std::cos(home.lat() * std::numbers::pi / 180.0), 1e-3);
  return detail::jitter(detail::Seat{home, km_per_degree_lng, std::nullopt, "", 0.0, 0},
                        kNeighbourKm, rng);
}

// Where requests come from: graduates are the dataset's UMKM-owner trainees; other UMKM
// live near any trainee, or at a facility when there are none.
struct Origins {
  std::vector<std::uint32_t> graduates;
  std::size_t trainees = 0;
};

Origins origins_of(const Dataset& dataset) {
  Origins origins;
  const auto trainees = dataset.trainees();
  origins.trainees = trainees.size();
  for (std::size_t t = 0; t < trainees.size(); ++t) {
    if (trainees[t].track == Track::umkm_owner) {
      origins.graduates.push_back(static_cast<std::uint32_t>(t));
    }
  }
  return origins;
}

SpaceRequest draw_request(const Dataset& dataset, const SpaceInventory& inventory, const Menu& menu,
                          const Origins& origins, const SpaceScenarioOptions& options,
                          std::size_t n) {
  Rng rng = Rng::stream(options.seed, kRequestPurpose, n);
  SpaceRequest request;
  request.id = request_id(n + 1);
  const auto trainees = dataset.trainees();
  request.graduate = !origins.graduates.empty() && rng.chance(options.graduate_share);
  if (request.graduate) {
    const Trainee& trainee = trainees[origins.graduates[rng.below(origins.graduates.size())]];
    request.business = "UMKM-" + trainee.id;
    request.location = trainee.location;
    request.province = trainee.province;
  } else {
    request.business = "UMKM-X-" + std::to_string(n + 1);
    if (origins.trainees > 0) {
      const Trainee& trainee = trainees[rng.below(origins.trainees)];
      request.location = near(trainee.location, rng);
      request.province = trainee.province;
    } else {
      const SpaceSite& site = inventory.sites[rng.below(inventory.sites.size())];
      request.location = site.location;
      request.province = site.province;
    }
  }
  const std::size_t kind = menu.kinds.pick(rng);
  request.kind = static_cast<ResourceKind>(kind);
  request.label = menu.labels[kind][menu.pickers[kind].pick(rng)];
  request.amount = draw(rng, kDemand[kind].amount);
  request.first_week = static_cast<int>(rng.below(static_cast<std::uint64_t>(inventory.weeks)));
  request.weeks = std::min(draw(rng, kRequestWeeks), inventory.weeks - request.first_week);
  request.max_distance_km = kMinDistanceKm + (kMaxDistanceKm - kMinDistanceKm) * rng.uniform();
  request.priority = draw(rng, kPriority);
  request.splittable = rng.chance(options.splittable_share);
  return request;
}

}  // namespace

std::vector<Problem> check(const SpaceScenarioOptions& options) {
  std::vector<Problem> problems;
  const auto fail = [&](const char* field, std::string value, std::string message) {
    problems.push_back({"space scenario options", field, std::move(value), std::move(message)});
  };
  if (options.requests < 0 || options.requests > kMaxScenarioRequests) {
    fail("requests", std::to_string(options.requests),
         "must be between 0 and " + std::to_string(kMaxScenarioRequests));
  }
  for (auto [field, share] : {std::pair{"graduate_share", options.graduate_share},
                              std::pair{"splittable_share", options.splittable_share}}) {
    if (!(share >= 0.0 && share <= 1.0)) {
      fail(field, printable(share), "must be a share between 0 and 1");
    }
  }
  return problems;
}

SpaceInventory scenario_inventory(const Dataset& dataset, Date start, int weeks,
                                  const SpaceScenarioOptions& options) {
  require_valid(options);
  SpaceInventory inventory = space_sites(dataset, start, weeks);
  const std::set<Date> holidays = holidays_of(inventory, options);
  const auto taught = taught_features(dataset);
  const auto facilities = dataset.facilities();
  for (std::size_t f = 0; f < facilities.size(); ++f) {
    const auto days = open_days(inventory, holidays, facilities[f].active);
    add_resources(inventory, facilities[f], static_cast<std::uint32_t>(f), days, taught,
                  options.seed);
  }
  return inventory;
}

std::vector<SpaceRequest> scenario_requests(const Dataset& dataset, const SpaceInventory& inventory,
                                            const SpaceScenarioOptions& options) {
  require_valid(options);
  if (auto problems = check(inventory); !problems.empty()) throw ValidationError(problems);
  std::vector<SpaceRequest> requests;
  if (options.requests == 0) return requests;
  const Menu menu = menu_of(inventory);
  const Origins origins = origins_of(dataset);
  requests.reserve(static_cast<std::size_t>(options.requests));
  for (std::size_t n = 0; n < static_cast<std::size_t>(options.requests); ++n) {
    requests.push_back(draw_request(dataset, inventory, menu, origins, options, n));
  }
  return requests;
}

}  // namespace balai
