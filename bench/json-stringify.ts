/**
 * Time per record of `stringifyJson(recordToJson(record))`, the line that
 * `query --format jsonl` writes, against the replacer-based implementation it
 * replaced (kept here as the baseline).
 * Usage: node --import tsx bench/json-stringify.ts [rounds]
 */
import { DecimalNumber, stringifyJson } from '../src/core/json.js';
import { recordToJson } from '../src/core/record-json.js';
import { randomRecords } from '../test/support/records.js';

const MARKER = '\u0000decimal:';

/** The baseline: a replacer function that marks decimals, then a regular expression that unquotes them. */
function stringifyWithReplacer(value: unknown): string {
  const text = JSON.stringify(value, function replace(this: unknown, key: string, item: unknown) {
    const original = (this as Record<string, unknown>)[key];
    if (original instanceof DecimalNumber) return MARKER + original.text;
    if (typeof item === 'bigint') return MARKER + item.toString();
    return item;
  });
  return text.replace(/"\\u0000decimal:(-?\d+(?:\.\d+)?)"/g, '$1');
}

const rounds = Number(process.argv[2] ?? 5);
const values = randomRecords(20_000, { seed: 42 }).map(recordToJson);
for (const value of values) {
  if (stringifyJson(value) !== stringifyWithReplacer(value)) throw new Error(`outputs differ for record ${value.id}`);
}

function microsecondsPerRecord(stringify: (value: unknown) => string): number {
  const started = performance.now();
  let length = 0;
  for (let repeat = 0; repeat < 10; repeat++) for (const value of values) length += stringify(value).length;
  if (length === 0) throw new Error('no output');
  return ((performance.now() - started) * 1000) / (values.length * 10);
}

const median = (items: number[]) => [...items].sort((a, b) => a - b)[Math.floor(items.length / 2)]!;
const baseline: number[] = [];
const current: number[] = [];
for (let round = 0; round < rounds; round++) {
  baseline.push(microsecondsPerRecord(stringifyWithReplacer));
  current.push(microsecondsPerRecord(stringifyJson));
  console.log(`round ${round + 1}: replacer ${baseline.at(-1)!.toFixed(2)} µs, stringifyJson ${current.at(-1)!.toFixed(2)} µs per record`);
}
console.log(`median: replacer ${median(baseline).toFixed(2)} µs, stringifyJson ${median(current).toFixed(2)} µs per record, ratio ${(median(current) / median(baseline)).toFixed(2)}`);
