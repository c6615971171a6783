import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './support/run-cli.js';

const ENV = { TZ: 'UTC', ANTHROTRACE_NOW: '2026-01-01T00:00:00Z' };

describe('cost --usage validation', () => {
  const rejected: [string, string[], RegExp][] = [
    ['speed "ludicrous"', ['--usage', '{"input_tokens":1000,"output_tokens":10,"speed":"ludicrous"}'], /^error: invalid --usage field speed "ludicrous": use one of standard, fast, or null$/],
    ['service_tier "galactic"', ['--usage', '{"input_tokens":1000,"service_tier":"galactic"}'], /^error: invalid --usage field service_tier "galactic": use one of standard, priority, batch, or null$/],
    ['speed "Fast"', ['--usage', '{"input_tokens":1000,"speed":"Fast"}'], /^error: invalid --usage field speed "Fast": use one of standard, fast, or null$/],
    ['1,000,000,001 input tokens', ['--usage', '{"input_tokens":1000000001}'], /^error: invalid --usage field input_tokens 1000000001: use at most 1,000,000,000, the maximum per request$/],
    ['--output-tokens 1000000001', ['--output-tokens', '1000000001'], /^error: invalid --output-tokens "1000000001": use at most 1,000,000,000, the maximum per request$/],
  ];
  for (const [name, args, message] of rejected) {
    it(`rejects ${name}`, async () => {
      const result = await runCli(['cost', '--model', 'claude-sonnet-4-5', ...args], ENV);
      assert.equal(result.status, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
      assert.match(result.stderr.trimEnd(), message);
    });
  }

  it('prices input-only usage at $0.0036', async () => {
    const result = await runCli(['cost', '--model', 'claude-sonnet-4-5', '--format', 'json', '--usage', '{"input_tokens":1200,"service_tier":"priority","speed":null}'], ENV);
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { total_usd: number }).total_usd, 0.0036);
  });

  it('accepts 1,000,000,000 output tokens', async () => {
    const result = await runCli(['cost', '--model', 'claude-haiku-4-5', '--format', 'json', '--output-tokens', '1000000000'], ENV);
    assert.equal(result.status, 0, result.stderr);
    // Haiku 4.5 output: $5 per million tokens.
    assert.equal((JSON.parse(result.stdout) as { total_usd: number }).total_usd, 5000);
  });

  it('help explains the output_tokens rule', async () => {
    const result = await runCli(['cost', '--help'], ENV);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /A --usage object may leave out any count/);
    assert.match(result.stdout, /every Messages API response has input_tokens and output_tokens/);
  });
});
