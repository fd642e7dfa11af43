#!/usr/bin/env bash
# Load test of `mamori serve` with wrk: the sign-in page and an authenticated page,
# on SQLite and on PostgreSQL. Usage: bench/scripts/serve-wrk.sh [seconds]
# Needs: a release build (cargo build --release -p mamori-cli), wrk, PostgreSQL at
# 127.0.0.1:5432 (user postgres, trust) for the second half.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-15}
BIN=target/release/mamori
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

run() { # name, extra serve args...
  local name=$1; shift
  "$BIN" serve --data-dir "$WORK/$name" --listen 127.0.0.1:0 "$@" >"$WORK/$name.out" 2>/dev/null &
  local pid=$!
  for _ in $(seq 100); do grep -q '^listening on' "$WORK/$name.out" 2>/dev/null && break; sleep 0.1; done
  local addr link cookie
  addr=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$WORK/$name.out")
  link=$(grep -o 'http://[^ ]*/link/[0-9a-f]*' "$WORK/$name.out")
  cookie=$(curl -si "$link" | sed -n 's/^set-cookie: \(mamori_session=[0-9a-f]*\).*/\1/ip')
  echo "== $name: GET /login"
  wrk -t2 -c16 -d"${SECS}s" --latency "$addr/login" | grep -E 'Latency|50%|99%|Requests/sec'
  echo "== $name: GET / (signed in: session lookup, activity write at most once a minute, previous sign-in)"
  wrk -t2 -c16 -d"${SECS}s" --latency -H "Cookie: $cookie" "$addr/" | grep -E 'Latency|50%|99%|Requests/sec|Non-2xx'
  kill "$pid"; wait "$pid" || true
}

run sqlite
DB=mamori_bench_$$
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" postgres
run postgres --database-url "postgres://postgres@127.0.0.1:5432/$DB"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $DB WITH (FORCE)" postgres
