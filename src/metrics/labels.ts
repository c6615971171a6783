/**
 * Bounded label values. Every distinct label value creates a time series that
 * Prometheus keeps in memory, so request, user, session and prompt ids never
 * become labels, and the open-ended values that are labels (model and
 * category) are capped.
 */
import type { Logger } from '../core/logger.js';

/** The label value for a record without a category. */
export const NO_CATEGORY_LABEL = 'none';
/** The label value that collects every category (or model) past the limit. */
export const FOLDED_LABEL = 'other';

export const DEFAULT_MAX_CATEGORIES = 50;
/** Model ids come from requests, so a typo or a script looping over names could otherwise add series without end. */
export const DEFAULT_MAX_MODELS = 50;

/**
 * Assigns label values for one label. The first `limit` distinct values keep
 * their own label. Later values are folded into `other`, and the first fold
 * logs one warning.
 *
 * NOTE: which values keep their own label depends on the order they arrive in.
 * After a restart the store's totals are ranked again, so a value that was
 * folded before can get its own series, and `other` can then drop.
 */
export class BoundedLabel {
  private readonly kept = new Set<string>();
  private warned = false;

  constructor(
    private readonly name: string,
    private readonly limit: number,
    private readonly optionName: string,
    private readonly logger: Logger,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`${name} limit must be a positive integer, got ${limit}`);
  }

  /** Return the label value for `value`, folding it into `other` past the limit. */
  valueFor(value: string): string {
    if (this.kept.has(value)) return value;
    if (this.kept.size < this.limit) {
      this.kept.add(value);
      return value;
    }
    if (!this.warned) {
      this.warned = true;
      this.logger.warn(
        `more than ${this.limit} distinct ${this.name} values: ${JSON.stringify(value)} and later ones are counted as ${this.name}="${FOLDED_LABEL}"; raise ${this.optionName} to keep more`,
      );
    }
    return FOLDED_LABEL;
  }

  /** Values that keep their own label, in the order they were first seen. */
  keptValues(): string[] {
    return [...this.kept];
  }
}

/** Return the category label: `none` when missing, `other` past the limit. `none` does not count toward the limit. */
export function categoryLabel(category: string | null, bounded: BoundedLabel): string {
  if (category === null || category === '') return NO_CATEGORY_LABEL;
  return bounded.valueFor(category);
}
