// The Monte Carlo forecast: its completions equal those of a real Ledger fed the same
// events (the oracle), it is deterministic and independent of threads, behaviour at the
// extremes and segment matching give completions counted from the roster by hand, the
// percentiles follow the nearest-rank definition, and bad input is a ValidationError.
#include "balai/planning/forecast/forecast.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <map>

#include "../../src/planning/forecast/forecast_simulation.hpp"  // BetaDraw, tested on its own
#include "forecast_fixtures.hpp"
#include "tracking_fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

const ForecastWorld& world() {
  static const ForecastWorld w =
      forecast_world({.trainees = 1'500, .missing_last_every = 17, .unplaced_every = 41});
  return w;
}

// Varied outcomes: drop-outs, missed sessions and failed assessments all happen.
ForecastOptions varied_options(std::uint64_t seed, int replications = 3) {
  ForecastOptions options;
  options.replications = replications;
  options.seed = seed;
  options.defaults = {.attendance = 0.85, .weekly_dropout = 0.03, .pass_rate = 0.8};
  options.segments = default_segments();
  return options;
}

ForecastOptions perfect_options() {
  ForecastOptions options;
  options.replications = 2;
  options.defaults = {.attendance = 1.0, .weekly_dropout = 0.0, .pass_rate = 1.0};
  options.segments = {};
  return options;
}

// Whether registration `index`'s trainee is in `group`, decided from the trainee's fields.
bool in_group(const Dataset& dataset, const Roster& roster, RegistrationIndex index,
              const ForecastGroup& group) {
  const Trainee& trainee = dataset.trainees()[roster.entry(index).trainee.pos()];
  return (!group.gender || *group.gender == trainee.gender) &&
         (!group.accessibility_need || *group.accessibility_need == trainee.needs.any());
}

// What a real ledger says about replication r's events: completions nationally, by
// province and by each of forecast_groups().
struct LedgerCompletions {
  std::int32_t total = 0;
  std::map<ProvinceCode, std::int32_t> by_province{};
  std::vector<std::int32_t> by_group = std::vector<std::int32_t>(forecast_groups().size());
};

LedgerCompletions ledger_completions(const Dataset& dataset, const Roster& roster,
                                     std::span<const double> km, const ForecastOptions& options,
                                     int r) {
  Ledger ledger(roster, options.ledger);
  ledger.append(forecast_events(dataset, roster, km, options, r).columns());
  const auto statuses = ledger.statuses();
  const auto groups = forecast_groups();
  LedgerCompletions result;
  for (std::size_t i = 0; i < roster.registration_count(); ++i) {
    const RegistrationIndex index(static_cast<std::uint32_t>(i));
    if (statuses.program(index).status != Status::completed) continue;
    ++result.total;
    ++result.by_province[roster.entry(index).province];
    for (std::size_t g = 0; g < groups.size(); ++g) {
      result.by_group[g] += in_group(dataset, roster, index, groups[g]) ? 1 : 0;
    }
  }
  return result;
}

void require_same_as_ledger(const Dataset& dataset, const Roster& roster,
                            std::span<const double> km, const ForecastOptions& options) {
  const auto result = forecast(dataset, roster, km, options);
  REQUIRE(result.completions.size() == static_cast<std::size_t>(options.replications));
  REQUIRE(result.groups.size() == forecast_groups().size());
  for (std::size_t g = 0; g < result.groups.size(); ++g) {
    std::int64_t members = 0;
    for (std::size_t i = 0; i < roster.registration_count(); ++i) {
      const RegistrationIndex index(static_cast<std::uint32_t>(i));
      members += in_group(dataset, roster, index, result.groups[g]) ? 1 : 0;
    }
    CHECK(result.groups[g].registrations == members);
  }
  for (int r = 0; r < options.replications; ++r) {
    const auto expected = ledger_completions(dataset, roster, km, options, r);
    const auto row = static_cast<std::size_t>(r);
    CHECK(result.completions[row] == expected.total);
    for (std::size_t p = 0; p < result.provinces.size(); ++p) {
      const auto it = expected.by_province.find(result.provinces[p]);
      CHECK(result.by_province[p][row] == (it == expected.by_province.end() ? 0 : it->second));
    }
    for (std::size_t g = 0; g < result.groups.size(); ++g) {
      CHECK(result.by_group[g][row] == expected.by_group[g]);
    }
  }
}

// Registrations with a cohort for every module their track requires.
std::int32_t full_chains(const Roster& roster, auto&& include) {
  std::int32_t count = 0;
  for (std::size_t i = 0; i < roster.registration_count(); ++i) {
    const RegistrationIndex r(static_cast<std::uint32_t>(i));
    const auto required = roster.required(r);
    const bool full = std::all_of(required.begin(), required.end(),
                                  [&](ModuleIndex m) { return roster.cohort(r, m).has_value(); });
    if (full && include(i)) ++count;
  }
  return count;
}

std::vector<std::int32_t> constant(std::size_t n, std::int32_t value) {
  return std::vector<std::int32_t>(n, value);
}

// forecast_groups() with the registrations `result` counted in them.
std::vector<ForecastGroup> forecast_groups_of(const Forecast& result) {
  auto groups = forecast_groups();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    groups[g].registrations = result.groups[g].registrations;
  }
  return groups;
}

bool has_field(const ValidationError& error, const std::string& field) {
  return std::any_of(error.problems().begin(), error.problems().end(),
                     [&](const Problem& p) { return p.field == field; });
}

}  // namespace

TEST_CASE("forecast completes exactly whom a ledger fed the same events completes",
          "[forecast][quick]") {
  const auto& w = world();
  for (const std::uint64_t seed : {1ULL, 2027ULL}) {
    const auto options = varied_options(seed);
    require_same_as_ledger(w.dataset, w.roster, w.distance_km, options);
    const auto result = forecast(w.dataset, w.roster, w.distance_km, options);
    // Each pair of groups splits every registration and every completion in two, and the
    // national scenario has trainees in all four groups.
    REQUIRE(result.groups == forecast_groups_of(result));
    for (std::size_t g = 0; g < 4; ++g) CHECK(result.groups[g].registrations > 0);
    for (std::size_t pair = 0; pair < 4; pair += 2) {
      CHECK(result.groups[pair].registrations + result.groups[pair + 1].registrations ==
            result.registrations);
      for (std::size_t r = 0; r < result.completions.size(); ++r) {
        CHECK(result.by_group[pair][r] + result.by_group[pair + 1][r] == result.completions[r]);
      }
    }
    // Neither everyone nor no one: the rules were really exercised.
    for (const auto c : result.completions) {
      CHECK(c > 0);
      CHECK(c < full_chains(
                    w.roster, [](std::size_t) { return true; }));
    }
  }
}

TEST_CASE("forecast and ledger agree on the tracking roster's rules and parallel modules",
          "[forecast][quick]") {
  // Modules with sessions on the same days, a pass-only rule without attendance, an
  // orientation that needs nothing, a deadline; excused sessions counted either way.
  const auto dataset = tracking_dataset(60);
  const auto roster = tracking_roster(60);
  for (const bool excused_excluded : {true, false}) {
    auto options = varied_options(99, 4);
    options.defaults = {.attendance = 0.7, .weekly_dropout = 0.1, .pass_rate = 0.6};
    options.segments = {};
    options.ledger.excused_excluded = excused_excluded;
    require_same_as_ledger(dataset, roster, {}, options);
  }
}

TEST_CASE("forecast_events gives each registration's events in time order, ids from 1",
          "[forecast][quick]") {
  const auto& w = world();
  const auto events = forecast_events(w.dataset, w.roster, w.distance_km, varied_options(5), 1);
  REQUIRE(events.id.size() > 20 * w.roster.registration_count() / 2);
  REQUIRE(events.texts == std::vector<std::string>{"forecast"});
  std::map<EventKind, std::size_t> kinds;
  for (std::size_t i = 0; i < events.id.size(); ++i) {
    CHECK(events.id[i] == i + 1);
    CHECK(events.actor[i] == 0);
    ++kinds[static_cast<EventKind>(events.kind[i])];
    if (i > 0 && events.registration[i] == events.registration[i - 1]) {
      CHECK(events.time[i] >= events.time[i - 1]);
    } else {
      CHECK(static_cast<EventKind>(events.kind[i]) == EventKind::enrolled);
    }
  }
  const auto unplaced = w.roster.registration_count() / 41;
  CHECK(kinds[EventKind::enrolled] == w.roster.registration_count() - unplaced);
  CHECK(kinds[EventKind::attended] > 0);
  CHECK(kinds[EventKind::absent] > 0);
  CHECK(kinds[EventKind::assessed] > 0);
  CHECK(kinds[EventKind::withdrew] > 0);
}

TEST_CASE("forecast is deterministic for a seed and independent of the thread count",
          "[forecast][quick]") {
  const auto& w = world();
  auto options = varied_options(7, 6);
  options.threads = 1;
  const auto one = forecast(w.dataset, w.roster, w.distance_km, options);
  options.threads = 2;
  const auto two = forecast(w.dataset, w.roster, w.distance_km, options);
  const auto again = forecast(w.dataset, w.roster, w.distance_km, options);
  CHECK(one.completions == two.completions);
  CHECK(one.by_province == two.by_province);
  CHECK(one.by_group == two.by_group);
  CHECK(two == again);
  // Replications differ from one another, and another seed gives other draws.
  CHECK(std::adjacent_find(one.completions.begin(), one.completions.end(), std::not_equal_to<>()) !=
        one.completions.end());
  const auto other = forecast(w.dataset, w.roster, w.distance_km, varied_options(8, 6));
  CHECK(other.completions != one.completions);
}

TEST_CASE("forecast at the behaviour extremes", "[forecast][quick]") {
  const auto& w = world();
  const auto n = static_cast<std::size_t>(2);
  const auto everyone = full_chains(w.roster, [](std::size_t) { return true; });
  REQUIRE(everyone < static_cast<std::int32_t>(w.roster.registration_count()));
  REQUIRE(everyone > 1'000);

  SECTION("full attendance, no drop-out, every assessment passed: every full chain completes") {
    const auto result = forecast(w.dataset, w.roster, w.distance_km, perfect_options());
    CHECK(result.completions == constant(n, everyone));
    CHECK(result.national() ==
          Percentiles{double(everyone), double(everyone), double(everyone), double(everyone)});
    CHECK(result.probability_target_met() == (everyone >= result.target_min ? 1.0 : 0.0));
    CHECK(result.registrations == static_cast<std::int64_t>(w.roster.registration_count()));
  }
  SECTION("no attendance: nobody completes, every track needs attended sessions") {
    auto options = perfect_options();
    options.defaults.attendance = 0.0;
    CHECK(forecast(w.dataset, w.roster, w.distance_km, options).completions == constant(n, 0));
  }
  SECTION("certain drop-out in the first week: nobody completes") {
    auto options = perfect_options();
    options.defaults.weekly_dropout = 1.0;
    CHECK(forecast(w.dataset, w.roster, w.distance_km, options).completions == constant(n, 0));
  }
  SECTION("no assessment passed: nobody completes, every track has a module to pass") {
    auto options = perfect_options();
    options.defaults.pass_rate = 0.0;
    CHECK(forecast(w.dataset, w.roster, w.distance_km, options).completions == constant(n, 0));
  }
}

TEST_CASE("forecast of an empty roster completes nobody", "[forecast][quick]") {
  const auto dataset = tracking_dataset(2);
  const Roster empty(dataset, {}, {});
  const auto result = forecast(dataset, empty, {}, perfect_options());
  CHECK(result.completions == constant(2, 0));
  CHECK(result.provinces.empty());
  CHECK(result.by_province.empty());
  CHECK(result.registrations == 0);
  // The groups are there, empty: a group nobody is in completes nobody.
  CHECK(result.groups == forecast_groups());
  CHECK(result.by_group == std::vector<std::vector<std::int32_t>>(4, constant(2, 0)));
  CHECK(forecast_events(dataset, empty, {}, perfect_options(), 0).id.empty());
}

TEST_CASE("forecast matches each registration to its first matching segment", "[forecast][quick]") {
  const auto& w = world();
  const auto& trainees = w.dataset.trainees();
  const auto entry = [&](std::size_t i) {
    return w.roster.entry(RegistrationIndex(static_cast<std::uint32_t>(i)));
  };
  const Behaviour never{.attendance = 0.0, .weekly_dropout = 0.0, .pass_rate = 1.0};
  const Behaviour always{.attendance = 1.0, .weekly_dropout = 0.0, .pass_rate = 1.0};
  auto options = perfect_options();
  const auto completions = [&](std::vector<SegmentBehaviour> segments, std::span<const double> km) {
    options.segments = std::move(segments);
    return forecast(w.dataset, w.roster, km, options).completions.front();
  };

  CHECK(completions({{.track = Track::new_entrepreneur, .behaviour = never}}, w.distance_km) ==
        full_chains(w.roster, [&](std::size_t i) { return entry(i).track == Track::umkm_owner; }));
  CHECK(completions({{.umkm_class = UmkmClass::micro, .behaviour = never}}, w.distance_km) ==
        full_chains(w.roster, [&](std::size_t i) {
          return trainees[entry(i).trainee.pos()].umkm_class != UmkmClass::micro;
        }));
  CHECK(completions({{.min_km = 10.0, .behaviour = never}}, w.distance_km) ==
        full_chains(w.roster, [&](std::size_t i) { return w.distance_km[i] < 10.0; }));
  // The first match wins: micro owners complete, all others never do.
  CHECK(completions(
            {{.track = Track::umkm_owner, .umkm_class = UmkmClass::micro, .behaviour = always},
             {.behaviour = never}},
            w.distance_km) == full_chains(w.roster, [&](std::size_t i) {
          return entry(i).track == Track::umkm_owner &&
                 trainees[entry(i).trainee.pos()].umkm_class == UmkmClass::micro;
        }));
  // Distance ranges are [min_km, max_km); no list means 0 km for everyone.
  const auto everyone = full_chains(w.roster, [](std::size_t) { return true; });
  const std::vector<double> five(w.roster.registration_count(), 5.0);
  CHECK(completions({{.min_km = 5.0, .behaviour = never}}, five) == 0);
  CHECK(completions({{.max_km = 5.0, .behaviour = never}}, five) == everyone);
  CHECK(completions({{.max_km = 0.001, .behaviour = never}}, {}) == 0);
  CHECK(completions({{.min_km = 0.001, .behaviour = never}}, {}) == everyone);
}

TEST_CASE("Beta draws have the mean and variance of the formula", "[forecast][quick]") {
  // Mean a / (a + b), variance ab / ((a + b)^2 (a + b + 1)). The tolerances are six
  // standard errors of the sample's mean and variance (the latter from the sample's fourth
  // moment): for a fixed seed the draws never change, so a pass is a pass for good, and a
  // sampler with the wrong formula, say Gamma shapes swapped or the boost lost, misses by
  // far more.
  constexpr int kDraws = 200'000;
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{
           {1.94, 0.06}, {0.5, 0.5}, {2.0, 5.0}, {0.2, 1.8}, {30.0, 3.0}, {1.0, 1.0}}) {
    auto rng = Rng::stream(11, 22, 33);
    const detail::BetaDraw draw(a, b);
    std::vector<double> x(kDraws);
    for (auto& v : x) v = draw(rng);
    CHECK(*std::min_element(x.begin(), x.end()) >= 0.0);
    CHECK(*std::max_element(x.begin(), x.end()) <= 1.0);
    double mean = 0.0;
    for (const auto v : x) mean += v / kDraws;
    double m2 = 0.0;
    double m4 = 0.0;
    for (const auto v : x) {
      const double d2 = (v - mean) * (v - mean);
      m2 += d2 / kDraws;
      m4 += d2 * d2 / kDraws;
    }
    const double expected_mean = a / (a + b);
    const double expected_variance = a * b / ((a + b) * (a + b) * (a + b + 1.0));
    INFO("Beta(" << a << ", " << b << ")");
    CHECK(std::abs(mean - expected_mean) < 6.0 * std::sqrt(expected_variance / kDraws));
    CHECK(std::abs(m2 - expected_variance) < 6.0 * std::sqrt((m4 - m2 * m2) / kDraws));
  }
  // Shapes too small for a double's U^(1/a): still a probability, mostly 0 or 1.
  auto rng = Rng::stream(1, 2, 3);
  const detail::BetaDraw tiny(0.75e-310, 0.25e-310);
  int ones = 0;
  for (int i = 0; i < 1'000; ++i) {
    const double v = tiny(rng);
    CHECK((v == 0.0 || v == 1.0));
    ones += v == 1.0 ? 1 : 0;
  }
  CHECK(ones > 650);
  CHECK(ones < 850);
}

TEST_CASE("uneven attendance completes more than the same mean for everyone alike",
          "[forecast][quick]") {
  // One absence fails a module of two or three sessions, so at a mean of 0.92 the few
  // irregular attenders of a low concentration fail, the many regular ones complete.
  const auto& w = world();
  auto options = perfect_options();
  options.defaults.attendance = 0.92;
  const auto completions = [&](double concentration) {
    options.defaults.attendance_concentration = concentration;
    return forecast(w.dataset, w.roster, w.distance_km, options).national().mean;
  };
  const auto everyone = full_chains(w.roster, [](std::size_t) { return true; });
  const double alike = completions(std::numeric_limits<double>::infinity());
  const double uneven = completions(2.0);
  INFO("alike " << alike << ", uneven " << uneven << " of " << everyone);
  CHECK(alike < 0.25 * everyone);
  CHECK(uneven > 0.5 * everyone);
  // Trainees grow alike as the concentration grows.
  CHECK(completions(1e6) < 1.1 * alike + 10.0);
}

TEST_CASE("the default options complete three in four fully timetabled registrations",
          "[forecast][quick]") {
  // The defaults are assumptions tuned to 70-85% completion of those who start (BLK
  // training's rate): this guards the tuning against a change of the defaults or rules.
  const auto& w = world();
  ForecastOptions options;
  options.replications = 4;
  const auto result = forecast(w.dataset, w.roster, w.distance_km, options);
  const auto everyone = full_chains(w.roster, [](std::size_t) { return true; });
  const double rate = result.national().mean / everyone;
  CHECK(rate > 0.70);
  CHECK(rate < 0.85);
}

TEST_CASE("default segments are valid and riskier than the defaults", "[forecast][quick]") {
  ForecastOptions options;
  CHECK(options.segments == default_segments());
  CHECK(check(options).empty());
  REQUIRE(!options.segments.empty());
  for (const auto& segment : options.segments) {
    CHECK(segment.behaviour.attendance <= options.defaults.attendance);
    CHECK(segment.behaviour.weekly_dropout > options.defaults.weekly_dropout);
  }
}

TEST_CASE("forecast percentiles are nearest-rank, worked by hand", "[forecast][quick]") {
  Forecast f;
  f.target_min = 10;
  for (const std::int32_t c :
       {12, 3, 20, 7, 1, 15, 9, 18, 5, 11, 2, 19, 14, 6, 17, 4, 13, 8, 16, 10}) {
    f.completions.push_back(c);
  }
  // n = 20: ranks ceil(1) = 1, ceil(10) = 10, ceil(19) = 19 of 1..20.
  CHECK(f.national() == Percentiles{1.0, 10.0, 19.0, 10.5});
  CHECK(f.probability_target_met() == 11.0 / 20.0);
  f.provinces = {31, 32};
  f.by_province = {{3, 1, 2}, {7}};
  // n = 3: ranks ceil(0.15) = 1, ceil(1.5) = 2, ceil(2.85) = 3.
  CHECK(f.province(0) == Percentiles{1.0, 2.0, 3.0, 2.0});
  CHECK(f.province(1) == Percentiles{7.0, 7.0, 7.0, 7.0});
  CHECK_THROWS_AS(f.province(2), ValidationError);
  f.groups = forecast_groups();
  f.by_group = {{3, 1, 2}, {7}, {}, {}};
  CHECK(f.group(0) == Percentiles{1.0, 2.0, 3.0, 2.0});
  CHECK(f.group(1) == Percentiles{7.0, 7.0, 7.0, 7.0});
  CHECK(f.group(2) == Percentiles{});
  CHECK_THROWS_AS(f.group(4), ValidationError);
  CHECK(Forecast{}.national() == Percentiles{});
  CHECK(Forecast{}.probability_target_met() == 0.0);
}

TEST_CASE("forecast reports its progress and stops when asked", "[forecast][quick]") {
  const auto& w = world();
  auto options = varied_options(3, 4);
  // Workers call back one at a time; Catch's assertions wait for this thread.
  std::vector<Progress> seen;
  const auto result = forecast(w.dataset, w.roster, w.distance_km, options, [&](const Progress& p) {
    seen.push_back(p);
    return true;
  });
  REQUIRE(!seen.empty());
  for (const auto& p : seen) {
    CHECK(p.stage == "forecast");
    CHECK(p.total == 4);
  }
  CHECK(seen.back().done == 4);
  CHECK(result.completions.size() == 4);
  CHECK_THROWS_AS(
      forecast(w.dataset, w.roster, w.distance_km, options, [](const Progress&) { return false; }),
      CancelledError);
}

TEST_CASE("forecast rejects bad options and inputs", "[forecast][quick][bad-input]") {
  const auto& w = world();
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  const auto problems_of = [&](const ForecastOptions& options, std::span<const double> km) {
    try {
      (void)forecast(w.dataset, w.roster, km, options);
    } catch (const ValidationError& error) {
      return error;
    }
    FAIL("no ValidationError");
    return ValidationError(std::vector<Problem>{});
  };

  ForecastOptions options;
  options.replications = 0;
  options.threads = -1;
  options.defaults.attendance = 1.5;
  options.defaults.weekly_dropout = -0.1;
  options.defaults.pass_rate = nan;
  options.defaults.attendance_concentration = 0.0;
  options.segments = {{.min_km = 50.0, .max_km = 10.0}, {.min_km = nan}, {}, {}};
  options.segments[1].behaviour.pass_rate = 2.0;
  options.segments[2].behaviour.attendance_concentration = nan;
  options.segments[3].behaviour.attendance_concentration = -1.0;
  const auto error = problems_of(options, w.distance_km);
  for (const auto* field :
       {"replications", "threads", "defaults.attendance", "defaults.weekly_dropout",
        "defaults.pass_rate", "defaults.attendance_concentration", "segments[0].min_km",
        "segments[1].min_km", "segments[1].behaviour.pass_rate",
        "segments[2].behaviour.attendance_concentration",
        "segments[3].behaviour.attendance_concentration"}) {
    CHECK(has_field(error, field));
  }
  CHECK(error.problems().size() == 11);
  CHECK(check(options).size() == 11);
  // Infinity is allowed (everyone alike), and so is a tiny concentration.
  options = ForecastOptions{};
  options.defaults.attendance_concentration = std::numeric_limits<double>::infinity();
  options.segments[0].behaviour.attendance_concentration = 1e-300;
  CHECK(check(options).empty());
  options = ForecastOptions{};
  options.replications = -3;
  CHECK(has_field(problems_of(options, w.distance_km), "replications"));

  options = ForecastOptions{};
  options.replications = 1;
  const std::vector<double> short_list(w.roster.registration_count() - 1, 1.0);
  CHECK(has_field(problems_of(options, short_list), "distance_km"));
  auto bad_km = w.distance_km;
  bad_km[3] = nan;
  bad_km[4] = -1.0;
  const auto km_error = problems_of(options, bad_km);
  CHECK(has_field(km_error, "distance_km[3]"));
  CHECK(has_field(km_error, "distance_km[4]"));

  // A dataset the roster was not built from.
  const auto other = tracking_dataset(3);
  CHECK_THROWS_AS(forecast(other, w.roster, w.distance_km, options), ValidationError);

  for (const int replication : {-1, 1}) {
    try {
      (void)forecast_events(w.dataset, w.roster, w.distance_km, options, replication);
      FAIL("no ValidationError");
    } catch (const ValidationError& e) {
      CHECK(has_field(e, "replication"));
    }
  }
}
