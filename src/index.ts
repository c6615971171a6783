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
