/**
 * CSV as RFC 4180 describes it (https://www.rfc-editor.org/rfc/rfc4180):
 * one header row, CRLF after every row, and a field quoted when it contains
 * a comma, a double quote, CR or LF, with its double quotes doubled. Values
 * are written exactly, money as plain decimals such as `0.0105`.
 */

export type CsvValue = string | number | bigint | boolean | null;

export interface CsvOptions {
  /**
   * Prefix text cells that start with `=`, `+`, `-`, `@`, tab or CR with a
   * single quote, so spreadsheets do not run them as formulas (OWASP, "CSV
   * Injection", https://owasp.org/www-community/attacks/CSV_Injection).
   * This changes the data, so it is off by default. Numbers are never prefixed.
   */
  excelSafe?: boolean;
}

export const CSV_LINE_END = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** Format one field: empty for null, quoted only when RFC 4180 requires it. */
export function csvField(value: CsvValue, options: CsvOptions = {}): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = options.excelSafe && FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Format one row with its line end. */
export function csvRow(values: readonly CsvValue[], options: CsvOptions = {}): string {
  return values.map((value) => csvField(value, options)).join(',') + CSV_LINE_END;
}
