#!/usr/bin/env bash
# The README's second command: install what the tests need, then build and run every test
# (unit, integration, slow) twice: the `ci` build (optimised, warnings are errors) and the `asan`
# build (AddressSanitizer + UndefinedBehaviorSanitizer). CI runs exactly this (.ci/run).
# Arguments go to both ctest runs (e.g. -L unit, -R golden). A full run (no arguments) then
# builds the `fuzz` preset (clang, libFuzzer + ASan + UBSan) and runs every fuzz target for a
# fixed number of executions over its seed corpus (docs/fuzzing.md). A run with arguments says
# that it skips the fuzz step; it never skips it silently.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
installer/deps.sh test
for preset in ci asan; do
  echo "== $preset build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "== $preset tests"
  ctest --preset "$preset" "$@"
done
if [ $# -ne 0 ]; then
  echo "== fuzz: SKIPPED (arguments given: $*); run installer/test.sh without arguments for it"
else
  echo "== fuzz build"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
  echo "== fuzz tests"
  ctest --preset fuzz
fi
