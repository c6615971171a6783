/**
 * User price files (`--pricing FILE`): overriding and adding entries, and one
 * clear error per kind of invalid input.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InputError } from '../src/core/errors.js';
import { usdDecimal } from '../src/core/money.js';
import { emptyUsage } from '../src/core/record.js';
import { loadPriceTable, type PriceTable } from '../src/pricing/table.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-pricing-'));
after(() => rmSync(directory, { recursive: true, force: true }));

let fileCount = 0;
function writePriceFile(content: unknown): string {
  const path = join(directory, `prices-${++fileCount}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const SMALL = { ...emptyUsage(), inputTokens: 1000, outputTokens: 100 };

function totalUsd(table: PriceTable, model: string, at = '2026-06-01T00:00:00Z'): string | null {
  const result = table.price({ model, at: new Date(at), usage: SMALL, batch: false, inferenceGeo: null, speed: null });
  return result.priced ? usdDecimal(result.cost.total) : null;
}

const entry = (fields: Record<string, unknown>) => ({
  model: 'claude-house-1',
  effective_from: '2026-01-01',
  input: '1',
  output: '2',
  cache_write_5m: null,
  cache_write_1h: null,
  cache_read: null,
  ...fields,
});

describe('user price file', () => {
  it('overrides a built-in model given by its alias: $0.003', async () => {
    // 1000×2 + 100×10 = 3,000 µ$ instead of the built-in 4,500 µ$
    const path = writePriceFile({ entries: [entry({ model: 'claude-sonnet-4-5', effective_from: '2025-01-01', input: '2', output: '10' })] });
    const table = await loadPriceTable({ userFile: path });
    assert.equal(totalUsd(table, 'claude-sonnet-4-5-20250929'), '0.003');
    assert.equal(table.entryAt('claude-sonnet-4-5', new Date('2026-06-01T00:00:00Z'))!.id, 'claude-sonnet-4-5-20250929@2025-01-01');
    assert.equal(table.entriesFor('claude-sonnet-4-5').length, 1);
  });

  it('adds a new model with an alias: $0.0012', async () => {
    // 1000×1 + 100×2 = 1,200 µ$
    const path = writePriceFile({ entries: [entry({ aliases: ['house'] })] });
    const table = await loadPriceTable({ userFile: path });
    assert.equal(totalUsd(table, 'claude-house-1'), '0.0012');
    assert.equal(totalUsd(table, 'house'), '0.0012');
    assert.equal(totalUsd(table, 'claude-haiku-4-5'), '0.0015');
  });

  it('accepts plain JSON numbers as prices', async () => {
    const path = writePriceFile({ entries: [entry({ input: 1.5, output: 0 })] });
    const table = await loadPriceTable({ userFile: path });
    assert.equal(totalUsd(table, 'claude-house-1'), '0.0015');
  });

  it('records the file as the source of entries that name none', async () => {
    const path = writePriceFile({ entries: [entry({})] });
    const table = await loadPriceTable({ userFile: path });
    assert.equal(table.entryAt('claude-house-1', new Date())!.source, path);
  });
});

describe('user price file errors', () => {
  async function loadError(content: unknown): Promise<string> {
    const path = writePriceFile(content);
    try {
      await loadPriceTable({ userFile: path });
    } catch (error) {
      assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
      assert.doesNotMatch(error.message, /\n/);
      assert.ok(error.message.includes(path), `message does not name the file: ${error.message}`);
      return error.message;
    }
    assert.fail('the price file was accepted');
  }

  it('rejects an unknown field, naming entry and field', async () => {
    const message = await loadError({ entries: [entry({ inptu: '3' })] });
    assert.match(message, /entries\[0\] \("claude-house-1"\): unknown field "inptu"/);
  });

  it('rejects a negative price', async () => {
    const message = await loadError({ entries: [entry({ output: '-2' })] });
    assert.match(message, /negative price in "output": "-2"/);
  });

  it('rejects a missing model id', async () => {
    const message = await loadError({ entries: [entry({ model: undefined })] });
    assert.match(message, /entries\[0\]: missing field "model"/);
  });

  it('rejects a non-numeric price', async () => {
    const message = await loadError({ entries: [entry({ input: 'three' })] });
    assert.match(message, /non-numeric price in "input": "three"/);
  });

  it('rejects a bad date: 2026-02-30', async () => {
    const message = await loadError({ entries: [entry({ effective_from: '2026-02-30' })] });
    assert.match(message, /bad date in "effective_from": "2026-02-30"/);
  });

  it('rejects a fast window ending before it starts', async () => {
    const fast = [{ effective_from: '2026-05-01', effective_until: '2026-04-01', input: '2', output: '4', cache_write_5m: null, cache_write_1h: null, cache_read: null }];
    const message = await loadError({ entries: [entry({ fast })] });
    assert.match(message, /entries\[0\] \("claude-house-1"\)\.fast\[0\]: "effective_until" is not after "effective_from"/);
  });

  it('rejects a missing price field', async () => {
    const message = await loadError({ entries: [entry({ cache_read: undefined })] });
    assert.match(message, /missing price "cache_read"/);
  });

  it('rejects two entries for one model and date', async () => {
    const message = await loadError({ entries: [entry({}), entry({})] });
    assert.match(message, /entries\[1\].*a second entry for claude-house-1 from 2026-01-01/);
  });

  it('rejects a file that is not JSON', async () => {
    const message = await loadError('{"entries": [');
    assert.match(message, /not valid JSON/);
  });

  it('rejects a file without an entries list', async () => {
    const message = await loadError({ models: [] });
    assert.match(message, /unknown field "models"/);
  });

  it('rejects a missing file', async () => {
    await assert.rejects(loadPriceTable({ userFile: join(directory, 'absent.json') }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /absent\.json not found: check the --pricing path or ANTHROTRACE_PRICING/);
      return true;
    });
  });
});
