# LEMON (Debian: liblemon-dev) is a test and benchmark dependency only: the oracle that the
# exact allocation solver is checked and timed against. Its config sets LEMON_INCLUDE_DIRS
# and LEMON_LIBRARIES but defines no target. Included from tests/ and bench/, defined once.
include_guard(GLOBAL)

find_package(lemon CONFIG REQUIRED)

# LEMON 1.3's headers call std::allocator members that C++20 removed: the one translation
# unit that includes them is compiled as C++17 and sees only plain arrays.
add_library(balai_lemon_solve STATIC "${PROJECT_SOURCE_DIR}/tests/cpp/lemon_solve.cpp")
set_target_properties(balai_lemon_solve PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON
                                                   CXX_EXTENSIONS OFF)
target_include_directories(balai_lemon_solve SYSTEM PRIVATE ${LEMON_INCLUDE_DIRS})
target_link_libraries(balai_lemon_solve PRIVATE ${LEMON_LIBRARIES})
balai_enable_warnings(balai_lemon_solve)

add_library(balai_lemon_oracle STATIC "${PROJECT_SOURCE_DIR}/tests/cpp/lemon_oracle.cpp")
target_include_directories(balai_lemon_oracle PUBLIC "${PROJECT_SOURCE_DIR}/tests/cpp")
target_link_libraries(balai_lemon_oracle PUBLIC balai::balai balai_lemon_solve)
balai_enable_warnings(balai_lemon_oracle)
