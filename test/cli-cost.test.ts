/**
 * `anthrotrace cost` through the built binary: table and JSON output, an
 * unknown model, price files and every invalid-input path (exit 2, one line).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from './support/run-cli.js';

const ENV = { ANTHROTRACE_NOW: '2026-01-01T00:00:00Z' };
const SONNET_USAGE = ['--model', 'claude-sonnet-4-5', '--input-tokens', '1792', '--cache-write-5m-tokens', '5078', '--cache-read-tokens', '134549', '--output-tokens', '500'];

interface CostJson {
  model: string;
  priced: boolean;
  at: string;
  total_usd: number | null;
  breakdown_usd: Record<string, number | null>;
  price_entry: Record<string, unknown> | null;
  reason: string | null;
}

async function costJson(args: string[], env: Record<string, string> = ENV): Promise<{ json: CostJson; stdout: string; stderr: string }> {
  const result = await runCli(['cost', '--format', 'json', ...args], env);
  assert.equal(result.status, 0, result.stderr);
  return { json: JSON.parse(result.stdout) as CostJson, stdout: result.stdout, stderr: result.stderr };
}

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-cost-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('cost output', () => {
  it('prints a table with 6-decimal buckets and the exact total $0.0722832', async () => {
    const result = await runCli(['cost', ...SONNET_USAGE], ENV);
    assert.equal(result.status, 0);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /claude-sonnet-4-5-20250929 at 2026-01-01T00:00:00.000Z/);
    assert.match(result.stdout, /cache read\s+│\s+134,549 │\s+0.3 │ 0.040365 │/);
    assert.match(result.stdout, /total\s+│\s+│\s+│ 0.072283 │/);
    assert.match(result.stdout, /exact total: 0.0722832 USD/);
  });

  it('shows a tiny non-zero bucket as <0.000001, not zero', async () => {
    // 1 cache-read token of claude-haiku-5-5 costs 0.01 µ$
    const result = await runCli(['cost', '--model', 'claude-haiku-5-5', '--cache-read-tokens', '1', '--at', '2026-11-01'], ENV);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /cache read\s+│\s+1 │\s+0.01 │ <0.000001 │/);
  });

  it('writes JSON with exact decimals: $0.0722832', async () => {
    const { json, stdout } = await costJson(SONNET_USAGE);
    assert.match(stdout, /"total_usd": 0.0722832,/);
    assert.equal(json.priced, true);
    assert.equal(json.model, 'claude-sonnet-4-5');
    assert.deepEqual(json.breakdown_usd, { input: 0.005376, output: 0.0075, cache_write_5m: 0.0190425, cache_write_1h: 0, cache_read: 0.0403647, web_search: 0 });
    assert.equal(json.price_entry!.id, 'claude-sonnet-4-5-20250929@2025-09-29');
    assert.equal(json.price_entry!.effective_from, '2025-09-29');
    assert.match(String(json.price_entry!.source), /^https:\/\//);
  });

  it('reads a wire usage object with 1-hour writes: $0.035574', async () => {
    const usage = '{"input_tokens":50,"cache_creation_input_tokens":3904,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":3904},"cache_read_input_tokens":20000,"output_tokens":400}';
    const { json } = await costJson(['--model', 'claude-sonnet-4-5', '--usage', usage]);
    assert.equal(json.total_usd, 0.035574);
  });

  it('takes batch from service_tier in the usage: $0.0031875', async () => {
    const usage = '{"input_tokens":1200,"cache_read_input_tokens":500,"cache_creation_input_tokens":300,"output_tokens":100,"service_tier":"batch"}';
    const { json } = await costJson(['--model', 'claude-sonnet-4-5', '--usage', usage]);
    assert.equal(json.total_usd, 0.0031875);
    assert.equal(json.price_entry!.batch, true);
  });

  it('applies --batch, --geo us and --speed fast to claude-opus-5: $0.00825', async () => {
    // (1000×10 + 100×50) × 0.5 × 1.1 = 8,250 µ$
    const { json } = await costJson(['--model', 'claude-opus-5', '--input-tokens', '1000', '--output-tokens', '100', '--batch', '--geo', 'us', '--speed', 'fast', '--at', '2026-10-01T00:00:00Z']);
    assert.equal(json.total_usd, 0.00825);
    assert.equal(json.price_entry!.multiplier, '0.55');
    assert.equal(json.price_entry!.speed, 'fast');
  });

  it('takes "now" from ANTHROTRACE_NOW: Sonnet 5.5 reads at 0.20 on 2026-10-06', async () => {
    const args = ['--model', 'claude-sonnet-5-5', '--cache-read-tokens', '1000000'];
    assert.equal((await costJson(args, { ANTHROTRACE_NOW: '2026-10-06T23:59:59.999Z' })).json.total_usd, 0.2);
    assert.equal((await costJson(args, { ANTHROTRACE_NOW: '2026-10-07T00:00:00Z' })).json.total_usd, 0.1);
  });
});

describe('cost of an unknown model', () => {
  it('writes priced false and a null total, warns, and exits 0', async () => {
    const { json, stderr } = await costJson(['--model', 'claude-imaginary-9', '--input-tokens', '1000']);
    assert.equal(json.priced, false);
    assert.equal(json.total_usd, null);
    assert.equal(json.breakdown_usd.input, null);
    assert.equal(json.price_entry, null);
    assert.match(stderr, /^warning: no price for model "claude-imaginary-9".*--pricing FILE or ANTHROTRACE_PRICING/);
  });

  it('prints unpriced in the table form', async () => {
    const result = await runCli(['cost', '--model', 'claude-imaginary-9', '--input-tokens', '1000'], ENV);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /claude-imaginary-9: unpriced/);
  });

  it('is priced from --pricing and from ANTHROTRACE_PRICING: $0.0012', async () => {
    const path = join(directory, 'house.json');
    const house = { model: 'claude-imaginary-9', effective_from: '2025-01-01', input: '1', output: '2', cache_write_5m: null, cache_write_1h: null, cache_read: null };
    writeFileSync(path, JSON.stringify({ entries: [house] }));
    const args = ['--model', 'claude-imaginary-9', '--input-tokens', '1000', '--output-tokens', '100'];
    const fromFlag = await runCli(['--pricing', path, 'cost', '--format', 'json', ...args], ENV);
    assert.equal(JSON.parse(fromFlag.stdout).total_usd, 0.0012);
    assert.equal((await costJson(args, { ...ENV, ANTHROTRACE_PRICING: path })).json.total_usd, 0.0012);
  });
});

describe('cost input errors', () => {
  const badPriceFile = join(directory, 'bad.json');
  writeFileSync(badPriceFile, JSON.stringify({ entries: [{ model: 'x', effective_from: '2026-01-01', input: '-1' }] }));

  const CASES: [string, string[], Record<string, string>, RegExp][] = [
    ['usage that is not JSON', ['--model', 'claude-haiku-4-5', '--usage', '{input_tokens:5}'], ENV, /^error: invalid --usage "\{input_tokens:5\}": not valid JSON .*such as '\{"input_tokens":1200/],
    ['a negative usage count', ['--model', 'claude-haiku-4-5', '--usage', '{"input_tokens":-5}'], ENV, /^error: invalid --usage field input_tokens -5: use a whole number of tokens, 0 or more/],
    ['a fractional usage count', ['--model', 'claude-haiku-4-5', '--usage', '{"cache_creation":{"ephemeral_1h_input_tokens":1.5}}'], ENV, /^error: invalid --usage field cache_creation.ephemeral_1h_input_tokens 1.5:/],
    ['a negative token flag', ['--model', 'claude-haiku-4-5', '--input-tokens', '-5'], ENV, /^error: invalid --input-tokens "-5": use a whole number, 0 or more, such as --input-tokens 1200/],
    ['a fractional token flag', ['--model', 'claude-haiku-4-5', '--output-tokens', '1.5'], ENV, /^error: invalid --output-tokens "1.5"/],
    ['an unknown --format', ['--model', 'claude-haiku-4-5', '--format', 'xml'], ENV, /^error: invalid --format "xml": use table or json, such as --format table/],
    ['a bad --at', ['--model', 'claude-haiku-4-5', '--at', 'yesterday'], ENV, /^error: invalid --at "yesterday": use an ISO instant such as 2026-10-07T00:00:00Z/],
    ['an --at without zone', ['--model', 'claude-haiku-4-5', '--at', '2026-10-07T10:00'], ENV, /^error: invalid --at "2026-10-07T10:00"/],
    ['a missing --model', ['--input-tokens', '5'], ENV, /^error: missing --model: name the model to price, such as --model claude-sonnet-4-5/],
    ['an unknown --geo', ['--model', 'claude-haiku-4-5', '--geo', 'eu'], ENV, /^error: invalid --geo "eu": use us or global/],
    ['an unknown --speed', ['--model', 'claude-haiku-4-5', '--speed', 'turbo'], ENV, /^error: invalid --speed "turbo": use fast or standard/],
    ['--usage with token flags', ['--model', 'claude-haiku-4-5', '--usage', '{}', '--input-tokens', '5'], ENV, /^error: --usage cannot be combined with --input-tokens/],
    ['a bad ANTHROTRACE_NOW', ['--model', 'claude-haiku-4-5'], { ANTHROTRACE_NOW: 'soon' }, /^error: invalid ANTHROTRACE_NOW "soon"/],
    ['an invalid price file', ['--model', 'claude-haiku-4-5'], { ...ENV, ANTHROTRACE_PRICING: badPriceFile }, /^error: invalid price file .*bad\.json, entries\[0\] \("x"\): negative price in "input"/],
  ];

  for (const [name, args, env, expected] of CASES) {
    it(`exits 2 on ${name}`, async () => {
      const result = await runCli(['cost', ...args], env);
      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, expected);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
      assert.doesNotMatch(result.stderr, /^\s+at /m);
    });
  }
});
