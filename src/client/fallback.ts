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

/** The `--store` value (password masked) of the store each fallback file belongs to, when it is not the default store. */
const fallbackStores = new Map<string, string>();

/**
 * Name the store whose rejected records go to `path`, so the logged hint
 * imports them into that store rather than the default SQLite file.
 * Pass null for the default store.
 */
export function setFallbackStore(path: string, storeArgument: string | null): void {
  if (storeArgument === null) fallbackStores.delete(path);
  else fallbackStores.set(path, storeArgument);
}

/** Quote a word for a POSIX shell when it contains anything but plain path and URL characters. */
function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command that loads the fallback file at `path` into its store, such as `anthrotrace --store ./team.db import ./team.db.unsaved.jsonl`. */
export function fallbackImportCommand(path: string): string {
  const store = fallbackStores.get(path);
  const storePart = store === undefined ? '' : `--store ${shellWord(store)} `;
  return `anthrotrace ${storePart}import ${shellWord(path)}`;
}

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
      logger.error(`${reason}; appended it to ${path}, load it later with "${fallbackImportCommand(path)}"`);
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
