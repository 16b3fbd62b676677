// What the C++ benchmarks share: the shell of main() (`--help` prints the usage, and a bad
// argument or a failure prints the error and the usage instead of terminating), and a
// timer of wall and CPU seconds.
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <string_view>

namespace balai::bench {

struct Times {
  double wall = 0.0;
  double cpu = 0.0;  // of the whole process, every thread
};

template <class Work>
Times seconds(Work work) {
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  work();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
          static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC};
}

template <class Parse, class Run>
int bench_main(int argc, char** argv, const char* name, const char* usage, Parse parse, Run run) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--help") {
      std::fputs(usage, stdout);
      return 0;
    }
  }
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s: %s\n%s", name, error.what(), usage);
    return 1;
  }
}

}  // namespace balai::bench
