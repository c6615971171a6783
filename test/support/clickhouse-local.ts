/**
 * Runs the chDB-backed test endpoint by hand (`npm run clickhouse:local`) and
 * prints its URL. Test infrastructure for trying the ClickHouse store
 * locally; not a production server.
 *
 * Flags: --port N (default 8123; 0 picks a free port), --data DIR (default
 * anthrotrace-clickhouse-local in the system temporary directory, kept
 * between runs), --host 127.0.0.1 or ::1, --exit-with-parent (stop when
 * standard input closes).
 * CLICKHOUSE_USER and CLICKHOUSE_PASSWORD set the one accepted user
 * (default `default` with an empty password).
 */
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveClickHouseEndpoint } from './clickhouse-endpoint.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8123' },
    data: { type: 'string', default: join(tmpdir(), 'anthrotrace-clickhouse-local') },
    host: { type: 'string', default: '127.0.0.1' },
    'exit-with-parent': { type: 'boolean', default: false },
  },
});
if (values.host !== '127.0.0.1' && values.host !== '::1') {
  console.error(`error: invalid --host ${JSON.stringify(values.host)}: the test endpoint listens on loopback only, use 127.0.0.1 or ::1`);
  process.exit(2);
}

const dataDir = resolve(values.data);
mkdirSync(dataDir, { recursive: true });
const user = process.env.CLICKHOUSE_USER || 'default';
const endpoint = await serveClickHouseEndpoint({
  host: values.host,
  port: Number(values.port),
  dataDir,
  user,
  password: process.env.CLICKHOUSE_PASSWORD ?? '',
});

// The first line is machine-read by test/support/clickhouse-process.ts.
process.stdout.write(`clickhouse-endpoint ready ${endpoint.url}\n`);
const storeUrl = `${endpoint.url.replace(/^http:/, 'clickhouse:').replace('//', `//${encodeURIComponent(user)}@`)}/anthrotrace`;
process.stderr.write(`data directory: ${dataDir}\nstore: --store ${storeUrl}\n(test endpoint over chDB; stop with Ctrl-C)\n`);

const stop = (): void => {
  endpoint.close().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
// A test process that dies closes this pipe, so no endpoint outlives the tests that started it.
if (values['exit-with-parent']) process.stdin.on('close', stop).resume();
