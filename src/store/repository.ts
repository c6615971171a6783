/**
 * The storage contract. SQLite and ClickHouse implement it, and both must
 * give the same results for the same records.
 */
import type { PromptRecord, RecordSource, RecordStatus, TokenUsage } from '../core/record.js';

/** Selects records. Time bounds are UTC epoch milliseconds and half-open: `fromMs <= t < toMs`. */
export interface RecordFilter {
  /** Bounds on when the store received the record (UTC epoch ms, half-open); serve-metrics reads only what is new with them. */
  ingestedFromMs?: number;
  ingestedToMs?: number;
  fromMs?: number;
  toMs?: number;
  categories?: string[];
  /** Matches the reported model (served, else requested). */
  models?: string[];
  statuses?: RecordStatus[];
  sources?: RecordSource[];
  /** Every pair must match. */
  tags?: Record<string, string>;
}

export interface QueryOptions {
  order: 'asc' | 'desc';
  limit?: number;
}

export type GroupDimension = 'model' | 'category' | 'status' | 'source' | `tag:${string}`;

/**
 * An aggregation request. When `bucketBoundaries` is given (sorted UTC epoch
 * milliseconds, n + 1 values for n buckets), each record is assigned the index
 * `i` of the bucket with `boundaries[i] <= t < boundaries[i + 1]`; records
 * outside every bucket are left out. The boundaries come from the time module,
 * which alone knows about zones and daylight saving.
 */
export interface AggregateRequest {
  filter: RecordFilter;
  bucketBoundaries?: number[];
  dimensions: GroupDimension[];
}

export interface AggregateRow {
  /** Index into the bucket boundaries, or null when the request had none. */
  bucketIndex: number | null;
  /** One value per requested dimension, in request order; null where the record has none. */
  dimensionValues: (string | null)[];
  requests: number;
  unpricedRequests: number;
  usage: TokenUsage;
  /** Sum of the priced records' total cost in nano-dollars. */
  costNanos: bigint;
}

export interface InsertResult {
  inserted: number;
  /** Records whose id or request id was already stored; they change nothing. */
  duplicates: number;
}

export interface StorageStats {
  records: number;
  /** Size on disk or in the server, in bytes; null when unknown. */
  bytes: number | null;
  oldest: Date | null;
  newest: Date | null;
}

export interface RepositoryAdapter {
  readonly kind: 'sqlite' | 'clickhouse';
  /** A description for messages, with any password removed. */
  readonly location: string;

  /** Create or migrate the schema. Called once before any other method. */
  init(): Promise<void>;
  insert(records: PromptRecord[]): Promise<InsertResult>;
  /** Stream matching records in start-time order without holding them all in memory. */
  query(filter: RecordFilter, options: QueryOptions): AsyncIterable<PromptRecord>;
  /** Group and sum inside the store; rows come back in no particular order. */
  aggregate(request: AggregateRequest): Promise<AggregateRow[]>;
  stats(): Promise<StorageStats>;
  /**
   * Optional: the `limit` priced records with the highest total cost, dearest
   * first (ties: newer first). Without it the dashboard streams `query` and
   * keeps the top N itself, which reads every record in the range.
   */
  topByCost?(filter: RecordFilter, limit: number): Promise<PromptRecord[]>;
  /**
   * Optional: throw when the store was opened read-only, so that a command can
   * fail before it makes a paid API call whose record it could not store.
   */
  assertWritable?(): void;
  /** Deliver any buffered writes. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
