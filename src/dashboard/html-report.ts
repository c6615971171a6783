/**
 * `report --html FILE`: the dashboard's views in one self-contained HTML
 * file (scripts, styles and data inlined), to attach to a CI run or mail.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { describeFileError } from '../bench/outputs.js';
import { basename, dirname, join } from 'node:path';
import { OperationError } from '../core/errors.js';
import type { CliContext } from '../cli/context.js';
import { openStoreFromContext } from '../cli/store-option.js';
import { recordToJson } from '../core/record-json.js';
import type { RecordFilter } from '../store/repository.js';
import type { BucketUnit } from '../time/buckets.js';
import { presetFor, renderPage, type Snapshot } from './page.js';
import { findTopCalls, DEFAULT_TOP_LIMIT } from './top.js';
import { buildBenchViews, buildViews, drawnRange } from './views.js';

export interface HtmlReportRequest {
  timezone: string;
  /** The resolved range (UTC epoch ms, half-open); null takes the bound from the oldest or newest record. */
  fromMs: number | null;
  toMs: number | null;
  /** The filter flags; range bounds in it are ignored in favour of `fromMs`/`toMs`. */
  filter: RecordFilter;
  bucket?: BucketUnit | 'auto';
  benchResults?: string;
}

/** Build the views and write them to `file` atomically: a failure leaves no partial file behind. */
export async function writeHtmlReport(ctx: CliContext, request: HtmlReportRequest, file: string): Promise<void> {
  const { fromMs: _from, toMs: _to, ...filter } = request.filter;
  const repository = await openStoreFromContext(ctx);
  let snapshot: Snapshot;
  try {
    const viewRequest = { ...request, filter, bucket: request.bucket ?? 'auto' };
    const { mark: _mark, ...views } = await buildViews(repository, viewRequest);
    const bench = await buildBenchViews(repository, request.benchResults, ctx.logger);
    const drawn = drawnRange(request, await repository.stats());
    const top = await findTopCalls(repository, drawn === null ? filter : { ...filter, ...drawn }, DEFAULT_TOP_LIMIT);
    // The file is meant to be shared, so the prompt and reply text stay out of it.
    const records = Object.fromEntries(
      top.records.map((record) => [record.id, { ...recordToJson(record), prompt_text: null, response_summary: null }]),
    );
    snapshot = { ...views, bench, generatedAt: new Date().toISOString(), top: top.json, records };
  } finally {
    await repository.close();
  }

  const from = snapshot.summary.from ?? '';
  const to = snapshot.summary.to ?? '';
  const html = await renderPage(
    { mode: 'static', refreshSeconds: 0, range: { from, to, tz: snapshot.summary.timezone, bucket: snapshot.summary.bucket, preset: presetFor(from, to) }, snapshot },
    'inline',
  );

  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, html, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new OperationError(`writing --html ${file} failed: ${describeFileError(error)}; check that the directory exists and is writable`, { cause: error });
  }
  ctx.logger.info(`wrote ${file} (${Buffer.byteLength(html)} bytes)`);
}
