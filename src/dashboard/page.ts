/**
 * The dashboard's HTML. The live page links its scripts and styles, which the
 * server itself serves. The report file inlines them with the data, so it
 * opens from disk with no network at all.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { stringifyJson } from '../core/json.js';
import type { BenchViews, Views } from './views.js';
import type { TopCallsJson } from './types.js';

/** Files the page loads, in order; the name is also the URL path under /static/. */
export const STYLE_ASSETS = ['uPlot.min.css', 'dashboard.css'] as const;
export const SCRIPT_ASSETS = ['uPlot.iife.min.js', 'charts.js', 'bench.js', 'views.js', 'dashboard.js'] as const;
export type AssetName = (typeof STYLE_ASSETS)[number] | (typeof SCRIPT_ASSETS)[number];

const require = createRequire(import.meta.url);

/** Resolve an asset name to its file: uPlot from its package (never a CDN), the rest from this module's static folder. */
export function assetPath(name: AssetName): string {
  if (name === 'uPlot.iife.min.js' || name === 'uPlot.min.css') return require.resolve(`uplot/dist/${name}`);
  return fileURLToPath(new URL(`./static/${name}`, import.meta.url));
}

export interface PageRange {
  from: string;
  to: string;
  tz: string;
  bucket: string;
  /** The range selector's option: all, 24h, 7d, 30d, 90d, 365d or custom. */
  preset: string;
}

/** Views inlined in the report file in place of fetching them. */
export interface Snapshot extends Omit<Views, 'mark'> {
  generatedAt: string;
  bench: BenchViews;
  top: TopCallsJson;
  /** The records behind the top calls, in their JSON form, by id. */
  records: Record<string, unknown>;
}

export interface PageConfig {
  mode: 'live' | 'static';
  refreshSeconds: number;
  range: PageRange;
  snapshot?: Snapshot;
}

export const RANGE_PRESETS: { value: string; label: string }[] = [
  { value: 'all', label: 'All records' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
  { value: '365d', label: 'Last 365 days' },
  { value: 'custom', label: 'Custom (From and To)' },
];

/** Find the preset that `from`/`to` spell, else return custom. */
export function presetFor(from: string, to: string): string {
  if (from === '' && to === '') return 'all';
  const match = RANGE_PRESETS.find((preset) => preset.value === from && to === 'now');
  return match ? match.value : 'custom';
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON that is safe inside a <script> element: `<` is escaped, so no `</script>` can end it early. */
export function scriptJson(value: unknown, stringify: (value: unknown) => string = JSON.stringify): string {
  return stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export async function renderPage(config: PageConfig, assets: 'linked' | 'inline'): Promise<string> {
  const styles: string[] = [];
  const scripts: string[] = [];
  for (const name of STYLE_ASSETS) {
    styles.push(assets === 'linked' ? `<link rel="stylesheet" href="static/${name}">` : `<style>\n${await readFile(assetPath(name), 'utf8')}\n</style>`);
  }
  for (const name of SCRIPT_ASSETS) {
    if (assets === 'linked') {
      scripts.push(`<script src="static/${name}"></script>`);
      continue;
    }
    // A literal "</script" inside inlined code would end the element; none of these files contains one.
    const code = (await readFile(assetPath(name), 'utf8')).replace(/<\/script/gi, '<\\/script');
    scripts.push(`<script>\n${code}\n</script>`);
  }
  return layout(config, styles.join('\n'), scripts.join('\n'));
}

function layout(config: PageConfig, styles: string, scripts: string): string {
  const presets = RANGE_PRESETS.map((preset) => `<option value="${preset.value}">${escapeHtml(preset.label)}</option>`).join('');
  // The report file may make no request at all: everything it needs is inline.
  const policy =
    config.mode === 'static'
      ? `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${policy}
<link rel="icon" href="data:,">
<title>AnthroTrace dashboard</title>
${styles}
</head>
<body data-state="loading">
<header>
<h1>AnthroTrace</h1>
<p id="scope">Loading…</p>
<form id="controls" aria-label="Range, time zone and grouping">
<label>Range <select name="range">${presets}</select></label>
<label>From (included) <input name="from" placeholder="7d or 2026-03-01" autocomplete="off"></label>
<label>To (excluded) <input name="to" placeholder="now or 2026-03-31" autocomplete="off"></label>
<label>Time zone <input name="tz" placeholder="UTC or Europe/Berlin" autocomplete="off"></label>
<label>Bucket <select name="bucket"><option value="auto">Automatic</option><option value="hour">Hour</option><option value="day">Day</option><option value="week">Week</option><option value="month">Month</option></select></label>
<label>Cost by <select name="group"><option value="model">Model</option><option value="category">Category</option></select></label>
<button type="submit" name="apply">Apply</button>
</form>
</header>
<div id="status" role="status" aria-live="polite"></div>
<section id="empty-view" class="notice" hidden>
<h2>No records yet</h2>
<p>The store has no records. Log calls with <code>anthrotrace send "Hello"</code>, load existing ones with
<code>anthrotrace import calls.jsonl</code>, or run a benchmark suite with <code>anthrotrace bench suite.yaml</code>.
This page updates by itself when records arrive.</p>
</section>
<section id="error-view" class="notice" role="alert" hidden>
<h2>The store failed</h2>
<p id="error-message"></p>
<p>Check the store (<code>--store</code> or ANTHROTRACE_STORE) and the server's log; this page retries by itself.</p>
</section>
<main id="views" hidden>
<section class="view" id="cost-view" aria-labelledby="cost-title">
<h2 id="cost-title">Cost</h2>
<dl class="figures" id="cost-figures"></dl>
<div class="chart" id="cost-chart"></div>
<div id="cost-table"></div>
</section>
<section class="view" id="tokens-view" aria-labelledby="tokens-title">
<h2 id="tokens-title">Tokens and cache hit ratio</h2>
<div class="chart" id="tokens-chart"></div>
<p class="chart-note">Cache hit ratio: cache read tokens divided by all prompt tokens (input, cache writes and cache reads).</p>
<div class="chart" id="cache-chart"></div>
<div id="tokens-table"></div>
</section>
<section class="view" id="top-view" aria-labelledby="top-title">
<h2 id="top-title">Most expensive calls</h2>
<div id="top-table"><p class="chart-note">Loading…</p></div>
<pre class="record" id="record-detail" tabindex="-1" hidden></pre>
</section>
<section class="view" id="bench-view" aria-labelledby="bench-title">
<h2 id="bench-title">Benchmark history</h2>
<div id="bench-content"></div>
</section>
<section class="view" id="storage-view" aria-labelledby="storage-title">
<h2 id="storage-title">Storage</h2>
<dl class="figures" id="storage-figures"></dl>
<div class="chart" id="rows-chart"></div>
<div id="storage-bench"></div>
</section>
</main>
<script id="anthrotrace-config" type="application/json">${scriptJson(config, (value) => stringifyJson(value))}</script>
${scripts}
</body>
</html>
`;
}
