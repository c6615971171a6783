import type { Command } from 'commander';
import { registerSend } from './send.js';
import { registerCost } from './cost.js';
import { registerReport } from './report.js';
import { registerImport } from './import.js';
import { registerQuery } from './query.js';
import { registerFlush } from './flush.js';
import { registerServeMetrics } from './serve-metrics.js';
import { registerBench } from './bench.js';
import { registerDashboard } from './dashboard.js';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: ((program: Command) => void)[] = [
  registerSend,
  registerCost,
  registerImport,
  registerQuery,
  registerReport,
  registerBench,
  registerServeMetrics,
  registerDashboard,
  registerFlush,
];
