/**
 * Starts the chDB-backed ClickHouse test endpoint as a child process, so a
 * test can stop it, restart it on the same port and data directory, and run
 * it under another TZ. Each process holds its own data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./clickhouse-local.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface EndpointProcessOptions {
  user?: string;
  password?: string;
  /** The endpoint's process time zone, which chDB takes as the server time zone. */
  tz?: string;
  dataDir?: string;
}

export class ClickHouseEndpointProcess {
  url = '';
  port = 0;
  private child: ChildProcess | undefined;
  private readonly ownsDataDir: boolean;
  readonly dataDir: string;

  private constructor(private readonly options: EndpointProcessOptions) {
    this.ownsDataDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'anthrotrace-chdb-'));
  }

  static async start(options: EndpointProcessOptions = {}): Promise<ClickHouseEndpointProcess> {
    const endpoint = new ClickHouseEndpointProcess(options);
    await endpoint.restart();
    return endpoint;
  }

  /** A `clickhouse://` store URL for `database` on this endpoint, with the configured credentials. */
  storeUrl(database: string, query = ''): string {
    const user = encodeURIComponent(this.options.user ?? 'default');
    const password = this.options.password ? `:${encodeURIComponent(this.options.password)}` : '';
    return `clickhouse://${user}${password}@127.0.0.1:${this.port}/${database}${query}`;
  }

  /** Starts the process again on the same port and data directory (a free port the first time). */
  async restart(): Promise<void> {
    if (this.child) throw new Error('the endpoint is already running');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CLICKHOUSE_USER: this.options.user ?? 'default',
      CLICKHOUSE_PASSWORD: this.options.password ?? '',
    };
    if (this.options.tz) env.TZ = this.options.tz;
    const args = ['--import', 'tsx', SCRIPT, '--port', String(this.port), '--data', this.dataDir, '--exit-with-parent'];
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the endpoint did not start within ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
      let stdout = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /clickhouse-endpoint ready (\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the endpoint exited with code ${code}: ${stderr}`));
      });
    });
    this.port = Number(new URL(this.url).port);
  }

  /** Kills the process at once (SIGKILL), as a crash or a lost host would. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Makes the next `count` INSERT statements fail with code 252 (TOO_MANY_PARTS). */
  async failNextInserts(count: number): Promise<void> {
    await this.control(`fail_inserts=${count}`);
  }

  /** Delays every response by `ms` milliseconds. */
  async delayResponses(ms: number): Promise<void> {
    await this.control(`delay_ms=${ms}`);
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async control(query: string): Promise<void> {
    const response = await fetch(`${this.url}/test-control?${query}`, { method: 'POST' });
    if (!response.ok) throw new Error(`test-control failed: ${response.status}`);
  }
}
