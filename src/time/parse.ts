/**
 * Reading `--from` and `--to` values into UTC instants. Ranges are half-open,
 * `[from, to)`: a date or `today`/`yesterday` given as the upper bound
 * includes that whole local day by becoming the next local midnight.
 */
import { InputError } from '../core/errors.js';
import { addDays, civilDateAt, isValidCivilDate, startOfDay, type CivilDate } from './calendar.js';
import { instantFromWallTime, MS_PER_HOUR, MS_PER_MINUTE, wallTimeAt, wallToEpochMs, type WallTime } from './zone.js';

export type RangeBound = 'from' | 'to';

export interface ParseTimeOptions {
  /** The zone that dates and local date-times are read in. */
  zone: string;
  /** "Now" in UTC epoch milliseconds. */
  nowMs: number;
  /** Whether the value is a lower bound (inclusive) or an upper bound (exclusive). */
  bound: RangeBound;
  /** Name used in error messages; `--from` or `--to` by default. */
  label?: string;
}

export const TIME_INPUT_EXAMPLES = '2025-03-09, 2025-03-09T03:00, 2025-03-09T10:00:00Z, today, yesterday, now or 7d';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
// Five digits keep `99999w` (about 1,900 years) inside the years Intl reads without an era.
const RELATIVE = /^(\d{1,5})(s|m|h|d|w)$/;

/** Read one `--from`/`--to` value into UTC epoch milliseconds. */
export function parseTimeInput(text: string, options: ParseTimeOptions): number {
  const value = text.trim();
  const keyword = value.toLowerCase();
  if (keyword === 'now') return options.nowMs;
  if (keyword === 'today' || keyword === 'yesterday') {
    const today = civilDateAt(options.zone, options.nowMs);
    const date = keyword === 'today' ? today : addDays(today, -1);
    return dayBound(options, date);
  }

  const relative = RELATIVE.exec(keyword);
  if (relative) return beforeNow(Number(relative[1]), relative[2]!, options);

  const match = DATE_TIME.exec(value);
  if (!match) throw invalid(options, value, 'not a recognised date or time');
  const [, year, month, day, hour, minute, second = '0', fraction = '', offset] = match;
  const date: CivilDate = { year: Number(year), month: Number(month), day: Number(day) };
  if (date.year < 1 || !isValidCivilDate(date)) throw invalid(options, value, 'no such date');
  if (hour === undefined) {
    if (offset !== undefined) throw invalid(options, value, 'a date alone takes no offset; give a time as well');
    return dayBound(options, date);
  }

  const wall: WallTime = { ...date, hour: Number(hour), minute: Number(minute), second: Number(second), millisecond: 0 };
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) throw invalid(options, value, 'no such time of day');
  // Digits past milliseconds round up: for whole-millisecond record times,
  // t >= x and t < x both hold exactly when they hold for ceil(x).
  const fractionMs = Math.ceil(Number(`0.${fraction || '0'}`) * 1000);

  if (offset === undefined) return instantFromWallTime(options.zone, wall) + fractionMs;
  const offsetMs = parseOffset(offset);
  if (offsetMs === null) throw invalid(options, value, 'invalid UTC offset');
  return wallToEpochMs(wall) - offsetMs + fractionMs;
}

/** Convert a date to a bound: its local midnight as `--from`, the next local midnight as `--to`. */
function dayBound(options: ParseTimeOptions, date: CivilDate): number {
  return startOfDay(options.zone, options.bound === 'to' ? addDays(date, 1) : date);
}

/**
 * Subtract `amount` units from now. Seconds, minutes and hours are exact
 * spans. Days and weeks step the wall clock back, as Temporal does, so `1d` is
 * the same local time yesterday even across a daylight saving change.
 */
function beforeNow(amount: number, unit: string, options: ParseTimeOptions): number {
  if (unit === 's') return options.nowMs - amount * 1000;
  if (unit === 'm') return options.nowMs - amount * MS_PER_MINUTE;
  if (unit === 'h') return options.nowMs - amount * MS_PER_HOUR;
  const days = unit === 'w' ? amount * 7 : amount;
  const now = wallTimeAt(options.zone, options.nowMs);
  const date = addDays(now, -days);
  return instantFromWallTime(options.zone, { ...now, ...date });
}

/** `Z`, `+05:45`, `-0400` or `+01` in milliseconds east of UTC, or null when out of range. */
function parseOffset(text: string): number | null {
  if (text.toUpperCase() === 'Z') return 0;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  const sign = text.startsWith('-') ? -1 : 1;
  return sign * (hours * MS_PER_HOUR + minutes * MS_PER_MINUTE);
}

function invalid(options: ParseTimeOptions, value: string, reason: string): InputError {
  const label = options.label ?? `--${options.bound}`;
  return new InputError(`invalid ${label} ${JSON.stringify(value)}: ${reason}; use a value such as ${TIME_INPUT_EXAMPLES}`);
}
