/**
 * The last resort for a record the store rejected, because a paid call must
 * not be lost from the log. The record is appended as one JSON line (the form
 * `import` reads) to a fallback file, or written to stderr when that fails too.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringifyJson } from '../core/json.js';
import type { Logger } from '../core/logger.js';
import type { PromptRecord } from '../core/record.js';
import { recordToJson } from '../core/record-json.js';
import type { RecordDestination } from './types.js';

/** Append the record to `path` (when given) or stderr, log where it went, and return that destination. */
export function saveToFallback(
  record: PromptRecord,
  storeError: Error,
  path: string | undefined,
  logger: Logger,
): RecordDestination {
  const line = `${stringifyJson(recordToJson(record))}\n`;
  const reason = `could not store record ${record.id} (request ${record.requestId ?? 'none'}): ${storeError.message}`;

  if (path !== undefined) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, line, { mode: 0o600 });
      logger.error(`${reason}; appended it to ${path}, load it later with "anthrotrace import ${path}"`);
      return 'fallback-file';
    } catch (fileError) {
      const message = fileError instanceof Error ? fileError.message : String(fileError);
      logger.error(`${reason}; appending to ${path} failed too (${message})`);
    }
  }

  logger.error(`${reason}; the record follows on stderr as one JSON line`);
  process.stderr.write(line);
  return 'stderr';
}
