/**
 * Writing instants for people: ISO 8601 in a zone's wall clock with its
 * offset (`2026-03-08T03:30:00.000-04:00`), or UTC (`…Z`) for JSON.
 */
import { offsetMsAt, wallTimeAt, type WallTime } from './zone.js';

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `+05:45`, `-04:00`, `+00:00`; seconds appear only for historical local mean time offsets. */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const totalSeconds = Math.round(Math.abs(offsetMs) / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const text = `${sign}${pad(hours)}:${pad(minutes)}`;
  return seconds === 0 ? text : `${text}:${pad(seconds)}`;
}

/** `YYYY-MM-DD` of a wall-clock reading. */
export function formatWallDate(wall: Pick<WallTime, 'year' | 'month' | 'day'>): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** Format the instant in `zone`'s wall clock with milliseconds and offset: `2026-03-08T03:30:00.000-04:00`. */
export function formatInstant(ms: number, zone: string): string {
  const wall = wallTimeAt(zone, ms);
  const time = `${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}.${pad(wall.millisecond, 3)}`;
  return `${formatWallDate(wall)}T${time}${formatOffset(offsetMsAt(zone, ms))}`;
}

/** Format the instant as a UTC ISO string with milliseconds and `Z`. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** `[2025-03-09T10:00:00.000Z, 2025-03-09T11:00:00.000Z)`, with `-∞`/`+∞` for a missing bound. */
export function formatUtcRange(fromMs: number | null, toMs: number | null): string {
  const from = fromMs === null ? '-∞' : formatUtc(fromMs);
  const to = toMs === null ? '+∞' : formatUtc(toMs);
  return `[${from}, ${to})`;
}
