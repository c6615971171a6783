import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { DASHBOARD_NOW, dashboardStore, storeWith } from './support/dashboard-store.js';
import { startDashboard, type DashboardProcess } from './support/dashboard-server.js';
import { runCli } from './support/run-cli.js';

const ENV = { TZ: 'UTC', ANTHROTRACE_NOW: DASHBOARD_NOW };

/** A raw HTTP request, so the test can set the Host header and the method. */
function call(url: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; body: string; type: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), type: String(response.headers['content-type']) }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('dashboard command line', () => {
  it('rejects --port 70000 with exit 2 and one line', async () => {
    const result = await runCli(['--store', await storeWith([]), 'dashboard', '--port', '70000'], ENV);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'error: invalid --port "70000": use a whole number from 0 to 65535\n');
  });

  it('rejects an unknown --tz before serving', async () => {
    const result = await runCli(['--store', await storeWith([]), 'dashboard', '--tz', 'Mars/Base'], ENV);
    assert.equal(result.status, 2);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^error: .*Mars\/Base/);
  });

  it('stops on SIGTERM with exit 0', async () => {
    const dashboard = await startDashboard(await storeWith([]), [], ENV);
    assert.equal(await dashboard.stop(), 0);
  });
});

describe('dashboard API', () => {
  let dashboard: DashboardProcess;

  before(async () => {
    dashboard = await startDashboard(await dashboardStore(), ['--tz', 'UTC'], ENV);
  });

  after(async () => {
    await dashboard?.stop();
  });

  it('answers /api/summary with aggregates only', async () => {
    const response = await call(`${dashboard.url}api/summary?from=7d&to=now`);
    assert.equal(response.status, 200);
    assert.match(response.type, /^application\/json/);
    const views = JSON.parse(response.body) as { summary: { bucket: string; buckets: unknown[] }; storage: { records: number } };
    assert.equal(views.summary.bucket, 'day');
    // [2026-03-03T18:00Z, 2026-03-10T18:00Z) touches 8 UTC days.
    assert.equal(views.summary.buckets.length, 8);
    assert.equal(views.storage.records, 124);
    assert.doesNotMatch(response.body, /prompt_text|promptText/);
  });

  it('switches to hour buckets for a 1-day range', async () => {
    const response = await call(`${dashboard.url}api/summary?from=2026-03-08&to=2026-03-08&tz=America/New_York`);
    const views = JSON.parse(response.body) as { summary: { bucket: string; buckets: { label: string }[] } };
    assert.equal(views.summary.bucket, 'hour');
    // 2026-03-08 in New York has 23 hours: 02:00 does not exist.
    assert.equal(views.summary.buckets.length, 23);
    assert.equal(views.summary.buckets[2]!.label, '2026-03-08T03:00-04:00');
  });

  it('answers an unreadable range with 400 and the reason', async () => {
    const response = await call(`${dashboard.url}api/summary?from=yesterdayish`);
    assert.equal(response.status, 400);
    assert.match((JSON.parse(response.body) as { error: string }).error, /yesterdayish/);
  });

  it('limits the top calls to 20 and serves each record', async () => {
    const top = JSON.parse((await call(`${dashboard.url}api/top`)).body) as { limit: number; rows: { id: string }[] };
    assert.equal(top.limit, 20);
    assert.equal(top.rows.length, 20);
    const record = await call(`${dashboard.url}api/records/${encodeURIComponent(top.rows[0]!.id)}`);
    assert.equal(record.status, 200);
    assert.equal((JSON.parse(record.body) as { id: string }).id, top.rows[0]!.id);
  });

  it('answers 404 for a record not in a top table', async () => {
    const response = await call(`${dashboard.url}api/records/not-shown`);
    assert.equal(response.status, 404);
    assert.match(response.body, /anthrotrace query/);
  });

  it('rejects a foreign Host header with 421', async () => {
    const response = await call(`${dashboard.url}api/changes`, { host: 'attacker.example:8501' });
    assert.equal(response.status, 421);
  });

  it('rejects POST with 405', async () => {
    const response = await call(`${dashboard.url}api/changes`, { method: 'POST' });
    assert.equal(response.status, 405);
  });

  it('serves uPlot from the installed package', async () => {
    const response = await call(`${dashboard.url}static/uPlot.iife.min.js`);
    assert.equal(response.status, 200);
    assert.match(response.type, /^text\/javascript/);
    assert.match(response.body, /uPlot/);
  });

  it('answers 404 outside the served files', async () => {
    assert.equal((await call(`${dashboard.url}static/../package.json`)).status, 404);
    assert.equal((await call(`${dashboard.url}static/views.ts`)).status, 404);
  });
});
