import { Option, type Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { createContext } from '../context.js';

interface FlushOptionValues {
  format: 'text' | 'json';
}

/**
 * `anthrotrace flush`: delivers the records that the ClickHouse store kept in
 * its local spool because ClickHouse was unreachable or rejected them. Exit 1
 * when ClickHouse still cannot take them; the spool is then kept as it is.
 */
export function registerFlush(program: Command): void {
  program
    .command('flush')
    .description('deliver records kept in the local spool to the ClickHouse store')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (options: FlushOptionValues, self: Command) => {
      const context = createContext(self);
      const { resolveStoreSpec } = await import('../../store/open.js');
      const spec = resolveStoreSpec(context.options.store, context.env);
      if (spec.kind !== 'clickhouse') {
        throw new InputError(
          'flush delivers the ClickHouse spool, but the store is SQLite: choose the ClickHouse store with --store clickhouse://HOST/DATABASE or ANTHROTRACE_STORE',
        );
      }

      const { ClickHousePromptLogRepository } = await import('../../store/clickhouse/repository.js');
      const { countRecords } = await import('../../store/clickhouse/delivery.js');
      const repository = ClickHousePromptLogRepository.fromUrl(spec.url, { logger: context.logger, env: context.env, deliverSpoolOnInit: false });
      try {
        await repository.init();
        const result = await repository.deliverSpool();
        const spoolPath = repository.config.spoolPath;
        if (options.format === 'json') {
          const { stringifyJson } = await import('../../core/json.js');
          await context.writeOut(`${stringifyJson({ store: repository.location, spool: spoolPath, delivered: result.delivered, already_stored: result.alreadyStored, remaining: result.remaining })}\n`);
        } else {
          await context.writeOut(
            `delivered ${countRecords(result.delivered)} to ${repository.location} (${result.alreadyStored} already stored); ${result.remaining} remain in ${spoolPath}\n`,
          );
        }
      } finally {
        await repository.close();
      }
    });
}
