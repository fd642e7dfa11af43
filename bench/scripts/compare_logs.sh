#!/usr/bin/env bash
# `mamori scan` against its peers and floors on the generated logs of ../shared/bench,
# measured side by side in one run (hot page cache). Prints a markdown table.
#
#   bash bench/scripts/compare_logs.sh              # all sections
#   ONLY="quality" bash bench/scripts/compare_logs.sh
#
# Env: BENCH_DIR (default /tmp/bench), SHARED (default ../shared/bench), RUNS (default 3),
#      ONLY (sections: gen floors mamori fail2ban goaccess big quality).
# Peers: `apt-get install -y fail2ban goaccess` (or ../shared/bench/setup.sh).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$HERE/../shared/bench}
W=${BENCH_DIR:-/tmp/bench}
DATA=$W/data
RES=$W/results/mamori-logs.jsonl
RUNS=${RUNS:-3}
ONLY=${ONLY:-"gen floors mamori fail2ban goaccess big quality"}
want() { [[ " $ONLY " == *" $1 "* ]]; }
mkdir -p "$DATA" "$(dirname "$RES")"
MAMORI=$HERE/target/release/mamori
(cd "$HERE" && cargo build --release -q -p mamori-cli)
T() { python3 "$SHARED/lib/timed.py" --results "$RES" "$@"; }
sz() { stat -c %s "$1"; }
nl() { wc -l < "$1"; }

NG1G=$DATA/access-1G.log
NG100=$DATA/access-100M.log
AU100=$DATA/auth-100M.log
if want gen; then
  [ -s "$NG1G" ]  || python3 "$SHARED/gen_nginx_log.py" -o "$NG1G"  --size 1GiB
  [ -s "$NG100" ] || python3 "$SHARED/gen_nginx_log.py" -o "$NG100" --size 100MiB
  [ -s "$AU100" ] || python3 "$SHARED/gen_auth_log.py"  -o "$AU100" --size 100MiB
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for f in "$NG1G" "$NG100" "$AU100"; do cat "$f" > /dev/null; done

if want floors; then
  T --name "floor cat access-1G" --runs "$RUNS" --bytes "$(sz "$NG1G")" --lines "$(nl "$NG1G")" -- sh -c "cat '$NG1G' > /dev/null"
  T --name "floor grep -cF access-1G" --runs "$RUNS" --bytes "$(sz "$NG1G")" --lines "$(nl "$NG1G")" --stdout "$W/floor.txt" -- env LC_ALL=C grep -c -F 'POST /wp-login.php' "$NG1G"
fi
if want mamori; then
  for f in "$NG1G" "$NG100" "$AU100"; do
    n=$(basename "$f" .log)
    for j in 1 2; do
      T --name "mamori scan -j$j $n" --runs "$RUNS" --bytes "$(sz "$f")" --lines "$(nl "$f")" --stdout "$W/mamori-$n.txt" \
        -- "$MAMORI" scan --no-progress --no-crs -j "$j" "$f"
    done
  done
  # With the OWASP CRS of Debian's modsecurity-crs (the default when it is installed).
  if [ -d /usr/share/modsecurity-crs/rules ]; then
    for f in "$NG1G" "$NG100"; do
      n=$(basename "$f" .log)
      for j in 1 2; do
        T --name "mamori scan -j$j +CRS $n" --runs "$RUNS" --bytes "$(sz "$f")" --lines "$(nl "$f")" \
          -- "$MAMORI" scan --no-progress -j "$j" "$f"
      done
    done
  fi
  # Several files over the cores: the 1 GiB log split in 4 parts (rotations).
  if [ ! -s "$DATA/split/part-ad" ]; then
    mkdir -p "$DATA/split" && split -n l/4 "$NG1G" "$DATA/split/part-"
  fi
  T --name "mamori scan -j2 access-1G as 4 files" --runs "$RUNS" --bytes "$(sz "$NG1G")" --lines "$(nl "$NG1G")" \
    -- "$MAMORI" scan --no-progress --no-crs -j 2 "$DATA/split/"
fi
if want fail2ban; then
  for flt in nginx-botsearch "$SHARED/conf/fail2ban/http-injection.conf"; do
    n=$(basename "$flt" .conf)
    T --name "fail2ban-regex $n access-100M" --runs 1 --warmup 0 --bytes "$(sz "$NG100")" --lines "$(nl "$NG100")" \
      -- fail2ban-regex --print-no-missed --print-no-ignored "$NG100" "$flt"
  done
  T --name "fail2ban-regex sshd auth-100M" --runs 1 --warmup 0 --bytes "$(sz "$AU100")" --lines "$(nl "$AU100")" \
    -- fail2ban-regex --print-no-missed --print-no-ignored "$AU100" sshd
fi
if want goaccess; then
  for f in "$NG100" "$NG1G"; do
    n=$(basename "$f" .log)
    T --name "goaccess json $n" --runs 1 --warmup 0 --bytes "$(sz "$f")" --lines "$(nl "$f")" \
      -- goaccess "$f" --no-global-config --log-format=COMBINED --no-progress -o "$W/goaccess-$n.json"
  done
fi
if want big; then
  # 10 GiB through a pipe (the 1 GiB log ten times): memory must stay flat.
  T --name "mamori scan -j2 10 GiB (stdin)" --runs 1 --warmup 0 --bytes "$(( $(sz "$NG1G") * 10 ))" --lines "$(( $(nl "$NG1G") * 10 ))" \
    -- sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do cat '$NG1G'; done | '$MAMORI' scan --no-progress --no-crs -j 2 - > /dev/null; test \$? -le 1"
fi
python3 - "$RES" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows[r["name"]] = r
print("| what | runs | median wall s | cpu s | MB/s | lines/s | peak RSS MiB | load1 |")
print("|---|---|---|---|---|---|---|---|")
for r in rows.values():
    print("| %s | %d | %.3f | %.2f | %s | %s | %.1f | %.1f |" % (
        r["name"], r["runs"], r["wall_median"], r["cpu_median"],
        "%.1f" % r["MB_per_s"] if "MB_per_s" in r else "-",
        "{:,.0f}".format(r["lines_per_s"]) if "lines_per_s" in r else "-",
        r["rss_mib_max"], statistics.median(r["load1_at_start"])))
PY
if want quality; then
  for f in "$NG1G" "$NG100" "$AU100"; do
    echo; echo "### $(basename "$f")"; python3 "$HERE/bench/scripts/score_scan.py" "$MAMORI" "$f"
  done
fi
