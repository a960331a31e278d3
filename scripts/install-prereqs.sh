#!/usr/bin/env bash
# Makes this machine able to load TorchSharp 0.107's native shim, which needs libstdc++ with
# GLIBCXX_3.4.32 (GCC 13+). Debian 12 ships GCC 12's libstdc++ (up to 3.4.30), so on Debian 12
# this installs libstdc++6 from Debian 13 (trixie), pinned low so nothing else moves to trixie.
# Idempotent: does nothing when the symbol version is already there.
set -euo pipefail

needed=GLIBCXX_3.4.32
# awk reads all of its input (no early exit): an early exit would kill ldconfig with SIGPIPE under pipefail.
lib=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {print $NF; found = 1}')
lib=${lib:-/lib/x86_64-linux-gnu/libstdc++.so.6}

if [ -f "$lib" ] && grep -aq "$needed" "$lib"; then
  echo "prereqs: $lib already provides $needed"
  exit 0
fi

sources=/etc/apt/sources.list.d/debian.sources
if ! grep -q '^VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null || [ ! -f "$sources" ]; then
  echo "prereqs: $lib lacks $needed, which TorchSharp's native library needs." >&2
  echo "prereqs: install a libstdc++ from GCC 13 or newer (Debian 13, Ubuntu 24.04, Fedora 39+ have one)." >&2
  exit 1
fi

# Reuse the mirror this machine already uses for Debian itself.
mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$sources")
list=/etc/apt/sources.list.d/linen-trixie.list
pin=/etc/apt/preferences.d/linen-trixie
commands=(
  "echo 'deb $mirror trixie main' > $list"
  "printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > $pin"
  "apt-get update"
  "DEBIAN_FRONTEND=noninteractive apt-get install -y -t trixie --no-install-recommends libstdc++6"
)

if [ "$(id -u)" -ne 0 ]; then
  echo "prereqs: $lib lacks $needed. As root, run:" >&2
  printf '  %s\n' "${commands[@]}" >&2
  exit 1
fi

echo "prereqs: installing libstdc++6 from Debian 13 (trixie, mirror $mirror) for $needed;"
echo "prereqs: this also upgrades libc6 and a few base packages (pinned: nothing else follows)."
for c in "${commands[@]}"; do bash -c "$c"; done
grep -aq "$needed" "$lib" || { echo "prereqs: $needed still missing after install" >&2; exit 1; }
echo "prereqs: done"
