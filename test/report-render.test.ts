import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../src/core/errors.js';
import { emptyUsage } from '../src/core/record.js';
import type { Report } from '../src/report/build.js';
import { parseGroupBy } from '../src/report/group-by.js';
import { costDecimals, reportToCsv, reportToTable } from '../src/report/render.js';

function reportWithCosts(costs: bigint[], categories: (string | null)[] = costs.map(() => 'chat')): Report {
  const rows = costs.map((costNanos, index) => ({
    bucket: null,
    dimensionValues: [categories[index] ?? null],
    requests: 1,
    unpricedRequests: 0,
    usage: emptyUsage(),
    costNanos,
  }));
  const total = costs.reduce((sum, cost) => sum + cost, 0n);
  return {
    request: { timezone: 'UTC', fromMs: null, toMs: null, filter: {}, groupBy: parseGroupBy('category'), fill: false },
    buckets: null,
    rows,
    totals: { requests: rows.length, unpricedRequests: 0, usage: emptyUsage(), costNanos: total },
  };
}

describe('parseGroupBy', () => {
  it('puts the time unit first', () => {
    assert.deepEqual(parseGroupBy('model,day').keys, ['day', 'model']);
    assert.equal(parseGroupBy('model,day').timeUnit, 'day');
  });

  it('accepts tag keys', () => {
    assert.deepEqual(parseGroupBy('tag:team,source').dimensions, ['tag:team', 'source']);
  });

  for (const text of ['', 'day,', 'tag:', 'model,model', 'hour,week', 'Model']) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseGroupBy(text), InputError);
    });
  }
});

describe('costDecimals', () => {
  it('uses 2 decimals for whole cents', () => {
    assert.equal(costDecimals([1_000_000_000n, 10_000_000n]), 2);
  });

  it('uses 4 decimals for $0.0045', () => {
    assert.equal(costDecimals([4_500_000n]), 4);
  });

  it('uses 4 decimals for $0.0105', () => {
    assert.equal(costDecimals([10_500_000n]), 4);
  });

  it('uses 3 significant digits for $0.30141', () => {
    assert.equal(costDecimals([301_410_000n, 344_489_754_000n]), 3);
  });

  it('stops at 6 decimals', () => {
    assert.equal(costDecimals([1n]), 6);
  });
});

describe('reportToTable', () => {
  it('shows a 1-nano-dollar cost as <0.000001, not zero', () => {
    const text = reportToTable(reportWithCosts([1n, 1_000_000_000n]));
    assert.match(text, /│ chat +│.*│ +<0\.000001 │/);
    assert.match(text, /│ total +│.*│ +1\.000000 │/);
  });

  it('names (none) for a missing key value', () => {
    const text = reportToTable(reportWithCosts([10_000_000n], [null]));
    assert.match(text, /│ \(none\) +│/);
  });
});

describe('reportToCsv', () => {
  it('prefixes a formula-like key only with excelSafe', () => {
    const report = reportWithCosts([10_500_000n], ['=cmd']);
    assert.equal(reportToCsv(report).split('\r\n')[1], '=cmd,1,0,0,0,0,0,0,0,0.0105');
    assert.equal(reportToCsv(report, { excelSafe: true }).split('\r\n')[1], "'=cmd,1,0,0,0,0,0,0,0,0.0105");
  });
});
