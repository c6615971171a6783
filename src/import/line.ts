/**
 * One line of an import file: a minimal-form object (it has `ts`) or a full
 * record as `query --format jsonl` writes it (it has `started_at`).
 */
import { FieldReader, RecordFieldError } from '../core/json-fields.js';
import { InputError } from '../core/errors.js';
import type { PromptRecord } from '../core/record.js';
import { recordFromJson } from '../core/record-json.js';
import { parseJsonWithDecimals } from './exact-json.js';
import { contentId, recordFromMinimalJson } from './minimal-form.js';

export interface ImportLine {
  record: PromptRecord;
  /** True when the record still needs a price: the minimal form, or a full record without `cost_usd`. */
  needsPricing: boolean;
}

/** An invalid line; the message starts with the line number. */
export class ImportLineError extends InputError {
  constructor(
    readonly lineNumber: number,
    readonly detail: string,
  ) {
    super(`line ${lineNumber}: ${detail}`);
  }
}

// A full record with a non-null cost, whose amounts must be read exactly.
const HAS_COST = /"cost_usd"\s*:\s*\{/;

/** Parse and validate one non-blank line. Throws `ImportLineError`. */
export function parseImportLine(text: string, lineNumber: number): ImportLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ImportLineError(lineNumber, `invalid JSON (${printableParserMessage(error as Error)}): write one JSON object per line`);
  }

  try {
    const reader = FieldReader.root(value, 'line');
    if (reader.has('ts')) {
      return { record: recordFromMinimalJson(reader, contentId(text)), needsPricing: true };
    }
    if (reader.raw('started_at') !== undefined) {
      const exact = HAS_COST.test(text) ? parseJsonWithDecimals(text) : value;
      const record = recordFromJson(exact);
      return { record, needsPricing: record.cost === null };
    }
    throw new RecordFieldError('ts', undefined, 'write {"ts", "model", "usage"} or a full record as query --format jsonl writes it');
  } catch (error) {
    if (error instanceof RecordFieldError) throw new ImportLineError(lineNumber, error.message);
    throw error;
  }
}

/**
 * V8's JSON.parse messages quote part of the input, which for a binary file
 * means raw control bytes on the terminal: escape them and cap the length.
 */
function printableParserMessage(error: Error): string {
  const escaped = error.message.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 160 ? `${escaped.slice(0, 160)}…` : escaped;
}
