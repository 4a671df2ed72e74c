#!/usr/bin/env bash
# The README's second command: install what the tests need, then build and run every test
# (unit, integration, slow) twice: the `ci` build (optimised, warnings are errors) and the `asan`
# build (AddressSanitizer + UndefinedBehaviorSanitizer). CI runs exactly this (.ci/run).
# Arguments go to both ctest runs (e.g. -L unit, -R golden). A full run (no arguments) then
# builds the `fuzz` preset (clang, libFuzzer + ASan + UBSan) and runs every fuzz target for
# 20 s over its seed corpus (docs/fuzzing.md): a few minutes more (the libraries built again with
# clang, which also proves they build with a second compiler, then 10 x 20 s of fuzzing).
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
if [ $# -eq 0 ]; then
  echo "== fuzz build"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
  echo "== fuzz tests"
  ctest --preset fuzz
fi
