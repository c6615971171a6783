import type { Command } from 'commander';

export function registerServeMetrics(program: Command): void {
  program.command('serve-metrics').description('(not built yet)');
}
