// Times the exact allocation against LEMON's NetworkSimplex and CostScaling on the same
// candidate graph, checks that all three find the same optimal objective, and prints the
// median times with each solver's ratio to the fastest LEMON solver. The graph comes
// from the national scenario (the default ~4,200 facilities, the 514-regency table,
// AllocationOptions{}: K = 16, 50 km, same island group) at 10^4 and 10^5 trainees, and
// 10^6 with --max-trainees 1000000, or from a problem file (problem_file.hpp).
//
// balai is timed from the AllocationProblem, LEMON from the same network in plain arrays
// (lemon_oracle.hpp): each includes building its own graph. Peak RSS is the process's
// peak so far (VmHWM), dataset and problem included, read after each solver; balai
// runs first, so its row is not inflated by LEMON's. --solvers runs one solver alone.
//
//   bench_allocation [--regencies FILE] [--reps N] [--max-trainees N] [--sizes N,N,...]
//                    [--problem FILE] [--write FILE] [--solvers balai,simplex,scaling]
//                    [--machine]
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "balai/io/regions_csv.hpp"
#include "balai/planning/allocation/allocation.hpp"
#include "balai/scenario/indonesia.hpp"
#include "bench_main.hpp"
#include "lemon_oracle.hpp"
#include "problem_file.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using balai::testing::LemonAlgorithm;

struct Arguments {
  std::string regencies = BALAI_SHARED_DATA_DIR "/regencies.csv";
  int repetitions = 3;
  std::vector<int> sizes{10'000, 100'000, 1'000'000};
  int max_trainees = 100'000;
  std::string problem_file;  // read instead of building from the scenario
  std::string write_file;    // write the (last) built problem here
  std::vector<std::string> solvers{"balai", "simplex", "scaling"};
  bool machine = false;  // tab-separated rows for bench_allocation.py
};

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> parts;
  std::stringstream stream{std::string(text)};
  for (std::string part; std::getline(stream, part, ',');) parts.push_back(part);
  return parts;
}

Arguments parse(int argc, char** argv) {
  Arguments arguments;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    const bool has_value = i + 1 < argc;
    if (argument == "--machine") {
      arguments.machine = true;
    } else if (!has_value) {
      throw std::invalid_argument("option " + std::string(argument) + " needs a value");
    } else if (argument == "--reps") {
      arguments.repetitions = std::max(1, std::atoi(argv[++i]));
    } else if (argument == "--max-trainees") {
      arguments.max_trainees = std::atoi(argv[++i]);
    } else if (argument == "--sizes") {
      arguments.sizes.clear();
      for (const auto& size : split(argv[++i])) arguments.sizes.push_back(std::atoi(size.c_str()));
      arguments.max_trainees = *std::max_element(arguments.sizes.begin(), arguments.sizes.end());
    } else if (argument == "--regencies") {
      arguments.regencies = argv[++i];
    } else if (argument == "--problem") {
      arguments.problem_file = argv[++i];
    } else if (argument == "--write") {
      arguments.write_file = argv[++i];
    } else if (argument == "--solvers") {
      arguments.solvers = split(argv[++i]);
    } else {
      throw std::invalid_argument("unknown option " + std::string(argument));
    }
  }
  return arguments;
}

// The peak resident set of this process image. Linux carries getrusage's ru_maxrss over
// exec, so a bench started from a large Python process would report the parent's peak;
// VmHWM in /proc/self/status starts afresh at exec. getrusage where there is no /proc.
double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmHWM:")) return std::atof(line.c_str() + 6) / 1024.0;  // kB
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

struct Timing {
  std::string solver;
  double wall = 0.0;  // median seconds
  double cpu = 0.0;   // median seconds, all threads
  std::int64_t objective = 0;
  double rss_mb = 0.0;
};

// The median wall and CPU seconds of `repetitions` runs of `solve`, which returns the
// objective it found (the same every run).
Timing time_solver(const std::string& name, int repetitions,
                   const std::function<std::int64_t()>& solve) {
  std::vector<double> wall;
  std::vector<double> cpu;
  Timing timing{name};
  for (int i = 0; i < repetitions; ++i) {
    const auto start = Clock::now();
    const std::clock_t cpu_start = std::clock();
    timing.objective = solve();
    wall.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    cpu.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  timing.wall = wall[wall.size() / 2];
  timing.cpu = cpu[cpu.size() / 2];
  timing.rss_mb = peak_rss_mb();
  return timing;
}

LemonAlgorithm lemon_algorithm(const std::string& solver) {
  if (solver == "simplex") return LemonAlgorithm::network_simplex;
  if (solver == "scaling") return LemonAlgorithm::cost_scaling;
  throw std::invalid_argument("unknown solver " + solver + " (balai, simplex, scaling)");
}

std::vector<Timing> run_solvers(const balai::AllocationProblem& problem,
                                const Arguments& arguments) {
  std::vector<Timing> timings;
  std::optional<balai::testing::OracleNetwork> oracle;
  for (const std::string& solver : arguments.solvers) {
    if (solver == "balai") {
      timings.push_back(time_solver("balai solve_optimal", arguments.repetitions,
                                    [&] { return balai::solve_optimal(problem).cost; }));
      continue;
    }
    const LemonAlgorithm algorithm = lemon_algorithm(solver);
    if (!oracle) oracle = balai::testing::oracle_network(problem);
    timings.push_back(time_solver(name_of(algorithm), arguments.repetitions, [&] {
      return balai::testing::lemon_min_cost(oracle->network, algorithm) + oracle->offset;
    }));
  }
  return timings;
}

// Ratios to the fastest peer (LEMON); below 1 means faster than it.
int report(const balai::AllocationProblem& problem, const std::vector<Timing>& timings,
           bool machine) {
  double fastest_peer = 0.0;
  for (const Timing& timing : timings) {
    if (timing.solver.starts_with("LEMON") && (fastest_peer == 0.0 || timing.wall < fastest_peer)) {
      fastest_peer = timing.wall;
    }
  }
  bool agree = true;
  for (const Timing& timing : timings) {
    agree = agree && timing.objective == timings.front().objective;
    if (machine) {
      std::printf("%s\t%zu\t%zu\t%zu\t%.6f\t%.6f\t%lld\t%.1f\n", timing.solver.c_str(),
                  problem.trainees(), problem.facilities(), problem.arcs(), timing.wall, timing.cpu,
                  static_cast<long long>(timing.objective), timing.rss_mb);
      continue;
    }
    std::array<char, 16> ratio{"-"};
    if (fastest_peer > 0.0) {
      std::snprintf(ratio.data(), ratio.size(), "%.2fx", timing.wall / fastest_peer);
    }
    std::printf("%9zu %10zu %10zu | %-22s %9.3f %9.3f | %7s | %20lld %9.0f\n", problem.trainees(),
                problem.facilities(), problem.arcs(), timing.solver.c_str(), timing.wall,
                timing.cpu, ratio.data(), static_cast<long long>(timing.objective), timing.rss_mb);
  }
  if (!agree) std::fprintf(stderr, "bench_allocation: the solvers' objectives differ\n");
  return agree ? 0 : 2;
}

int run(const Arguments& arguments) {
  if (!arguments.machine) {
    std::printf("allocation, median of %d runs; ratio = wall / fastest LEMON wall\n\n",
                arguments.repetitions);
    std::printf("%9s %10s %10s | %-22s %9s %9s | %7s | %20s %9s\n", "trainees", "facilities",
                "arcs", "solver", "wall s", "cpu s", "ratio", "objective", "peak MB");
  }
  if (!arguments.problem_file.empty()) {
    const auto problem = balai::bench::read_problem(arguments.problem_file);
    return report(problem, run_solvers(problem, arguments), arguments.machine);
  }
  const auto regencies = balai::read_regencies(arguments.regencies);
  int status = 0;
  for (const int trainees : arguments.sizes) {
    if (trainees > arguments.max_trainees) continue;
    const auto world = balai::indonesia({.trainees = trainees}, regencies);
    const auto start = Clock::now();
    const auto problem = balai::allocation_problem(world, balai::AllocationOptions{});
    if (!arguments.machine) {
      std::printf("# %d trainees: candidate graph built in %.3f s\n", trainees,
                  std::chrono::duration<double>(Clock::now() - start).count());
    }
    if (!arguments.write_file.empty()) balai::bench::write_problem(problem, arguments.write_file);
    if (arguments.solvers.empty()) continue;
    status = std::max(status, report(problem, run_solvers(problem, arguments), arguments.machine));
  }
  return status;
}

constexpr const char* kUsage =
    "usage: bench_allocation [--regencies FILE] [--reps N] [--max-trainees N]\n"
    "                        [--sizes N,N,...] [--problem FILE] [--write FILE]\n"
    "                        [--solvers balai,simplex,scaling] [--machine]\n";

}  // namespace

int main(int argc, char** argv) {
  return balai::bench::bench_main(argc, argv, "bench_allocation", kUsage, parse, run);
}
