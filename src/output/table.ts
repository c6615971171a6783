/**
 * Plain text tables through cli-table3, without colour codes so the output
 * reads the same in a terminal, a pipe or a file.
 */
import Table from 'cli-table3';

export type Alignment = 'left' | 'right';

export interface TableColumn {
  header: string;
  align?: Alignment;
}

/** Render rows under the given columns; numbers are usually right-aligned by the caller's column spec. */
export function renderTable(columns: readonly TableColumn[], rows: readonly string[][]): string {
  const table = new Table({
    head: columns.map((column) => column.header),
    colAligns: columns.map((column) => column.align ?? 'left'),
    style: { head: [], border: [], compact: false },
  });
  for (const row of rows) table.push(row);
  return `${table.toString()}\n`;
}

/** Group digits by thousands for token counts: 1234567 → `1,234,567`. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
