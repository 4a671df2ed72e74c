# mk_add_fuzzer(<name> SOURCES <src>... LIBS <lib>... [RUNS <n>] [SEEDS <dir>])
# One libFuzzer target (docs/fuzzing.md): the executable, a ctest that runs it for a fixed number
# of executions (not seconds: the same work on a fast or a slow machine) over a copy of its seed
# corpus (label slow), and a replay of the crashes kept in <dir>/../crashes/<name>/ (label unit).
set(MK_FUZZ_RUNS_SCALE 1 CACHE STRING "Multiplies every fuzz target's ctest executions")

function(mk_add_fuzzer name)
  cmake_parse_arguments(ARG "" "RUNS;SEEDS" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_RUNS)
    set(ARG_RUNS 100000)
  endif()
  if(NOT ARG_SEEDS)
    set(ARG_SEEDS ${CMAKE_CURRENT_SOURCE_DIR}/corpus)
  endif()
  math(EXPR runs "${ARG_RUNS} * ${MK_FUZZ_RUNS_SCALE}")
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} mk_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  # The run works on a copy of the seed corpus, so new inputs land in the build tree and never
  # in the source tree.
  set(work ${CMAKE_CURRENT_BINARY_DIR}/corpus/${name})
  add_test(NAME ${name}_setup
    COMMAND ${CMAKE_COMMAND} -E copy_directory ${ARG_SEEDS}/${name} ${work})
  add_test(NAME ${name}
    COMMAND ${name} -runs=${runs} -timeout=5 -rss_limit_mb=2048 -print_final_stats=1
            -artifact_prefix=${CMAKE_CURRENT_BINARY_DIR}/${name}- ${work})
  set_tests_properties(${name}_setup PROPERTIES LABELS slow FIXTURES_SETUP ${name}_corpus)
  set_tests_properties(${name} PROPERTIES LABELS slow FIXTURES_REQUIRED ${name}_corpus
                                          TIMEOUT 300)
  file(GLOB crashes CONFIGURE_DEPENDS ${ARG_SEEDS}/../crashes/${name}/*)
  if(crashes)
    add_test(NAME ${name}_crashes COMMAND ${name} ${crashes})
    set_tests_properties(${name}_crashes PROPERTIES LABELS unit)
  endif()
  set_property(GLOBAL APPEND PROPERTY MK_FUZZ_TARGETS ${name})
endfunction()
