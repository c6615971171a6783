/**
 * A RepositoryAdapter that keeps records in an array, for tests of code that
 * writes records and does not care which store keeps them.
 */
import type { PromptRecord } from '../../src/core/record.js';
import type { AggregateRow, InsertResult, RepositoryAdapter, StorageStats } from '../../src/store/repository.js';

export class MemoryRepository implements RepositoryAdapter {
  readonly kind = 'sqlite' as const;
  readonly location = 'memory';
  readonly records: PromptRecord[] = [];
  /** When set, `insert` throws it, as a store that is down would. */
  failWith: Error | null = null;

  async init(): Promise<void> {}

  async insert(records: PromptRecord[]): Promise<InsertResult> {
    if (this.failWith) throw this.failWith;
    let inserted = 0;
    let duplicates = 0;
    for (const record of records) {
      if (this.records.some((stored) => stored.id === record.id)) duplicates += 1;
      else {
        this.records.push(structuredClone(record));
        inserted += 1;
      }
    }
    return { inserted, duplicates };
  }

  async *query(): AsyncIterable<PromptRecord> {
    yield* this.records;
  }

  async aggregate(): Promise<AggregateRow[]> {
    throw new Error('MemoryRepository does not aggregate');
  }

  async stats(): Promise<StorageStats> {
    return { records: this.records.length, bytes: null, oldest: null, newest: null };
  }

  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}
