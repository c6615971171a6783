/**
 * The time-range flags (`--from`, `--to`, `--tz`) and record filter flags
 * (`--category`, `--model`, `--status`, `--source`, `--tag`) shared by every
 * command that reads the log.
 */
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { RECORD_SOURCES, RECORD_STATUSES, type RecordSource, type RecordStatus } from '../core/record.js';
import type { RecordFilter } from '../store/repository.js';
import { formatUtcRange } from '../time/format.js';
import { parseTimeInput } from '../time/parse.js';
import { resolveNow, resolveTimeZone } from '../time/settings.js';

/** The values commander collects for `addRangeOptions`. */
export interface RangeOptionValues {
  from?: string;
  to?: string;
  tz?: string;
}

/** The values commander collects for `addFilterOptions`; each list flag may be repeated. */
export interface FilterOptionValues {
  category?: string[];
  model?: string[];
  status?: string[];
  source?: string[];
  tag?: string[];
}

/** A range as UTC epoch milliseconds, half-open `[fromMs, toMs)`; null means unbounded on that side. */
export interface ResolvedRange {
  timezone: string;
  fromMs: number | null;
  toMs: number | null;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export const RANGE_HELP = `
Times (--from, --to):
  2025-03-09T10:00:00Z, 2025-03-09T05:00-05:00   absolute instants; --tz does not change them
  2025-03-09T03:00, 2025-03-09 03:00:15.250       local date-times, read in --tz
  2025-03-09                                     a local date: its midnight as --from; as --to the whole day is included
  now, today, yesterday                          today/yesterday as --to include that whole day
  15m, 24h, 7d, 2w                               that long before now (d and w step the local calendar)
  Ranges are half-open: --from is included, --to is not.
  A local time skipped when clocks spring forward moves forward by the gap (02:30 becomes 03:30);
  a local time that occurs twice when clocks fall back means the earlier instant (Temporal's
  "compatible" rule). ANTHROTRACE_NOW (an ISO instant) fixes "now" for reproducible output.
`;

/** Add `--from`, `--to` and `--tz` to `command`. */
export function addRangeOptions(command: Command): Command {
  return command
    .option('--from <time>', 'start of the range, included (default: no lower bound)')
    .option('--to <time>', 'end of the range, excluded; a date includes that whole day (default: no upper bound)')
    .option('--tz <zone>', 'zone for reading local times and drawing days: an IANA zone, UTC or local (default: TZ, else the system zone)')
    .addHelpText('after', RANGE_HELP);
}

/** Add the repeatable record filter flags to `command`. */
export function addFilterOptions(command: Command): Command {
  return command
    .option('--category <name>', 'only records in this category (repeatable)', collect)
    .option('--model <id>', 'only records of this model, served or else requested (repeatable)', collect)
    .option('--status <status>', `only records with this status: ${RECORD_STATUSES.join(' or ')} (repeatable)`, collect)
    .option('--source <source>', `only records from this source: ${RECORD_SOURCES.join(', ')} (repeatable)`, collect)
    .option('--tag <key=value>', 'only records with this tag value (repeatable; all must match)', collect);
}

/**
 * Resolve the zone and both bounds. Throws `InputError` for an unknown zone,
 * an unreadable time or `--from` not before `--to`.
 */
export function resolveRange(options: RangeOptionValues, env: NodeJS.ProcessEnv = process.env): ResolvedRange {
  const timezone = resolveTimeZone(options.tz, env);
  const nowMs = resolveNow(env);
  const fromMs = options.from === undefined ? null : parseTimeInput(options.from, { zone: timezone, nowMs, bound: 'from' });
  const toMs = options.to === undefined ? null : parseTimeInput(options.to, { zone: timezone, nowMs, bound: 'to' });
  if (fromMs !== null && toMs !== null && fromMs >= toMs) {
    throw new InputError(
      `invalid range: --from ${JSON.stringify(options.from)} is not before --to ${JSON.stringify(options.to)} ` +
        `(${formatUtcRange(fromMs, toMs)} in ${timezone}); give an earlier --from, such as --from 2025-03-01 --to 2025-03-09`,
    );
  }
  return { timezone, fromMs, toMs };
}

/** Describe the range in one line for stderr or a table header: `range [2025-03-09T10:00:00.000Z, +∞) UTC, read in America/Los_Angeles`. */
export function describeRange(range: ResolvedRange): string {
  return `range ${formatUtcRange(range.fromMs, range.toMs)} UTC, read in ${range.timezone}`;
}

/** Build a store filter from the filter flags, with the range's bounds when one is given. */
export function filterFromOptions(options: FilterOptionValues, range?: ResolvedRange): RecordFilter {
  const filter: RecordFilter = {};
  if (range?.fromMs != null) filter.fromMs = range.fromMs;
  if (range?.toMs != null) filter.toMs = range.toMs;
  if (options.category?.length) filter.categories = [...options.category];
  if (options.model?.length) filter.models = [...options.model];
  if (options.status?.length) filter.statuses = options.status.map((value) => checkListed('--status', value, RECORD_STATUSES));
  if (options.source?.length) filter.sources = options.source.map((value) => checkListed('--source', value, RECORD_SOURCES));
  if (options.tag?.length) filter.tags = parseTags(options.tag);
  return filter;
}

function checkListed<T extends RecordStatus | RecordSource>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`invalid ${flag} ${JSON.stringify(value)}: use ${allowed.join(', ')}`);
}

function parseTags(pairs: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new InputError(`invalid --tag ${JSON.stringify(pair)}: use key=value, such as --tag team=search`);
    const key = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (key in tags && tags[key] !== value) {
      throw new InputError(`invalid --tag ${JSON.stringify(pair)}: tag ${JSON.stringify(key)} is already required to be ${JSON.stringify(tags[key])}, and no record can match both`);
    }
    tags[key] = value;
  }
  return tags;
}
