/**
 * Real Prometheus, Pushgateway and promtool processes for the metrics tests.
 * Each server gets a free loopback port and its own temporary directory, and
 * is stopped by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';
export const PUSHGATEWAY_BINARY = '/usr/bin/prometheus-pushgateway';
export const PROMTOOL_BINARY = '/usr/bin/promtool';

export interface RunningServer {
  /** Base URL such as `http://127.0.0.1:40123`. */
  url: string;
  stop(): Promise<void>;
}

export interface RunningPrometheus extends RunningServer {
  /** Run an instant query through `/api/v1/query` and return its vector as label sets with numeric values. */
  query(expression: string): Promise<{ labels: Record<string, string>; value: number }[]>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Start Prometheus scraping `target` (`host:port`) every 500 ms. */
export async function startPrometheus(target: string): Promise<RunningPrometheus> {
  const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-prometheus-'));
  const port = await freePort();
  const config = [
    'global:',
    '  scrape_interval: 500ms',
    '  scrape_timeout: 400ms',
    'scrape_configs:',
    '  - job_name: anthrotrace',
    '    static_configs:',
    `      - targets: ['${target}']`,
    '',
  ].join('\n');
  writeFileSync(join(directory, 'prometheus.yml'), config);

  const server = await startServer(
    PROMETHEUS_BINARY,
    [
      `--config.file=${join(directory, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    `http://127.0.0.1:${port}`,
    directory,
  );

  const query = async (expression: string) => {
    const response = await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent(expression)}`);
    const body = (await response.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success') throw new Error(`Prometheus query ${expression} failed: ${body.error}`);
    return body.data.result.map((sample) => ({ labels: sample.metric, value: Number(sample.value[1]) }));
  };
  return { ...server, query };
}

export async function startPushgateway(): Promise<RunningServer> {
  const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-pushgateway-'));
  const port = await freePort();
  return startServer(PUSHGATEWAY_BINARY, [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], `http://127.0.0.1:${port}`, directory);
}

/** Run `promtool check metrics` on an exposition and return its exit code and combined output. */
export function promtoolCheckMetrics(exposition: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL_BINARY, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(exposition);
  });
}

/** Thrown by a `waitFor` check to stop waiting at once, such as when the awaited process has exited. */
export class WaitAbortedError extends Error {}

/**
 * Poll `check` every 200 ms until it returns a value other than undefined, or fail after `timeoutMs`.
 * Errors from `check` count as "not yet", except `WaitAbortedError`, which ends the wait.
 */
export async function waitFor<T>(description: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof WaitAbortedError) throw error;
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${lastError ? `: ${String(lastError)}` : ''}`);
}

async function startServer(binary: string, args: string[], url: string, directory: string): Promise<RunningServer> {
  const child: ChildProcess = spawn(binary, args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(directory, { recursive: true, force: true });
  };

  try {
    await waitFor(`${binary} to become ready at ${url}`, async () => {
      if (child.exitCode !== null) throw new WaitAbortedError(`${binary} exited with code ${child.exitCode}: ${stderr}`);
      const response = await fetch(`${url}/-/ready`);
      return response.ok ? true : undefined;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  /** The value exactly as written in the exposition. */
  text: string;
}

/** Parse the samples of a Prometheus text exposition, skipping comments. Label values may not contain `",`. */
export function parseExposition(exposition: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, text: match[3]! });
  }
  return samples;
}

/** Select the samples named `name` whose labels include every pair of `labels`. */
export function samplesOf(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}
