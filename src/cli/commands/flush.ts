import type { Command } from 'commander';

export function registerFlush(program: Command): void {
  program.command('flush').description('(not built yet)');
}
