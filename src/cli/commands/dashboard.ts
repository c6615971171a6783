import { spawn } from 'node:child_process';
import { Option, type Command } from 'commander';
import { InputError, OperationError } from '../../core/errors.js';
import { createContext, type CliContext } from '../context.js';
import { addFilterOptions, addRangeOptions, filterFromOptions, resolveRange, type FilterOptionValues, type RangeOptionValues } from '../range-options.js';

interface DashboardOptionValues extends RangeOptionValues, FilterOptionValues {
  host: string;
  port: string;
  open?: boolean;
  bucket: string;
  benchResults?: string;
  refresh: string;
}

export function registerDashboard(program: Command): void {
  const command = program
    .command('dashboard')
    .description('serve a local page with charts of cost, tokens, benchmark history and storage')
    .option('--host <address>', 'address to listen on; keep a loopback address unless others should see your cost data', '127.0.0.1')
    .option('--port <number>', 'TCP port to listen on (0 picks a free one)', '8501')
    .option('--open', 'open the page in the system browser (xdg-open or open)')
    .addOption(new Option('--bucket <unit>', 'bucket size the page starts with').choices(['auto', 'hour', 'day', 'week', 'month']).default('auto'))
    .option('--bench-results <path>', 'benchmark result JSON written by bench --output, or a directory of them (default: the stored benchmark records)')
    .option('--refresh <seconds>', 'how often the page checks the store for new records', '5');
  addRangeOptions(command);
  addFilterOptions(command);
  command.addHelpText(
    'after',
    `
The page starts with --from, --to and --tz, and lets you change them. Buckets follow --tz as in
report; "auto" picks hours up to 2 days, days up to 92 days, weeks up to 2 years, months beyond.
The page loads no file from the network: uPlot and every script come from this command.
`,
  );
  command.action(async (options: DashboardOptionValues, self: Command) => {
    const context = createContext(self);
    const port = parseWholeNumber('--port', options.port, 0, 65535);
    if (!LOOPBACK_HOSTS.has(options.host)) {
      context.logger.warn(`listening on ${options.host}: anyone who can reach this address can read your cost data and prompts`);
    }
    const refreshSeconds = parseWholeNumber('--refresh', options.refresh, 1, 3600);
    // Check the flags now, so a mistake stops the command instead of showing up in the page.
    resolveRange(options, context.env);
    const filter = filterFromOptions(options);
    if (options.benchResults !== undefined) await checkBenchResultsPath(options.benchResults);

    const { startDashboardServer } = await import('../../dashboard/server.js');
    const { StoreHandle } = await import('../../dashboard/store-handle.js');
    const { openStoreFromContext } = await import('../store-option.js');
    const store = new StoreHandle(() => openStoreFromContext(context));
    try {
      await store.get();
    } catch (error) {
      context.logger.warn(`${(error as Error).message}; serving the page anyway, it shows the error and retries`);
    }

    let dashboard;
    try {
      dashboard = await startDashboardServer({
        host: options.host,
        port,
        store,
        defaults: { from: options.from, to: options.to, tz: options.tz, bucket: options.bucket },
        filter,
        benchResults: options.benchResults,
        refreshSeconds,
        logger: context.logger,
        env: context.env,
      });
    } catch (error) {
      await store.close();
      throw new OperationError(`failed to listen on ${options.host}:${port}: ${(error as Error).message}; choose another --port or --host`);
    }
    const url = dashboard.url;
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        context.logger.info(`${signal} received, stopping the dashboard`);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // Announce the URL only once a signal can stop the server cleanly.
      context.logger.info(`dashboard at ${url} (Ctrl-C to stop)`);
      if (options.open) openInBrowser(url, context);
    });
    await dashboard.close();
    await store.close();
  });
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

function parseWholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new InputError(`invalid ${flag} ${JSON.stringify(text)}: use a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * Reject a --bench-results path that does not exist or cannot be read, so the
 * mistake stops the command instead of showing up only in /api/bench.
 */
async function checkBenchResultsPath(path: string): Promise<void> {
  const { access, stat, constants } = await import('node:fs/promises');
  const advice = 'pass a result file written by bench --output or a directory of them';
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : `cannot be read (${(error as Error).message})`;
    throw new InputError(`--bench-results ${JSON.stringify(path)} ${reason}: ${advice}`);
  }
  // A directory is listed, so it needs execute permission as well as read.
  try {
    await access(path, isDirectory ? constants.R_OK | constants.X_OK : constants.R_OK);
  } catch (error) {
    throw new InputError(`--bench-results ${JSON.stringify(path)} cannot be read (${(error as NodeJS.ErrnoException).code}): ${advice}`);
  }
}

/** Start the platform's opener detached; a missing opener is a warning, since the URL is already printed. */
function openInBrowser(url: string, context: CliContext): void {
  let opener = 'xdg-open';
  if (process.platform === 'darwin') opener = 'open';
  if (process.platform === 'win32') opener = 'explorer';
  const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
  child.on('error', (error) => context.logger.warn(`failed to open a browser with ${opener}: ${error.message}; open ${url} yourself`));
  child.unref();
}
