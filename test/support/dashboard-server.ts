/**
 * `anthrotrace dashboard` as a child process on a free loopback port, for
 * page and API tests. Build before using it: it runs the built binary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_BINARY } from './run-cli.js';

export interface DashboardProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Send SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

const START_TIMEOUT_MS = 10_000;

/** Start the dashboard with `args` after the command name and wait for the line that gives its URL. */
export function startDashboard(store: string, args: string[], env: Record<string, string> = {}): Promise<DashboardProcess> {
  const child = spawn(process.execPath, [CLI_BINARY, '--store', store, 'dashboard', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dashboard did not start within ${START_TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /dashboard at (http:\/\/\S+)/.exec(stderr);
      if (match === null) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        child,
        stderr: () => stderr,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dashboard exited with ${code} before serving; stderr: ${stderr}`));
    });
  });
}
