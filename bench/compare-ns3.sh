#!/usr/bin/env bash
# The chain benchmark beside ns-3, alternating runs on the same machine so the ratio survives a noisy host.
# Usage: bench/compare-ns3.sh [ROUNDS] [NODES] [FRAMES] [SIZE]   (defaults: 5 8 200000 1500)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds=${1:-5} nodes=${2:-8} frames=${3:-200000} size=${4:-1500}
ns3="$root/../shared/reference/ns3-chain/run.sh"
ours=() theirs=()
"$root/tsnsim" bench line --nodes 2 --frames 1000 --size 64 --repeat 1 >/dev/null   # build once, outside the timing
for i in $(seq "$rounds"); do
  ours+=("$("$root/tsnsim" bench line --nodes "$nodes" --frames "$frames" --size "$size" --repeat 3 | sed -n 's/.*frame_hops_per_s=\([0-9]*\).*/\1/p')")
  theirs+=("$("$ns3" --nodes="$nodes" --frames="$frames" --size="$size" | sed -n 's/.*frame_hops_per_s=\([0-9]*\).*/\1/p')")
  echo "round $i: tsnsim ${ours[-1]}  ns-3 ${theirs[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_ours=$(median "${ours[@]}") m_theirs=$(median "${theirs[@]}")
echo "median tsnsim frame_hops_per_s=$m_ours  ns-3 frame_hops_per_s=$m_theirs  ratio=$(awk -v a="$m_ours" -v b="$m_theirs" 'BEGIN {printf "%.2f", a / b}')"
