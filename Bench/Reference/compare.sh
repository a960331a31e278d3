#!/usr/bin/env bash
# Linen.Bench against PyTorch eager on the same machine, in alternating rounds: a shared machine's speed drifts by
# tens of percent within minutes, so one run of each says little. Prints, per case, the median throughput of each and
# the median, lowest and highest of the per-round ratios Linen / PyTorch (above 1: Linen is faster).
# Needs the chroot of make-chroot.sh and a Release build of Bench; run from the repository root, as root (chroot).
# Usage: bash Bench/Reference/compare.sh [ROUNDS] [CASE...]   (default: 5 rounds of mlp and lenet)
set -euo pipefail
rounds=5
if [ $# -gt 0 ]; then rounds=$1; shift; fi
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(mlp lenet)
root=${LINEN_TORCH_CHROOT:-/opt/trixie}
bench=Bench/bin/Release/net10.0/linux-x64/Linen.Bench.dll
[ -f "$bench" ] || { echo "build first: dotnet build Bench/Linen.Bench.csproj -c Release" >&2; exit 2; }
[ -x "$root/usr/bin/python3" ] || { echo "no PyTorch chroot at $root: bash Bench/Reference/make-chroot.sh" >&2; exit 2; }
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
out=$(mktemp -d -p "$root/tmp")   # inside the chroot, where PyTorch writes its JSON too
trap 'rm -rf "$out"' EXIT
# PyTorch gets the settings Linen's engine gives every process (Functional/Core/Engine.cs).
tunables=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824
for round in $(seq "$rounds"); do
  echo "round $round of $rounds" >&2
  dotnet "$bench" "${cases[@]}" --out "$out/linen-$round.json" > /dev/null
  env GLIBC_TUNABLES=$tunables GOMP_SPINCOUNT=10000 chroot "$root" python3 - "${cases[@]}" \
    --json "${out#"$root"}/torch-$round.json" < Bench/Reference/pytorch_reference.py > /dev/null 2>&1
done
python3 - "$out" "$rounds" <<'EOF'
import json, statistics, sys
folder, rounds = sys.argv[1], int(sys.argv[2])
def rows(name):
    return {(r["case"], r["metric"]): r for r in json.load(open(f"{folder}/{name}.json"))["rows"]}
linen = [rows(f"linen-{i}") for i in range(1, rounds + 1)]
torch = [rows(f"torch-{i}") for i in range(1, rounds + 1)]
print(f"{'case':<10} {'metric':<24} {'Linen':>9} {'PyTorch':>9} {'unit':<9} {'ratio':>6} {'lowest':>7} {'highest':>7}")
for key in torch[0]:
    if key not in linen[0]:
        continue
    ours = [run[key]["linen"] for run in linen]
    theirs = [run[key]["value"] for run in torch]
    ratios = [a / b for a, b in zip(ours, theirs)]
    print(f"{key[0]:<10} {key[1]:<24} {statistics.median(ours):9.0f} {statistics.median(theirs):9.0f} "
          f"{torch[0][key]['unit']:<9} {statistics.median(ratios):6.2f} {min(ratios):7.2f} {max(ratios):7.2f}")
print(f"{rounds} alternating rounds; ratio = Linen / PyTorch throughput per round")
EOF
