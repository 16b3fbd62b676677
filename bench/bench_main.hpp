// The shell every benchmark's main() shares: `--help` prints the usage, and a bad
// argument or a failure prints the error and the usage instead of terminating.
#pragma once

#include <cstdio>
#include <exception>
#include <string_view>

namespace balai::bench {

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
