/**
 * A store for dashboard tests: four weeks of calls (three models, three
 * categories, cache reads and writes) that cross the 2026-03-08 daylight
 * saving change in New York, plus two benchmark runs in which one case got
 * dearer. Costs use made-up per-token rates: the tests compare the page with
 * `report` over the same store, so any consistent price will do.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyUsage, type PromptRecord, type TokenUsage } from '../../src/core/record.js';
import { SQLiteRepository } from '../../src/store/sqlite/repository.js';
import { sampleRecord } from './records.js';

/** Nano-dollars per token for each usage bucket, per model. */
const RATES: Record<string, { input: bigint; output: bigint; cacheWrite: bigint; cacheRead: bigint }> = {
  'claude-sonnet-4-5': { input: 3000n, output: 15_000n, cacheWrite: 3750n, cacheRead: 300n },
  'claude-haiku-4-5': { input: 1000n, output: 5000n, cacheWrite: 1250n, cacheRead: 100n },
  'claude-opus-4-1': { input: 15_000n, output: 75_000n, cacheWrite: 18_750n, cacheRead: 1500n },
};

/** Build a successful record at `at` with its cost computed from RATES. */
export function pricedRecord(spec: { at: string; model?: string; usage?: Partial<TokenUsage>; overrides?: Partial<PromptRecord> }): PromptRecord {
  const model = spec.model ?? 'claude-sonnet-4-5';
  const usage = { ...emptyUsage(), ...spec.usage };
  const rate = RATES[model]!;
  const input = BigInt(usage.inputTokens) * rate.input;
  const output = BigInt(usage.outputTokens) * rate.output;
  const cacheWrite5m = BigInt(usage.cacheWrite5mTokens) * rate.cacheWrite;
  const cacheRead = BigInt(usage.cacheReadTokens) * rate.cacheRead;
  return sampleRecord({
    startedAt: new Date(spec.at),
    modelRequested: model,
    modelServed: null,
    usage,
    cost: { input, output, cacheWrite5m, cacheWrite1h: 0n, cacheRead, webSearch: 0n, total: input + output + cacheWrite5m + cacheRead },
    priceEntry: `${model}@test`,
    ...spec.overrides,
  });
}

/** Write `records` into a fresh SQLite file in a temp directory and return its path. */
export async function storeWith(records: PromptRecord[]): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'anthrotrace-dashboard-')), 'store.db');
  const repository = await openStore(path);
  await repository.insert(records);
  await repository.close();
  return path;
}

/** Open the SQLite store at `path`; the caller closes it. */
export async function openStore(path: string): Promise<SQLiteRepository> {
  const repository = new SQLiteRepository(path);
  await repository.init();
  return repository;
}

/** "Now" for every test over this store, so `7d` and `now` mean fixed instants. */
export const DASHBOARD_NOW = '2026-03-10T18:00:00Z';
export const DASHBOARD_ZONE = 'America/New_York';

const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'];
const CATEGORIES = ['chat', 'extract', null];

export function dashboardRecords(): PromptRecord[] {
  const records: PromptRecord[] = [];
  const start = Date.parse('2026-02-11T03:00:00Z');
  for (let day = 0; day < 28; day++) {
    for (let call = 0; call < 4; call++) {
      const index = day * 4 + call;
      const at = new Date(start + day * 86_400_000 + call * 5 * 3_600_000 + index * 60_000).toISOString();
      records.push(
        pricedRecord({
          at,
          model: MODELS[index % MODELS.length],
          usage: {
            inputTokens: 1000 + index * 37,
            outputTokens: 200 + (index % 7) * 50,
            cacheReadTokens: index % 3 === 0 ? 5000 : 0,
            cacheWrite5mTokens: index % 5 === 0 ? 2000 : 0,
          },
          overrides: {
            id: `call-${index}`,
            requestId: `req_call_${index}`,
            category: CATEGORIES[index % CATEGORIES.length]!,
            promptText: `Summarise report ${index}`,
            responseSummary: `Report ${index} says…`,
          },
        }),
      );
    }
  }
  records.push(...benchRun('run-aaaaaa', 'a'.repeat(40), '2026-03-01T10:00:00Z', 1));
  records.push(...benchRun('run-bbbbbb', 'b'.repeat(40), '2026-03-08T10:00:00Z', 3));
  return records;
}

/** Two cases of three calls each; `outputFactor` multiplies the output tokens of the `summarise` case. */
function benchRun(runId: string, commit: string, at: string, outputFactor: number): PromptRecord[] {
  const records: PromptRecord[] = [];
  for (const caseName of ['classify', 'summarise']) {
    for (let repetition = 0; repetition < 3; repetition++) {
      const output = caseName === 'summarise' ? 400 * outputFactor + repetition : 20 + repetition;
      records.push(
        pricedRecord({
          at: new Date(Date.parse(at) + records.length * 1000).toISOString(),
          model: 'claude-haiku-4-5',
          usage: { inputTokens: 800, outputTokens: output },
          overrides: {
            id: `${runId}-${caseName}-${repetition}`,
            requestId: `req_${runId}_${caseName}_${repetition}`,
            source: 'bench',
            category: 'bench',
            durationMs: 400 + repetition * 10,
            tags: { bench_run: runId, bench_case: caseName, git_commit: commit },
          },
        }),
      );
    }
  }
  return records;
}

export async function dashboardStore(): Promise<string> {
  return storeWith(dashboardRecords());
}
