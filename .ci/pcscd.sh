#!/bin/sh
# Bring up the real PC/SC stack for the NFC-path tests (TOOLCHAIN.md "PC/SC stack"):
# pcscd with the vsmartcard vpcd driver, which listens on TCP for a virtual card.
# Idempotent: installs only what is missing, starts pcscd only when none is running.
#   SKM_VPCD_PORT    vpcd TCP port a virtual card connects to (default 35963)
#   SKM_VPCD_READER  PC/SC name of that reader (default "Virtual PCD 00 00")
# The NFC tests read the same two variables (test/nfc/helpers/vpcd-slot.ts).
set -eu

port="${SKM_VPCD_PORT:-35963}"
reader="${SKM_VPCD_READER:-Virtual PCD 00 00}"
socket=/run/pcscd/pcscd.comm
log="${TMPDIR:-/tmp}/skm-pcscd.log"

say() { printf 'pcscd.sh: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

missing=""
for pkg in pcscd libpcsclite-dev vsmartcard-vpcd; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  say "installing$missing"
  as_root apt-get update -qq
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
else
  say "packages present (pcscd, libpcsclite-dev, vsmartcard-vpcd)"
fi

# pcscd's vpcd driver writes length and APDU separately without TCP_NODELAY; with delayed ACKs on
# loopback every APDU then waits ~40 ms. quickack on the local route removes that (root only).
if [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null 2>&1; then
  if ip route replace local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 table local quickack 1 2>/dev/null; then
    say "loopback quickack route applied"
  else
    say "could not apply the quickack route (APDUs will be slower)"
  fi
fi

# Running = the pid in pcscd's pid file is alive (no pgrep: procps is not on every CI image).
pidfile=/run/pcscd/pcscd.pid
running() { [ -f "$pidfile" ] && kill -0 "$(tr -d '\0' < "$pidfile")" 2>/dev/null; }

if running && [ -S "$socket" ]; then
  say "pcscd already running (pid $(tr -d '\0' < "$pidfile"))"
elif [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && systemctl cat pcscd.service >/dev/null 2>&1; then
  # Under systemd pcscd is socket-activated and exits when idle; start it now so vpcd listens.
  say "starting pcscd.service"
  as_root systemctl start pcscd.service
else
  say "starting pcscd (log: $log)"
  as_root mkdir -p /run/pcscd
  as_root sh -c "nohup pcscd --foreground >'$log' 2>&1 &"
fi

i=0
while [ ! -S "$socket" ]; do
  i=$((i + 1))
  if [ "$i" -gt 100 ]; then say "pcscd socket $socket did not appear; see $log"; exit 1; fi
  sleep 0.1
done
say "pcscd socket ready: $socket"

# The vpcd port opens when pcscd loads the driver (reader.conf.d/vpcd).
# Checked in /proc/net/tcp (state 0A = LISTEN), not by connecting: a connection to vpcd would
# look like a card being tapped.
hexport=$(printf '%04X' "$port")
listening() { grep -qE "^ *[0-9]+: [0-9A-F]+:$hexport [0-9A-F]+:[0-9A-F]+ 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null; }
i=0
until listening; do
  i=$((i + 1))
  if [ "$i" -gt 100 ]; then say "vpcd port $port is not listening; check /etc/reader.conf.d/vpcd"; exit 1; fi
  sleep 0.1
done
say "vpcd listening on 127.0.0.1:$port (reader \"$reader\")"
