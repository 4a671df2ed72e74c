#!/usr/bin/env bash
# Installs the Debian packages a purpose needs: run (build + run the kiosk) or test (also the
# test suite). Idempotent: installs only what is missing, and says so. Works as root or via sudo.
#   installer/deps.sh run|test
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
purpose=${1:-run}
case "$purpose" in
  run) lists=(build run) ;;
  test) lists=(build run test) ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

wanted=()
for list in "${lists[@]}"; do
  while read -r pkg; do
    pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
    [ -n "$pkg" ] && wanted+=("$pkg")
  done < "$here/packages/$list.txt"
done

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#wanted[@]} packages for '$purpose' are installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# An update only when the package lists are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
  "${as_root[@]}" apt-get update -q
fi
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
