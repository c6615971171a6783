/**
 * Plain text tables, without colour codes so the output reads the same in a
 * terminal, a pipe or a file. The look is cli-table3's default (box-drawing
 * borders, one space of padding, a rule between rows), drawn here because
 * cli-table3 0.6 lays rows out in time quadratic in their number: 8,000 rows
 * took 13 s. This writer measures each cell once and is linear.
 */
import { displayWidth } from './display-width.js';

export type Alignment = 'left' | 'right';

export interface TableColumn {
  header: string;
  align?: Alignment;
}

/** Render rows under the given columns; numbers are usually right-aligned by the caller's column spec. */
export function renderTable(columns: readonly TableColumn[], rows: readonly string[][]): string {
  const head = columns.map((column) => splitCell(column.header));
  const body = rows.map((row) => columns.map((_, index) => splitCell(row[index] ?? '')));
  const widths = columns.map((_, index) => columnWidth(head[index]!, body, index));
  const aligns = columns.map((column) => column.align ?? 'left');

  const rule = (left: string, middle: string, right: string) => `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`;
  const between = rule('├', '┼', '┤');
  const lines: string[] = [rule('┌', '┬', '┐')];
  pushRow(lines, head, widths, aligns);
  for (const row of body) {
    lines.push(between);
    pushRow(lines, row, widths, aligns);
  }
  lines.push(rule('└', '┴', '┘'));
  return `${lines.join('\n')}\n`;
}

/** Cell text split into its lines, each with its display width. */
interface CellLines {
  lines: string[];
  widths: number[];
}

function splitCell(text: string): CellLines {
  const lines = text.split('\n');
  return { lines, widths: lines.map(displayWidth) };
}

function columnWidth(header: CellLines, body: readonly CellLines[][], index: number): number {
  let width = Math.max(...header.widths);
  for (const row of body) {
    for (const lineWidth of row[index]!.widths) if (lineWidth > width) width = lineWidth;
  }
  return width;
}

/** Append one table row; a cell with line breaks makes the row as tall as its lines. */
function pushRow(lines: string[], cells: readonly CellLines[], widths: readonly number[], aligns: readonly Alignment[]): void {
  const height = Math.max(...cells.map((cell) => cell.lines.length));
  for (let line = 0; line < height; line++) {
    const parts = cells.map((cell, index) => {
      const text = cell.lines[line] ?? '';
      const padding = ' '.repeat(widths[index]! - (cell.widths[line] ?? 0));
      return aligns[index] === 'right' ? `${padding}${text}` : `${text}${padding}`;
    });
    lines.push(`│ ${parts.join(' │ ')} │`);
  }
}

/**
 * Group digits by thousands for token counts: 1234567 → `1,234,567`. A regular
 * expression instead of `toLocaleString`, whose first call loads locale data
 * and cost about 4 ms of every table command's start-up.
 */
export function formatCount(value: number): string {
  if (!Number.isSafeInteger(value)) return value.toLocaleString('en-US');
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
