#!/usr/bin/env bash
# Builds the Debian 13 (trixie) chroot that pytorch_reference.py runs in: Debian's PyTorch with OpenMP OpenBLAS,
# kept apart from the host (Debian 12 has no python3-torch). As root; ~2 minutes and ~1.5 GB.
# Usage: bash Bench/Reference/make-chroot.sh [DIR]   (default /opt/trixie)
set -euo pipefail
root=${1:-/opt/trixie}
sources=/etc/apt/sources.list.d/debian.sources
# Reuse the mirror this machine already uses for Debian itself.
mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$sources")
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap
[ -x "$root/usr/bin/python3" ] || debootstrap --variant=minbase trixie "$root" "$mirror"
chroot "$root" bash -c "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  python3-torch python3-numpy libopenblas0-openmp"
# PyTorch reads the CPU's features from /proc/cpuinfo: without it, it runs its slowest (non-AVX) kernels.
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
echo "ready: chroot $root python3 - mlp lenet < Bench/Reference/pytorch_reference.py"
