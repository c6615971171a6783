import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../src/core/errors.js';
import { resolveRange } from '../src/cli/range-options.js';
import { parseTimeInput, type RangeBound } from '../src/time/parse.js';
import { resolveNow, resolveTimeZone } from '../src/time/settings.js';

const NOW = Date.parse('2026-03-09T12:00:00.000Z');

interface ParseCase {
  input: string;
  zone: string;
  bound: RangeBound;
  expected: string;
  nowMs?: number;
}

const cases: ParseCase[] = [
  // Absolute instants ignore the zone.
  { input: '2025-03-09T10:00:00Z', zone: 'Asia/Tokyo', bound: 'from', expected: '2025-03-09T10:00:00.000Z' },
  { input: '2025-03-09t10:00z', zone: 'UTC', bound: 'from', expected: '2025-03-09T10:00:00.000Z' },
  { input: '2025-03-09T05:00-05:00', zone: 'Asia/Tokyo', bound: 'to', expected: '2025-03-09T10:00:00.000Z' },
  { input: '2025-03-09T15:45:00+0545', zone: 'UTC', bound: 'from', expected: '2025-03-09T10:00:00.000Z' },
  { input: '2025-03-09T11:00+01', zone: 'America/New_York', bound: 'from', expected: '2025-03-09T10:00:00.000Z' },
  { input: '2025-03-09T10:00:00.25Z', zone: 'UTC', bound: 'from', expected: '2025-03-09T10:00:00.250Z' },
  // Digits past milliseconds round up, which keeps the half-open test exact for millisecond record times.
  { input: '2025-03-09T10:00:00.1231Z', zone: 'UTC', bound: 'to', expected: '2025-03-09T10:00:00.124Z' },

  // Local date-times in each zone kind.
  { input: '2025-03-09 03:00', zone: 'UTC', bound: 'from', expected: '2025-03-09T03:00:00.000Z' },
  { input: '2025-03-09T03:00', zone: 'America/Los_Angeles', bound: 'from', expected: '2025-03-09T10:00:00.000Z' },
  { input: '2025-03-09T04:00:00.500', zone: 'America/Los_Angeles', bound: 'to', expected: '2025-03-09T11:00:00.500Z' },
  { input: '2026-01-01T00:00', zone: 'Asia/Kathmandu', bound: 'from', expected: '2025-12-31T18:15:00.000Z' },

  // New York: 2026-03-08 springs forward at 02:00 EST, 2026-11-01 falls back at 02:00 EDT.
  { input: '2026-03-08T01:59', zone: 'America/New_York', bound: 'from', expected: '2026-03-08T06:59:00.000Z' },
  { input: '2026-03-08T02:00', zone: 'America/New_York', bound: 'from', expected: '2026-03-08T07:00:00.000Z' },
  { input: '2026-03-08T02:30', zone: 'America/New_York', bound: 'from', expected: '2026-03-08T07:30:00.000Z' },
  { input: '2026-03-08T03:00', zone: 'America/New_York', bound: 'from', expected: '2026-03-08T07:00:00.000Z' },
  { input: '2026-11-01T00:59', zone: 'America/New_York', bound: 'from', expected: '2026-11-01T04:59:00.000Z' },
  { input: '2026-11-01T01:30', zone: 'America/New_York', bound: 'from', expected: '2026-11-01T05:30:00.000Z' },
  { input: '2026-11-01T02:00', zone: 'America/New_York', bound: 'from', expected: '2026-11-01T07:00:00.000Z' },

  // Berlin: 2026-03-29 02:00 CET → 03:00 CEST, 2026-10-25 03:00 CEST → 02:00 CET.
  { input: '2026-03-29T02:30', zone: 'Europe/Berlin', bound: 'from', expected: '2026-03-29T01:30:00.000Z' },
  { input: '2026-03-29T03:00', zone: 'Europe/Berlin', bound: 'from', expected: '2026-03-29T01:00:00.000Z' },
  { input: '2026-10-25T02:30', zone: 'Europe/Berlin', bound: 'from', expected: '2026-10-25T00:30:00.000Z' },
  { input: '2026-10-25T03:00', zone: 'Europe/Berlin', bound: 'from', expected: '2026-10-25T02:00:00.000Z' },

  // The hours older date-fns-tz converted an hour late: Los Angeles after the 2020-03-08 change.
  { input: '2020-03-08T03:00', zone: 'America/Los_Angeles', bound: 'from', expected: '2020-03-08T10:00:00.000Z' },
  { input: '2020-03-08T06:59', zone: 'America/Los_Angeles', bound: 'from', expected: '2020-03-08T13:59:00.000Z' },

  // Dates: midnight as --from, the next midnight as --to, on 23- and 25-hour days too.
  { input: '2025-12-31', zone: 'UTC', bound: 'from', expected: '2025-12-31T00:00:00.000Z' },
  { input: '2025-12-31', zone: 'UTC', bound: 'to', expected: '2026-01-01T00:00:00.000Z' },
  { input: '2025-12-31', zone: 'Europe/Berlin', bound: 'from', expected: '2025-12-30T23:00:00.000Z' },
  { input: '2025-12-31', zone: 'Europe/Berlin', bound: 'to', expected: '2025-12-31T23:00:00.000Z' },
  { input: '2026-03-08', zone: 'America/New_York', bound: 'to', expected: '2026-03-09T04:00:00.000Z' },
  { input: '2026-11-01', zone: 'America/New_York', bound: 'to', expected: '2026-11-02T05:00:00.000Z' },
  { input: '2026-01-01', zone: 'Asia/Kathmandu', bound: 'to', expected: '2026-01-01T18:15:00.000Z' },
  // Santiago springs forward at midnight, so 2026-09-06 starts at 01:00 local.
  { input: '2026-09-06', zone: 'America/Santiago', bound: 'from', expected: '2026-09-06T04:00:00.000Z' },

  // Keywords and spans; now is 2026-03-09T12:00Z, 08:00 EDT, the day after New York's change.
  { input: 'now', zone: 'America/New_York', bound: 'to', expected: '2026-03-09T12:00:00.000Z' },
  { input: 'NOW', zone: 'UTC', bound: 'from', expected: '2026-03-09T12:00:00.000Z' },
  { input: 'today', zone: 'UTC', bound: 'from', expected: '2026-03-09T00:00:00.000Z' },
  { input: 'today', zone: 'UTC', bound: 'to', expected: '2026-03-10T00:00:00.000Z' },
  { input: 'yesterday', zone: 'America/New_York', bound: 'from', expected: '2026-03-08T05:00:00.000Z' },
  { input: 'yesterday', zone: 'America/New_York', bound: 'to', expected: '2026-03-09T04:00:00.000Z' },
  { input: '15m', zone: 'UTC', bound: 'from', expected: '2026-03-09T11:45:00.000Z' },
  { input: '24h', zone: 'America/New_York', bound: 'from', expected: '2026-03-08T12:00:00.000Z' },
  { input: '30s', zone: 'UTC', bound: 'from', expected: '2026-03-09T11:59:30.000Z' },
  // 2d steps the wall clock back to 08:00 EST, 49 hours earlier; 48h is exact.
  { input: '2d', zone: 'America/New_York', bound: 'from', expected: '2026-03-07T13:00:00.000Z' },
  { input: '48h', zone: 'America/New_York', bound: 'from', expected: '2026-03-07T12:00:00.000Z' },
  { input: '7d', zone: 'UTC', bound: 'to', expected: '2026-03-02T12:00:00.000Z' },
  { input: '2w', zone: 'UTC', bound: 'from', expected: '2026-02-23T12:00:00.000Z' },

  // Kiritimati is UTC+14: at 20:00Z on 2026-03-08 it is already 10:00 on 2026-03-09 there.
  { input: 'today', zone: 'Pacific/Kiritimati', bound: 'from', nowMs: Date.parse('2026-03-08T20:00:00Z'), expected: '2026-03-08T10:00:00.000Z' },
  { input: 'today', zone: 'Pacific/Kiritimati', bound: 'to', nowMs: Date.parse('2026-03-08T20:00:00Z'), expected: '2026-03-09T10:00:00.000Z' },
  { input: 'yesterday', zone: 'Pacific/Kiritimati', bound: 'from', nowMs: Date.parse('2026-03-08T20:00:00Z'), expected: '2026-03-07T10:00:00.000Z' },
];

describe('parseTimeInput', () => {
  for (const testCase of cases) {
    it(`reads ${testCase.input} as --${testCase.bound} in ${testCase.zone}`, () => {
      const ms = parseTimeInput(testCase.input, { zone: testCase.zone, nowMs: testCase.nowMs ?? NOW, bound: testCase.bound });
      assert.equal(new Date(ms).toISOString(), testCase.expected);
    });
  }

  const invalid = [
    '',
    'tomorrow',
    '2025-13-01',
    '2025-00-10',
    '2025-02-29',
    '2024-02-30',
    '2025-03-09T24:00',
    '2025-03-09T10:60',
    '2025-03-09T10:00:60',
    '2025-03-09Z',
    '2025-03-09T10:00+24:00',
    '2025-03-09T10:00+05:60',
    '2025-03-09T10',
    '10:00',
    '7x',
    '-7d',
    '7 d',
    '2025/03/09',
    '20250309',
    '2025-3-9',
    '0000-01-01',
    '100000d',
  ];
  for (const input of invalid) {
    it(`rejects ${JSON.stringify(input)} naming the flag`, () => {
      assert.throws(
        () => parseTimeInput(input, { zone: 'UTC', nowMs: NOW, bound: 'to' }),
        (error: unknown) => {
          assert.ok(error instanceof InputError);
          assert.equal(error.exitCode, 2);
          assert.ok(error.message.startsWith(`invalid --to ${JSON.stringify(input)}: `), error.message);
          assert.match(error.message, /such as 2025-03-09/);
          return true;
        },
      );
    });
  }

  it('accepts the leap day 2024-02-29', () => {
    const ms = parseTimeInput('2024-02-29', { zone: 'UTC', nowMs: NOW, bound: 'to' });
    assert.equal(new Date(ms).toISOString(), '2024-03-01T00:00:00.000Z');
  });
});

describe('resolveTimeZone', () => {
  it('keeps IANA zones and fixes their case', () => {
    assert.equal(resolveTimeZone('Europe/Berlin', {}), 'Europe/Berlin');
    assert.equal(resolveTimeZone('europe/berlin', {}), 'Europe/Berlin');
    assert.equal(resolveTimeZone('utc', {}), 'UTC');
  });

  it('reads local and a missing flag from TZ', () => {
    assert.equal(resolveTimeZone('local', { TZ: 'Asia/Kathmandu' }), 'Asia/Kathmandu');
    assert.equal(resolveTimeZone(undefined, { TZ: ':Europe/Berlin' }), 'Europe/Berlin');
  });

  for (const zone of ['Mars/Base', '', 'EST5EDT6', 'Europe/Berlin/Mitte']) {
    it(`rejects ${JSON.stringify(zone)} with an example`, () => {
      assert.throws(() => resolveTimeZone(zone, {}), /^InputError: invalid --tz ".*": use an IANA zone such as Europe\/Berlin, UTC or local$/);
    });
  }

  it('rejects an unknown TZ environment value', () => {
    assert.throws(() => resolveTimeZone(undefined, { TZ: 'Nowhere/Land' }), /invalid TZ environment variable "Nowhere\/Land"/);
  });
});

describe('resolveRange', () => {
  const env = { ANTHROTRACE_NOW: '2026-03-09T12:00:00Z', TZ: 'UTC' };

  it('leaves missing bounds open', () => {
    assert.deepEqual(resolveRange({}, env), { timezone: 'UTC', fromMs: null, toMs: null });
  });

  it('reads the DST hour in Los Angeles as 10:00Z to 11:00Z', () => {
    const range = resolveRange({ from: '2025-03-09T03:00', to: '2025-03-09T04:00', tz: 'America/Los_Angeles' }, env);
    assert.equal(new Date(range.fromMs!).toISOString(), '2025-03-09T10:00:00.000Z');
    assert.equal(new Date(range.toMs!).toISOString(), '2025-03-09T11:00:00.000Z');
  });

  it('includes the whole day for one date as both bounds', () => {
    const range = resolveRange({ from: '2025-12-31', to: '2025-12-31', tz: 'Europe/Berlin' }, env);
    assert.equal(range.toMs! - range.fromMs!, 24 * 3_600_000);
  });

  it('rejects --from equal to --to', () => {
    assert.throws(() => resolveRange({ from: '2025-03-09T10:00Z', to: '2025-03-09T10:00Z' }, env), /^InputError: invalid range: --from "2025-03-09T10:00Z" is not before --to/);
  });

  it('rejects --from after --to', () => {
    assert.throws(() => resolveRange({ from: 'today', to: '7d' }, env), /give an earlier --from, such as --from 2025-03-01 --to 2025-03-09/);
  });

  it('reads ANTHROTRACE_NOW with an offset', () => {
    assert.equal(resolveNow({ ANTHROTRACE_NOW: '2026-03-09T13:00:00+01:00' }), NOW);
  });

  for (const value of ['2026-03-09', '2026-03-09T12:00', 'yesterday', 'soon']) {
    it(`rejects ANTHROTRACE_NOW ${value}`, () => {
      assert.throws(() => resolveNow({ ANTHROTRACE_NOW: value }), /^InputError: invalid ANTHROTRACE_NOW/);
    });
  }
});
