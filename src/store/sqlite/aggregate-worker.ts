/**
 * Runs one `aggregate` on a worker thread with its own connection, so that a
 * long aggregation does not block the event loop of the process that asked
 * for it: better-sqlite3 runs every statement synchronously.
 *
 * The same file is the worker's entry point: on a worker thread it opens the
 * store, aggregates, posts the rows (bigint survives the structured clone) or
 * the error message, and exits.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { OperationError } from '../../core/errors.js';
import type { AggregateRequest, AggregateRow } from '../repository.js';

/** Marks the worker data of this module's threads, since any worker thread that loads the store also loads this file. */
const JOB_KIND = 'anthrotrace-sqlite-aggregate';

interface AggregateJob {
  kind: typeof JOB_KIND;
  path: string;
  request: AggregateRequest;
}

type AggregateReply = { rows: AggregateRow[] } | { error: string };

/** Aggregate over the SQLite file at `path` on a new worker thread; rejects with `OperationError` when it fails. */
export function aggregateOnWorker(path: string, request: AggregateRequest): Promise<AggregateRow[]> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ kind: JOB_KIND, path, request });
    let settled = false;
    worker.once('message', (reply: AggregateReply) => {
      settled = true;
      if ('rows' in reply) resolve(reply.rows);
      else reject(new OperationError(`aggregating ${path} on a worker thread failed: ${reply.error}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(new OperationError(`aggregating ${path} on a worker thread failed: ${error.message}`, { cause: error }));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new OperationError(`the aggregation worker for ${path} exited with code ${code} before it replied`));
    });
  });
}

/**
 * Start this file on a worker thread. Under tsx (tests and bench scripts run
 * the TypeScript sources), a worker does not inherit tsx's loader, so a
 * bootstrap registers it before importing the entry.
 */
function startWorker(job: AggregateJob): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(import.meta.url), { workerData: job });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: job });
}

async function runJob(job: AggregateJob): Promise<AggregateReply> {
  // Imported here so that the main thread does not load the repository module twice.
  const { SQLiteRepository } = await import('./repository.js');
  const repository = new SQLiteRepository(job.path);
  try {
    await repository.init();
    return { rows: await repository.aggregate(job.request) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await repository.close();
  }
}

if (!isMainThread && parentPort && (workerData as Partial<AggregateJob> | null)?.kind === JOB_KIND) {
  const port = parentPort;
  void runJob(workerData as AggregateJob).then((reply) => port.postMessage(reply));
}
