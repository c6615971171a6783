/**
 * Getting rows into ClickHouse exactly once: the duplicate check by record id
 * and request id, sending batches, keeping what fails in the spool, and
 * delivering the spool later. A row can still arrive twice when two
 * processes deliver the same spool at once or a timed-out INSERT did land;
 * such copies share the sorting key, and FINAL reads count them once.
 */
import { existsSync } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import { OperationError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { PromptRecord } from '../../core/record.js';
import { SpoolUnusableError, type Spool } from '../spool/spool.js';
import type { ClickHouseStoreConfig } from './config.js';
import { describeFailure, isUnreachable } from './errors.js';
import { epochSecondsText, type InsertRow } from './rows.js';
import { qualifiedName } from './schema.js';

export interface DeliveryResult {
  /** Spooled records now stored in ClickHouse. */
  delivered: number;
  /** Spooled records that ClickHouse already had, dropped from the spool. */
  alreadyStored: number;
  /** Records still in the spool for this store. */
  remaining: number;
}

/** Keys per duplicate-check query, which keeps the parameters in the URL well under the server's 1 MiB default limit (http_max_uri_size). */
const KEYS_PER_CHECK = 1000;
/** After a connection failure, writes go straight to the spool for this long instead of waiting for another timeout. */
const RETRY_AFTER_MS = 30_000;

/** `1 record`, `2 records`. */
export const countRecords = (count: number): string => `${count} record${count === 1 ? '' : 's'}`;

const idKey = (id: string) => `i:${id}`;
const requestKey = (requestId: string) => `r:${requestId}`;

function rowKeys(row: { id: string; requestId: string | null }): string[] {
  return row.requestId === null ? [idKey(row.id)] : [idKey(row.id), requestKey(row.requestId)];
}

const keysOfRow = (row: InsertRow) => rowKeys({ id: String(row.id), requestId: row.request_id === null ? null : String(row.request_id) });

export class SpoolDelivery {
  /** Keys of rows this process has accepted but ClickHouse may not have yet. */
  private readonly knownKeys = new Set<string>();
  private unreachableUntil = 0;
  /** Records this process saved to the spool, and how many of them a warning has already reported. */
  private spooledCount = 0;
  private reportedCount = 0;
  private firstSpoolReason = '';

  constructor(
    private readonly config: ClickHouseStoreConfig,
    private readonly spool: Spool,
    private readonly logger: Logger,
    private readonly connect: () => Promise<ClickHouseClient>,
  ) {}

  get unreachable(): boolean {
    return Date.now() < this.unreachableUntil;
  }

  markUnreachable(error: unknown): void {
    this.unreachableUntil = Date.now() + RETRY_AFTER_MS;
    this.logger.debug(`clickhouse: ${this.config.location} unreachable (${describeFailure(error)}); writes go to the spool for ${RETRY_AFTER_MS / 1000} s`);
  }

  /** Drops records whose keys this process already accepted, or that repeat a key earlier in `records`. */
  withoutKnownKeys(records: PromptRecord[]): PromptRecord[] {
    const seen = new Set<string>();
    return records.filter((record) => {
      const keys = rowKeys(record);
      if (keys.some((key) => this.knownKeys.has(key) || seen.has(key))) return false;
      for (const key of keys) seen.add(key);
      return true;
    });
  }

  remember(rows: InsertRow[]): void {
    for (const row of rows) for (const key of keysOfRow(row)) this.knownKeys.add(key);
  }

  /** Drops records ClickHouse already stores. `failure` is set when the check could not run, and then nothing is dropped. */
  async withoutStored(records: PromptRecord[]): Promise<{ fresh: PromptRecord[]; failure: string | null }> {
    if (this.unreachable) return { fresh: records, failure: 'ClickHouse unreachable' };
    try {
      const stored = await this.findStoredKeys(await this.connect(), records.map((record) => ({ id: record.id, requestId: record.requestId })));
      return { fresh: records.filter((record) => !rowKeys(record).some((key) => stored.has(key))), failure: null };
    } catch (error) {
      if (isUnreachable(error)) this.markUnreachable(error);
      return { fresh: records, failure: describeFailure(error) };
    }
  }

  private async findStoredKeys(client: ClickHouseClient, rows: { id: string; requestId: string | null }[]): Promise<Set<string>> {
    const stored = new Set<string>();
    for (let start = 0; start < rows.length; start += KEYS_PER_CHECK) {
      const chunk = rows.slice(start, start + KEYS_PER_CHECK);
      const result = await client.query({
        query: `SELECT id, request_id FROM ${qualifiedName(this.config)} WHERE id IN {ids:Array(String)} OR request_id IN {requestIds:Array(String)}`,
        query_params: { ids: chunk.map((row) => row.id), requestIds: chunk.flatMap((row) => (row.requestId === null ? [] : [row.requestId])) },
        format: 'JSONEachRow',
      });
      for (const row of await result.json<{ id: string; request_id: string | null }>()) {
        stored.add(idKey(row.id));
        if (row.request_id !== null) stored.add(requestKey(row.request_id));
      }
    }
    return stored;
  }

  private async insertRows(client: ClickHouseClient, rows: InsertRow[]): Promise<void> {
    const ingestedAt = epochSecondsText(Date.now());
    const settings: Record<string, number> = {};
    if (this.config.asyncInsert) Object.assign(settings, { async_insert: 1, wait_for_async_insert: 1 });
    // A Distributed table forwards inserts in the background by default, and the duplicate check would miss rows still in transit.
    if (this.config.cluster !== null) settings.insert_distributed_sync = 1;
    await client.insert({
      table: qualifiedName(this.config),
      values: rows.map((row) => (row.ingested_at === undefined ? { ...row, ingested_at: ingestedAt } : row)),
      format: 'JSONEachRow',
      clickhouse_settings: settings,
    });
  }

  /** Sends one batch; if ClickHouse does not take it, the rows go to the spool, and `reportSpooled` warns about them later. */
  async sendOrSpool(rows: InsertRow[]): Promise<void> {
    if (this.unreachable) {
      this.spoolRows(rows, 'ClickHouse unreachable');
      return;
    }
    try {
      await this.insertRows(await this.connect(), rows);
      for (const row of rows) for (const key of keysOfRow(row)) this.knownKeys.delete(key);
    } catch (error) {
      if (isUnreachable(error)) this.markUnreachable(error);
      this.spoolRows(rows, describeFailure(error));
    }
  }

  /** Records this process saved to the spool. */
  get spooled(): number {
    return this.spooledCount;
  }

  /** The command that delivers the spool, with the store URL as given but its password masked. */
  get flushCommand(): string {
    return `anthrotrace --store ${JSON.stringify(this.config.redactedUrl)} flush`;
  }

  /** Saves rows to the spool synchronously; `reportSpooled` warns about them later, once for all batches. */
  spoolRows(rows: InsertRow[], reason: string): void {
    if (rows.length === 0) return;
    this.spool.append(
      this.config.location,
      rows.map(({ ingested_at: _receivedAt, ...row }) => ({
        recordId: String(row.id),
        requestId: row.request_id === null ? null : String(row.request_id),
        // Without ingested_at: a spooled row counts as received when it is delivered, so readers of new records see it then.
        rowJson: JSON.stringify(row),
      })),
    );
    if (this.spooledCount === 0) this.firstSpoolReason = reason;
    this.spooledCount += rows.length;
    this.logger.debug(`clickhouse: ${countRecords(rows.length)} spooled (${reason}); ${this.spooledCount} in total`);
  }

  /** Logs one warning for the records spooled since the last warning, with the first reason and the command that delivers them. */
  reportSpooled(): void {
    const unreported = this.spooledCount - this.reportedCount;
    if (unreported === 0) return;
    this.reportedCount = this.spooledCount;
    this.logger.warn(
      `${countRecords(unreported)} not delivered to ${this.config.location} (${this.firstSpoolReason}); kept in the spool ${this.spool.path}: ` +
        `run ${this.flushCommand} to deliver them`,
    );
  }

  /** Delivers the spooled rows for this store, oldest first, one batch at a time; stops at the first failure. */
  async deliverSpool(options: { throwWhenUnreachable?: boolean } = {}): Promise<DeliveryResult> {
    const result: DeliveryResult = { delivered: 0, alreadyStored: 0, remaining: 0 };
    if (!existsSync(this.spool.path)) return result;
    const target = this.config.location;
    try {
      const client = await this.connect();
      for (;;) {
        const batch = this.spool.take(target, this.config.batchSize);
        if (batch.length === 0) break;
        const keyed = batch.map((row) => ({ ...row, id: row.recordId }));
        const stored = await this.findStoredKeys(client, keyed);
        const seen = new Set<string>();
        const fresh = keyed.filter((row) => {
          const keys = rowKeys(row);
          if (keys.some((key) => stored.has(key) || seen.has(key))) return false;
          for (const key of keys) seen.add(key);
          return true;
        });
        if (fresh.length > 0) await this.insertRows(client, fresh.map((row) => JSON.parse(row.rowJson) as InsertRow));
        this.spool.remove(batch.map((row) => row.seq));
        result.delivered += fresh.length;
        result.alreadyStored += batch.length - fresh.length;
      }
    } catch (error) {
      if (error instanceof SpoolUnusableError) throw error;
      result.remaining = this.spool.count(target);
      if (!options.throwWhenUnreachable) {
        this.logger.warn(`could not deliver the spool to ${target} (${describeFailure(error)}); ${countRecords(result.remaining)} remain in ${this.spool.path}`);
        return result;
      }
      throw new OperationError(`could not deliver the spool to ${target} (${describeFailure(error)}); ${countRecords(result.remaining)} remain in ${this.spool.path}: try again later`, {
        cause: error,
      });
    }
    result.remaining = this.spool.count(target);
    if (result.remaining === 0 && this.spool.compactWhenEmpty()) this.logger.debug(`clickhouse: compacted the empty spool ${this.spool.path}`);
    return result;
  }

  close(): void {
    this.spool.close();
  }
}
