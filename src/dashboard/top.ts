/**
 * The most expensive calls in a range. A store that implements the optional
 * `topByCost` returns them directly. Otherwise this streams the range through
 * `query` and keeps a bounded min-heap of the top N: memory stays O(N), but
 * time is one pass over every record in the range.
 */
import { usdDecimal } from '../core/money.js';
import { reportedModel, type PromptRecord } from '../core/record.js';
import type { RecordFilter, RepositoryAdapter } from '../store/repository.js';
import type { TopCallJson, TopCallsJson } from './types.js';

export const DEFAULT_TOP_LIMIT = 20;

export interface TopCalls {
  json: TopCallsJson;
  /** The full records behind the rows, for the record endpoint and the HTML report. */
  records: PromptRecord[];
}

/** True when `a` ranks below `b`: cheaper, or as cheap and older, or the same instant and a larger id. */
function ranksBelow(a: PromptRecord, b: PromptRecord): boolean {
  const costA = a.cost?.total ?? 0n;
  const costB = b.cost?.total ?? 0n;
  if (costA !== costB) return costA < costB;
  const timeA = a.startedAt.getTime();
  const timeB = b.startedAt.getTime();
  if (timeA !== timeB) return timeA < timeB;
  return a.id > b.id;
}

export async function findTopCalls(repository: RepositoryAdapter, filter: RecordFilter, limit = DEFAULT_TOP_LIMIT): Promise<TopCalls> {
  if (repository.topByCost !== undefined) {
    const records = await repository.topByCost(filter, limit);
    return { json: { limit, rows: records.map(topCallJson) }, records };
  }

  // A binary min-heap: heap[0] is the cheapest of the kept records, replaced when a dearer one arrives.
  const heap: PromptRecord[] = [];
  for await (const record of repository.query(filter, { order: 'asc' })) {
    if (record.cost === null) continue;
    if (heap.length < limit) {
      heap.push(record);
      siftUp(heap, heap.length - 1);
    } else if (limit > 0 && ranksBelow(heap[0]!, record)) {
      heap[0] = record;
      siftDown(heap, 0);
    }
  }

  const records = heap.sort((a, b) => (ranksBelow(a, b) ? 1 : ranksBelow(b, a) ? -1 : 0));
  return { json: { limit, rows: records.map(topCallJson) }, records };
}

function siftUp(heap: PromptRecord[], index: number): void {
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!ranksBelow(heap[index]!, heap[parent]!)) return;
    [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
    index = parent;
  }
}

function siftDown(heap: PromptRecord[], index: number): void {
  for (;;) {
    const left = 2 * index + 1;
    const right = left + 1;
    let lowest = index;
    if (left < heap.length && ranksBelow(heap[left]!, heap[lowest]!)) lowest = left;
    if (right < heap.length && ranksBelow(heap[right]!, heap[lowest]!)) lowest = right;
    if (lowest === index) return;
    [heap[index], heap[lowest]] = [heap[lowest]!, heap[index]!];
    index = lowest;
  }
}

function topCallJson(record: PromptRecord): TopCallJson {
  return {
    id: record.id,
    startedAt: record.startedAt.toISOString(),
    model: reportedModel(record),
    category: record.category,
    status: record.status,
    source: record.source,
    costUsd: usdDecimal(record.cost?.total ?? 0n),
    inputTokens: record.usage.inputTokens,
    outputTokens: record.usage.outputTokens,
    cacheReadTokens: record.usage.cacheReadTokens,
    durationMs: record.durationMs,
  };
}
