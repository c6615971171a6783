import type { Command } from 'commander';

export function registerCost(program: Command): void {
  program.command('cost').description('(not built yet)');
}
