#!/usr/bin/env bash
# Submissions under load: wrk POSTs a `mamori scan` result (20 KiB) to /api/v1/reports as a
# reporter (each request: a pre-filled draft, the JSON attached with its hashes, two
# history rows, two audit entries), then reads one report through the API, on SQLite and
# on PostgreSQL. Usage: bench/scripts/intake-wrk.sh [seconds]
# Needs: cargo build --release -p mamori-cli, wrk, PostgreSQL at 127.0.0.1:5432 (user postgres).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-15}
BIN=$PWD/target/release/mamori
SCAN=$PWD/crates/mamori-service/tests/fixtures/scan.json
LUA=$PWD/bench/scripts/intake-post.lua
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

run() { # name, extra args (database url)...
  local name=$1; shift
  local d="$WORK/$name"
  "$BIN" orgs add --data-dir "$d" "$@" --name IPA --kind ipa >/dev/null
  "$BIN" orgs add --data-dir "$d" "$@" --name 株式会社さくら --kind access_administrator >/dev/null
  "$BIN" users add --data-dir "$d" "$@" --org 株式会社さくら --role reporter --email r@sakura.example >/dev/null
  local token
  token=$("$BIN" tokens create --data-dir "$d" "$@" --user r@sakura.example 2>/dev/null)
  "$BIN" serve --data-dir "$d" --listen 127.0.0.1:0 "$@" >"$WORK/$name.out" 2>/dev/null &
  local pid=$!
  for _ in $(seq 100); do grep -q '^listening on' "$WORK/$name.out" 2>/dev/null && break; sleep 0.1; done
  local addr
  addr=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$WORK/$name.out")
  echo "== $name: POST /api/v1/reports (scan result → draft), wrk -t2 -c16 -d${SECS}s"
  SCAN=$SCAN TOKEN=$token wrk -t2 -c16 -d"${SECS}s" --latency -s "$LUA" "$addr/api/v1/reports" \
    | grep -E 'Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx|errors'
  echo "== $name: GET /api/v1/reports/1 (the report as its author sees it: authorization, history, audited view)"
  wrk -t2 -c16 -d"${SECS}s" --latency -H "Authorization: Bearer $token" "$addr/api/v1/reports/1" \
    | grep -E 'Latency|50%|99%|Requests/sec|Non-2xx'
  kill "$pid"; wait "$pid" || true
}

run sqlite
DB=mamori_intake_bench_$$
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" postgres
run postgres --database-url "postgres://postgres@127.0.0.1:5432/$DB"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $DB WITH (FORCE)" postgres
