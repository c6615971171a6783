#!/usr/bin/env bash
# Times `anthrotrace report --by day,model` on the ClickHouse store against the same SQL sent
# straight to the engine with curl (and two variants of it), with hyperfine.
# Usage (after npm run build): bench/clickhouse-report.sh [COUNT] [RUNS]
# Defaults: 10,000,000 records, 5 runs. The fixture is built once into .bench-data/ and reused.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-10000000}
runs=${2:-5}
data=".bench-data/clickhouse-report-$count"
mkdir -p "$data"

node --import tsx test/support/clickhouse-local.ts --port 0 --data "$data/chdb" >"$data/endpoint.out" 2>"$data/endpoint.err" &
endpoint=$!
trap 'kill "$endpoint" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q 'clickhouse-endpoint ready' "$data/endpoint.out" 2>/dev/null && break
  sleep 0.2
done
url=$(sed -n 's/^clickhouse-endpoint ready //p' "$data/endpoint.out")

if [ ! -f "$data/fixture.done" ]; then
  node bench/clickhouse-report.mjs fixture "$url" "$count"
  touch "$data/fixture.done"
fi
node bench/clickhouse-report.mjs requests "$url" "$data"
request_url=$(cat "$data/url.txt")
store="${url/http:/clickhouse:}/bench_report"

hyperfine --warmup 1 --runs "$runs" --export-markdown "$data/report.md" --export-json "$data/report.json" \
  -n 'anthrotrace report' "node bin/anthrotrace.js --store '$store' report --by day,model --from 2025-01-01 --to 2026-01-01 --tz UTC --format json" \
  -n 'same SQL (FINAL) with curl' "curl -sS --fail -o /dev/null --data-binary @$data/final.sql '$request_url'" \
  -n 'SQL without FINAL' "curl -sS --fail -o /dev/null --data-binary @$data/plain.sql '$request_url'" \
  -n 'SQL with LIMIT 1 BY id' "curl -sS --fail -o /dev/null --data-binary @$data/limit-by.sql '$request_url'"
