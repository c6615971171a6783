import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringifyJson } from '../src/core/json.js';
import { recordToJson } from '../src/core/record-json.js';
import { ClickHousePromptLogRepository } from '../src/store/clickhouse/repository.js';
import { Spool } from '../src/store/spool/spool.js';
import { ClickHouseEndpointProcess } from './support/clickhouse-process.js';
import { randomRecords } from './support/records.js';
import { runCli } from './support/run-cli.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-clickhouse-spool-'));
const env = { XDG_DATA_HOME: join(directory, 'xdg') };
let endpoint: ClickHouseEndpointProcess;

before(async () => {
  endpoint = await ClickHouseEndpointProcess.start();
});
after(async () => {
  await endpoint.dispose();
  rmSync(directory, { recursive: true, force: true });
});

function writeRecords(name: string, count: number, seed: number): string {
  const file = join(directory, name);
  writeFileSync(file, randomRecords(count, { seed }).map((record) => stringifyJson(recordToJson(record))).join('\n') + '\n');
  return file;
}

function spooledCount(path: string, location: string): number {
  const spool = new Spool(path);
  try {
    return spool.count(location);
  } finally {
    spool.close();
  }
}

describe('clickhouse spool', () => {
  it('unreachable import: 2,000 records counted, flushed, compacted', async () => {
    const spool = join(directory, 'import-spool.db');
    const url = endpoint.storeUrl('spool', `?table=imported&batch_size=500&spool=${spool}`);
    const file = writeRecords('two-thousand.jsonl', 2000, 201);
    await endpoint.stop();

    const imported = await runCli(['--store', url, 'import', file], env);
    assert.equal(imported.status, 0, imported.stderr);
    const warnings = imported.stderr.split('\n').filter((line) => line.includes('not delivered'));
    assert.equal(warnings.length, 1, imported.stderr);
    assert.match(warnings[0]!, /^warning: 2000 records not delivered /);
    const summary = /^imported 2000 \(2000 kept in the spool until ClickHouse is reachable: run anthrotrace --store "([^"]+)" flush\), already stored 0/m.exec(imported.stderr);
    assert.ok(summary, imported.stderr);
    const location = ClickHousePromptLogRepository.fromUrl(url).location;
    assert.equal(spooledCount(spool, location), 2000);
    const spooledBytes = statSync(spool).size;

    // The hint's command, run as printed, delivers the spool.
    await endpoint.restart();
    const flushed = await runCli(['--store', summary[1]!, 'flush', '--format', 'json'], env);
    assert.equal(flushed.status, 0, flushed.stderr);
    const result = JSON.parse(flushed.stdout) as { delivered: number; remaining: number };
    assert.deepEqual([result.delivered, result.remaining], [2000, 0]);
    assert.ok(statSync(spool).size < spooledBytes / 10, `spool ${statSync(spool).size} bytes after flush, ${spooledBytes} before`);
  });

  it('damaged spool: reads go on, flush names it', async () => {
    const spool = join(directory, 'damaged.db');
    const junk = 'this is not an SQLite database\n'.repeat(200);
    writeFileSync(spool, junk);
    const url = endpoint.storeUrl('spool', `?table=damaged&spool=${spool}`);
    const setup = ClickHousePromptLogRepository.fromUrl(endpoint.storeUrl('spool', `?table=damaged&spool=${join(directory, 'good.db')}`));
    await setup.init();
    await setup.insert(randomRecords(3, { seed: 202 }));
    await setup.close();

    const report = await runCli(['--store', url, 'query', '--format', 'jsonl'], env);
    assert.equal(report.status, 0, report.stderr);
    assert.equal(report.stdout.trim().split('\n').length, 3);
    assert.match(report.stderr, new RegExp(`^warning: cannot open the spool ${spool} \\(file is not a database\\): move the file aside`, 'm'));

    const flush = await runCli(['--store', url, 'flush'], env);
    assert.equal(flush.status, 1, flush.stderr);
    assert.match(flush.stderr, new RegExp(`^error: cannot open the spool ${spool} \\(file is not a database\\): move the file aside[^\\n]*\\n$`));

    // A write that needs the spool, because the server is unreachable, fails the same way.
    const file = writeRecords('damaged.jsonl', 2, 203);
    const write = await runCli(['--store', `clickhouse://default@127.0.0.1:1/spool?spool=${spool}`, 'import', file], env);
    assert.equal(write.status, 1, write.stderr);
    assert.match(write.stderr, /error: cannot open the spool .*move the file aside/);
    assert.equal(readFileSync(spool, 'utf8'), junk);
    assert.ok(!existsSync(`${spool}-wal`));
  });

  it('SIGINT on a reachable server sends 2 buffered records', async () => {
    const spool = join(directory, 'signal-spool.db');
    const url = endpoint.storeUrl('spool', `?table=signalled&flush_interval_ms=5000&spool=${spool}`);
    const script = join(directory, 'buffered-writer.mts');
    const repositoryModule = new URL('../src/store/clickhouse/repository.ts', import.meta.url).href;
    const recordsModule = new URL('./support/records.ts', import.meta.url).href;
    const loggerModule = new URL('../src/core/logger.ts', import.meta.url).href;
    writeFileSync(
      script,
      `import { ClickHousePromptLogRepository } from ${JSON.stringify(repositoryModule)};
import { createLogger } from ${JSON.stringify(loggerModule)};
import { randomRecords } from ${JSON.stringify(recordsModule)};
const repository = ClickHousePromptLogRepository.fromUrl(${JSON.stringify(url)}, { logger: createLogger('WARN', (line) => process.stderr.write(line)) });
await repository.init();
await repository.insert(randomRecords(2, { seed: 204 }));
process.stdout.write('buffered\\n');
setInterval(() => undefined, 1000);
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('buffered') && resolve());
      void exited.then(() => reject(new Error(`the writer exited before it buffered its records: ${stderr}`)));
    });
    child.kill('SIGINT');
    assert.equal(await exited, 'SIGINT');
    assert.doesNotMatch(stderr, /not delivered/);
    assert.ok(!existsSync(spool) || spooledCount(spool, ClickHousePromptLogRepository.fromUrl(url).location) === 0);

    const reader = ClickHousePromptLogRepository.fromUrl(url);
    await reader.init();
    assert.equal((await reader.stats()).records, 2);
    await reader.close();
  });
});
