# Builds and runs a consumer project (tests/cmake/<MODE>) the way a user would, as a
# ctest test: `cmake -P RunConsumer.cmake` with
#   MODE               find_package: install this build into a fresh prefix and find it
#                      there (and build the same program through the prefix's balai.pc)
#                      add_subdirectory: add the balai source tree to the consumer's build
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
set(configure_args
    -S "${BALAI_SOURCE_DIR}/tests/cmake/${MODE}" -B "${consumer_build}" -G "${GENERATOR}"
    "-DCMAKE_BUILD_TYPE=${CONFIG}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS}"
    # Only the prefix given here may satisfy find_package, never a registry entry.
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

if(MODE STREQUAL "find_package")
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
if(MODE STREQUAL "find_package")
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
