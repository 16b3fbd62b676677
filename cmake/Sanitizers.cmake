# AddressSanitizer and UndefinedBehaviorSanitizer over everything balai builds (library,
# tests, examples) when BALAI_SANITIZE is ON, as the `asan` preset does. Instrumented
# code must be linked with the same flags, so they are kept in BALAI_SANITIZER_FLAGS for
# the consumer-project tests to pass on; a project embedding a sanitized balai sets them
# in its own CMAKE_CXX_FLAGS instead.
option(BALAI_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

set(BALAI_SANITIZER_FLAGS "")
if(BALAI_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "BALAI_SANITIZE needs GCC or Clang, not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  # Undefined behaviour aborts instead of printing and carrying on, so a test fails.
  set(BALAI_SANITIZER_FLAGS
      -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_compile_options(${BALAI_SANITIZER_FLAGS})
  add_link_options(${BALAI_SANITIZER_FLAGS})
  # The instrumentation defeats GCC's flow analysis: it reports uninitialized members
  # inside libstdc++ (std::function in <regex>) that the unsanitized build does not.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()
