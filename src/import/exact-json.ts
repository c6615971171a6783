/**
 * JSON parsing that keeps decimal numbers exact. `JSON.parse` turns every
 * number into a double, which cannot hold a USD amount such as
 * 9007199.254740993 (16 significant digits); Node 20 gives a reviver no access
 * to the number's source text. So each number token with a fraction, an
 * exponent or more than 15 characters is first rewritten as a marked string,
 * and the reviver turns it into a `DecimalNumber`.
 */
import { DecimalNumber } from '../core/json.js';

/** The prefix of a marked number after parsing; in the JSON text it is written as the escape `\u0000`. */
const MARKER = '\u0000decimal:';
const MARKER_ESCAPED = '\\u0000decimal:';
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Rewrite long or fractional number tokens outside strings as marked strings. */
function markNumbers(text: string): string {
  let output = '';
  let copiedUpTo = 0;
  let index = 0;
  const length = text.length;

  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === 0x22) {
      // Skip a string, honouring backslash escapes.
      index += 1;
      while (index < length) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c) index += 2;
        else if (inner === 0x22) {
          index += 1;
          break;
        } else index += 1;
      }
      continue;
    }
    if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
      const start = index;
      index += 1;
      while (index < length && /[0-9.eE+-]/.test(text[index]!)) index += 1;
      const token = text.slice(start, index);
      if (token.length > 15 || /[.eE]/.test(token)) {
        output += `${text.slice(copiedUpTo, start)}"${MARKER_ESCAPED}${token}"`;
        copiedUpTo = index;
      }
      continue;
    }
    index += 1;
  }
  return copiedUpTo === 0 ? text : output + text.slice(copiedUpTo);
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith(MARKER)) return value;
  const token = value.slice(MARKER.length);
  return PLAIN_DECIMAL.test(token) ? new DecimalNumber(token) : Number(token);
}

/**
 * Parse `text`, which must already be known to be valid JSON, with numbers
 * that have a fraction or more than 15 characters as `DecimalNumber`, and
 * numbers in exponent form as plain numbers.
 */
export function parseJsonWithDecimals(text: string): unknown {
  return JSON.parse(markNumbers(text), revive);
}
