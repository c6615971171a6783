import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Table from 'cli-table3';
import { displayWidth } from '../src/output/display-width.js';
import { renderTable, type TableColumn } from '../src/output/table.js';

const COLUMNS: TableColumn[] = [{ header: 'model' }, { header: 'category' }, { header: 'cost (USD)', align: 'right' }];

/** Draw the table with cli-table3 0.6 and the options this project used before its own writer. */
function cliTable3(columns: readonly TableColumn[], rows: readonly string[][]): string {
  const table = new Table({
    head: columns.map((column) => column.header),
    colAligns: columns.map((column) => column.align ?? 'left'),
    style: { head: [], border: [], compact: false },
  });
  for (const row of rows) table.push(row);
  return `${table.toString()}\n`;
}

describe('renderTable', () => {
  const cases: Record<string, string[][]> = {
    'ASCII rows': [['claude-sonnet-4-5', 'chat', '0.001234'], ['claude-haiku-4-5', '', '12.50']],
    'wide CJK and Hangul': [['claude', '日本語のカテゴリ', '1.00'], ['claude', '한국어', '2.00']],
    'combining accents': [['cafe\u0301', 'résumé', '0.10']],
    emoji: [['claude', 'party 🎉', '0.10']],
    'line breaks in a cell': [['claude', 'two\nlines', '0.10']],
    'value wider than its header': [['x', 'y', '123456789012.123456']],
    'empty cells': [['', '', '']],
  };
  for (const [name, rows] of Object.entries(cases)) {
    it(`draws ${name} as cli-table3 did`, () => {
      assert.equal(renderTable(COLUMNS, rows), cliTable3(COLUMNS, rows));
    });
  }

  it('renders 20,000 rows in under 2 seconds', () => {
    const columns: TableColumn[] = Array.from({ length: 10 }, (_, index) => ({ header: `c${index}`, align: index > 3 ? 'right' : 'left' }));
    const rows = Array.from({ length: 20_000 }, (_, index) => columns.map((_, column) => `${index}-${column}`));

    const started = performance.now();
    const text = renderTable(columns, rows);
    const elapsedMs = performance.now() - started;

    // Header, rules and rows: 1 top + 1 head + 20,000 × (rule + row) + 1 bottom.
    assert.equal(text.split('\n').length - 1, 3 + 2 * 20_000);
    assert.ok(elapsedMs < 2000, `took ${Math.round(elapsedMs)} ms`);
  });
});

describe('displayWidth', () => {
  it('counts columns, not UTF-16 units', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('日本'), 4);
    assert.equal(displayWidth('e\u0301'), 1);
    assert.equal(displayWidth('a\tb'), 2);
    assert.equal(displayWidth('🎉'), 2);
    assert.equal(displayWidth('\u{20000}'), 2);
  });
});
