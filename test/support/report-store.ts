/**
 * SQLite stores for report and query tests: records priced by the built-in
 * price table and written through the real repository into a temp file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyUsage, type PromptRecord, type TokenUsage } from '../../src/core/record.js';
import { loadPriceTable, standardRequest } from '../../src/pricing/table.js';
import { SQLiteRepository } from '../../src/store/sqlite/repository.js';
import { sampleRecord } from './records.js';

export interface PricedRecordSpec {
  at: string;
  model?: string;
  usage?: Partial<TokenUsage>;
  overrides?: Partial<PromptRecord>;
}

/** Build a record at `at`, priced by the built-in table; a model without a price gives an unpriced record. */
export async function pricedRecord(spec: PricedRecordSpec): Promise<PromptRecord> {
  const table = await loadPriceTable();
  const model = spec.model ?? 'claude-sonnet-4-5';
  const usage = { ...emptyUsage(), ...spec.usage };
  const startedAt = new Date(spec.at);
  const result = table.price(standardRequest(model, startedAt, usage));
  return sampleRecord({
    startedAt,
    modelRequested: model,
    modelServed: null,
    usage,
    cost: result.cost,
    priceEntry: result.priceEntry,
    ...spec.overrides,
  });
}

/** Create a SQLite file in a fresh temp directory, insert `records` and return its path. */
export async function storeWith(records: PromptRecord[]): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'anthrotrace-report-')), 'store.db');
  const repository = new SQLiteRepository(path);
  await repository.init();
  await repository.insert(records);
  await repository.close();
  return path;
}

/** Open `path` for a test; the caller closes it. */
export async function openStore(path: string): Promise<SQLiteRepository> {
  const repository = new SQLiteRepository(path);
  await repository.init();
  return repository;
}
