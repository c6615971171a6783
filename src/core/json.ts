/**
 * JSON output with exact decimal numbers. `JSON.stringify` can only write
 * IEEE doubles, which cannot hold every nano-dollar amount above 2^53; a
 * `DecimalNumber` is written as its exact text instead.
 */

const MARKER = '\u0000decimal:';
/** The marker as `JSON.stringify` writes it at the start of a string value. */
const QUOTED_MARKER = '"\\u0000decimal:';
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** True only while `stringifyJson` runs `JSON.stringify`, so other callers still get a quoted decimal. */
let writingMarkers = false;

export class DecimalNumber {
  constructor(readonly text: string) {
    if (!DECIMAL.test(text)) throw new RangeError(`not a plain decimal: ${text}`);
  }

  toJSON(): string {
    return writingMarkers ? MARKER + this.text : this.text;
  }
}

/**
 * Stringify like `JSON.stringify`, writing each `DecimalNumber` and bigint as
 * a bare JSON number.
 *
 * Values without bigint go through `JSON.stringify` without a replacer, which
 * keeps V8 on its fast serializer: each `DecimalNumber` writes a marked string
 * that one scan then unquotes. With a replacer function, `query --format
 * jsonl` spent about 40% of its time here. A value that contains a bigint
 * makes `JSON.stringify` throw, and takes the slower replacer path.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  let text: string;
  writingMarkers = true;
  try {
    text = JSON.stringify(value, null, indent);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return stringifyWithReplacer(value, indent);
  } finally {
    writingMarkers = false;
  }
  return unquoteMarkers(text);
}

/** Write markers for `DecimalNumber` and bigint values through a replacer function. */
function stringifyWithReplacer(value: unknown, indent: number | undefined): string {
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
  return unquoteMarkers(text);
}

/**
 * Replace each string `"\u0000decimal:D"` whose D is a plain decimal by D.
 * NOTE: a string value that itself is a NUL character followed by
 * `decimal:` and digits is written as a number too. No record field contains one.
 */
function unquoteMarkers(text: string): string {
  let index = text.indexOf(QUOTED_MARKER);
  if (index === -1) return text;

  let output = '';
  let copiedTo = 0;
  while (index !== -1) {
    const start = index + QUOTED_MARKER.length;
    const end = text.indexOf('"', start);
    const digits = text.slice(start, end);
    if (DECIMAL.test(digits)) {
      output += text.slice(copiedTo, index) + digits;
      copiedTo = end + 1;
    }
    index = text.indexOf(QUOTED_MARKER, end + 1);
  }
  return output + text.slice(copiedTo);
}
