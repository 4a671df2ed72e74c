#!/usr/bin/env bash
# The README's second command: install what the tests need, build with warnings as errors, and
# run every test (unit, integration, slow). CI runs exactly this (.ci/run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
installer/deps.sh test
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci "$@"
