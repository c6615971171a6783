#!/usr/bin/env bash
# `anthrotrace report --by day,model --tz UTC` over SQLite stores of 1,000,000 and 10,000,000 records,
# against the same grouping written by hand in SQL and run with better-sqlite3 (bench/report-sqlite.mjs
# baseline). Both commands start a Node.js process, so the ratio includes start-up on both sides.
# Target: the report within 1.5 times the hand-written query.
# Usage: bash bench/report-sqlite.sh [runs]   (needs hyperfine and a built dist/)
# Fixtures are built on first use under .bench-data/, which git ignores; 10,000,000 records take
# about 3 GB and several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
mkdir -p .bench-data

for count in 1000000 10000000; do
  store=".bench-data/report-$((count / 1000000))m.db"
  [ -f "$store" ] || node bench/report-sqlite.mjs fixture "$store" "$count"
  json=$(mktemp)
  hyperfine --warmup 1 --runs "$runs" --export-json "$json" \
    --command-name "hand-written SQL, $count records" "node bench/report-sqlite.mjs baseline $store" \
    --command-name "report --by day,model, $count records" \
    "node bin/anthrotrace.js --store $store report --by day,model --tz UTC --format json" >&2
  node -e '
    const results = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
    // CPU time (user + system, hyperfine means) is reported beside wall time because it moves
    // less when other processes share the cores.
    const cpu = (result) => result.user + result.system;
    for (const result of results) {
      console.log(`${result.command}: median ${result.median.toFixed(3)} s wall, ${cpu(result).toFixed(3)} s CPU, ${result.times.length} runs`);
    }
    const [baseline, report] = results;
    console.log(`ratio report / hand-written: ${(report.median / baseline.median).toFixed(2)} wall, ${(cpu(report) / cpu(baseline)).toFixed(2)} CPU`);
  ' "$json"
  rm -f "$json"
done
