/**
 * Exact money. Amounts are bigint nano-dollars (1 USD = 1e9 nano-dollars), so
 * sums stay exact far beyond 2^53. This is the only module that converts them
 * to decimal text.
 */

export const NANOS_PER_USD = 1_000_000_000n;

/** Format nano-dollars as a plain decimal string with exactly `decimals` places (0 to 9), rounding half away from zero. */
export function formatUsd(nanos: bigint, decimals = 9): string {
  if (decimals < 0 || decimals > 9) throw new RangeError(`decimals must be 0 to 9, got ${decimals}`);
  const negative = nanos < 0n;
  let magnitude = negative ? -nanos : nanos;
  const drop = 10n ** BigInt(9 - decimals);
  if (drop > 1n) magnitude = (magnitude + drop / 2n) / drop;
  const scale = 10n ** BigInt(decimals);
  const whole = magnitude / scale;
  const fraction = magnitude % scale;
  const sign = negative && magnitude !== 0n ? '-' : '';
  if (decimals === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${fraction.toString().padStart(decimals, '0')}`;
}

/** Shortest exact decimal for nano-dollars: `1`, `0.3`, `0.035574`. Used for JSON and CSV. */
export function usdDecimal(nanos: bigint): string {
  const text = formatUsd(nanos, 9);
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

/**
 * Format for a table: `decimals` places, except that a non-zero amount that
 * would round to zero is shown as `<0.0001` (or the like) instead of `0.0000`.
 */
export function formatUsdForTable(nanos: bigint | null, decimals = 4): string {
  if (nanos === null) return 'unpriced';
  const text = formatUsd(nanos, decimals);
  if (nanos !== 0n && /^-?0\.?0*$/.test(text)) {
    const smallest = decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
    return nanos > 0n ? `<${smallest}` : `>-${smallest}`;
  }
  return text;
}

/** Parse a plain decimal USD string (at most 9 decimals) into nano-dollars. */
export function parseUsd(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal USD amount with at most 9 decimals: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  const nanos = BigInt(whole!) * NANOS_PER_USD + BigInt(fraction.padEnd(9, '0'));
  return sign === '-' ? -nanos : nanos;
}

/** Divide and round half away from zero. Both arguments are integers; `divisor` is positive. */
export function divideRounded(dividend: bigint, divisor: bigint): bigint {
  if (divisor <= 0n) throw new RangeError('divisor must be positive');
  const half = divisor / 2n;
  return dividend >= 0n ? (dividend + half) / divisor : -((-dividend + half) / divisor);
}
