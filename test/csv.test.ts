import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { csvField, csvRow } from '../src/output/csv.js';
import { RECORD_CSV_HEADER } from '../src/output/record-csv.js';
import { pricedRecord, storeWith } from './support/report-store.js';
import { runCli } from './support/run-cli.js';

const ENV = { TZ: 'UTC' };
const LF_PROMPT = 'Summarize: "Q3, Q4" results\nline 2\n\nend';
const CRLF_PROMPT = 'Summarize: "Q3, Q4" results\r\nline 2\r\n\r\nend';

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('a\nb'), '"a\nb"');
    assert.equal(csvField('a\rb'), '"a\rb"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(''), '');
  });

  it('prefixes formula starts only with excelSafe', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx']) {
      assert.equal(csvField(text), text);
      assert.equal(csvField(text, { excelSafe: true }).replace(/^"/, ''), `'${text}`);
    }
  });

  it('never prefixes numbers', () => {
    assert.equal(csvField(-5, { excelSafe: true }), '-5');
  });

  it('ends each row with CRLF', () => {
    assert.equal(csvRow(['a', 1, null]), 'a,1,\r\n');
  });
});

describe('query --format csv read back with csv-parse', () => {
  let store: string;
  before(async () => {
    const usage = { inputTokens: 1000, outputTokens: 500 };
    store = await storeWith([
      await pricedRecord({ at: '2026-02-01T00:00:00Z', usage, overrides: { id: 'lf', promptText: LF_PROMPT, responseSummary: 'ok' } }),
      await pricedRecord({ at: '2026-02-02T00:00:00Z', usage, overrides: { id: 'crlf', promptText: CRLF_PROMPT, responseSummary: 'last\r' } }),
      await pricedRecord({ at: '2026-02-03T00:00:00Z', usage, overrides: { id: 'formula', promptText: '=HYPERLINK("http://127.0.0.1/x")', category: '@risk' } }),
    ]);
  });

  async function readRows(args: string[]): Promise<{ header: string[]; rows: string[][]; text: string }> {
    const result = await runCli(['--store', store, 'query', '--format', 'csv', '--order', 'asc', ...args], ENV);
    assert.equal(result.status, 0);
    const [header, ...rows] = parse(result.stdout, { relax_column_count: false }) as string[][];
    return { header: header!, rows, text: result.stdout };
  }

  for (const [id, prompt] of [['lf', LF_PROMPT], ['crlf', CRLF_PROMPT]] as const) {
    it(`keeps the four-line prompt with ${id} line ends byte-identical`, async () => {
      const { header, rows } = await readRows(['--from', id === 'lf' ? '2026-02-01' : '2026-02-02', '--to', id === 'lf' ? '2026-02-01' : '2026-02-02']);
      assert.deepEqual(header, [...RECORD_CSV_HEADER]);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.length, header.length);
      assert.equal(rows[0]![header.indexOf('prompt_text')], prompt);
      assert.equal(rows[0]![header.indexOf('cost_usd')], '0.0105');
    });
  }

  it('leaves no stray CR in the last column', async () => {
    const { header, rows } = await readRows(['--from', '2026-02-01', '--to', '2026-02-01']);
    assert.equal(header[header.length - 1], 'response_summary');
    assert.equal(rows[0]![header.length - 1], 'ok');
  });

  it('keeps a CR that belongs to the data', async () => {
    const { rows } = await readRows(['--from', '2026-02-02', '--to', '2026-02-02']);
    assert.equal(rows[0]![rows[0]!.length - 1], 'last\r');
  });

  it('writes every line end as CRLF', async () => {
    const { text } = await readRows([]);
    const outsideQuotes = text.replace(/"(?:[^"]|"")*"/g, '');
    assert.equal(outsideQuotes.split('\r\n').length - 1, 4);
    assert.doesNotMatch(outsideQuotes.replace(/\r\n/g, ''), /[\r\n]/);
  });

  it('keeps a leading = exactly by default', async () => {
    const { header, rows } = await readRows(['--from', '2026-02-03']);
    assert.equal(rows[0]![header.indexOf('prompt_text')], '=HYPERLINK("http://127.0.0.1/x")');
    assert.equal(rows[0]![header.indexOf('category')], '@risk');
  });

  it("prefixes = and @ with ' under --excel-safe", async () => {
    const { header, rows } = await readRows(['--from', '2026-02-03', '--excel-safe']);
    assert.equal(rows[0]![header.indexOf('prompt_text')], `'=HYPERLINK("http://127.0.0.1/x")`);
    assert.equal(rows[0]![header.indexOf('category')], "'@risk");
    assert.equal(rows[0]![header.indexOf('cost_usd')], '0.0105');
  });
});
