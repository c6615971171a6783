import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringifyJson } from '../src/core/json.js';
import { recordToJson } from '../src/core/record-json.js';
import { randomRecords, sampleRecord } from './support/records.js';
import { storedRecords } from './support/stored-records.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-import-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const binary = new URL('../bin/anthrotrace.js', import.meta.url).pathname;
let fileNumber = 0;
const freshStore = () => join(directory, `store-${(fileNumber += 1)}.db`);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, XDG_DATA_HOME: directory, NO_COLOR: '1' };
    delete env.ANTHROTRACE_STORE;
    delete env.ANTHROTRACE_PRICING;
    delete env.LOG_LEVEL;
    const child = spawn(process.execPath, [binary, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

function writeLines(name: string, lines: string[]): string {
  const path = join(directory, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}


const GOOD_LINES = [
  '{"ts":"2025-11-03T09:15:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1200,"output_tokens":300}}',
  '{"ts":"2025-11-03T10:15:00+01:00","model":"claude-sonnet-4-5","usage":{"input_tokens":10,"output_tokens":5},"category":"chat","tags":{"team":"search"},"request_id":"req_import_1"}',
  '',
  '{"ts":"2025-11-03T11:00:00Z","model":"model-without-price","usage":{"input_tokens":1,"output_tokens":2}}',
  '{"ts":"2025-11-03T11:30:00Z","model":"model-without-price","usage":{"input_tokens":3,"output_tokens":4}}',
];

describe('anthrotrace import', () => {
  it('good file is priced and stored, and re-import adds nothing', async () => {
    const store = freshStore();
    const file = writeLines('good.jsonl', GOOD_LINES);
    const first = await runCli(['--store', store, 'import', file]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /imported 4, already stored 0, skipped 0/);
    assert.equal(first.stderr.match(/no price for model "model-without-price"/g)?.length, 1, 'one warning per unpriced model');

    const records = await storedRecords(store);
    assert.equal(records.length, 4);
    const sonnet = records.find((record) => record.usage.inputTokens === 1200);
    const tagged = records.find((record) => record.requestId === 'req_import_1');
    const unpriced = records.find((record) => record.modelRequested === 'model-without-price');
    // Sonnet 4.5 list price: $3 per million input tokens and $15 per million output tokens.
    assert.equal(sonnet!.cost!.total, 1200n * 3000n + 300n * 15000n);
    assert.equal(sonnet!.source, 'import');
    assert.equal(tagged!.startedAt.toISOString(), '2025-11-03T09:15:00.000Z');
    assert.deepEqual(tagged!.tags, { team: 'search' });
    assert.equal(tagged!.requestId, 'req_import_1');
    assert.equal(unpriced!.cost, null);

    const again = await runCli(['--store', store, 'import', file]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /imported 0, already stored 4, skipped 0/);
    assert.equal((await storedRecords(store)).length, 4);
  });

  it('bad line 3 stores nothing and exits 2', async () => {
    const store = freshStore();
    const lines = [GOOD_LINES[0]!, GOOD_LINES[1]!, '{"ts":"2025-11-03T12:00:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":-5,"output_tokens":1}}'];
    const run = await runCli(['--store', store, 'import', writeLines('bad.jsonl', lines)]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: line 3: invalid usage\.input_tokens -5: use a non-negative integer$/m);
    assert.deepEqual(await storedRecords(store), []);
  });

  it('invalid JSON and a zone-less ts name their line', async () => {
    const store = freshStore();
    const broken = await runCli(['--store', store, 'import', writeLines('broken.jsonl', [GOOD_LINES[0]!, '{"ts": oops}'])]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /error: line 2: invalid JSON/);
    const local = await runCli(['--store', store, 'import', writeLines('local.jsonl', ['{"ts":"2025-11-03T09:15:00","model":"m","usage":{"input_tokens":1,"output_tokens":1}}'])]);
    assert.equal(local.code, 2);
    assert.match(local.stderr, /error: line 1: invalid ts "2025-11-03T09:15:00": use an ISO 8601 instant with Z or an offset/);
  });

  it('--skip-invalid stores the valid lines and counts 2 skipped', async () => {
    const store = freshStore();
    const lines = ['not json', GOOD_LINES[0]!, '{"ts":"2025-11-03T12:00:00Z","usage":{"input_tokens":1,"output_tokens":1}}'];
    const run = await runCli(['--store', store, 'import', '--skip-invalid', '--format', 'json', writeLines('skip.jsonl', lines)]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { imported: 1, already_stored: 0, skipped: 2, unpriced: 0 });
    assert.match(run.stderr, /skipped line 1: invalid JSON/);
    assert.match(run.stderr, /skipped line 3: missing model/);
    assert.equal((await storedRecords(store)).length, 1);
  });

  it('reads standard input for -', async () => {
    const store = freshStore();
    const run = await runCli(['--store', store, 'import', '-'], `${GOOD_LINES.join('\n')}\n`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /imported 4, already stored 0, skipped 0/);
    assert.equal((await storedRecords(store)).length, 4);
  });

  it('byte order mark and CRLF lines', async () => {
    const store = freshStore();
    const path = join(directory, 'windows.jsonl');
    writeFileSync(path, `\uFEFF${GOOD_LINES[0]}\r\n${GOOD_LINES[1]}\r\n`);
    const run = await runCli(['--store', store, 'import', path]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /imported 2, already stored 0, skipped 0/);
  });

  it('missing file exits 2', async () => {
    const store = freshStore();
    const run = await runCli(['--store', store, 'import', join(directory, 'absent.jsonl')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: cannot import .*absent\.jsonl: no such file; pass a JSON-lines file or - for stdin$/m);
  });

  it('full records round-trip exactly, cost above 2^53 nano-dollars included', async () => {
    const store = freshStore();
    const big = 2n ** 53n + 1n;
    const records = [
      ...randomRecords(60, { seed: 42 }),
      sampleRecord({ cost: { input: big, output: 0n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: big } }),
    ];
    const lines = records.map((record) => stringifyJson(recordToJson(record)));
    const run = await runCli(['--store', store, 'import', writeLines('full.jsonl', lines)]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /imported 61, already stored 0, skipped 0/);

    const byId = new Map((await storedRecords(store)).map((record) => [record.id, record]));
    for (const record of records) assert.deepEqual(byId.get(record.id), record);
  });

  it('store that is not AnthroTrace exits 2 and imports nothing', async () => {
    const notes = join(directory, 'notes.txt');
    writeFileSync(notes, 'not a database, just text that is long enough to fill a header '.repeat(4));
    const run = await runCli(['--store', notes, 'import', writeLines('one.jsonl', [GOOD_LINES[0]!])]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: .*notes\.txt is not an AnthroTrace database \(not an SQLite database\)/m);
  });
});
