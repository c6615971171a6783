/**
 * Exact conversions between the decimal strings of price files and the
 * integers the engine computes with. No value passes through a float.
 */
import { usdDecimal } from '../core/money.js';
import type { Ratio } from './entry.js';

const DECIMAL = /^(\d+)(?:\.(\d{1,9}))?$/;

/** Result of reading a price: the value, or why it was rejected. */
export type DecimalParse = { ok: true; value: bigint } | { ok: false; problem: 'negative' | 'not-a-number' | 'too-precise' };

/**
 * Read a USD amount (a decimal string, or a JSON number written plainly) as
 * nano-dollars. At most 9 decimal places, so every value is exact.
 */
export function parsePriceDecimal(value: unknown): DecimalParse {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return { ok: false, problem: 'not-a-number' };

  if (/^-\s*\d/.test(text)) return { ok: false, problem: 'negative' };
  if (/^\d+\.\d{10,}$/.test(text)) return { ok: false, problem: 'too-precise' };
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, problem: 'not-a-number' };

  const [, whole, fraction = ''] = match;
  return { ok: true, value: BigInt(whole!) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0')) };
}

/** Read a positive decimal multiplier such as `1.1` as the exact ratio 11/10. */
export function parseRatio(value: unknown): Ratio | null {
  const parsed = parsePriceDecimal(value);
  if (!parsed.ok || parsed.value === 0n) return null;
  return reduce({ numerator: parsed.value, denominator: 1_000_000_000n });
}

export function multiplyRatios(a: Ratio, b: Ratio): Ratio {
  return reduce({ numerator: a.numerator * b.numerator, denominator: a.denominator * b.denominator });
}

export const ONE: Ratio = { numerator: 1n, denominator: 1n };

/** Write a ratio as a decimal when it has a finite one (`0.55`), else as `a/b`. */
export function formatRatio(ratio: Ratio): string {
  const { numerator, denominator } = reduce(ratio);
  let places = 0;
  let scale = 1n;
  while (scale % denominator !== 0n) {
    if (++places > 30) return `${numerator}/${denominator}`;
    scale *= 10n;
  }

  const digits = ((numerator * scale) / denominator).toString().padStart(places + 1, '0');
  if (places === 0) return digits;
  const fraction = digits.slice(-places).replace(/0+$/, '');
  const whole = digits.slice(0, -places);
  return fraction ? `${whole}.${fraction}` : whole;
}

/** Write nano-dollars per million tokens as a USD-per-MTok decimal, such as `3.75`. */
export function formatRate(nanosPerMillion: bigint): string {
  return usdDecimal(nanosPerMillion);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function reduce(ratio: Ratio): Ratio {
  const divisor = gcd(ratio.numerator, ratio.denominator);
  return { numerator: ratio.numerator / divisor, denominator: ratio.denominator / divisor };
}
