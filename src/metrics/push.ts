/**
 * One push of a run's counters to a Prometheus Pushgateway, for runs too
 * short to be scraped (CI jobs). The push replaces the metrics of its group
 * (HTTP PUT), so the group shows exactly the latest run.
 */
import { Pushgateway } from 'prom-client';
import type { Logger } from '../core/logger.js';
import type { PrometheusMetricsExporter } from './exporter.js';

export const DEFAULT_PUSH_JOB = 'anthrotrace';
const PUSH_TIMEOUT_MS = 10_000;

export interface PushTarget {
  /** Base URL of the Pushgateway, such as `http://127.0.0.1:9091`. */
  url: string;
  job: string;
  /** Grouping labels that, with the job, name the group the push replaces. */
  groupings: Record<string, string>;
}

/** Push the exporter's metrics. A failed push is logged as a warning and returns false instead of throwing. */
export async function pushMetrics(exporter: PrometheusMetricsExporter, target: PushTarget, logger: Logger): Promise<boolean> {
  const gateway = new Pushgateway(target.url, { timeout: PUSH_TIMEOUT_MS }, exporter.registry);
  const group = [`job=${target.job}`, ...Object.entries(target.groupings).map(([name, value]) => `${name}=${value}`)].join(', ');
  try {
    await gateway.push({ jobName: target.job, groupings: target.groupings });
    logger.info(`pushed metrics to ${target.url} (${group})`);
    return true;
  } catch (error) {
    logger.warn(`pushing metrics to ${target.url} (${group}) failed, the run itself is unaffected: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
