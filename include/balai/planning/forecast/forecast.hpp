// How many will complete: a Monte Carlo simulation of a planned run of the program. Each
// replication draws, for every registration, its own attendance rate, attendance at each
// session of its cohorts, a weekly drop-out and an assessment score per module, as events
// (enrolled, attended, absent, assessed, withdrew) — and runs them through the ledger's own
// completion rules, so a forecast completes exactly whom real tracking would complete for
// the same events (`forecast_events` gives a replication's events for a Ledger; the tests
// check that).
//
// Parameters come per segment (track, UMKM class, distance travelled): the first rule
// that matches a registration applies, then the defaults. Replication r draws from its own
// stream of `seed`, so results do not depend on the number of threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/core/regions.hpp"
#include "balai/model/dataset.hpp"
#include "balai/model/trainee.hpp"
#include "balai/planning/progress.hpp"
#include "balai/tracking/ledger.hpp"
#include "balai/tracking/roster.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// What the simulation assumes about a registration. The defaults are planning assumptions,
// not measured values: replace them with the pilot's data. They are chosen so that, with
// default_segments(), about three in four of those who start complete (74% of the fully
// timetabled registrations of the test and benchmark rosters), on the cautious side of the
// 75-85% of starters that institutional BLK training completes: most trainees attend
// nearly every session and a few irregularly, about 6% leave during a run of five weeks,
// and few fail an assessment. Modules of two or three sessions
// under an 80% rule fail on one absence, so the completion rate is very sensitive to
// attendance and to how it is spread among trainees.
struct Behaviour {
  // The mean probability of attending each session.
  double attendance = 0.97;
  // How alike trainees are in attending. Each registration's own probability of attending
  // each session is drawn, per replication, from a Beta distribution with mean `attendance`
  // and concentration alpha + beta = attendance_concentration: large values make trainees
  // alike, small ones split them into regular and irregular attenders (at 2 and a mean of
  // 0.97, four in five attend 99% of sessions or more and one in twenty under 80%).
  // Infinity gives every registration exactly `attendance`. Must be above 0.
  double attendance_concentration = 2.0;
  double weekly_dropout = 0.008;  // probability of withdrawing in each week of the run
  double pass_rate = 0.98;        // probability of reaching the pass mark in an assessment

  friend bool operator==(const Behaviour&, const Behaviour&) = default;
};

// A segment and its behaviour: a registration matches when every given field matches;
// distance is the allocation's travel distance, in [min_km, max_km).
struct SegmentBehaviour {
  std::optional<Track> track{};
  std::optional<UmkmClass> umkm_class{};
  double min_km = 0.0;
  double max_km = 1e9;
  Behaviour behaviour{};

  friend bool operator==(const SegmentBehaviour&, const SegmentBehaviour&) = default;
};

// The segments ForecastOptions starts with when a caller has no data of their own.
[[nodiscard]] std::vector<SegmentBehaviour> default_segments();

struct ForecastOptions {
  int replications = 1'000;
  std::uint64_t seed = 2027;
  Behaviour defaults{};
  // Checked in order, first match wins; the default list makes long journeys and micro
  // businesses a little riskier (see default_segments). Empty: `defaults` for everyone.
  std::vector<SegmentBehaviour> segments = default_segments();
  LedgerOptions ledger{};
  int threads = 0;  // 0: every core; never changes the result

  friend bool operator==(const ForecastOptions&, const ForecastOptions&) = default;
};

// Everything wrong with a value, each problem naming its field (within the options, by
// its path: "segments[2].behaviour.pass_rate").
[[nodiscard]] std::vector<Problem> check(const Behaviour& behaviour);
[[nodiscard]] std::vector<Problem> check(const SegmentBehaviour& segment);
[[nodiscard]] std::vector<Problem> check(const ForecastOptions& options);

struct Percentiles {
  double p5 = 0.0;
  double p50 = 0.0;
  double p95 = 0.0;
  double mean = 0.0;

  friend bool operator==(const Percentiles&, const Percentiles&) = default;
};

// Replications [first, first + count) of a forecast: a part of the run, for running the
// replications on several machines (the Python layer's Dask scale-out).
struct ReplicationRange {
  int first = 0;
  int count = 0;

  friend bool operator==(const ReplicationRange&, const ReplicationRange&) = default;
};

// A group of registrations whose completions a forecast counts: those whose trainee
// matches every field given (an empty field matches everyone). Planners are asked whether
// women and trainees with disabilities complete as often as the others, so a forecast
// counts the groups of forecast_groups().
struct ForecastGroup {
  std::optional<Gender> gender{};
  std::optional<bool> accessibility_need{};  // true: at least one need; false: none
  std::int64_t registrations = 0;            // registrations in the group

  friend bool operator==(const ForecastGroup&, const ForecastGroup&) = default;
};

// The groups every forecast counts, in this order: female, male, any accessibility need,
// no accessibility need (registrations 0: the forecast fills them in). A registration is in
// one group of each pair.
[[nodiscard]] std::vector<ForecastGroup> forecast_groups();

struct Forecast {
  ForecastOptions options{};
  int first_replication = 0;  // completions[i] is replication first_replication + i
  int target_min = 0;         // the roster's program target
  int target_max = 0;
  std::int64_t registrations = 0;
  // Program completions per replication, nationally, and per province: by_province[i]
  // holds the completions per replication in provinces[i] (ascending codes).
  std::vector<std::int32_t> completions{};
  std::vector<ProvinceCode> provinces{};
  std::vector<std::vector<std::int32_t>> by_province{};
  // And per group of registrations: by_group[i] holds the completions per replication of
  // groups[i] (forecast_groups(), with their registrations counted).
  std::vector<ForecastGroup> groups{};
  std::vector<std::vector<std::int32_t>> by_group{};

  [[nodiscard]] Percentiles national() const;
  [[nodiscard]] Percentiles province(std::size_t row) const;
  [[nodiscard]] Percentiles group(std::size_t row) const;
  // Share of replications with at least target_min completions.
  [[nodiscard]] double probability_target_met() const;
  friend bool operator==(const Forecast&, const Forecast&) = default;
};

// `distance_km`: per registration (roster order) the travel distance, for the segments;
// empty: 0 km for all. ValidationError for bad options or a distance list of another size.
[[nodiscard]] Forecast forecast(const Dataset& dataset, const Roster& roster,
                                std::span<const double> distance_km,
                                const ForecastOptions& options = {},
                                const ProgressCallback& progress = {});

// Replications [range.first, range.first + range.count) of the forecast `options` describes
// (options.replications is the whole run's count; the range must lie inside it,
// ValidationError otherwise): the same numbers as those entries of forecast(...), since
// each replication draws from its own stream.
[[nodiscard]] Forecast forecast(const Dataset& dataset, const Roster& roster,
                                std::span<const double> distance_km, const ForecastOptions& options,
                                ReplicationRange range, const ProgressCallback& progress = {});

// The whole forecast from parts covering replications 0 to options.replications - 1 (in any
// order), each exactly once: ValidationError for gaps, overlaps, or parts of different
// options (threads included), targets, registrations, provinces or groups.
[[nodiscard]] Forecast merge_forecasts(std::span<const Forecast> parts);

// The events of one replication, in time order per registration, with ids from 1: append
// them to a Ledger on `roster` and its statuses give that replication's completions.
[[nodiscard]] EventTable forecast_events(const Dataset& dataset, const Roster& roster,
                                         std::span<const double> distance_km,
                                         const ForecastOptions& options, int replication);

}  // namespace balai
BALAI_EXPORT_END
