/**
 * The price table for a command: built-in prices plus the user price file
 * named by `--pricing`, else the ANTHROTRACE_PRICING variable, else the
 * config file's "pricing" field.
 */
import { access } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PriceTable } from '../pricing/table.js';
import { configPath, type UserConfig } from './config.js';

/** The parts of the command's context that choosing the price file reads. */
export interface PricingContext {
  options: { pricing?: string };
  env: NodeJS.ProcessEnv;
  /** The config file's settings. `createContext` copies their "pricing" into `options.pricing` when no flag or variable set one. */
  config?: UserConfig;
  logger: Logger;
}

export async function loadPricer(ctx: PricingContext): Promise<PriceTable> {
  const userFile = ctx.options.pricing ?? (ctx.env.ANTHROTRACE_PRICING || undefined);
  if (userFile !== undefined) await checkConfiguredPriceFile(ctx, userFile);
  const { loadPriceTable } = await import('../pricing/table.js');
  const table = await loadPriceTable({ userFile });
  if (userFile) ctx.logger.debug(`prices: built-in table merged with ${userFile}`);
  return table;
}

/**
 * Reject a missing price file that came from the config file with a hint
 * that names the config file, because the price table's own message points
 * at --pricing and ANTHROTRACE_PRICING. A --pricing flag that repeats the
 * config file's value is reported the same way.
 */
async function checkConfiguredPriceFile(ctx: PricingContext, userFile: string): Promise<void> {
  if (ctx.env.ANTHROTRACE_PRICING || ctx.config?.pricing !== userFile) return;
  try {
    await access(userFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(`price file ${userFile} ${problem}: fix or remove "pricing" in the config file ${configPath(ctx.env)}`, { cause: error });
  }
}
