#!/usr/bin/env bash
# Start-up time of the command line against a bare Node.js process, measured
# in one hyperfine run so that all three commands share the machine's state.
# Target: `--version` and `report` on an empty store within 2 times `node -e 0`.
# Usage: bash bench/startup.sh [runs]   (needs hyperfine and a built dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store="$work/empty.db"
node bin/anthrotrace.js report --store "$store" >/dev/null

hyperfine --warmup 3 --runs "$runs" --export-json "$work/startup.json" \
  --command-name 'node -e 0' 'node -e 0' \
  --command-name 'anthrotrace --version' 'node bin/anthrotrace.js --version' \
  --command-name 'anthrotrace report (empty store)' "node bin/anthrotrace.js report --store $store"

node -e '
const results = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
const baseline = results[0].median;
for (const r of results) {
  console.log(`${r.command.padEnd(34)} median ${(r.median * 1000).toFixed(1)} ms  ratio ${(r.median / baseline).toFixed(2)}`);
}' "$work/startup.json"
