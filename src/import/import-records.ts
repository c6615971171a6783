/**
 * Import of JSON-lines records into any store, all or nothing.
 *
 * The input is read once, line by line. Each line is parsed, validated and
 * priced, and its record is written to a staging file (see staging.ts), so
 * memory stays flat for any size and standard input needs no copy. Nothing
 * reaches the store unless every line was valid (or `skipInvalid` is set).
 * Then the staged records are inserted in batches, each batch one
 * transaction, so other processes can write to the store between batches.
 * An SQLite store copies the staged rows itself, and other stores receive
 * them as records through `insert`.
 *
 * NOTE: a store failure while inserting leaves the batches before it stored.
 * Running the same import again then adds only the rest, because stored ids
 * and request ids are skipped.
 */
import { mkdtempSync, createReadStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from '../core/logger.js';
import type { PromptRecord } from '../core/record.js';
import { reportedModel } from '../core/record.js';
import { pricingRequestFor, type Pricer } from '../pricing/index.js';
import type { InsertResult, RepositoryAdapter } from '../store/repository.js';
import { ImportLineError, parseImportLine } from './line.js';
import { readLineGroups } from './read-lines.js';
import type { ImportStaging } from './staging.js';
import { plural } from '../output/plural.js';

export interface ImportOptions {
  repository: RepositoryAdapter;
  pricer: Pricer;
  logger: Logger;
  /** Skip invalid lines with a warning instead of importing nothing. */
  skipInvalid: boolean;
  /**
   * Records per transaction in the store. Without it, an SQLite store starts
   * with 10,000 records and sizes each later batch to hold the write lock for
   * about half a second. Other stores get 10,000 per batch.
   */
  batchSize?: number;
  /** Text for an unpriced model's warning, shown once per model. */
  unpricedWarning(model: string): string;
}

export interface ImportSummary {
  imported: number;
  /** Valid records whose id or request id was already stored. */
  alreadyStored: number;
  /** Invalid lines skipped under `skipInvalid`. */
  skipped: number;
  /** Valid records whose model has no price; those not already stored were stored with a null cost. */
  unpriced: number;
}

/** A failed insert, as distinct from a failed read of the input; `cause` is the store's error. */
export class StoreInsertError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'StoreInsertError';
  }
}

/** Invalid lines reported one by one under `skipInvalid`; the rest are only counted. */
const MAX_REPORTED_LINES = 10;

/** Records per transaction in the store, and in the first transaction of an SQLite store. */
const DEFAULT_BATCH_SIZE = 10_000;

/**
 * Milliseconds that each later transaction into an SQLite store should hold
 * the write lock, a tenth of the 5-second busy timeout of other writers.
 * Fewer, larger batches write each index page to the WAL fewer times.
 * Copying the 1,000,000 rows of the import benchmark in batches of 50,000 took
 * about two thirds of the time of batches of 10,000 (docs/benchmarks.md).
 */
const SQLITE_BATCH_TARGET_MS = 500;

/** Import every valid line of `source`: a file path, or a stream such as stdin. */
export async function importRecords(source: string | Readable, options: ImportOptions): Promise<ImportSummary> {
  // Loaded here, not at start-up, because it loads the SQLite driver.
  const { ImportStaging } = await import('./staging.js');
  const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-import-'));
  try {
    const staging = new ImportStaging(join(directory, 'staging.db'));
    try {
      // Chunks of 1 MiB, not the default 64 KiB, mean fewer reads and fewer string joins at chunk ends.
      const input = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
      const { summary, unpricedModels } = await stage(input, staging, options);
      staging.finish();
      if (summary.skipped > MAX_REPORTED_LINES) options.logger.warn(`skipped ${plural(summary.skipped - MAX_REPORTED_LINES, 'more invalid line')}`);
      for (const model of unpricedModels) options.logger.warn(options.unpricedWarning(model));

      const result = await insertStaged(staging, options);
      summary.imported = result.inserted;
      summary.alreadyStored = result.duplicates;
      return summary;
    } finally {
      staging.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Parse, validate and price every line, and stage the records of the valid
 * ones. Returns the counts so far and the models without a price, which are
 * reported only once the whole input has been accepted.
 */
async function stage(
  input: Readable,
  staging: ImportStaging,
  options: ImportOptions,
): Promise<{ summary: ImportSummary; unpricedModels: Set<string> }> {
  const summary: ImportSummary = { imported: 0, alreadyStored: 0, skipped: 0, unpriced: 0 };
  const unpricedModels = new Set<string>();
  let lineNumber = 0;

  for await (const lines of readLineGroups(input)) {
    for (const line of lines) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      let parsed;
      try {
        parsed = parseImportLine(line, lineNumber);
      } catch (error) {
        if (!(error instanceof ImportLineError) || !options.skipInvalid) throw error;
        summary.skipped += 1;
        if (summary.skipped <= MAX_REPORTED_LINES) options.logger.warn(`skipped ${error.message}`);
        continue;
      }

      const record = parsed.needsPricing ? price(parsed.record, options.pricer) : parsed.record;
      if (record.cost === null) {
        summary.unpriced += 1;
        unpricedModels.add(reportedModel(record));
      }
      staging.add(record);
    }
  }
  return { summary, unpricedModels };
}

/** Insert the staged records into the store in batches. Throws `StoreInsertError`. */
async function insertStaged(staging: ImportStaging, options: ImportOptions): Promise<InsertResult> {
  const { SQLiteRepository } = await import('../store/sqlite/repository.js');
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const { repository } = options;
  try {
    if (repository instanceof SQLiteRepository) {
      // The store's connection attaches the staging file, which must be closed here first.
      staging.close();
      const batching = options.batchSize === undefined ? { firstBatch: batchSize, targetMs: SQLITE_BATCH_TARGET_MS } : { firstBatch: batchSize };
      return repository.insertRowsFromFile(staging.path, staging.table, batching);
    }

    const total: InsertResult = { inserted: 0, duplicates: 0 };
    for (const batch of staging.batches(batchSize)) {
      const result = await repository.insert(batch);
      total.inserted += result.inserted;
      total.duplicates += result.duplicates;
    }
    return total;
  } catch (error) {
    throw new StoreInsertError(error);
  }
}

/** Price a record, which the caller owns, at its own start time. */
function price(record: PromptRecord, pricer: Pricer): PromptRecord {
  const result = pricer.price(pricingRequestFor(record));
  if (result.priced) {
    record.cost = result.cost;
    record.priceEntry = result.priceEntry;
  }
  return record;
}
