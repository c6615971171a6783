/**
 * Valid prompt records for tests: `sampleRecord` builds one with overrides,
 * and `randomRecords` a reproducible series from a seed. Costs are made up
 * but consistent (total = sum of the buckets); tests that need real prices
 * use a price table instead.
 */
import type { PromptRecord } from '../../src/core/record.js';

/** A small seeded generator (mulberry32), so a failing series can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let counter = 0;

/** Build a priced, successful `send` record; every field can be overridden. Ids are unique within the process. */
export function sampleRecord(overrides: Partial<PromptRecord> = {}): PromptRecord {
  counter += 1;
  const serial = `${process.pid}-${counter}`;
  return {
    id: `rec-${serial}`,
    requestId: `req_${serial}`,
    messageId: `msg_${serial}`,
    startedAt: new Date('2026-03-01T12:00:00.000Z'),
    durationMs: 850,
    timeToFirstTokenMs: null,
    modelRequested: 'claude-sonnet-4-5',
    modelServed: 'claude-sonnet-4-5-20250929',
    category: null,
    tags: {},
    source: 'send',
    status: 'ok',
    errorType: null,
    httpStatus: 200,
    stopReason: 'end_turn',
    attempts: 1,
    usage: { inputTokens: 1000, outputTokens: 200, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, webSearchRequests: 0 },
    serviceTier: 'standard',
    batch: false,
    inferenceGeo: null,
    speed: null,
    cost: { input: 3_000_000n, output: 3_000_000n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: 6_000_000n },
    priceEntry: 'claude-sonnet-4-5-20250929@2025-09-29',
    promptHash: null,
    promptText: null,
    responseSummary: null,
    ...overrides,
  };
}

const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1', 'unpriced-model'];
const CATEGORIES = [null, 'chat', 'summarise', 'extract'];
const TEAMS = ['search', 'billing', 'ml'];

export interface RandomRecordOptions {
  seed?: number;
  /** First start time; records follow at random gaps of up to `maxGapMs`. */
  startMs?: number;
  maxGapMs?: number;
}

/** Build `count` varied valid records in start-time order: models, categories, tags, errors, unpriced models, text. */
export function randomRecords(count: number, options: RandomRecordOptions = {}): PromptRecord[] {
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const integer = (max: number) => Math.floor(random() * (max + 1));
  let time = options.startMs ?? Date.UTC(2026, 0, 1);
  const records: PromptRecord[] = [];

  for (let index = 0; index < count; index += 1) {
    time += integer(options.maxGapMs ?? 60_000);
    const model = pick(MODELS);
    const failed = random() < 0.1;
    const usage = {
      inputTokens: failed ? 0 : integer(50_000),
      outputTokens: failed ? 0 : integer(4_000),
      cacheWrite5mTokens: integer(3) === 0 ? integer(20_000) : 0,
      cacheWrite1hTokens: integer(5) === 0 ? integer(20_000) : 0,
      cacheReadTokens: integer(2) === 0 ? integer(100_000) : 0,
      webSearchRequests: integer(9) === 0 ? integer(3) : 0,
    };
    const input = BigInt(usage.inputTokens) * 3000n;
    const output = BigInt(usage.outputTokens) * 15000n;
    const cacheWrite5m = BigInt(usage.cacheWrite5mTokens) * 3750n;
    const cacheWrite1h = BigInt(usage.cacheWrite1hTokens) * 6000n;
    const cacheRead = BigInt(usage.cacheReadTokens) * 300n;
    const webSearch = BigInt(usage.webSearchRequests) * 10_000_000n;
    const priced = model !== 'unpriced-model';
    const tags: Record<string, string> = {};
    if (random() < 0.7) tags.team = pick(TEAMS);
    if (random() < 0.3) tags.env = pick(['prod', 'dev']);

    records.push(
      sampleRecord({
        id: `rnd-${options.seed ?? 1}-${index}`,
        requestId: random() < 0.05 ? null : `req_rnd_${options.seed ?? 1}_${index}`,
        startedAt: new Date(time),
        durationMs: integer(30_000),
        timeToFirstTokenMs: random() < 0.5 ? integer(2_000) : null,
        modelRequested: model,
        modelServed: failed ? null : `${model}-20250929`,
        category: pick(CATEGORIES),
        tags,
        source: pick(['send', 'bench', 'import'] as const),
        status: failed ? 'error' : 'ok',
        errorType: failed ? 'overloaded_error' : null,
        httpStatus: failed ? 529 : 200,
        stopReason: failed ? null : 'end_turn',
        attempts: 1 + integer(2),
        usage,
        serviceTier: pick([null, 'standard', 'batch']),
        batch: random() < 0.1,
        inferenceGeo: pick([null, 'global', 'us']),
        speed: pick([null, 'standard', 'fast']),
        cost: priced
          ? { input, output, cacheWrite5m, cacheWrite1h, cacheRead, webSearch, total: input + output + cacheWrite5m + cacheWrite1h + cacheRead + webSearch }
          : null,
        priceEntry: priced ? `${model}-20250929@2025-09-29` : null,
        promptHash: random() < 0.5 ? 'a'.repeat(64) : null,
        promptText: random() < 0.3 ? `prompt ${index} with "quotes", ünïcode and a\nnewline` : null,
        responseSummary: random() < 0.3 ? `reply ${index}` : null,
      }),
    );
  }
  return records;
}
