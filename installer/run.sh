#!/usr/bin/env bash
# The README's first command: install what the kiosk needs, build it, and run it on its embedded
# default (built-in configuration; virtual cards on a private pcscd, and the centre simulator as
# it arrives).
# With a display ($DISPLAY or $WAYLAND_DISPLAY) the kiosk opens its window; without one it runs
# headless through the demo script and writes a PNG of every screen it shows.
# It runs mynakiosk-demo: the kiosk with its simulated world (virtual cards, the centre simulator
# playing the issuer) in its process; the installed mynakiosk has none of that.
# Extra arguments go to mynakiosk-demo (e.g. --config FILE).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
installer/deps.sh run
cmake --preset release >/dev/null
cmake --build --preset release
kiosk=build/release/kiosk/mynakiosk-demo
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$kiosk" "$@"
fi
shots="$root/screenshots/$(date +%Y%m%d-%H%M%S)"
echo "run: no display found; running the kiosk headless through assets/scripts/demo.script"
# The virtual cards need pcscd with the vpcd readers: a private one, in its own namespaces, so
# the machine's pcscd and real readers are left alone (root needed, as for installing).
tests/support/pcsc_namespace.sh "$kiosk" --headless --script assets/scripts/demo.script \
  --screenshots "$shots" "$@"
echo "run: screenshots of every screen shown are in $shots"
