/**
 * Time zones through Intl: the UTC offset of a zone at an instant, and the
 * instant a zone's wall-clock time stands for. Node 20 has no Temporal, so
 * this module implements Temporal's "compatible" disambiguation itself.
 */
import { InputError } from '../core/errors.js';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** A wall-clock reading in some zone. `month` is 1 to 12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Return whether Intl accepts `zone` (an IANA name such as `Europe/Berlin`, or `UTC`). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** Return the zone of this process: the TZ environment variable when set, else the zone Intl reports. */
export function systemTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  // POSIX allows a leading colon in TZ (":Europe/Berlin"); Intl does not.
  const fromEnv = env.TZ?.replace(/^:/, '');
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isKnownTimeZone(fromEnv)) {
      throw new InputError(`invalid TZ environment variable ${JSON.stringify(env.TZ)}: use an IANA zone such as Europe/Berlin, or pass --tz UTC`);
    }
    return canonicalZoneName(fromEnv);
  }
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Return the zone name with Intl's capitalisation (`europe/berlin` → `Europe/Berlin`), keeping the user's alias otherwise. */
export function canonicalZoneName(zone: string): string {
  if (zone.toUpperCase() === 'UTC') return 'UTC';
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

/** Read the wall clock of `zone` at the instant `ms` (UTC epoch milliseconds). */
export function wallTimeAt(zone: string, ms: number): WallTime {
  const millisecond = ((ms % 1000) + 1000) % 1000;
  if (zone === 'UTC') {
    const date = new Date(ms);
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      millisecond,
    };
  }
  const wall: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond };
  for (const part of formatterFor(zone).formatToParts(ms)) {
    if (part.type === 'year') wall.year = Number(part.value);
    else if (part.type === 'month') wall.month = Number(part.value);
    else if (part.type === 'day') wall.day = Number(part.value);
    else if (part.type === 'hour') wall.hour = Number(part.value);
    else if (part.type === 'minute') wall.minute = Number(part.value);
    else if (part.type === 'second') wall.second = Number(part.value);
  }
  return wall;
}

/** Convert a wall-clock reading to epoch milliseconds as if it were UTC, the base for calendar arithmetic. */
export function wallToEpochMs(wall: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return date.getTime();
}

/** Convert epoch milliseconds back to a wall-clock reading, the inverse of `wallToEpochMs`. */
export function epochMsToWall(ms: number): WallTime {
  return wallTimeAt('UTC', ms);
}

/** Return the UTC offset of `zone` at the instant `ms`, in milliseconds (east of UTC is positive). */
export function offsetMsAt(zone: string, ms: number): number {
  if (zone === 'UTC') return 0;
  return wallToEpochMs(wallTimeAt(zone, ms)) - ms;
}

/**
 * Convert a wall-clock time in `zone` to an instant, disambiguated like
 * Temporal's "compatible" option. A time that occurs twice (the repeated hour
 * when clocks fall back) takes the earlier instant. A time that does not
 * exist (the hour skipped when clocks spring forward) moves forward by the
 * length of the gap, so 02:30 on a spring-forward night becomes 03:30.
 *
 * Assumes at most one offset change within a day on either side of the time,
 * which holds for every zone in the IANA database.
 */
export function instantFromWallTime(zone: string, wall: WallTime): number {
  const local = wallToEpochMs(wall);
  if (zone === 'UTC') return local;

  const offsetBefore = offsetMsAt(zone, local - MS_PER_DAY);
  const offsetAfter = offsetMsAt(zone, local + MS_PER_DAY);
  const candidates: number[] = [];
  for (const offset of new Set([offsetBefore, offsetAfter])) {
    const instant = local - offset;
    if (offsetMsAt(zone, instant) === offset) candidates.push(instant);
  }
  if (candidates.length > 0) return Math.min(...candidates);

  // A gap: read the time with the offset in force before the change, which
  // lands the same distance past the change as the time is past its start.
  return local - offsetBefore;
}

/** Find the first instant after `afterMs` and at or before `untilMs` whose offset differs from the offset at `afterMs`, or null. */
export function nextOffsetChange(zone: string, afterMs: number, untilMs: number): number | null {
  const offset = offsetMsAt(zone, afterMs);
  if (offsetMsAt(zone, untilMs) === offset) return null;
  let low = afterMs;
  let high = untilMs;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (offsetMsAt(zone, middle) === offset) low = middle;
    else high = middle;
  }
  return high;
}
