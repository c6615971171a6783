import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { chooseOpenMode, checkReadOnlySchema } from '../src/store/sqlite/read-only.js';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../src/store/sqlite/schema.js';
import { randomRecords } from './support/records.js';
import { CLI_BINARY, type CliResult } from './support/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'anthrotrace-readonly-'));
after(() => rmSync(root, { recursive: true, force: true }));
// The unprivileged user must be able to reach the case directories.
chmodSync(root, 0o755);
let caseNumber = 0;

/** Create a directory for one case, readable by all and writable only by the user running the tests. */
function caseDirectory(): string {
  const directory = join(root, `case-${(caseNumber += 1)}`);
  mkdirSync(directory, { mode: 0o755 });
  chmodSync(directory, 0o755);
  return directory;
}

async function makeStore(path: string, count: number): Promise<void> {
  const repository = new SQLiteRepository(path);
  await repository.init();
  await repository.insert(randomRecords(count));
  await repository.close();
}

/** Write a rollback-journal file at schema version 1, as an older AnthroTrace left it. */
function makeVersionOneStore(path: string): void {
  const db = new Database(path);
  db.exec(MIGRATIONS[0]!);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma('user_version = 1');
  db.close();
}

const UNPRIVILEGED = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];

/**
 * Why the end-to-end cases cannot run here, or undefined when they can. They
 * need root, to drop to `nobody`, because root passes every permission check.
 */
function unprivilegedSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'the tests do not run as root, so they cannot switch to the nobody user';
  const probe = spawnSync('setpriv', [...UNPRIVILEGED, process.execPath, CLI_BINARY, '--version'], { encoding: 'utf8' });
  if (probe.error) return `setpriv is not available: ${probe.error.message}`;
  if (probe.status !== 0) return `the nobody user cannot run the CLI: ${probe.stderr.trim()}`;
  return undefined;
}

const skipReason = unprivilegedSkipReason();

/** Run `anthrotrace ...args` as the nobody user, for whom the permission bits apply. */
function runAsNobody(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('setpriv', [...UNPRIVILEGED, process.execPath, CLI_BINARY, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function assertOneLineError(result: CliResult, message: RegExp): void {
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, message);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
}

describe('chooseOpenMode', () => {
  const writableExcept = (...denied: string[]) => (path: string) => !denied.includes(path);
  const path = '/data/store.db';

  it('writable file and directory opens read-write', () => {
    assert.equal(chooseOpenMode(path, writableExcept()), 'read-write');
  });

  it('read-only file opens read-only', () => {
    assert.equal(chooseOpenMode(path, writableExcept(path)), 'read-only');
  });

  it('read-only directory without -wal and -shm opens read-only', () => {
    assert.equal(chooseOpenMode(path, writableExcept('/data', `${path}-wal`, `${path}-shm`)), 'read-only');
  });

  it('read-only directory without -shm opens read-only', () => {
    assert.equal(chooseOpenMode(path, writableExcept('/data', `${path}-shm`)), 'read-only');
  });

  it('read-only directory with writable -wal and -shm opens read-write', () => {
    assert.equal(chooseOpenMode(path, writableExcept('/data')), 'read-write');
  });
});

describe('checkReadOnlySchema', () => {
  it('version 1 asks for a writable open', () => {
    const path = join(caseDirectory(), 'old.db');
    makeVersionOneStore(path);
    const db = new Database(path, { readonly: true });
    try {
      assert.throws(() => checkReadOnlySchema(db, path), (error: Error & { exitCode?: number }) => {
        assert.equal(error.exitCode, 1);
        assert.ok(error.message.startsWith(`${path} has schema version 1, older than version ${SCHEMA_VERSION}, and is read-only`), error.message);
        assert.match(error.message, /open it once as a user who can write the file and its directory/);
        return true;
      });
    } finally {
      db.close();
    }
  });
});

describe('read-only store as the nobody user', { skip: skipReason }, () => {
  it('WAL file kept open elsewhere: report, query work, import fails', async () => {
    const directory = caseDirectory();
    const path = join(directory, 'shared.db');
    await makeStore(path, 3);
    // A reader in this process keeps the -wal and -shm files that SQLite needs beside the file.
    const holder = new Database(path);
    try {
      holder.prepare('SELECT count(*) FROM records').get();
      chmodSync(path, 0o444);

      const report = await runAsNobody(['--store', path, 'report']);
      assert.equal(report.status, 0, report.stderr);
      assert.match(report.stdout, /│ total +│ +3 │/);

      const query = await runAsNobody(['--store', path, 'query', '--format', 'jsonl']);
      assert.equal(query.status, 0, query.stderr);
      assert.equal(query.stdout.trim().split('\n').length, 3);

      const input = join(directory, 'calls.jsonl');
      writeFileSync(input, '{"ts":"2025-11-03T10:15:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":10,"output_tokens":5}}\n');
      chmodSync(input, 0o644);
      const imported = await runAsNobody(['--store', path, 'import', input]);
      assertOneLineError(imported, new RegExp(`cannot insert into ${path}: the store is read-only`));
      assert.equal(holder.prepare('SELECT count(*) FROM records').pluck().get(), 3);
    } finally {
      holder.close();
    }
  });

  it('WAL file in read-only directory without -shm names the fix', async () => {
    const path = join(caseDirectory(), 'closed.db');
    await makeStore(path, 2);
    chmodSync(path, 0o444);
    assert.ok(!existsSync(`${path}-shm`), 'the closed store leaves no -shm file');

    const report = await runAsNobody(['--store', path, 'report']);
    assertOneLineError(report, new RegExp(`cannot read ${path}: SQLite must create or write ${path}-shm .* make the directory writable, or copy the file`));
  });

  it('read-only WAL file in writable directory reads', async () => {
    const directory = caseDirectory();
    chmodSync(directory, 0o777);
    const path = join(directory, 'owned-by-root.db');
    await makeStore(path, 4);
    chmodSync(path, 0o444);

    const query = await runAsNobody(['--store', path, 'query', '--format', 'jsonl']);
    assert.equal(query.status, 0, query.stderr);
    assert.equal(query.stdout.trim().split('\n').length, 4);
  });

  it('rollback-journal file in read-only directory reads, no files added', async () => {
    const path = join(caseDirectory(), 'journal.db');
    await makeStore(path, 2);
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.close();
    chmodSync(path, 0o444);
    const before = readdirSync(dirname(path)).sort();

    const report = await runAsNobody(['--store', path, 'report']);
    assert.equal(report.status, 0, report.stderr);
    assert.match(report.stdout, /│ total +│ +2 │/);
    assert.deepEqual(readdirSync(dirname(path)).sort(), before);
  });

  it('version-1 file read-only: report exits 1, file stays at version 1', async () => {
    const path = join(caseDirectory(), 'old.db');
    makeVersionOneStore(path);
    chmodSync(path, 0o444);

    const report = await runAsNobody(['--store', path, 'report']);
    assertOneLineError(report, new RegExp(`${path} has schema version 1, older than version ${SCHEMA_VERSION}, and is read-only`));
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), 1);
    db.close();
  });
});

describe('send to a read-only store as the nobody user', { skip: skipReason }, () => {
  it('fails before the call and writes no fallback file', async () => {
    const directory = caseDirectory();
    chmodSync(directory, 0o777);
    const path = join(directory, 'read-only.db');
    await makeStore(path, 1);
    chmodSync(path, 0o444);
    const quickstart = new URL('../fixtures/replay/quickstart.jsonl', import.meta.url).pathname;

    const result = await runAsNobody(['--store', path, 'send', '--replay', quickstart, 'Write a haiku about exact accounting.']);
    assertOneLineError(result, /cannot insert into .*read-only\.db: the store is read-only/);
    assert.equal(result.stdout, '');
    assert.deepEqual(readdirSync(directory).filter((name) => name.endsWith('.unsaved.jsonl')), []);
  });
});
