/**
 * Resolving the zone (`--tz`) and "now" (`ANTHROTRACE_NOW`) that every time
 * value is read against.
 */
import { InputError } from '../core/errors.js';
import { canonicalZoneName, isKnownTimeZone, systemTimeZone } from './zone.js';

/**
 * Resolve `--tz`: an IANA name, `UTC` or `local` (the system zone). When
 * the flag is missing the system zone applies: the TZ environment variable,
 * else the zone Intl reports.
 */
export function resolveTimeZone(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag === undefined || flag.trim().toLowerCase() === 'local') return systemTimeZone(env);
  const zone = flag.trim();
  if (zone === '' || !isKnownTimeZone(zone)) {
    throw new InputError(`invalid --tz ${JSON.stringify(flag)}: use an IANA zone such as Europe/Berlin, UTC or local`);
  }
  return canonicalZoneName(zone);
}

/** Return "now" in UTC epoch milliseconds: `ANTHROTRACE_NOW` (an ISO instant with Z or an offset) when set, else the clock. */
export function resolveNow(env: NodeJS.ProcessEnv = process.env): number {
  const fixed = env.ANTHROTRACE_NOW;
  if (fixed === undefined || fixed === '') return Date.now();
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(fixed.trim());
  const ms = Date.parse(fixed);
  if (!hasZone || !/^\d{4}-\d{2}-\d{2}T/.test(fixed.trim()) || Number.isNaN(ms)) {
    throw new InputError(`invalid ANTHROTRACE_NOW ${JSON.stringify(fixed)}: use an ISO instant with Z or an offset, such as 2026-03-08T12:00:00Z`);
  }
  return ms;
}
