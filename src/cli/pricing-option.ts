/**
 * The price table for a command: built-in prices plus the user price file
 * named by `--pricing` or, failing that, the ANTHROTRACE_PRICING variable.
 */
import type { PriceTable } from '../pricing/table.js';
import type { CliContext } from './context.js';

export async function loadPricer(ctx: CliContext): Promise<PriceTable> {
  const userFile = ctx.options.pricing ?? (ctx.env.ANTHROTRACE_PRICING || undefined);
  const { loadPriceTable } = await import('../pricing/table.js');
  const table = await loadPriceTable({ userFile });
  if (userFile) ctx.logger.debug(`prices: built-in table merged with ${userFile}`);
  return table;
}
