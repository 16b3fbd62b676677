// The forecast's simulation of one registration in one replication, shared by forecast()
// (which counts completions) and forecast_events() (which hands the events to a Ledger):
// one code path draws the events, so the two cannot drift apart. Internal to src/planning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "../../tracking/ledger_store.hpp"
#include "balai/planning/forecast/forecast.hpp"
#include "balai/scenario/random.hpp"

namespace balai::detail {

// One event as the simulation draws it, already in the ledger's stored form.
struct SimulatedEvent {
  std::uint32_t time = 0;  // to_stored_time
  // attended/absent: the session (1-based); assessed: the score's float bits; withdrew:
  // EventColumns::kNoText (no reason); enrolled: 0.
  std::uint32_t value = 0;
  std::uint16_t module = kNoModule;
  EventKind kind = EventKind::enrolled;
};

// Beta(alpha, beta) draws, alpha and beta > 0 and finite, from `rng` alone: the same on
// every platform whose log and exp agree (the std:: distributions differ between standard
// libraries). X / (X + Y) of Gamma draws by Marsaglia and Tsang, the normal by the polar
// method. Their constants depend on the shapes only and are computed once: their square
// roots and divisions were a third of a draw's time.
class BetaDraw {
 public:
  BetaDraw(double alpha, double beta) noexcept;
  [[nodiscard]] double operator()(Rng& rng) const noexcept;

 private:
  struct Gamma {
    double d = 0.0;
    double c = 0.0;
    double boosted_shape = 0.0;  // the shape when below 1 (boosted), else 0
  };
  [[nodiscard]] static Gamma gamma(double shape) noexcept;
  [[nodiscard]] static double draw(const Gamma& gamma, Rng& rng) noexcept;

  Gamma x_;
  Gamma y_;
  double mean_;
};

// What the options and the roster fix before any draw: each registration's timeline
// (shared by the registrations with the same cohorts) and its behaviour. Read-only once
// built, so any number of threads may simulate with it. Keeps a reference to the roster.
class ForecastModel {
 public:
  // The inputs must have passed the forecast's checks (ValidationError for a session
  // outside the ledger's time range is still thrown here).
  ForecastModel(const Dataset& dataset, const Roster& roster, std::span<const double> distance_km,
                const ForecastOptions& options);

  [[nodiscard]] const Roster& roster() const noexcept { return roster_; }
  [[nodiscard]] std::size_t registrations() const noexcept { return timeline_of_.size(); }
  // The most events simulate() gives one registration.
  [[nodiscard]] std::size_t max_events() const noexcept { return max_events_; }
  // The most modules a registration's track requires.
  [[nodiscard]] std::size_t max_required() const noexcept { return max_required_; }
  // Replication r's stream: every registration of it draws from this one, in roster order.
  [[nodiscard]] Rng stream(int replication) const noexcept;

  // Appends registration r's events, in time order, drawing from `rng`.
  void simulate(std::size_t r, Rng& rng, std::vector<SimulatedEvent>& events) const;

 private:
  enum class StepKind : std::uint8_t { week, session, assessment };
  // A moment of a timeline at which something is drawn. Eight bytes: every registration
  // walks its own timeline, and at three times the size the timelines outgrew the cache.
  struct Step {
    std::uint32_t time = 0;  // to_stored_time
    std::uint16_t module = kNoModule;
    std::uint8_t session = 0;  // session, 1-based
    StepKind kind = StepKind::week;
  };
  struct Timeline {
    std::uint32_t enrolled_at = 0;  // to_stored_time
    std::uint32_t first = 0;        // steps_[first, last)
    std::uint32_t last = 0;
  };

  [[nodiscard]] Timeline build_timeline(RegistrationIndex r);

  const Roster& roster_;
  std::uint64_t seed_;
  std::vector<Step> steps_;
  std::vector<double> pass_marks_;  // per module of the roster, for its assessment steps
  std::vector<Timeline> timelines_;
  std::vector<std::uint32_t> timeline_of_;  // per registration, into timelines_
  std::vector<Behaviour> behaviours_;       // the segments', then the defaults
  // Per behaviour: the spread of its registrations' attendance probabilities (see the
  // simulation's file), or none when every registration has exactly `attendance`.
  std::vector<std::optional<BetaDraw>> attendance_spreads_;
  std::vector<std::uint32_t> behaviour_of_;  // per registration, into behaviours_
  std::size_t max_events_ = 0;
  std::size_t max_required_ = 0;
};

// Counts a replication's program completions with the ledger's own evaluator. One store,
// and so one copy of the roster, serves every worker: worker w writes its registration's
// events only into its own block of the store's columns and evaluates them alone.
class CompletionCounter {
 public:
  CompletionCounter(const ForecastModel& model, const LedgerOptions& options, std::size_t workers);
  CompletionCounter(const CompletionCounter&) = delete;
  CompletionCounter& operator=(const CompletionCounter&) = delete;
  ~CompletionCounter();

  // Replication `replication`'s completions, added to by_row[row_of[r]] for each completed
  // registration r; returns their total. Worker `worker` (< workers) only, one call at a time.
  std::int32_t count(std::size_t worker, int replication, std::span<const std::uint32_t> row_of,
                     std::span<std::int32_t> by_row);

 private:
  struct Worker;  // what a worker keeps from one replication to the next

  const ForecastModel& model_;
  LedgerStore store_;
  std::size_t block_;  // columns per worker
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace balai::detail
