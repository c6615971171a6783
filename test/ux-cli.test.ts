import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from './support/run-cli.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-ux-cli-'));
after(() => rmSync(directory, { recursive: true, force: true }));

const ENV = { TZ: 'UTC' };

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '');
}

describe('usage errors', () => {
  it('no command prints help and exits 2', async () => {
    const result = await runCli([], ENV);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^Usage: anthrotrace/);
    assert.equal(result.stdout, '');
  });

  it('--help and --version exit 0', async () => {
    for (const flag of ['--help', '--version']) {
      const result = await runCli([flag], ENV);
      assert.equal(result.status, 0, flag);
    }
  });

  const cases: Array<{ name: string; args: string[]; message: RegExp }> = [
    { name: 'unknown command', args: ['qury'], message: /^error: unknown command 'qury'/ },
    { name: 'unknown option', args: ['query', '--bogus'], message: /^error: unknown option '--bogus'/ },
    { name: 'conflicting flags', args: ['--verbose', '--quiet', 'query'], message: /^error: option '-v, --verbose' cannot be used with option '-q, --quiet'/ },
    { name: 'bad choice', args: ['query', '--format', 'xml'], message: /^error: option '--format <format>' argument 'xml' is invalid/ },
  ];
  for (const { name, args, message } of cases) {
    it(`${name} is one line with exit 2`, async () => {
      const result = await runCli(['--store', join(directory, 'usage.db'), ...args], ENV);
      assert.equal(result.status, 2);
      assert.deepEqual(stderrLines(result.stderr).length, 1, result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /\(run with --help for usage\)\n$/);
    });
  }
});

describe('dashboard --bench-results checked at start', () => {
  it('missing path exits 2 with one line', { timeout: 15_000 }, async () => {
    const missing = join(directory, 'no-such-results');
    const result = await runCli(['--store', join(directory, 'dashboard.db'), 'dashboard', '--port', '0', '--bench-results', missing], ENV);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `error: --bench-results ${JSON.stringify(missing)} not found: pass a result file written by bench --output or a directory of them\n`);
  });
});

describe('send --replay path errors', () => {
  it('directory gets its own message and exit 2', async () => {
    const result = await runCli(['--store', join(directory, 'send.db'), 'send', '--replay', directory, 'hi'], ENV);
    assert.equal(result.status, 2);
    assert.equal(stderrLines(result.stderr).length, 1, result.stderr);
    assert.match(result.stderr, /: it is a directory; pass the JSON Lines file that --record wrote\n$/);
    assert.doesNotMatch(result.stderr, /EISDIR|create it with --record/);
  });

  it('missing file still suggests --record', async () => {
    const missing = join(directory, 'absent.jsonl');
    const result = await runCli(['--store', join(directory, 'send.db'), 'send', '--replay', missing, 'hi'], ENV);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /file not found; create it with --record/);
  });

  it('unreadable file says permission denied', { skip: process.getuid?.() === 0 ? 'root reads every file' : false }, async () => {
    const locked = join(directory, 'locked.jsonl');
    writeFileSync(locked, '', { mode: 0o000 });
    const result = await runCli(['--store', join(directory, 'send.db'), 'send', '--replay', locked, 'hi'], ENV);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /permission denied; make it readable/);
  });
});
