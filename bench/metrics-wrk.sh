#!/usr/bin/env bash
# 200 concurrent connections scraping `anthrotrace serve-metrics` for 30 seconds
# with wrk, twice, printing the server's resident memory (VmRSS) before, between
# and after, so a leak shows as growth from one run to the next.
# Usage: bash bench/metrics-wrk.sh STORE [SECONDS]   (needs wrk and a built dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:?usage: bash bench/metrics-wrk.sh STORE [SECONDS]}
seconds=${2:-30}
work=$(mktemp -d)
node bin/anthrotrace.js --store "$store" serve-metrics --port 0 2>"$work/stderr" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT

url=''
for _ in $(seq 1 600); do
  url=$(grep -o 'http://[^ ]*/metrics' "$work/stderr" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "serve-metrics did not start: $(cat "$work/stderr")" >&2; exit 1; }
# The first scrape waits for the whole store to be aggregated.
curl -sf "$url" >/dev/null
rss() { awk '/^VmRSS/ { print $2 " kB" }' "/proc/$server/status"; }

echo "RSS after the first scrape: $(rss)"
for run in 1 2; do
  wrk -t 2 -c 200 -d "${seconds}s" --latency "$url"
  echo "RSS after wrk run $run: $(rss)"
done
echo "server log:"
cat "$work/stderr"
