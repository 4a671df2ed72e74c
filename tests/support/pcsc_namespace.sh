#!/usr/bin/env bash
# Runs a command with a private pcscd: in new mount and network namespaces (root needed), with
# /run/pcscd on a tmpfs and two vpcd readers, "Virtual PCD 00 00" on TCP 35963 and
# "Virtual PCD 00 01" on 35964, on this namespace's own loopback. Parallel tests each get their
# own pcscd and ports, and never touch the machine's pcscd or real readers.
#   tests/support/pcsc_namespace.sh <command> [args...]
set -euo pipefail
if [ "${MK_IN_PCSC_NAMESPACE:-}" != 1 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "pcsc_namespace: needs root (unshare, mount)" >&2; exit 77; }
  mkdir -p /run/pcscd
  MK_IN_PCSC_NAMESPACE=1 exec unshare --mount --net --propagation private "$0" "$@"
fi
ip link set lo up
mount -t tmpfs tmpfs /run/pcscd
conf=$(mktemp -d)
cat > "$conf/reader.conf" <<CONF
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:0x8C7B
LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
CHANNELID    0x8C7B
CONF
pcscd --foreground --config "$conf/reader.conf" >"$conf/pcscd.log" 2>&1 &
pcscd_pid=$!
cleanup() { kill "$pcscd_pid" 2>/dev/null || true; wait "$pcscd_pid" 2>/dev/null || true; rm -rf "$conf"; }
trap cleanup EXIT
for _ in $(seq 100); do [ -S /run/pcscd/pcscd.comm ] && break; sleep 0.05; done
[ -S /run/pcscd/pcscd.comm ] || { echo "pcsc_namespace: pcscd did not start" >&2; cat "$conf/pcscd.log" >&2; exit 1; }
export MK_PCSCD_PID=$pcscd_pid MK_PCSCD_CONF="$conf/reader.conf"
"$@"
