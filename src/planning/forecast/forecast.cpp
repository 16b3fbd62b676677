// The Monte Carlo forecast: checks its inputs, runs the replications on the workers (each
// replication is one stream, so the thread count never changes a result), and sums the
// completions nationally, per province and per group of registrations. The simulation
// itself, and the ledger's rules it runs through, are in forecast_simulation.cpp.
#include "balai/planning/forecast/forecast.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <numeric>
#include <string>

#include "../../core/parallel.hpp"
#include "../progress.hpp"
#include "balai/core/text.hpp"
#include "forecast_simulation.hpp"

namespace balai {
namespace {

constexpr const char* kWhere = "forecast options";
constexpr int kMaxReplications = 1'000'000;
constexpr std::size_t kMaxListedDistances = 10;

// Completions are counted per cell, a province and one combination of gender and
// accessibility need, with one increment per completion as before; the provinces' and the
// groups' counts are sums of cells, made once per replication.
constexpr std::size_t kGenders = EnumNames<Gender>::names.size();
constexpr std::size_t kCells = kGenders * 2;

std::size_t cell_of(const Trainee& trainee) {
  return static_cast<std::size_t>(trainee.gender) * 2 + (trainee.needs.any() ? 1 : 0);
}

bool in_group(const ForecastGroup& group, std::size_t cell) {
  const auto gender = static_cast<Gender>(cell / 2);
  const bool need = cell % 2 == 1;
  return (!group.gender || *group.gender == gender) &&
         (!group.accessibility_need || *group.accessibility_need == need);
}

// Each group's cells, by their index within a province.
std::vector<std::vector<std::size_t>> cells_of(std::span<const ForecastGroup> groups) {
  std::vector<std::vector<std::size_t>> cells(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (std::size_t cell = 0; cell < kCells; ++cell) {
      if (in_group(groups[g], cell)) cells[g].push_back(cell);
    }
  }
  return cells;
}

// `problems` of a value inside the options, named by its path there.
void add_prefixed(std::vector<Problem> more, const std::string& prefix,
                  std::vector<Problem>& problems) {
  for (auto& problem : more) {
    problem.field.insert(0, prefix);
    problems.push_back(std::move(problem));
  }
}

// Everything wrong with the forecast's inputs, together.
std::vector<Problem> input_problems(const Dataset& dataset, const Roster& roster,
                                    std::span<const double> distance_km,
                                    const ForecastOptions& options) {
  auto problems = check(options);
  const auto n = roster.registration_count();
  if (!distance_km.empty() && distance_km.size() != n) {
    problems.push_back(
        {"forecast", "distance_km", std::to_string(distance_km.size()) + " entries",
         "must be empty or give one distance per registration (" + std::to_string(n) + ")"});
  } else {
    std::size_t listed = 0;
    for (std::size_t r = 0; r < distance_km.size() && listed < kMaxListedDistances; ++r) {
      if (std::isfinite(distance_km[r]) && distance_km[r] >= 0.0) continue;
      problems.push_back({"forecast", "distance_km[" + std::to_string(r) + "]",
                          printable(distance_km[r]), "must be a distance of 0 km or more"});
      ++listed;
    }
  }
  // The segments look up each registration's trainee in `dataset`: it must be the one the
  // roster was built from.
  const auto trainees = dataset.trainees();
  for (std::size_t r = 0; r < n; ++r) {
    const auto& entry = roster.entries()[r];
    const auto& id = roster.registrations()[r].trainee;
    if (entry.trainee.pos() < trainees.size() && trainees[entry.trainee.pos()].id == id) continue;
    problems.push_back({"registration " + roster.registrations()[r].id, "trainee",
                        printable(id, 64), "not in the dataset given to the forecast"});
    break;  // one such problem means a different dataset: the rest would only repeat it
  }
  return problems;
}

void throw_if_any(std::vector<Problem> problems) {
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

// A range of replications must lie inside the run the options describe (a run without
// replications is check(options)'s to name).
void add_range_problems(ReplicationRange range, const ForecastOptions& options,
                        std::vector<Problem>& problems) {
  if (options.replications < 1) return;
  if (range.first < 0 || range.first >= options.replications) {
    problems.push_back({"forecast", "range.first", std::to_string(range.first),
                        "must be a replication of the options, 0 to replications - 1 (" +
                            std::to_string(options.replications - 1) + ")"});
  } else if (range.count < 1 || range.count > options.replications - range.first) {
    problems.push_back({"forecast", "range.count", std::to_string(range.count),
                        "must be between 1 and replications - range.first (" +
                            std::to_string(options.replications - range.first) + ")"});
  }
}

// What makes `part` a part of another run than `model`, and rows of the wrong size.
void add_mismatch_problems(const Forecast& model, const Forecast& part, const std::string& where,
                           std::vector<Problem>& problems) {
  const auto differs = [&](const char* field, std::string value) {
    problems.push_back({where, field, std::move(value), "differs from part 0's"});
  };
  if (part.options.seed != model.options.seed) {
    differs("options.seed", std::to_string(part.options.seed));
  } else if (part.options.replications != model.options.replications) {
    differs("options.replications", std::to_string(part.options.replications));
  } else if (part.options != model.options) {
    differs("options", "");
  }
  if (part.target_min != model.target_min) differs("target_min", std::to_string(part.target_min));
  if (part.target_max != model.target_max) differs("target_max", std::to_string(part.target_max));
  if (part.registrations != model.registrations) {
    differs("registrations", std::to_string(part.registrations));
  }
  if (part.provinces != model.provinces) {
    differs("provinces", std::to_string(part.provinces.size()) + " provinces");
  }
  if (part.groups != model.groups) {
    differs("groups", std::to_string(part.groups.size()) + " groups");
  }
  const auto check_rows = [&](const char* field, const auto& rows, std::size_t expected,
                              const char* per) {
    const bool fit =
        rows.size() == expected && std::all_of(rows.begin(), rows.end(), [&](const auto& row) {
          return row.size() == part.completions.size();
        });
    if (fit) return;
    problems.push_back(
        {where, field, std::to_string(rows.size()) + " rows",
         std::string("needs one row per ") + per + ", each with one entry per replication"});
  };
  check_rows("by_province", part.by_province, part.provinces.size(), "province");
  check_rows("by_group", part.by_group, part.groups.size(), "group");
}

// Row `row` of `rows`, a table of completions per replication of each `what`.
const std::vector<std::int32_t>& row_of(const std::vector<std::vector<std::int32_t>>& rows,
                                        std::size_t row, const char* what) {
  if (row >= rows.size()) {
    throw ValidationError(Problem{"forecast", "row", std::to_string(row),
                                  "past the last of " + std::to_string(rows.size()) + " " + what});
  }
  return rows[row];
}

void append_rows(std::vector<std::vector<std::int32_t>>& rows,
                 const std::vector<std::vector<std::int32_t>>& more) {
  for (std::size_t row = 0; row < rows.size(); ++row) {
    rows[row].insert(rows[row].end(), more[row].begin(), more[row].end());
  }
}

// Nearest rank: the p-th percentile of n sorted values is the value at rank ceil(p n / 100)
// (1-based), so it is always one of the values; p5 of 1..20 is 1, p50 is 10, p95 is 19.
Percentiles percentiles(std::span<const std::int32_t> values) {
  Percentiles result;
  if (values.empty()) return result;
  std::vector<std::int32_t> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const auto n = sorted.size();
  const auto at_percent = [&](std::size_t p) {
    const auto rank = std::max<std::size_t>((p * n + 99) / 100, 1);
    return static_cast<double>(sorted[rank - 1]);
  };
  result.p5 = at_percent(5);
  result.p50 = at_percent(50);
  result.p95 = at_percent(95);
  result.mean =
      static_cast<double>(std::accumulate(sorted.begin(), sorted.end(), std::int64_t{0})) /
      static_cast<double>(n);
  return result;
}

}  // namespace

std::vector<ForecastGroup> forecast_groups() {
  return {
      ForecastGroup{.gender = Gender::female},
      ForecastGroup{.gender = Gender::male},
      ForecastGroup{.accessibility_need = true},
      ForecastGroup{.accessibility_need = false},
  };
}

std::vector<SegmentBehaviour> default_segments() {
  // Planning assumptions, not data: a long journey makes sessions easier to miss and the
  // course easier to give up, and the owner of a micro business, who often runs it alone,
  // leaves a little more often when the business needs them. Unnamed fields keep the
  // Behaviour defaults. Nearly all UMKM are micro businesses, so the last segment is the
  // common case. Replace with the pilot's rates.
  return {
      SegmentBehaviour{.umkm_class = UmkmClass::micro,
                       .min_km = 30.0,
                       .behaviour = {.attendance = 0.95, .weekly_dropout = 0.016}},
      SegmentBehaviour{.min_km = 30.0, .behaviour = {.attendance = 0.95, .weekly_dropout = 0.012}},
      SegmentBehaviour{.umkm_class = UmkmClass::micro, .behaviour = {.weekly_dropout = 0.012}},
  };
}

std::vector<Problem> check(const Behaviour& behaviour) {
  std::vector<Problem> problems;
  const auto check_probability = [&](const char* field, double p) {
    if (p >= 0.0 && p <= 1.0) return;  // false for NaN
    problems.push_back({kWhere, field, printable(p), "must be a probability in [0, 1]"});
  };
  check_probability("attendance", behaviour.attendance);
  check_probability("weekly_dropout", behaviour.weekly_dropout);
  check_probability("pass_rate", behaviour.pass_rate);
  if (!(behaviour.attendance_concentration > 0.0)) {  // true for NaN
    problems.push_back({kWhere, "attendance_concentration",
                        printable(behaviour.attendance_concentration),
                        "must be above 0 (infinity: everyone attends with `attendance`)"});
  }
  return problems;
}

std::vector<Problem> check(const SegmentBehaviour& segment) {
  std::vector<Problem> problems;
  add_prefixed(check(segment.behaviour), "behaviour.", problems);
  if (std::isnan(segment.min_km)) {
    problems.push_back({kWhere, "min_km", printable(segment.min_km), "must be a number"});
  }
  if (std::isnan(segment.max_km)) {
    problems.push_back({kWhere, "max_km", printable(segment.max_km), "must be a number"});
  }
  if (segment.min_km > segment.max_km) {
    problems.push_back({kWhere, "min_km", printable(segment.min_km),
                        "must not exceed max_km (" + printable(segment.max_km) + ")"});
  }
  return problems;
}

std::vector<Problem> check(const ForecastOptions& options) {
  std::vector<Problem> problems;
  if (options.replications < 1 || options.replications > kMaxReplications) {
    problems.push_back({kWhere, "replications", std::to_string(options.replications),
                        "must be between 1 and " + std::to_string(kMaxReplications)});
  }
  if (options.threads < 0) {
    problems.push_back({kWhere, "threads", std::to_string(options.threads),
                        "must be 0 (every core) or a number of threads"});
  }
  add_prefixed(check(options.defaults), "defaults.", problems);
  for (std::size_t i = 0; i < options.segments.size(); ++i) {
    add_prefixed(check(options.segments[i]), "segments[" + std::to_string(i) + "].", problems);
  }
  return problems;
}

Percentiles Forecast::national() const { return percentiles(completions); }

Percentiles Forecast::province(std::size_t row) const {
  return percentiles(row_of(by_province, row, "provinces"));
}

Percentiles Forecast::group(std::size_t row) const {
  return percentiles(row_of(by_group, row, "groups"));
}

double Forecast::probability_target_met() const {
  if (completions.empty()) return 0.0;
  const auto met = std::count_if(completions.begin(), completions.end(),
                                 [&](std::int32_t c) { return c >= target_min; });
  return static_cast<double>(met) / static_cast<double>(completions.size());
}

Forecast forecast(const Dataset& dataset, const Roster& roster, std::span<const double> distance_km,
                  const ForecastOptions& options, const ProgressCallback& progress) {
  return forecast(dataset, roster, distance_km, options, ReplicationRange{0, options.replications},
                  progress);
}

Forecast forecast(const Dataset& dataset, const Roster& roster, std::span<const double> distance_km,
                  const ForecastOptions& options, ReplicationRange range,
                  const ProgressCallback& progress) {
  auto problems = input_problems(dataset, roster, distance_km, options);
  add_range_problems(range, options, problems);
  throw_if_any(std::move(problems));
  const detail::ForecastModel model(dataset, roster, distance_km, options);

  Forecast result;
  result.options = options;
  result.first_replication = range.first;
  result.target_min = roster.target_min();
  result.target_max = roster.target_max();
  result.registrations = static_cast<std::int64_t>(roster.registration_count());
  for (const auto& entry : roster.entries()) result.provinces.push_back(entry.province);
  std::sort(result.provinces.begin(), result.provinces.end());
  result.provinces.erase(std::unique(result.provinces.begin(), result.provinces.end()),
                         result.provinces.end());
  result.groups = forecast_groups();
  const auto group_cells = cells_of(result.groups);
  std::vector<std::uint32_t> cell;  // per registration: its province's row * kCells + its cell
  cell.reserve(roster.registration_count());
  for (const auto& entry : roster.entries()) {
    const auto row =
        std::lower_bound(result.provinces.begin(), result.provinces.end(), entry.province) -
        result.provinces.begin();
    const auto own = cell_of(dataset.trainees()[entry.trainee.pos()]);
    cell.push_back(static_cast<std::uint32_t>(static_cast<std::size_t>(row) * kCells + own));
    for (auto& group : result.groups) group.registrations += in_group(group, own) ? 1 : 0;
  }

  const auto replications = static_cast<std::size_t>(range.count);
  result.completions.assign(replications, 0);
  result.by_province.assign(result.provinces.size(), std::vector<std::int32_t>(replications, 0));
  result.by_group.assign(result.groups.size(), std::vector<std::int32_t>(replications, 0));
  const auto threads = detail::worker_count(options.threads);
  const auto workers = std::min(threads, replications);
  detail::CompletionCounter counter(model, options.ledger, workers);
  detail::ProgressReporter reporter(progress, "forecast", replications);
  std::atomic<std::size_t> next_worker{0};
  std::atomic<std::size_t> next_replication{0};
  detail::run_on_threads(workers, [&] {
    const auto worker = next_worker.fetch_add(1);
    std::vector<std::int32_t> by_cell(result.provinces.size() * kCells);
    for (auto r = next_replication.fetch_add(1); r < replications && !reporter.cancelled();
         r = next_replication.fetch_add(1)) {
      std::fill(by_cell.begin(), by_cell.end(), 0);
      result.completions[r] =
          counter.count(worker, range.first + static_cast<int>(r), cell, by_cell);
      for (std::size_t p = 0; p < result.provinces.size(); ++p) {
        const auto first = by_cell.begin() + static_cast<std::ptrdiff_t>(p * kCells);
        result.by_province[p][r] = std::accumulate(first, first + kCells, std::int32_t{0});
        for (std::size_t g = 0; g < group_cells.size(); ++g) {
          for (const auto c : group_cells[g]) result.by_group[g][r] += first[c];
        }
      }
      reporter.advance(1);
    }
  });
  reporter.finish();
  return result;
}

Forecast merge_forecasts(std::span<const Forecast> parts) {
  if (parts.empty()) {
    throw ValidationError(Problem{"forecast parts", "parts", "0", "needs at least one part"});
  }
  const Forecast& model = parts.front();
  std::vector<Problem> problems;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    add_mismatch_problems(model, parts[p], "forecast part " + std::to_string(p), problems);
  }
  throw_if_any(problems);

  std::vector<std::size_t> order(parts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return parts[a].first_replication < parts[b].first_replication;
  });
  std::int64_t next = 0;  // the first replication no part has covered so far
  for (const std::size_t p : order) {
    const Forecast& part = parts[p];
    const std::string where = "forecast part " + std::to_string(p);
    if (part.first_replication > next) {
      problems.push_back({where, "first_replication", std::to_string(part.first_replication),
                          "replications " + std::to_string(next) + " to " +
                              std::to_string(part.first_replication - 1) + " are in no part"});
    } else if (part.first_replication < next) {
      problems.push_back(
          {where, "first_replication", std::to_string(part.first_replication),
           "replication " + std::to_string(part.first_replication) + " is also in another part"});
    }
    next = std::max<std::int64_t>(next, std::int64_t{part.first_replication} +
                                            static_cast<std::int64_t>(part.completions.size()));
  }
  if (problems.empty() && next != model.options.replications) {
    problems.push_back({"forecast parts", "completions", std::to_string(next) + " replications",
                        "the parts must cover options.replications (" +
                            std::to_string(model.options.replications) + ")"});
  }
  throw_if_any(std::move(problems));

  Forecast merged = model;
  merged.first_replication = 0;
  merged.completions.clear();
  for (auto& row : merged.by_province) row.clear();
  for (auto& row : merged.by_group) row.clear();
  for (const std::size_t p : order) {
    const Forecast& part = parts[p];
    merged.completions.insert(merged.completions.end(), part.completions.begin(),
                              part.completions.end());
    append_rows(merged.by_province, part.by_province);
    append_rows(merged.by_group, part.by_group);
  }
  return merged;
}

EventTable forecast_events(const Dataset& dataset, const Roster& roster,
                           std::span<const double> distance_km, const ForecastOptions& options,
                           int replication) {
  auto problems = input_problems(dataset, roster, distance_km, options);
  if (replication < 0 || replication >= options.replications) {
    problems.push_back({"forecast", "replication", std::to_string(replication),
                        "must be a replication of the options, 0 to replications - 1"});
  }
  throw_if_any(std::move(problems));
  const detail::ForecastModel model(dataset, roster, distance_km, options);

  EventTable table;
  table.texts = {"forecast"};
  auto rng = model.stream(replication);
  std::vector<detail::SimulatedEvent> events;
  for (std::size_t r = 0; r < roster.registration_count(); ++r) {
    events.clear();
    model.simulate(r, rng, events);
    for (const auto& e : events) {
      const bool attendance = e.kind == EventKind::attended || e.kind == EventKind::absent;
      table.id.push_back(table.id.size() + 1);
      table.kind.push_back(static_cast<std::uint8_t>(e.kind));
      table.registration.push_back(static_cast<std::uint32_t>(r));
      table.module.push_back(e.module == detail::kNoModule ? EventColumns::kNone
                                                           : static_cast<std::int32_t>(e.module));
      table.session.push_back(attendance ? static_cast<std::int32_t>(e.value)
                                         : EventColumns::kNone);
      table.time.push_back(detail::from_stored_time(e.time));
      table.actor.push_back(0);
      table.score.push_back(e.kind == EventKind::assessed
                                ? static_cast<double>(std::bit_cast<float>(e.value))
                                : std::nan(""));
    }
  }
  return table;
}

}  // namespace balai
