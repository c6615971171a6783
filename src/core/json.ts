/**
 * JSON output with exact decimal numbers. `JSON.stringify` can only write
 * IEEE doubles, which cannot hold every nano-dollar amount above 2^53; a
 * `DecimalNumber` is written as its exact text instead.
 */

export class DecimalNumber {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`not a plain decimal: ${text}`);
  }

  toJSON(): string {
    return this.text;
  }
}

const MARKER = '\u0000decimal:';

/** Stringify like `JSON.stringify`, writing each `DecimalNumber` and bigint as a bare JSON number. */
export function stringifyJson(value: unknown, indent?: number): string {
  const text = JSON.stringify(
    value,
    function replace(this: unknown, key: string, item: unknown) {
      const original = (this as Record<string, unknown>)[key];
      if (original instanceof DecimalNumber) return MARKER + original.text;
      if (typeof item === 'bigint') return MARKER + item.toString();
      return item;
    },
    indent,
  );
  return text.replace(/"\\u0000decimal:(-?\d+(?:\.\d+)?)"/g, '$1');
}
