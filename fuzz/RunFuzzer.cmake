# A short fuzz run for ctest: FUZZER over the committed seed corpus CORPUS for SECONDS.
# New inputs and any crash go to WORK_DIR in the build tree (libFuzzer writes only into
# the first corpus directory it is given), so the source tree is never written to.
#
#   cmake -DFUZZER=... -DCORPUS=... -DWORK_DIR=... -DSECONDS=5 -P RunFuzzer.cmake
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/corpus")
execute_process(
  COMMAND "${FUZZER}" "-max_total_time=${SECONDS}" -timeout=10 -rss_limit_mb=2048
          "-artifact_prefix=${WORK_DIR}/" "${WORK_DIR}/corpus" "${CORPUS}"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${FUZZER} found a crash (exit ${result}); the input is in ${WORK_DIR}")
endif()
