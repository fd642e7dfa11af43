#!/usr/bin/env bash
# Interleaved timing of whole commands, for machines whose speed drifts from one minute
# to the next: each round runs every command once, in turn, so all see the same drift.
#
#   bench/scripts/interleave.sh ROUNDS CMD...
#
# Prints per command the wall time min / median / max and the mean user CPU (GNU time).
# Example (BENCHMARKS.md, 2026-12-06):
#   bench/scripts/interleave.sh 9 "grep -cF zzqx access-1G.log" \
#     "mamori scan --no-progress -j2 --no-crs access-1G.log"
set -euo pipefail
n=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for _ in $(seq "$n"); do
  i=0
  for c in "$@"; do
    /usr/bin/time -f "%e %U" -o "$tmp/t" bash -c "$c > /dev/null 2>&1" || true
    # GNU time writes "Command exited with non-zero status" first when the command fails.
    tail -n 1 "$tmp/t" >> "$tmp/$i"
    i=$((i + 1))
  done
done
i=0
for c in "$@"; do
  sort -n "$tmp/$i" | awk -v c="$c" '{a[NR]=$1; u+=$2}
    END {printf "min %.3f  med %.3f  max %.3f  user %.2f  %s\n", a[1], a[int((NR+1)/2)], a[NR], u/NR, c}'
  i=$((i + 1))
done
