#!/usr/bin/env bash
# clang-tidy over every source of ours, with the checks in .clang-tidy, on the dev build's
# compile_commands.json. Exits non-zero on any finding.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -f build/dev/compile_commands.json ] || { cmake --preset dev >/dev/null && cmake --build --preset dev; }
mapfile -t files < <(git ls-files 'flows/*.cpp' 'devices/*.cpp' 'center/*.cpp' 'offline-cache/*.cpp' 'kiosk/*.cpp' 'bench/*.cpp')
if command -v run-clang-tidy >/dev/null 2>&1; then
  run-clang-tidy -quiet -j "$(nproc)" -p build/dev "${files[@]}"
else
  clang-tidy -p build/dev --quiet "${files[@]}"
fi
