/**
 * The AnthroTrace library: the same core the command line uses.
 */
export type { PromptRecord, TokenUsage, CostBreakdown, RecordSource, RecordStatus } from './core/record.js';
export type {
  RepositoryAdapter,
  RecordFilter,
  QueryOptions,
  AggregateRequest,
  AggregateRow,
  GroupDimension,
  InsertResult,
  StorageStats,
} from './store/repository.js';
export { openRepository, resolveStoreSpec, defaultSqlitePath, type StoreSpec } from './store/open.js';
export { formatUsd, usdDecimal, parseUsd } from './core/money.js';
export { AnthroTraceError, InputError, OperationError } from './core/errors.js';
export { createLogger, type Logger, type LogLevel } from './core/logger.js';
export {
  AnthropicPromptClient,
  PromptCallError,
  type AnthropicPromptClientOptions,
  type SendRequest,
  type SendResult,
  type RecordDestination,
} from './client/index.js';
export type { Pricer, PricingRequest, PricingResult } from './pricing/index.js';
export { loadPriceTable, PriceTable, unpricedModelWarning, normalizeModelId, type PriceQuote } from './pricing/table.js';
export { SQLiteRepository, type SQLiteRepositoryOptions } from './store/sqlite/repository.js';
export {
  recordToJson,
  recordFromJson,
  RecordFieldError,
  type RecordJson,
  type UsageJson,
  type CostJson,
} from './core/record-json.js';
export {
  PrometheusMetricsExporter,
  METRICS_DIMENSIONS,
  type PrometheusMetricsExporterOptions,
  type PromptSeriesTotals,
} from './metrics/exporter.js';
export { StoreMetricsSource, DEFAULT_INGEST_LAG_MS, type StoreMetricsSourceOptions } from './metrics/store-source.js';
export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics/server.js';
export { pushMetrics, type PushTarget } from './metrics/push.js';
export { ClickHousePromptLogRepository, type ClickHouseRepositoryOptions } from './store/clickhouse/repository.js';
export { runBenchmark, type BenchCall, type RunBenchmarkOptions } from './bench/runner.js';
export { clientBenchCall } from './bench/client-call.js';
export { loadSuite, parseSuite, type LoadSuiteOptions } from './bench/suite-load.js';
export type { BenchSuite, BenchCase, BenchMessage } from './bench/suite.js';
export type { BenchResult, CaseResult, BenchMode } from './bench/result.js';
export { resultToJson, resultFromJson, BENCH_SCHEMA_VERSION } from './bench/result-json.js';
export { compareWithBaseline, DEFAULT_THRESHOLDS, type Comparison, type GateThresholds, type MeasureComparison, type Measure } from './bench/gate.js';
export { parseTimeInput, computeBuckets, formatInstant, resolveTimeZone, resolveNow, type BucketUnit, type Buckets } from './time/index.js';
export { buildReport, type Report, type ReportRequest, type ReportRow, type ReportSums } from './report/build.js';
export { parseGroupBy, type GroupBy } from './report/group-by.js';
