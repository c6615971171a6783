/**
 * Reading `--by`: at most one time unit (hour, day, week, month) and any of
 * the dimensions model, category, status, source and tag:KEY.
 */
import { InputError } from '../core/errors.js';
import type { GroupDimension } from '../store/repository.js';
import { BUCKET_UNITS, type BucketUnit } from '../time/buckets.js';

export interface GroupBy {
  timeUnit: BucketUnit | null;
  dimensions: GroupDimension[];
  /** The keys as output names them: the time unit first, then the dimensions in the order given. */
  keys: string[];
}

const PLAIN_DIMENSIONS = ['model', 'category', 'status', 'source'] as const;
const ACCEPTED = 'hour, day, week, month, model, category, status, source or tag:KEY';

/** Parse a comma-separated `--by` value such as `day,model` or `week,tag:team`. */
export function parseGroupBy(text: string): GroupBy {
  const parts = text.split(',').map((part) => part.trim());
  let timeUnit: BucketUnit | null = null;
  const dimensions: GroupDimension[] = [];
  for (const part of parts) {
    if ((BUCKET_UNITS as readonly string[]).includes(part)) {
      if (timeUnit !== null) {
        throw new InputError(`invalid --by ${JSON.stringify(text)}: ${timeUnit} and ${part} are both time units; keep one, such as --by day,model`);
      }
      timeUnit = part as BucketUnit;
      continue;
    }
    const dimension = parseDimension(part, text);
    if (dimensions.includes(dimension)) {
      throw new InputError(`invalid --by ${JSON.stringify(text)}: ${part} appears twice; list each key once`);
    }
    dimensions.push(dimension);
  }
  const keys = [...(timeUnit === null ? [] : [timeUnit]), ...dimensions];
  return { timeUnit, dimensions, keys };
}

function parseDimension(part: string, text: string): GroupDimension {
  if ((PLAIN_DIMENSIONS as readonly string[]).includes(part)) return part as GroupDimension;
  if (part.startsWith('tag:') && part.length > 'tag:'.length) return part as GroupDimension;
  const reason = part === '' ? 'an empty key' : `unknown key ${JSON.stringify(part)}`;
  throw new InputError(`invalid --by ${JSON.stringify(text)}: ${reason}; use ${ACCEPTED}, comma-separated, such as --by day,model`);
}
