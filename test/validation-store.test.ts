import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../src/core/errors.js';
import { resolveStoreSpec } from '../src/store/open.js';
import { runCli, type CliResult } from './support/run-cli.js';
import { storedRecords } from './support/stored-records.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-validation-store-'));
const originalCwd = process.cwd();
after(() => {
  process.chdir(originalCwd);
  rmSync(directory, { recursive: true, force: true });
});

const dataHome = join(directory, 'data');
const defaultStore = join(dataHome, 'anthrotrace', 'anthrotrace.db');
const ENV = { XDG_DATA_HOME: dataHome, TZ: 'UTC' };
const LINE = '{"ts":"2025-11-03T09:15:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1200,"output_tokens":300}}';
const importFile = join(directory, 'one.jsonl');
writeFileSync(importFile, `${LINE}\n`);

/** A working directory of its own for each run, so a relative store path that should not exist can be looked for. */
function freshCwd(name: string): string {
  const cwd = mkdtempSync(join(directory, `${name}-`));
  process.chdir(cwd);
  return cwd;
}

function assertRejected(result: CliResult, message: RegExp): void {
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  assert.match(result.stderr.trimEnd(), message);
  assert.doesNotMatch(result.stderr, /^\s+at /m);
}

describe('resolveStoreSpec', () => {
  it('reads paths, sqlite:PATH and ClickHouse URLs', () => {
    assert.deepEqual(resolveStoreSpec('data/a.db', {}), { kind: 'sqlite', path: 'data/a.db' });
    assert.deepEqual(resolveStoreSpec('sqlite:data/a.db', {}), { kind: 'sqlite', path: 'data/a.db' });
    assert.deepEqual(resolveStoreSpec(undefined, { ANTHROTRACE_STORE: 'clickhouses://h:8443/db' }), { kind: 'clickhouse', url: 'clickhouses://h:8443/db' });
    assert.deepEqual(resolveStoreSpec('C://data/a.db', {}), { kind: 'sqlite', path: 'C://data/a.db' });
  });

  it('reads an empty ANTHROTRACE_STORE as unset', () => {
    assert.deepEqual(resolveStoreSpec(undefined, { ANTHROTRACE_STORE: '', XDG_DATA_HOME: '/data' }), { kind: 'sqlite', path: '/data/anthrotrace/anthrotrace.db' });
  });

  const rejected: [string, string | undefined, NodeJS.ProcessEnv, RegExp][] = [
    ['empty --store', '', {}, /^invalid --store "": the SQLite path is empty, which opens a temporary database that loses every record: pass a file path/],
    ['--store of spaces', '  ', {}, /^invalid --store " {2}": the SQLite path is empty/],
    ['--store sqlite:', 'sqlite:', {}, /^invalid --store "sqlite:": the SQLite path is empty/],
    ['ANTHROTRACE_STORE sqlite:', undefined, { ANTHROTRACE_STORE: 'sqlite:' }, /^invalid ANTHROTRACE_STORE "sqlite:": the SQLite path is empty.*unset ANTHROTRACE_STORE or set it empty to use /],
    ['--store :memory:', ':memory:', {}, /^invalid --store ":memory:": an in-memory database loses every record on exit/],
    ['--store sqlite::memory:', 'sqlite::memory:', {}, /^invalid --store "sqlite::memory:": an in-memory database/],
    ['scheme bogus', 'bogus://x', {}, /^invalid --store "bogus:\/\/x": unknown scheme "bogus": use a SQLite path, sqlite:PATH, clickhouse:\/\/HOST:PORT\/DATABASE or clickhouses:\/\/HOST:PORT\/DATABASE$/],
    ['scheme clickhose', 'clickhose://localhost/db', {}, /^invalid --store "clickhose:\/\/localhost\/db": unknown scheme "clickhose"/],
    ['clickhouse without //', 'clickhouse:db', {}, /^invalid --store "clickhouse:db": a ClickHouse store is a URL such as clickhouse:\/\/localhost:8123\/anthrotrace$/],
  ];
  for (const [name, flag, env, message] of rejected) {
    it(`rejects ${name}`, () => {
      assert.throws(() => resolveStoreSpec(flag, env), (error: unknown) => {
        assert.ok(error instanceof InputError, String(error));
        assert.match(error.message, message);
        return true;
      });
    });
  }
});

describe('--store validation in the CLI', () => {
  for (const [name, args, env] of [
    ['--store ""', ['--store', ''], {}],
    ['--store sqlite:', ['--store', 'sqlite:'], {}],
    ['ANTHROTRACE_STORE=sqlite:', [], { ANTHROTRACE_STORE: 'sqlite:' }],
  ] as [string, string[], Record<string, string>][]) {
    it(`import with ${name} exits 2`, async () => {
      const cwd = freshCwd(`empty-${name.replace(/\W+/g, '')}`);
      const result = await runCli([...args, 'import', importFile], { ...ENV, ...env });
      assertRejected(result, /^error: invalid (--store|ANTHROTRACE_STORE) "(sqlite:)?": the SQLite path is empty/);
      assert.deepEqual(readdirSync(cwd), []);
      assert.equal(existsSync(defaultStore), false);
    });
  }

  it('report with bogus://x creates nothing', async () => {
    const cwd = freshCwd('bogus');
    const result = await runCli(['--store', 'bogus://x', 'report'], ENV);
    assertRejected(result, /^error: invalid --store "bogus:\/\/x": unknown scheme "bogus": use a SQLite path, sqlite:PATH, clickhouse:\/\/.* or clickhouses:\/\//);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('import with clickhose:// creates nothing', async () => {
    const cwd = freshCwd('clickhose');
    const result = await runCli(['--store', 'clickhose://localhost/db', 'import', importFile], ENV);
    assertRejected(result, /^error: invalid --store "clickhose:\/\/localhost\/db": unknown scheme "clickhose"/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('empty ANTHROTRACE_STORE means the default', async () => {
    const otherDataHome = join(freshCwd('env-empty'), 'data');
    const result = await runCli(['import', importFile], { ...ENV, XDG_DATA_HOME: otherDataHome, ANTHROTRACE_STORE: '' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal((await storedRecords(join(otherDataHome, 'anthrotrace', 'anthrotrace.db'))).length, 1);
  });
});
