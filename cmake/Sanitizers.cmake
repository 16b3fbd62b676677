# Run-time checkers over everything balai builds (library, tests, examples, fuzzers):
#
#   BALAI_SANITIZE         AddressSanitizer and UndefinedBehaviorSanitizer (preset `asan`)
#   BALAI_SANITIZE_THREAD  ThreadSanitizer (preset `tsan`); it cannot share a build with ASan
#   BALAI_BUILD_FUZZERS    (Clang only, preset `fuzz`) implies BALAI_SANITIZE and adds
#                          libFuzzer's coverage instrumentation (-fsanitize=fuzzer-no-link)
#                          to every object; the harnesses in fuzz/ link libFuzzer itself
#
# Instrumented code must be linked with the same flags, so they are kept in
# BALAI_SANITIZER_FLAGS for the consumer-project tests to pass on; a project embedding a
# sanitized balai sets them in its own CMAKE_CXX_FLAGS instead.
option(BALAI_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(BALAI_SANITIZE_THREAD "Build with ThreadSanitizer" OFF)

if(BALAI_BUILD_FUZZERS AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR
          "BALAI_BUILD_FUZZERS needs Clang, whose libFuzzer the harnesses link; this build "
          "uses ${CMAKE_CXX_COMPILER_ID}. Configure with the `fuzz` preset or with "
          "-DCMAKE_CXX_COMPILER=clang++-14 (Debian: apt install clang-14 libclang-rt-14-dev).")
endif()
if(BALAI_SANITIZE_THREAD AND (BALAI_SANITIZE OR BALAI_BUILD_FUZZERS))
  message(FATAL_ERROR "ThreadSanitizer cannot be combined with AddressSanitizer: "
                      "BALAI_SANITIZE_THREAD needs a build of its own (preset `tsan`)")
endif()

set(BALAI_SANITIZER_FLAGS "")
if(BALAI_SANITIZE OR BALAI_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "BALAI_SANITIZE needs GCC or Clang, not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  # Any finding aborts instead of printing and carrying on, so a test fails.
  set(BALAI_SANITIZER_FLAGS
      -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  if(BALAI_BUILD_FUZZERS)
    list(APPEND BALAI_SANITIZER_FLAGS -fsanitize=fuzzer-no-link)
  endif()
elseif(BALAI_SANITIZE_THREAD)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "BALAI_SANITIZE_THREAD needs GCC or Clang, not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  set(BALAI_SANITIZER_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
endif()

if(BALAI_SANITIZER_FLAGS)
  add_compile_options(${BALAI_SANITIZER_FLAGS})
  add_link_options(${BALAI_SANITIZER_FLAGS})
  # The instrumentation defeats GCC's flow analysis: it reports uninitialized members
  # inside libstdc++ (std::function in <regex>) that the uninstrumented build does not.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()
