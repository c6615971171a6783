import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BINARY = fileURLToPath(new URL('../bin/anthrotrace.js', import.meta.url));

// A module hook that prints every resolved module URL on stderr.
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  'export async function resolve(s, c, next) { const r = await next(s, c); process._rawDebug(r.url); return r; }'
));
`)}`;

const HEAVY_PACKAGES = ['@anthropic-ai/sdk', 'prom-client', '@clickhouse/client', 'better-sqlite3', 'ora', 'yaml', 'tinybench', 'uplot'];

test('--version loads no heavy dependency', () => {
  const result = spawnSync(process.execPath, ['--import', HOOK, BINARY, '--version'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const loaded = result.stderr.split('\n').filter((line) => line.includes('/node_modules/'));
  for (const name of HEAVY_PACKAGES) {
    assert.ok(!loaded.some((url) => url.includes(`/node_modules/${name}/`)), `${name} is loaded at start-up`);
  }
});
