// Times the national scenario generator at 10^4, 10^5 and 10^6 trainees (with the
// default ~4,200 facilities and the 514-regency table) and prints the median of several
// runs. A generator has no outside peer to race, so the ratio printed is against a naive
// baseline: the same generation on one thread. The last columns show how much of the
// time is Dataset::add (validating and indexing the batch), measured by re-adding the
// generated batch to a fresh Dataset. CPU seconds (all threads, std::clock) are printed
// beside the wall-clock ones: on a shared machine they say what the work costs when
// other processes take the cores, and the load average is printed before and after.
//
//   bench_scenario [regencies.csv] [--reps N] [--max-trainees N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "balai/io/regions_csv.hpp"
#include "balai/scenario/indonesia.hpp"
#include "bench_main.hpp"

namespace {

using balai::bench::seconds;
using balai::bench::Times;

// The medians, taken separately, of `repetitions` runs of `run`, which times itself.
template <class Run>
Times median(int repetitions, Run run) {
  std::vector<double> wall;
  std::vector<double> cpu;
  for (int i = 0; i < repetitions; ++i) {
    const Times times = run();
    wall.push_back(times.wall);
    cpu.push_back(times.cpu);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string one, five, fifteen;
  if (!(file >> one >> five >> fifteen)) return "unknown";
  return one + " " + five + " " + fifteen;
}

struct Arguments {
  std::string regencies = BALAI_SHARED_DATA_DIR "/regencies.csv";
  int repetitions = 5;
  int max_trainees = 1'000'000;
};

Arguments parse(int argc, char** argv) {
  Arguments arguments;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--reps" && i + 1 < argc) {
      arguments.repetitions = std::max(1, std::atoi(argv[++i]));
    } else if (argument == "--max-trainees" && i + 1 < argc) {
      arguments.max_trainees = std::atoi(argv[++i]);
    } else {
      arguments.regencies = std::string(argument);
    }
  }
  return arguments;
}

int run(const Arguments& arguments) {
  const auto regencies = balai::read_regencies(arguments.regencies);
  std::printf("national scenario, %zu regencies, %u hardware threads, median of %d runs\n",
              regencies.size(), std::thread::hardware_concurrency(), arguments.repetitions);
  std::printf("load average before: %s\n\n", load_average().c_str());
  std::printf("%9s %10s | %10s %10s | %10s %10s | %8s | %10s %10s %6s\n", "trainees", "facilities",
              "all wall", "all cpu", "1 wall", "1 cpu", "speed-up", "add wall", "add cpu", "share");
  for (int trainees : {10'000, 100'000, 1'000'000}) {
    if (trainees > arguments.max_trainees) break;
    balai::ScenarioOptions options{.trainees = trainees};
    balai::ScenarioOptions baseline = options;
    baseline.threads = 1;
    std::size_t facilities = 0;
    const Times parallel = median(arguments.repetitions, [&] {
      return seconds(
          [&] { facilities = balai::indonesia(options, regencies).facilities().size(); });
    });
    const Times single = median(arguments.repetitions, [&] {
      return seconds([&] { (void)balai::indonesia(baseline, regencies); });
    });
    const auto world = balai::indonesia(options, regencies);
    const Times add = median(arguments.repetitions, [&] {
      auto batch = world.to_batch();  // copying is not part of add
      return seconds([&] { balai::Dataset copy(regencies, std::move(batch)); });
    });
    std::printf("%9d %10zu | %10.3f %10.3f | %10.3f %10.3f | %7.2fx | %10.3f %10.3f %5.0f%%\n",
                trainees, facilities, parallel.wall, parallel.cpu, single.wall, single.cpu,
                single.wall / parallel.wall, add.wall, add.cpu, 100.0 * add.wall / parallel.wall);
  }
  std::printf("\nload average after: %s\n", load_average().c_str());
  return 0;
}

constexpr const char* kUsage =
    "usage: bench_scenario [path/to/regencies.csv] [--reps N] [--max-trainees N]\n";

}  // namespace

int main(int argc, char** argv) {
  return balai::bench::bench_main(argc, argv, "bench_scenario", kUsage, parse, run);
}
