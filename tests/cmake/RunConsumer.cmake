# Builds and runs a consumer project (tests/cmake/<MODE>) the way a user would, as a
# ctest test: `cmake -P RunConsumer.cmake` with
#   MODE               find_package: install this build into a fresh prefix and find it
#                      there (and build the same program through the prefix's balai.pc)
#                      add_subdirectory: add the balai source tree to the consumer's build
#                      shared: build balai as a shared library (with its examples, which
#                      link to it), install it, find it as find_package does, and check
#                      its SONAME and that it exports only balai's symbols
#   CONFIG             the configuration to install and build (Release, Debug, ...)
#   BALAI_SOURCE_DIR   the balai source tree
#   BALAI_BINARY_DIR   the balai build tree (find_package only)
#   BALAI_VERSION      the version the consumer must report
#   WORK_DIR           scratch directory for the prefix and the consumer's build
#   GENERATOR, MAKE_PROGRAM, CXX_COMPILER, CXX_FLAGS   taken over from the balai build
cmake_minimum_required(VERSION 3.21)

foreach(var IN ITEMS MODE BALAI_SOURCE_DIR BALAI_VERSION WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "RunConsumer.cmake needs -D${var}=...")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG Release)
endif()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${what} failed (${result}): ${ARGN}")
  endif()
endfunction()

set(consumer_build "${WORK_DIR}/build")
set(project_dir "${MODE}")
if(MODE STREQUAL "shared")
  set(project_dir find_package)
endif()
set(common_args
    -G "${GENERATOR}" "-DCMAKE_BUILD_TYPE=${CONFIG}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS}"
    "-DCMAKE_SHARED_LINKER_FLAGS=${CXX_FLAGS}")
if(MAKE_PROGRAM)
  list(APPEND common_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
set(configure_args
    -S "${BALAI_SOURCE_DIR}/tests/cmake/${project_dir}" -B "${consumer_build}" ${common_args}
    # Only the prefix given here may satisfy find_package, never a registry entry.
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)

if(MODE STREQUAL "shared")
  set(prefix "${WORK_DIR}/prefix")
  file(REMOVE_RECURSE "${prefix}" "${consumer_build}")
  # The shared build is kept between runs, as add_subdirectory's: incremental is enough.
  set(shared_build "${WORK_DIR}/balai")
  run("configure the shared library" "${CMAKE_COMMAND}" -S "${BALAI_SOURCE_DIR}"
      -B "${shared_build}" ${common_args} -DBUILD_SHARED_LIBS=ON -DBALAI_BUILD_TESTS=OFF
      -DBALAI_BUILD_EXAMPLES=ON)
  run("build the shared library and the examples" "${CMAKE_COMMAND}" --build "${shared_build}")
  run("install" "${CMAKE_COMMAND}" --install "${shared_build}" --prefix "${prefix}")
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${prefix}")
elseif(MODE STREQUAL "find_package")
  set(prefix "${WORK_DIR}/prefix")
  # A fresh prefix and consumer build each time, so nothing stale can satisfy the test.
  file(REMOVE_RECURSE "${prefix}" "${consumer_build}")
  run("install" "${CMAKE_COMMAND}" --install "${BALAI_BINARY_DIR}" --config "${CONFIG}"
      --prefix "${prefix}")
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${prefix}")
elseif(MODE STREQUAL "add_subdirectory")
  # The consumer build is kept between runs: it compiles balai from source, and an
  # incremental rebuild proves as much as a clean one.
  list(APPEND configure_args "-DBALAI_SOURCE_DIR=${BALAI_SOURCE_DIR}")
  # A host that sets no build type keeps none: balai's default is for its own build.
  set(untyped "${WORK_DIR}/untyped")
  file(REMOVE_RECURSE "${untyped}")
  set(untyped_args ${configure_args})
  list(FILTER untyped_args EXCLUDE REGEX "^-DCMAKE_BUILD_TYPE=")
  list(TRANSFORM untyped_args REPLACE "^${consumer_build}$" "${untyped}")
  run("configure without a build type" "${CMAKE_COMMAND}" ${untyped_args})
  file(STRINGS "${untyped}/CMakeCache.txt" build_type REGEX "^CMAKE_BUILD_TYPE:")
  if(NOT build_type MATCHES "^CMAKE_BUILD_TYPE:[A-Z]+=$")
    message(FATAL_ERROR "adding balai set the host's build type: ${build_type}")
  endif()
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()

run("configure" "${CMAKE_COMMAND}" ${configure_args})
if(MODE STREQUAL "find_package" OR MODE STREQUAL "shared")
  # balai must have come from the installed tree, not from the source or build tree.
  file(STRINGS "${consumer_build}/CMakeCache.txt" balai_dir REGEX "^balai_DIR:")
  string(REGEX REPLACE "^balai_DIR:[A-Z]+=" "" balai_dir "${balai_dir}")
  cmake_path(IS_PREFIX prefix "${balai_dir}" NORMALIZE from_prefix)
  if(NOT from_prefix)
    message(FATAL_ERROR "find_package(balai) found ${balai_dir}, outside ${prefix}")
  endif()
endif()
run("build" "${CMAKE_COMMAND}" --build "${consumer_build}" --config "${CONFIG}")

find_program(consumer_exe consumer PATHS "${consumer_build}" "${consumer_build}/${CONFIG}"
             NO_DEFAULT_PATH REQUIRED)
execute_process(COMMAND "${consumer_exe}" RESULT_VARIABLE result OUTPUT_VARIABLE output
                ERROR_VARIABLE output)
message("${output}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the consumer failed (${result})")
endif()
if(NOT output MATCHES "balai ${BALAI_VERSION}\n")
  message(FATAL_ERROR "the consumer did not report balai ${BALAI_VERSION}")
endif()

# A plugin that links the static balai exports its entry point and none of balai.
if(MODE STREQUAL "find_package")
  file(GLOB plugin "${consumer_build}/libplugin.so" "${consumer_build}/${CONFIG}/libplugin.so")
  if(NOT plugin)
    message(FATAL_ERROR "the plugin was not built")
  endif()
  execute_process(COMMAND nm -D --defined-only "${plugin}" OUTPUT_VARIABLE plugin_symbols
                  RESULT_VARIABLE result)
  string(REGEX MATCHALL "[^\n]*5balai[^\n]*" leaked "${plugin_symbols}")
  list(LENGTH leaked leaked_count)
  if(NOT result EQUAL 0 OR NOT plugin_symbols MATCHES "plugin_distance_km" OR leaked_count GREATER 0)
    message(FATAL_ERROR "the plugin exports ${leaked_count} balai symbols (or not its own)")
  endif()
endif()

# The installed tree also serves builds without CMake, through its pkg-config file.
find_program(pkg_config pkg-config)
if(MODE STREQUAL "find_package" AND pkg_config)
  file(GLOB pc_file "${prefix}/lib*/pkgconfig/balai.pc" "${prefix}/lib/*/pkgconfig/balai.pc")
  if(NOT pc_file)
    message(FATAL_ERROR "no balai.pc under ${prefix}")
  endif()
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
  execute_process(COMMAND "${pkg_config}" --cflags --libs --static balai
                  OUTPUT_VARIABLE pc_flags OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "pkg-config balai failed (${result})")
  endif()
  separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
  separate_arguments(extra_flags UNIX_COMMAND "${CXX_FLAGS}")
  run("build with pkg-config" "${CXX_COMPILER}" ${extra_flags}
      "${BALAI_SOURCE_DIR}/tests/cmake/consumer.cpp" ${pc_flags} -o "${WORK_DIR}/pc_consumer")
  run("run the pkg-config consumer" "${WORK_DIR}/pc_consumer")
endif()

# A shared libbalai: versioned, and exporting only balai's own symbols (no internal
# function, no standard-library instantiation), as balai/core/export.hpp arranges.
if(MODE STREQUAL "shared")
  file(GLOB library "${prefix}/lib*/libbalai.so.*.*.*" "${prefix}/lib/*/libbalai.so.*.*.*")
  if(NOT library)
    message(FATAL_ERROR "no versioned libbalai.so under ${prefix}")
  endif()
  execute_process(COMMAND readelf -d "${library}" OUTPUT_VARIABLE dynamic RESULT_VARIABLE result)
  string(REGEX MATCH "^[0-9]+\\.[0-9]+" major_minor "${BALAI_VERSION}")
  string(REGEX MATCH "Library soname: \\[([A-Za-z0-9._+-]+)" soname "${dynamic}")
  set(soname "${CMAKE_MATCH_1}")
  if(NOT result EQUAL 0 OR NOT soname STREQUAL "libbalai.so.${major_minor}")
    message(FATAL_ERROR "libbalai's SONAME is '${soname}', not libbalai.so.${major_minor}")
  endif()
  execute_process(COMMAND nm -D --defined-only "${library}" OUTPUT_VARIABLE symbols
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "nm -D failed (${result})")
  endif()
  string(REPLACE "\n" ";" symbols "${symbols}")
  set(ours 0)
  set(foreign "")
  foreach(line IN LISTS symbols)
    # "<address> <type> <name>"
    string(REGEX REPLACE "^[0-9a-f]* *[A-Za-z] " "" name "${line}")
    if(name STREQUAL "")
      continue()
    # By mangled name: a function, variable, typeinfo (name), vtable, VTT, guard or thunk
    # of namespace balai. (Demangled, a template's return type would come first.)
    elseif(name MATCHES "^_Z(TI|TS|TV|TT|GV|Thn?[0-9]+_)?NK?5balai")
      math(EXPR ours "${ours} + 1")
    else()
      list(APPEND foreign "${name}")
    endif()
  endforeach()
  list(LENGTH foreign foreign_count)
  message("libbalai exports ${ours} balai:: symbols and ${foreign_count} others")
  if(foreign_count GREATER 0 OR ours EQUAL 0)
    list(SUBLIST foreign 0 20 shown)
    string(JOIN "\n  " shown ${shown})
    message(FATAL_ERROR "libbalai exports symbols outside balai::, such as\n  ${shown}")
  endif()
endif()
