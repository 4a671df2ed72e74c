#!/usr/bin/env bash
# The README's second command: install what the tests need, then build and run every test
# (unit, integration, slow) twice: the `ci` build (optimised, warnings are errors) and the `asan`
# build (AddressSanitizer + UndefinedBehaviorSanitizer). CI runs exactly this (.ci/run).
# Arguments go to both ctest runs (e.g. -L unit, -R golden).
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
