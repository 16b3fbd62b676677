// Times the Monte Carlo forecast on a pilot-sized roster: the national scenario's trainees
// (10,000 by default) in classes at their nearest facility (tests/cpp/forecast_fixtures.hpp),
// 1,000 replications with the default options, on every core and on one thread. The
// peer is the ledger path the forecast must agree with: a replication's events appended to
// a real Ledger and its statuses() evaluated, timed for a few replications. Events per
// second count the events the simulation generates (measured with forecast_events).
//
//   bench_forecast [--trainees N] [--replications N] [--ledger-replications N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <string>
#include <string_view>

#include "../tests/cpp/forecast_fixtures.hpp"
#include "balai/planning/forecast/forecast.hpp"
#include "bench_main.hpp"

namespace {

constexpr const char* kUsage =
    "usage: bench_forecast [--trainees N] [--replications N] [--ledger-replications N]\n";

struct Arguments {
  int trainees = 10'000;
  int replications = 1'000;
  int ledger_replications = 5;
};

Arguments parse(int argc, char** argv) {
  Arguments arguments;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    const auto number = [&] {
      if (i + 1 >= argc) throw std::invalid_argument(std::string(argument) + " needs a number");
      return std::max(1, std::atoi(argv[++i]));
    };
    if (argument == "--trainees") {
      arguments.trainees = number();
    } else if (argument == "--replications") {
      arguments.replications = number();
    } else if (argument == "--ledger-replications") {
      arguments.ledger_replications = number();
    } else {
      throw std::invalid_argument("unknown argument " + std::string(argument));
    }
  }
  return arguments;
}

using balai::bench::seconds;
using balai::bench::Times;

int run(const Arguments& arguments) {
  balai::testing::ForecastWorld world;
  const auto built =
      seconds([&] { world = balai::testing::forecast_world({.trainees = arguments.trainees}); });
  const auto& roster = world.roster;
  std::printf("roster: %zu registrations, %zu cohorts, built in %.2f s\n",
              roster.registration_count(), roster.cohorts().size(), built.wall);

  balai::ForecastOptions options;
  options.replications = arguments.replications;

  // The ledger path, which also counts the events a replication generates.
  const int k = std::min(arguments.ledger_replications, arguments.replications);
  std::size_t events = 0;
  const auto ledger = seconds([&] {
    for (int r = 0; r < k; ++r) {
      const auto table =
          balai::forecast_events(world.dataset, roster, world.distance_km, options, r);
      events += table.id.size();
      balai::Ledger l(roster, options.ledger);
      l.append(table.columns());
      (void)l.statuses();
    }
  });
  const double events_per_replication = static_cast<double>(events) / k;
  const double ledger_per_replication = ledger.wall / k;

  std::printf("\n%-26s %12s %10s %10s %16s %12s\n", "path", "replications", "wall s", "cpu s",
              "events/s (wall)", "s/replication");
  const auto row = [&](const char* name, int replications, const Times& t) {
    const double per = t.wall / replications;
    std::printf("%-26s %12d %10.3f %10.3f %16.3g %12.5f\n", name, replications, t.wall, t.cpu,
                events_per_replication * replications / t.wall, per);
    return per;
  };
  balai::Forecast result;
  const auto all =
      seconds([&] { result = balai::forecast(world.dataset, roster, world.distance_km, options); });
  const double forecast_per = row("forecast, every core", arguments.replications, all);

  auto single = options;
  single.threads = 1;
  single.replications = std::max(1, arguments.replications / 10);
  const auto one =
      seconds([&] { (void)balai::forecast(world.dataset, roster, world.distance_km, single); });
  const double one_per = row("forecast, 1 thread", single.replications, one);
  row("ledger append + statuses", k, ledger);

  std::printf("\nevents per replication: %.0f\n", events_per_replication);
  std::printf("ledger path / forecast, per replication: %.1fx (every core), %.1fx (1 thread)\n",
              ledger_per_replication / forecast_per, ledger_per_replication / one_per);
  const auto national = result.national();
  std::printf(
      "completions: p5 %.0f, p50 %.0f, p95 %.0f, mean %.1f (%.1f%%) of %lld; target %d met in "
      "%.1f%%\n",
      national.p5, national.p50, national.p95, national.mean,
      100.0 * national.mean / static_cast<double>(result.registrations),
      static_cast<long long>(result.registrations), result.target_min,
      100.0 * result.probability_target_met());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return balai::bench::bench_main(argc, argv, "bench_forecast", kUsage, parse, run);
}
