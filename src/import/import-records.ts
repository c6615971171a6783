/**
 * Import of JSON-lines records into any store, all or nothing.
 *
 * The input is read twice, line by line, so memory stays flat for any size:
 * the first pass validates every line and the second prices the records and
 * inserts them in batches, each batch one transaction. Nothing is written
 * unless the first pass found every line valid (or `skipInvalid` is set).
 * Standard input is copied to a temporary file during the first pass so that
 * it can be read again.
 *
 * NOTE: a store failure in the second pass leaves the batches before it
 * stored. Running the same import again then adds only the rest, because
 * stored ids and request ids are skipped.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { OperationError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PromptRecord } from '../core/record.js';
import { reportedModel } from '../core/record.js';
import type { Pricer } from '../pricing/index.js';
import type { RepositoryAdapter } from '../store/repository.js';
import { ImportLineError, parseImportLine } from './line.js';

export interface ImportOptions {
  repository: RepositoryAdapter;
  pricer: Pricer;
  logger: Logger;
  /** Skip invalid lines with a warning instead of importing nothing. */
  skipInvalid: boolean;
  /** Records per insert call, each one transaction; default 10,000. */
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

/** Yield the lines of `input` without their CR LF or LF, and without a UTF-8 byte order mark. */
async function* readLines(input: Readable): AsyncGenerator<string> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    yield first && line.startsWith('\uFEFF') ? line.slice(1) : line;
    first = false;
  }
}

/** First pass: validate every line, and copy the input to `spoolPath` when one is given. */
async function validate(input: Readable, options: ImportOptions, spoolPath: string | null): Promise<Set<number>> {
  const invalid = new Set<number>();
  const spool = spoolPath === null ? null : createWriteStream(spoolPath);
  let lineNumber = 0;
  try {
    for await (const line of readLines(input)) {
      lineNumber += 1;
      if (spool && !spool.write(`${line}\n`)) await once(spool, 'drain');
      if (line.trim() === '') continue;
      try {
        parseImportLine(line, lineNumber, true);
      } catch (error) {
        if (!(error instanceof ImportLineError) || !options.skipInvalid) throw error;
        invalid.add(lineNumber);
        if (invalid.size <= MAX_REPORTED_LINES) options.logger.warn(`skipped ${error.message}`);
      }
    }
  } finally {
    if (spool) {
      spool.end();
      await once(spool, 'close');
    }
  }
  return invalid;
}

/** Import every valid line of `source`: a file path, or a stream such as stdin. */
export async function importRecords(source: string | Readable, options: ImportOptions): Promise<ImportSummary> {
  const spoolDirectory = typeof source === 'string' ? null : mkdtempSync(join(tmpdir(), 'anthrotrace-import-'));
  const spoolPath = spoolDirectory === null ? null : join(spoolDirectory, 'stdin.jsonl');
  try {
    const firstInput = typeof source === 'string' ? createReadStream(source) : source;
    const invalid = await validate(firstInput, options, spoolPath);
    if (invalid.size > MAX_REPORTED_LINES) options.logger.warn(`skipped ${invalid.size - MAX_REPORTED_LINES} more invalid lines`);
    const summary = await store(createReadStream(spoolPath ?? (source as string)), invalid, options);
    summary.skipped = invalid.size;
    return summary;
  } finally {
    if (spoolDirectory !== null) rmSync(spoolDirectory, { recursive: true, force: true });
  }
}

/** Second pass: price the valid lines and insert them in batches. */
async function store(input: Readable, invalid: Set<number>, options: ImportOptions): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, alreadyStored: 0, skipped: 0, unpriced: 0 };
  const warnedModels = new Set<string>();
  const batchSize = options.batchSize ?? 10_000;
  let batch: PromptRecord[] = [];
  const flush = async () => {
    let result;
    try {
      result = await options.repository.insert(batch);
    } catch (error) {
      throw new StoreInsertError(error);
    }
    summary.imported += result.inserted;
    summary.alreadyStored += result.duplicates;
    batch = [];
  };

  let lineNumber = 0;
  for await (const line of readLines(input)) {
    lineNumber += 1;
    if (line.trim() === '' || invalid.has(lineNumber)) continue;
    let parsed;
    try {
      parsed = parseImportLine(line, lineNumber);
    } catch (error) {
      throw new OperationError(`the input changed while it was imported (${(error as Error).message}): import it again`, { cause: error });
    }
    const record = parsed.needsPricing ? price(parsed.record, options.pricer) : parsed.record;
    if (record.cost === null) {
      summary.unpriced += 1;
      const model = reportedModel(record);
      if (!warnedModels.has(model)) {
        warnedModels.add(model);
        options.logger.warn(options.unpricedWarning(model));
      }
    }
    batch.push(record);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  return summary;
}

/** Price a record, which the caller owns, at its own start time. */
function price(record: PromptRecord, pricer: Pricer): PromptRecord {
  const result = pricer.price({
    model: reportedModel(record),
    at: record.startedAt,
    usage: record.usage,
    batch: record.batch,
    inferenceGeo: record.inferenceGeo,
    speed: record.speed,
  });
  if (result.priced) {
    record.cost = result.cost;
    record.priceEntry = result.priceEntry;
  }
  return record;
}
