// The simulation of one registration. What happens, in time order:
//
// - enrolled at the start of its first session (08:00 local time at that cohort's
//   facility); a registration without any cohort never enrols and draws nothing;
// - on enrolment, its own attendance probability: a Beta draw with mean `attendance` and
//   concentration `attendance_concentration` (exactly `attendance` when that is infinite,
//   or when `attendance` is 0 or 1);
// - each session of each of its cohorts (modules in the roster's order, prerequisites
//   first), at 08:00 local time on the session's day: attended with its own probability,
//   else absent;
// - each module whose rule needs a pass mark: one assessment at 16:00 local time on the
//   day of its cohort's last session, scoring at least the pass mark with probability
//   `pass_rate` (uniform in [pass mark, 100], else uniform in [0, pass mark));
// - each ISO week of its run, from the week of its enrolment to the week of its last
//   session or assessment: at the week's start (Monday 00:00 local time in the zone of its
//   enrolment; the enrolment itself in the first week) it withdraws with probability
//   `weekly_dropout`, and nothing follows.
//
// Steps at the same instant keep that order: a week's drop-out draw comes before the
// sessions it starts; sessions and assessments keep the roster's module order. The
// timeline of moments is fixed by the cohorts alone, so it is built once per distinct set
// of cohorts, and a replication only draws along it.
#include "forecast_simulation.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

#include "../../tracking/evaluate.hpp"
#include "balai/core/calendar.hpp"

namespace balai::detail {
namespace {

constexpr std::uint64_t kForecastPurpose = 0x464f5245'43415354ULL;  // "FORECAST"
constexpr Timestamp kSessionStart = 8 * 3600;                       // 08:00 local
constexpr Timestamp kAssessmentTime = 16 * 3600;                    // 16:00 local
constexpr std::size_t kCacheLine = 64;

bool matches(const SegmentBehaviour& segment, Track track, UmkmClass umkm_class,
             double distance_km) noexcept {
  return (!segment.track || *segment.track == track) &&
         (!segment.umkm_class || *segment.umkm_class == umkm_class) &&
         distance_km >= segment.min_km && distance_km < segment.max_km;
}

// A score that reaches `pass_mark` with probability `pass`. The ledger keeps scores as
// floats, so the rounding is done here and must not carry a score across the mark.
float draw_score(Rng& rng, double pass, double pass_mark) noexcept {
  const bool passes = rng.chance(pass);
  const double u = rng.uniform();
  auto score = static_cast<float>(passes ? pass_mark + u * (100.0 - pass_mark) : u * pass_mark);
  if (passes && score < pass_mark) score = std::nextafter(score, 100.0F);
  // With a pass mark of 0 every score passes: there is nothing below it to draw.
  if (!passes && pass_mark > 0.0 && score >= pass_mark) score = std::nextafter(score, 0.0F);
  return score;
}

// A standard normal draw: Marsaglia's polar method, which needs no trigonometry (only log
// and sqrt) and uses both uniforms of an accepted pair for one value.
double draw_normal(Rng& rng) noexcept {
  for (;;) {
    const double u = 2.0 * rng.uniform() - 1.0;
    const double v = 2.0 * rng.uniform() - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

}  // namespace

BetaDraw::Gamma BetaDraw::gamma(double shape) noexcept {
  const bool boosted = shape < 1.0;
  const double d = (boosted ? shape + 1.0 : shape) - 1.0 / 3.0;
  return {d, 1.0 / std::sqrt(9.0 * d), boosted ? shape : 0.0};
}

// Marsaglia and Tsang (2000), with their boost for a shape below 1: Gamma(a) =
// Gamma(a + 1) U^(1/a), which underflows to 0 for tiny shapes.
double BetaDraw::draw(const Gamma& gamma, Rng& rng) noexcept {
  // Divided, not multiplied by an inverse: 1 / shape overflows for the tiniest shapes.
  const double boost = gamma.boosted_shape > 0.0
                           ? std::exp(std::log(1.0 - rng.uniform()) / gamma.boosted_shape)
                           : 1.0;
  const double d = gamma.d;
  for (;;) {
    const double x = draw_normal(rng);
    const double t = 1.0 + gamma.c * x;
    if (t <= 0.0) continue;
    const double v = t * t * t;
    const double u = 1.0 - rng.uniform();  // in (0, 1]
    const double x2 = x * x;
    // The squeeze accepts most draws without a logarithm.
    if (u < 1.0 - 0.0331 * x2 * x2 || std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) {
      return d * v * boost;
    }
  }
}

BetaDraw::BetaDraw(double alpha, double beta) noexcept
    : x_(gamma(alpha)), y_(gamma(beta)), mean_(alpha / (alpha + beta)) {}

double BetaDraw::operator()(Rng& rng) const noexcept {
  const double x = draw(x_, rng);
  const double y = draw(y_, rng);
  // Both 0 (each below the smallest double) only for tiny shapes, for which the Beta is
  // nearly a coin with P(1) = alpha / (alpha + beta): that coin it is.
  if (x + y == 0.0) return rng.chance(mean_) ? 1.0 : 0.0;
  return x / (x + y);
}

ForecastModel::ForecastModel(const Dataset& dataset, const Roster& roster,
                             std::span<const double> distance_km, const ForecastOptions& options)
    : roster_(roster), seed_(options.seed) {
  for (const auto& module : roster.modules())
    pass_marks_.push_back(module.rule.pass_mark.value_or(0.0));
  for (const auto& segment : options.segments) behaviours_.push_back(segment.behaviour);
  behaviours_.push_back(options.defaults);
  for (const auto& behaviour : behaviours_) {
    const double mean = behaviour.attendance;
    const double concentration = behaviour.attendance_concentration;
    auto& spread = attendance_spreads_.emplace_back();
    if (!std::isinf(concentration) && mean > 0.0 && mean < 1.0) {
      spread.emplace(mean * concentration, (1.0 - mean) * concentration);
    }
  }

  const auto n = roster.registration_count();
  timeline_of_.reserve(n);
  behaviour_of_.reserve(n);
  // The timeline depends on the track and the cohort of each required module only.
  std::map<std::vector<std::int32_t>, std::uint32_t> known;
  std::vector<std::int32_t> key;
  for (std::size_t i = 0; i < n; ++i) {
    const RegistrationIndex r(static_cast<std::uint32_t>(i));
    const auto& entry = roster.entry(r);
    max_required_ = std::max(max_required_, roster.required(r).size());
    key.assign(1, static_cast<std::int32_t>(entry.track));
    for (const auto m : roster.required(r)) {
      const auto c = roster.cohort(r, m);
      key.push_back(c ? static_cast<std::int32_t>(c->value()) : -1);
    }
    const auto [it, added] = known.try_emplace(key, static_cast<std::uint32_t>(timelines_.size()));
    if (added) timelines_.push_back(build_timeline(r));
    timeline_of_.push_back(it->second);

    const auto umkm_class = dataset.trainee(entry.trainee).umkm_class;
    const double km = distance_km.empty() ? 0.0 : distance_km[i];
    const auto segment = std::find_if(
        options.segments.begin(), options.segments.end(),
        [&](const SegmentBehaviour& s) { return matches(s, entry.track, umkm_class, km); });
    behaviour_of_.push_back(static_cast<std::uint32_t>(segment - options.segments.begin()));
  }
}

ForecastModel::Timeline ForecastModel::build_timeline(RegistrationIndex r) {
  Timeline timeline;
  timeline.first = static_cast<std::uint32_t>(steps_.size());
  Timestamp enrolled_at = kLatestTime + 1;
  TimeZone enrolment_zone = TimeZone::wib;
  Timestamp end = kEarliestTime;
  for (const auto m : roster_.required(r)) {
    const auto c = roster_.cohort(r, m);
    if (!c) continue;
    const auto& cohort = roster_.cohort(*c);
    const auto zone = roster_.time_zone(*c);
    const auto module = static_cast<std::uint16_t>(m.value());
    for (std::size_t s = 0; s < cohort.sessions.size(); ++s) {
      const auto time = utc_instant(cohort.sessions[s], zone, kSessionStart);
      if (time < kEarliestTime || time > kLatestTime) {
        throw ValidationError(Problem{"cohort " + cohort.code, "sessions",
                                      cohort.sessions[s].to_string(),
                                      "outside the ledger's time range (2000 to 2136)"});
      }
      steps_.push_back(
          {to_stored_time(time), module, static_cast<std::uint8_t>(s + 1), StepKind::session});
      if (time < enrolled_at) {
        enrolled_at = time;
        enrolment_zone = zone;
      }
      end = std::max(end, time);
    }
    const auto& rule = roster_.modules()[m.pos()].rule;
    if (needs_pass_mark(rule.move_on) && rule.pass_mark) {
      const auto time = utc_instant(cohort.sessions.back(), zone, kAssessmentTime);
      steps_.push_back({to_stored_time(time), module, 0, StepKind::assessment});
      end = std::max(end, time);
    }
  }
  if (steps_.size() == timeline.first) {
    timeline.last = timeline.first;
    return timeline;
  }
  timeline.enrolled_at = to_stored_time(enrolled_at);
  const auto enrolment_day = local_date(enrolled_at, enrolment_zone);
  for (auto monday = enrolment_day - (enrolment_day.weekday() - 1);; monday = monday + 7) {
    const auto start = utc_instant(monday, enrolment_zone, 0);
    if (start > end) break;
    steps_.push_back({to_stored_time(std::max(start, enrolled_at)), kNoModule, 0, StepKind::week});
  }
  const auto first = steps_.begin() + timeline.first;
  std::stable_sort(first, steps_.end(), [](const Step& a, const Step& b) {
    const auto week_first = [](const Step& s) { return s.kind == StepKind::week ? 0 : 1; };
    return a.time != b.time ? a.time < b.time : week_first(a) < week_first(b);
  });
  timeline.last = static_cast<std::uint32_t>(steps_.size());
  // The enrolment, then at most one event per step.
  max_events_ = std::max<std::size_t>(max_events_, 1 + timeline.last - timeline.first);
  return timeline;
}

Rng ForecastModel::stream(int replication) const noexcept {
  return Rng::stream(seed_, kForecastPurpose, static_cast<std::uint64_t>(replication));
}

void ForecastModel::simulate(std::size_t r, Rng& stream,
                             std::vector<SimulatedEvent>& events) const {
  const auto& timeline = timelines_[timeline_of_[r]];
  if (timeline.first == timeline.last) return;
  const auto& behaviour = behaviours_[behaviour_of_[r]];
  // A copy, handed back on the way out: through the reference, which any event written
  // might alias, the compiler reloaded and stored the generator's state at every step.
  auto rng = stream;
  events.push_back({timeline.enrolled_at, 0, kNoModule, EventKind::enrolled});
  const auto& spread = attendance_spreads_[behaviour_of_[r]];
  const double attendance = spread ? (*spread)(rng) : behaviour.attendance;
  for (auto s = timeline.first; s < timeline.last; ++s) {
    const auto& step = steps_[s];
    switch (step.kind) {
      case StepKind::week:
        if (rng.chance(behaviour.weekly_dropout)) {
          events.push_back({step.time, EventColumns::kNoText, kNoModule, EventKind::withdrew});
          stream = rng;
          return;
        }
        break;
      case StepKind::session:
        events.push_back({step.time, step.session, step.module,
                          rng.chance(attendance) ? EventKind::attended : EventKind::absent});
        break;
      case StepKind::assessment: {
        const auto score = draw_score(rng, behaviour.pass_rate, pass_marks_[step.module]);
        events.push_back(
            {step.time, std::bit_cast<std::uint32_t>(score), step.module, EventKind::assessed});
        break;
      }
    }
  }
  stream = rng;
}

// A worker's evaluator and scratch space, kept across replications: the evaluator copies
// what it needs of each cohort once, not once per replication. Aligned to a cache line so
// that two workers' fields, written for every registration, never share one.
struct alignas(kCacheLine) CompletionCounter::Worker {
  Worker(const LedgerStore& store, std::size_t first, std::size_t block, std::size_t max_required)
      // Completion never depends on `as_of`: only whether an unfinished module has failed.
      : evaluator(store, kLatestTime), base(first), positions(block), modules(max_required) {
    events.reserve(block);
    std::iota(positions.begin(), positions.end(), static_cast<std::uint32_t>(base));
  }

  RegistrationEvaluator evaluator;
  std::size_t base;  // the worker's block of the store's columns: [base, base + block)
  std::vector<SimulatedEvent> events;
  std::vector<std::uint32_t> positions;  // base, base + 1, ...
  // run() sets the state of every module of an enrolled registration: no reset needed.
  std::vector<ModuleState> modules;
};

CompletionCounter::CompletionCounter(const ForecastModel& model, const LedgerOptions& options,
                                     std::size_t workers)
    // At least 64 columns of each block stay unused, so that two workers never write to
    // one cache line, even of the byte-wide columns.
    : model_(model),
      store_(model.roster(), options),
      block_((model.max_events() + 2 * kCacheLine - 1) / kCacheLine * kCacheLine) {
  const auto size = block_ * workers;
  store_.ids.assign(size, 0);
  store_.times.assign(size, 0);
  store_.registrations.assign(size, 0);
  store_.values.assign(size, 0);
  store_.modules.assign(size, kNoModule);
  store_.kinds.assign(size, 0);
  store_.results.assign(size, EventColumns::kNoResult);
  workers_.resize(workers);
}

CompletionCounter::~CompletionCounter() = default;

std::int32_t CompletionCounter::count(std::size_t worker, int replication,
                                      std::span<const std::uint32_t> row_of,
                                      std::span<std::int32_t> by_row) {
  // Built by the worker's own thread on its first call, so that its scratch memory comes
  // from that thread's allocator arena rather than next to another worker's.
  if (!workers_[worker]) {
    workers_[worker] =
        std::make_unique<Worker>(store_, worker * block_, block_, model_.max_required());
  }
  auto& [evaluator, base, events, positions, modules] = *workers_[worker];
  // The worker's block of each column, as plain pointers: a store to the byte-wide kinds
  // may alias anything, so through the vectors the compiler reloaded every column's
  // address for every event.
  auto* const times = store_.times.data() + base;
  auto* const registrations = store_.registrations.data() + base;
  auto* const values = store_.values.data() + base;
  auto* const modules_of = store_.modules.data() + base;
  auto* const kinds = store_.kinds.data() + base;
  auto rng = model_.stream(replication);
  std::int32_t total = 0;
  for (std::size_t r = 0; r < model_.registrations(); ++r) {
    events.clear();
    model_.simulate(r, rng, events);
    if (events.empty()) continue;  // never enrolled
    for (std::size_t i = 0; i < events.size(); ++i) {
      const auto& e = events[i];
      times[i] = e.time;
      registrations[i] = static_cast<std::uint32_t>(r);
      values[i] = e.value;
      modules_of[i] = e.module;
      kinds[i] = static_cast<std::uint8_t>(e.kind);
    }
    const RegistrationIndex index(static_cast<std::uint32_t>(r));
    ProgramState program;
    evaluator.run(index, std::span(positions).first(events.size()), program,
                  std::span(modules).first(model_.roster().required(index).size()));
    if (program.status == Status::completed) {
      ++total;
      ++by_row[row_of[r]];
    }
  }
  return total;
}

}  // namespace balai::detail
