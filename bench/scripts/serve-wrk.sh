#!/usr/bin/env bash
# Load test of `mamori serve` with wrk: the sign-in page, an authenticated page and
# the sign-in itself (POST /login with the right password: throttle counters, the
# shared credential-stuffing window, account update, session and audit writes; the
# password hash is the cheap test setting, MAMORI_INSECURE_FAST_HASHING, so that the
# platform's own work is measured, not Argon2id, which the guard section covers), on
# SQLite and on PostgreSQL. Usage: bench/scripts/serve-wrk.sh [seconds]
# Needs: a release build (cargo build --release -p mamori-cli), wrk, PostgreSQL at
# 127.0.0.1:5432 (user postgres, trust) for the second half.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-15}
BIN=${MAMORI_BIN:-target/release/mamori}   # MAMORI_BIN: another build, for a before/after
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

run() { # name, extra serve args...
  local name=$1; shift
  MAMORI_INSECURE_FAST_HASHING=1 "$BIN" serve --data-dir "$WORK/$name" --listen 127.0.0.1:0 \
    --trusted-proxy 127.0.0.1/32 "$@" >"$WORK/$name.out" 2>/dev/null &
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
  # People with passwords, set through their one-time links as a person would.
  "$BIN" orgs add --data-dir "$WORK/$name" "$@" --name "ベンチ株式会社" --kind access_administrator >/dev/null
  local i setlink
  for i in $(seq "$ACCOUNTS"); do
    setlink=$("$BIN" users add --data-dir "$WORK/$name" "$@" --org "ベンチ株式会社" --role reporter \
      --email "bench$i@bench.example" | grep -o '/set-password/[0-9a-f]*')
    curl -s -o /dev/null -b mamori_pre=bench --data-urlencode csrf=bench \
      --data-urlencode "password=$PASSWORD" "$addr$setlink"
  done
  echo "== $name: POST /login ($ACCOUNTS people, random addresses, right password; cheap hash)"
  ACCOUNTS=$ACCOUNTS PASSWORD="$PASSWORD" wrk -t2 -c16 -d"${SECS}s" --latency \
    -s bench/scripts/login.lua "$addr/login" | grep -E 'Latency|50%|99%|Requests/sec|Non-2xx'
  kill "$pid"; wait "$pid" || true
}
PASSWORD="violet lantern gravel orbit"
ACCOUNTS=32

run sqlite
DB=mamori_bench_$$
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" postgres
run postgres --database-url "postgres://postgres@127.0.0.1:5432/$DB"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $DB WITH (FORCE)" postgres
