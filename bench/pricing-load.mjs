// Cost of the price table on every `send`: loading it in a fresh process, and pricing one request.
// Baseline for the load: reading and JSON-parsing the same prices.json without validation.
// Usage: npm run build && node bench/pricing-load.mjs [RUNS=15] [PRICES=200000]
import { execFileSync } from 'node:child_process';

const runs = Number(process.argv[2] ?? 15);
const priceCalls = Number(process.argv[3] ?? 200000);
const dist = new URL('../dist/pricing/', import.meta.url).href;

const LOAD = `
const start = process.hrtime.bigint();
const { loadPriceTable } = await import('${dist}table.js');
await loadPriceTable();
console.log(Number(process.hrtime.bigint() - start) / 1e6);`;

const BASELINE = `
const start = process.hrtime.bigint();
const { readFileSync } = await import('node:fs');
JSON.parse(readFileSync(new URL('${dist}prices.json'), 'utf8'));
console.log(Number(process.hrtime.bigint() - start) / 1e6);`;

const PRICE = `
const { loadPriceTable } = await import('${dist}table.js');
const table = await loadPriceTable();
const usage = { inputTokens: 1792, outputTokens: 500, cacheWrite5mTokens: 5078, cacheWrite1hTokens: 0, cacheReadTokens: 134549, webSearchRequests: 0 };
const request = { model: 'claude-sonnet-4-5', at: new Date('2026-01-01T00:00:00Z'), usage, batch: false, inferenceGeo: null, speed: null };
for (let i = 0; i < 10000; i++) table.price(request);
const start = process.hrtime.bigint();
for (let i = 0; i < ${priceCalls}; i++) table.price(request);
console.log(Number(process.hrtime.bigint() - start) / ${priceCalls});`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function measure(script, count) {
  return median(Array.from({ length: count }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim())));
}

const load = measure(LOAD, runs);
const baseline = measure(BASELINE, runs);
const price = measure(PRICE, 5);
console.log(`load price table (import + read + validate), median of ${runs}: ${load.toFixed(2)} ms`);
console.log(`baseline read + JSON.parse of prices.json, median of ${runs}: ${baseline.toFixed(2)} ms (load/baseline ${(load / baseline).toFixed(1)}x)`);
console.log(`price() one request, median of 5 runs of ${priceCalls}: ${(price / 1000).toFixed(2)} µs`);
