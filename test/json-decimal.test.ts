import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DecimalNumber, stringifyJson } from '../src/core/json.js';

const decimal = (text: string) => new DecimalNumber(text);

describe('stringifyJson', () => {
  it('matches JSON.stringify on values without decimals', () => {
    const values: unknown[] = [
      null, true, 0, -0, 1.5e300, Number.NaN, Number.POSITIVE_INFINITY, '', 'quote " backslash \\ nul \u0000 line\n',
      'lone surrogate \ud800', [], {}, [undefined, () => 1, Symbol('s')], { skipped: undefined, kept: null },
      { at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), custom: { toJSON: (key: string) => `key ${key}` } },
      { nested: { list: [1, [2, { deep: 'x' }]], empty: [] } }, Object.assign([1, 2], { extra: 'ignored' }),
    ];
    for (const value of values) {
      for (const indent of [undefined, 0, 2, 12]) {
        assert.equal(stringifyJson(value, indent), JSON.stringify(value, null, indent), `${String(JSON.stringify(value))} with indent ${indent}`);
      }
    }
  });

  it('writes decimals as bare numbers at every depth', () => {
    const value = { total: decimal('9007199.254740993'), list: [decimal('-0.000000001'), decimal('0')], top: { cost: decimal('12') } };
    assert.equal(stringifyJson(value), '{"total":9007199.254740993,"list":[-0.000000001,0],"top":{"cost":12}}');
    assert.equal(stringifyJson(value, 2), '{\n  "total": 9007199.254740993,\n  "list": [\n    -0.000000001,\n    0\n  ],\n  "top": {\n    "cost": 12\n  }\n}');
    assert.equal(stringifyJson(decimal('1.25')), '1.25');
  });

  it('writes bigint beyond 2^53 exactly', () => {
    const big = 2n ** 64n + 1n;
    assert.equal(stringifyJson({ nanos: big, price: decimal('0.5') }), '{"nanos":18446744073709551617,"price":0.5}');
    assert.equal(stringifyJson([big], 2), '[\n  18446744073709551617\n]');
  });

  it('keeps decimals quoted for plain JSON.stringify', () => {
    assert.equal(JSON.stringify({ cost: decimal('0.1') }), '{"cost":"0.1"}');
    stringifyJson({ cost: decimal('0.1') });
    assert.equal(JSON.stringify({ cost: decimal('0.1') }), '{"cost":"0.1"}');
  });

  it('leaves strings that only resemble a marker', () => {
    const value = { text: '\u0000decimal:abc', quoted: '\u0000decimal:1"2', cost: decimal('3') };
    assert.equal(stringifyJson(value), JSON.stringify(value).replace('"cost":"3"', '"cost":3'));
  });

  it('rejects circular structures with TypeError', () => {
    const value: Record<string, unknown> = { cost: decimal('1') };
    value.self = value;
    assert.throws(() => stringifyJson(value), TypeError);
  });
});
