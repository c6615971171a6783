import type { Command } from 'commander';

export function registerDashboard(program: Command): void {
  program.command('dashboard').description('(not built yet)');
}
