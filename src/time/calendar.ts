/**
 * Calendar steps in a zone's wall clock: the start of a day, week or month,
 * and whole days added to a civil date. Days are not assumed to be 24 hours,
 * so every step goes through the wall clock and back to an instant.
 */
import { epochMsToWall, instantFromWallTime, MS_PER_DAY, wallTimeAt, wallToEpochMs, type WallTime } from './zone.js';

/** A date without a time or zone. `month` is 1 to 12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function isValidCivilDate(date: CivilDate): boolean {
  if (date.month < 1 || date.month > 12 || date.day < 1) return false;
  return date.day <= daysInMonth(date.year, date.month);
}

export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Add `days` days to `date`; a negative count goes back. */
export function addDays(date: CivilDate, days: number): CivilDate {
  const wall = epochMsToWall(wallToEpochMs(atMidnight(date)) + days * MS_PER_DAY);
  return { year: wall.year, month: wall.month, day: wall.day };
}

/** Return the first day of the month `months` months after the month of `date`. */
export function addMonths(date: CivilDate, months: number): CivilDate {
  const index = date.year * 12 + (date.month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 };
}

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export function isoWeekday(date: CivilDate): number {
  const sundayZero = new Date(wallToEpochMs(atMidnight(date))).getUTCDay();
  return sundayZero === 0 ? 7 : sundayZero;
}

export function atMidnight(date: CivilDate): WallTime {
  return { ...date, hour: 0, minute: 0, second: 0, millisecond: 0 };
}

/** Return the civil date in `zone` at the instant `ms`. */
export function civilDateAt(zone: string, ms: number): CivilDate {
  const wall = wallTimeAt(zone, ms);
  return { year: wall.year, month: wall.month, day: wall.day };
}

/**
 * Return the first instant of `date` in `zone`. Where midnight falls in a
 * spring-forward gap (as in zones that change at 00:00), the day starts when
 * the clocks resume, by the compatible rule.
 */
export function startOfDay(zone: string, date: CivilDate): number {
  return instantFromWallTime(zone, atMidnight(date));
}
