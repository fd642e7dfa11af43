#!/usr/bin/env bash
# A time-ordered 10 GiB stream: the 1 GiB generated day (2024-03-04) repeated as ten
# consecutive days (sed shifts the date), piped into `mamori scan -`. Used for the
# "memory flat whatever the size" figure in BENCHMARKS.md.
#   bash bench/scripts/ten_days.sh /tmp/bench/data/access-1G.log target/release/mamori
set -euo pipefail
LOG=$1
MAMORI=$2
for k in 0 1 2 3 4 5 6 7 8 9; do
  d0=$(printf '%02d' $((4 + k))); d1=$(printf '%02d' $((5 + k)))
  sed -e "s#\[04/Mar/2024:#[$d0/Mar/2024:#" -e "s#\[05/Mar/2024:#[$d1/Mar/2024:#" "$LOG"
done | "$MAMORI" scan --no-progress -j 2 - > /dev/null || test $? -le 1
