/**
 * Runs `anthrotrace serve-metrics` from the built binary over a SQLite store
 * in a temporary directory, and seeds that store through the real repository.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PromptRecord } from '../../src/core/record.js';
import { SQLiteRepository } from '../../src/store/sqlite/repository.js';
import { WaitAbortedError, waitFor } from './prometheus.js';

export const BINARY = new URL('../../bin/anthrotrace.js', import.meta.url).pathname;

export function temporaryStorePath(): string {
  return join(mkdtempSync(join(tmpdir(), 'anthrotrace-metrics-')), 'store.db');
}

export async function insertRecords(storePath: string, records: PromptRecord[]): Promise<void> {
  const repository = new SQLiteRepository(storePath);
  await repository.init();
  try {
    await repository.insert(records);
  } finally {
    await repository.close();
  }
}

export interface ServeMetricsProcess {
  /** The metrics URL the server logged, such as `http://127.0.0.1:40123/metrics`. */
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** Fetch /metrics and return its status, content type and body. */
  scrape(): Promise<{ status: number; contentType: string | null; body: string }>;
  /** Send `signal` and return the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Start `serve-metrics --port 0` with `args` and wait for the URL it logs. */
export async function startServeMetrics(storePath: string, args: string[] = []): Promise<ServeMetricsProcess> {
  const child = spawn(process.execPath, [BINARY, '--store', storePath, 'serve-metrics', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'INFO', NO_COLOR: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await waitFor('serve-metrics to log its URL', async () => {
    if (child.exitCode !== null) throw new WaitAbortedError(`serve-metrics exited with code ${child.exitCode}: ${stderr}`);
    return /serving metrics at (http:\/\/\S+\/metrics)/.exec(stderr)?.[1];
  });

  return {
    url,
    child,
    stderr: () => stderr,
    scrape: async () => {
      const response = await fetch(url);
      return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
