/**
 * Durations given on the command line, such as `--duration 30s`.
 */
import { InputError } from '../core/errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Parse `500ms`, `30s`, `1.5m` or `2h` into milliseconds; `option` names the flag in the error message. */
export function parseDurationMs(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) {
    throw new InputError(`invalid ${option} ${JSON.stringify(text)}: use a number with a unit, such as 500ms, 30s, 5m or 2h`);
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}
