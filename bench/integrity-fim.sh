#!/usr/bin/env bash
# mamori integrity vs AIDE and the b3sum floor, side by side in one run, hot page cache.
# Uses the shared rig: /work/shared/bench (gen_tree.py, tamper_tree.py, lib/timed.py, lib/score_fim.py,
# conf/aide.conf.in). Needs: target/release/mamori, aide, b3sum, /usr/bin/time.
#   BENCH_DIR=/tmp/bench-integrity RUNS=3 bash bench/integrity-fim.sh [sections: gen time tamper]
set -euo pipefail
RIG=${RIG:-/work/shared/bench}
W=${BENCH_DIR:-/tmp/bench-integrity}
TREE=$W/fimtree
RES=$W/results.jsonl
RUNS=${RUNS:-3}
ONLY=${ONLY:-"gen time tamper"}
M=${MAMORI:-$(cd "$(dirname "$0")/.." && pwd)/target/release/mamori}
want() { [[ " $ONLY " == *" $1 "* ]]; }
T() { python3 "$RIG/lib/timed.py" --results "$RES" "$@"; }
mkdir -p "$W/aide" "$W/mamori" "$W/out"

if want gen && { [ ! -s "$TREE.manifest.json" ] || [ -e "$TREE.tampered" ]; }; then
  rm -f "$TREE.tampered"
  python3 "$RIG/gen_tree.py" --root "$TREE"
fi
BYTES=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['bytes'])" "$TREE.manifest.json")
NFILES=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['files'])" "$TREE.manifest.json")
A=(--bytes "$BYTES" --files "$NFILES")
echo "# $(date -u +%FT%TZ) tree: $NFILES files, $BYTES bytes; load: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
find "$TREE" -type f -print0 | xargs -0 cat > /dev/null   # hot page cache

D=$W/mamori/data
mi() { echo "$M integrity --data-dir $D --baseline $W/mamori/$1.json"; }
sed -e "s#@FIM@#$W#g; s#@TREE@#$TREE#g; s#@DIGEST@#SHA256#g" "$RIG/conf/aide.conf.in" > "$W/aide/aide.conf"

if want time; then
  B3="find '$TREE' -type f -print0 | xargs -0 -P2 -n2000 b3sum --num-threads 1 > '$W/out/sums.txt'"
  T --name "floor b3sum -j1 (xargs -P2), one pass" --runs "$RUNS" "${A[@]}" -- sh -c "$B3"
  T --name "floor b3sum -j1 (xargs -P2), two passes" --runs "$RUNS" "${A[@]}" -- sh -c "$B3; $B3"
  for h in blake3 sha256; do
    T --name "mamori integrity init ($h)" --runs "$RUNS" "${A[@]}" -- sh -c "$(mi $h) init --force --no-progress --hash $h '$TREE' > /dev/null"
    T --name "mamori integrity check ($h)" --runs "$RUNS" "${A[@]}" -- sh -c "$(mi $h) check --no-progress > /dev/null"
    T --name "mamori integrity init+check ($h)" --runs "$RUNS" "${A[@]}" -- sh -c "$(mi $h) init --force --no-progress --hash $h '$TREE' > /dev/null && $(mi $h) check --no-progress > /dev/null"
  done
  T --name "aide --init -W2" --runs "$RUNS" "${A[@]}" -- aide --init -c "$W/aide/aide.conf" -W 2
  mv "$W/aide/aide.db.new" "$W/aide/aide.db"
  T --name "aide --check -W2" --runs "$RUNS" "${A[@]}" -- aide --check -c "$W/aide/aide.conf" -W 2
fi

if want tamper; then
  [ -s "$W/aide/aide.db" ] || { aide --init -c "$W/aide/aide.conf" -W 2 >/dev/null; mv "$W/aide/aide.db.new" "$W/aide/aide.db"; }
  $(mi blake3) init --force --no-progress --hash blake3 "$TREE" > /dev/null
  python3 "$RIG/tamper_tree.py" --root "$TREE" --truth "$W/tamper.truth.json"
  touch "$TREE.tampered"
  $(mi blake3) check --no-progress --lang en > "$W/out/mamori-check-tampered.txt" || true
  $(mi blake3) check --no-progress --format json > "$W/out/mamori-check-tampered.json" || true
  aide --check -c "$W/aide/aide.conf" -W 2 > "$W/out/aide-check-tampered.txt" 2>&1 || true
  python3 "$RIG/lib/score_fim.py" mamori "$W/tamper.truth.json" "$TREE" "$W/out/mamori-check-tampered.txt" | tee "$W/score-mamori.json"
  python3 "$RIG/lib/score_fim.py" aide "$W/tamper.truth.json" "$TREE" "$W/out/aide-check-tampered.txt" | tee "$W/score-aide.json"
fi
