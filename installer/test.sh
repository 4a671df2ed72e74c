#!/usr/bin/env bash
# The README's second command: install what the tests need, then build and run every test
# (unit, integration, slow) twice: the `ci` build (optimised, warnings are errors) and the `asan`
# build (AddressSanitizer + UndefinedBehaviorSanitizer). CI runs exactly this (.ci/run).
# Arguments go to both ctest runs (e.g. -L unit, -R golden). A full run (no arguments) then
# builds the `fuzz` preset (clang, libFuzzer + ASan + UBSan) and runs every fuzz target for a
# fixed number of executions over its seed corpus (docs/fuzzing.md). A run with arguments says
# that it skips the fuzz step; it never skips it silently.
#
# The test runs leave much of the CPU idle (pcscd's reader poll, the kiosk's timers, the soak's
# visits): the next build runs beside them at the lowest priority (nice 19, and the lowest
# best-effort I/O priority: the idle I/O class starved it), so that it takes only what the tests
# leave and they run as fast as alone. Its output goes to build/<preset>.log and
# is printed when it ends.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
installer/deps.sh test

# Starts building `preset` in the background at the lowest priority; `finish_build` waits for it.
build_pid=""
build_preset=""
start_build() {
  build_preset=$1
  echo "== $build_preset build (beside the tests, nice 19; output: build/$build_preset.log)"
  mkdir -p build
  cmake --preset "$build_preset" >/dev/null
  nice -n 19 ionice -c 2 -n 7 cmake --build --preset "$build_preset" >"build/$build_preset.log" 2>&1 &
  build_pid=$!
}
finish_build() {
  local rc=0
  wait "$build_pid" || rc=$?
  cat "build/$build_preset.log"
  if [ "$rc" -ne 0 ]; then
    echo "== $build_preset build FAILED ($rc)" >&2
    exit "$rc"
  fi
  echo "== $build_preset build done"
}
# Runs ctest for `preset`; a failure is remembered, and the run ends with it after the build
# running beside the tests is waited for (nothing is left running in the background).
tests_failed=0
run_tests() {
  local preset=$1
  shift
  echo "== $preset tests"
  ctest --preset "$preset" "$@" || tests_failed=1
}

echo "== ci build"
cmake --preset ci >/dev/null
cmake --build --preset ci
start_build asan
run_tests ci "$@"
finish_build
if [ $# -eq 0 ]; then
  start_build fuzz
fi
run_tests asan "$@"
if [ $# -ne 0 ]; then
  echo "== fuzz: SKIPPED (arguments given: $*); run installer/test.sh without arguments for it"
else
  finish_build
  run_tests fuzz
fi
exit "$tests_failed"
