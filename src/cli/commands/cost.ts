/**
 * `anthrotrace cost`: price a usage without calling the API, with the same
 * engine that prices logged records.
 */
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { MAX_TOKENS_PER_REQUEST } from '../../core/json-fields.js';
import { INPUT_SERVICE_TIERS, INPUT_SPEEDS } from '../../import/minimal-form.js';
import type { TokenUsage } from '../../core/record.js';
import type { ApiUsage } from '../../core/usage.js';
import type { PriceQuote, PriceTable } from '../../pricing/table.js';
import { createContext } from '../context.js';

interface CostOptions {
  model?: string;
  usage?: string;
  inputTokens?: string;
  outputTokens?: string;
  cacheWrite5mTokens?: string;
  cacheWrite1hTokens?: string;
  cacheReadTokens?: string;
  webSearchRequests?: string;
  at?: string;
  batch?: boolean;
  geo?: string;
  speed?: string;
  format?: string;
}

/** Token flags, their `TokenUsage` field and their flag name. */
const TOKEN_FLAGS: { option: keyof CostOptions; field: keyof TokenUsage; flag: string }[] = [
  { option: 'inputTokens', field: 'inputTokens', flag: '--input-tokens' },
  { option: 'outputTokens', field: 'outputTokens', flag: '--output-tokens' },
  { option: 'cacheWrite5mTokens', field: 'cacheWrite5mTokens', flag: '--cache-write-5m-tokens' },
  { option: 'cacheWrite1hTokens', field: 'cacheWrite1hTokens', flag: '--cache-write-1h-tokens' },
  { option: 'cacheReadTokens', field: 'cacheReadTokens', flag: '--cache-read-tokens' },
  { option: 'webSearchRequests', field: 'webSearchRequests', flag: '--web-search-requests' },
];

/** Numeric fields of a wire usage object, as dotted paths. */
const USAGE_COUNT_PATHS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
  'cache_creation.ephemeral_5m_input_tokens',
  'cache_creation.ephemeral_1h_input_tokens',
  'server_tool_use.web_search_requests',
];

const USAGE_EXAMPLE = `'{"input_tokens":1200,"cache_read_input_tokens":500,"output_tokens":100}'`;

const MAX_TOKENS_TEXT = MAX_TOKENS_PER_REQUEST.toLocaleString('en-US');

/** The `speed` and `service_tier` values that a `--usage` object may contain: the same as import accepts. */
const USAGE_CHOICES: { field: string; allowed: readonly string[] }[] = [
  { field: 'speed', allowed: INPUT_SPEEDS },
  { field: 'service_tier', allowed: INPUT_SERVICE_TIERS },
];

function parseCount(text: string, flag: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value)) {
    throw new InputError(`invalid ${flag} ${JSON.stringify(text)}: use a whole number, 0 or more, such as ${flag} 1200`);
  }
  if (value > MAX_TOKENS_PER_REQUEST) {
    throw new InputError(`invalid ${flag} ${JSON.stringify(text)}: use at most ${MAX_TOKENS_TEXT}, the maximum per request`);
  }
  return value;
}

/** Check the token counts of a wire usage object before `usageFromApi`, which would quietly turn bad values into 0. */
function validateApiUsage(text: string): ApiUsage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`invalid --usage ${JSON.stringify(text)}: not valid JSON (${(error as Error).message}), pass a usage object such as ${USAGE_EXAMPLE}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`invalid --usage ${JSON.stringify(text)}: not a JSON object, pass a usage object such as ${USAGE_EXAMPLE}`);
  }

  for (const path of USAGE_COUNT_PATHS) {
    let value: unknown = parsed;
    for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new InputError(`invalid --usage field ${path} ${JSON.stringify(value)}: use a whole number of tokens, 0 or more, as in ${USAGE_EXAMPLE}`);
    }
    if (value > MAX_TOKENS_PER_REQUEST) {
      throw new InputError(`invalid --usage field ${path} ${JSON.stringify(value)}: use at most ${MAX_TOKENS_TEXT}, the maximum per request`);
    }
  }

  // A typo such as "Fast" would otherwise be priced at standard rates.
  for (const { field, allowed } of USAGE_CHOICES) {
    const value = (parsed as Record<string, unknown>)[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !allowed.includes(value)) {
      throw new InputError(`invalid --usage field ${field} ${JSON.stringify(value)}: use one of ${allowed.join(', ')}, or null`);
    }
  }
  return parsed as ApiUsage;
}

function parseChoice(value: string | undefined, flag: string, allowed: readonly string[]): string | null {
  if (value === undefined) return null;
  const normalized = value.trim().toLowerCase();
  if (!allowed.includes(normalized)) {
    throw new InputError(`invalid ${flag} ${JSON.stringify(value)}: use ${allowed.join(' or ')}, such as ${flag} ${allowed[0]}`);
  }
  return normalized;
}

interface CostInput {
  model: string;
  at: Date;
  usage: TokenUsage;
  batch: boolean;
  inferenceGeo: string | null;
  speed: string | null;
  format: 'table' | 'json';
}

async function readInput(options: CostOptions, env: NodeJS.ProcessEnv): Promise<CostInput> {
  const format = parseChoice(options.format ?? 'table', '--format', ['table', 'json']) as 'table' | 'json';
  const model = options.model?.trim();
  if (!model) throw new InputError('missing --model: name the model to price, such as --model claude-sonnet-4-5');

  const { parseDate } = await import('../../pricing/price-file.js');
  const { resolveNow } = await import('../../time/settings.js');
  let at: Date;
  if (options.at === undefined) {
    at = new Date(resolveNow(env));
  } else {
    const ms = parseDate(options.at.trim());
    if (ms === null) throw new InputError(`invalid --at ${JSON.stringify(options.at)}: use an ISO instant such as 2026-10-07T00:00:00Z, or a date such as 2026-10-07 (UTC midnight)`);
    at = new Date(ms);
  }

  const flagsGiven = TOKEN_FLAGS.filter((flag) => options[flag.option] !== undefined);
  if (options.usage !== undefined && flagsGiven.length > 0) {
    throw new InputError(`--usage cannot be combined with ${flagsGiven[0]!.flag}: pass either a usage object or token flags`);
  }

  const { emptyUsage } = await import('../../core/record.js');
  const { usageFromApi } = await import('../../core/usage.js');
  let usage = emptyUsage();
  let batch = options.batch === true;
  let inferenceGeo = parseChoice(options.geo, '--geo', ['us', 'global']);
  let speed = parseChoice(options.speed, '--speed', ['fast', 'standard']);
  if (options.usage !== undefined) {
    const parsed = usageFromApi(validateApiUsage(options.usage));
    usage = parsed.usage;
    batch ||= parsed.serviceTier === 'batch';
    inferenceGeo ??= parsed.inferenceGeo;
    speed ??= parsed.speed;
  }
  for (const flag of TOKEN_FLAGS) {
    const text = options[flag.option];
    if (typeof text === 'string') usage[flag.field] = parseCount(text, flag.flag);
  }
  return { model, at, usage, batch, inferenceGeo, speed, format };
}

/** Render the buckets, their rates and the total. Amounts have 6 decimals, and a tiny non-zero amount shows as `<0.000001`. */
async function renderTable(quote: PriceQuote, input: CostInput, table: PriceTable): Promise<string> {
  if (!quote.priced) return `${input.model}: unpriced (${quote.reason})\n`;

  const { renderTable: renderRows, formatCount } = await import('../../output/table.js');
  const { formatUsdForTable, usdDecimal } = await import('../../core/money.js');
  const { formatRate, formatRatio } = await import('../../pricing/decimal.js');
  const { entry, choice, cost } = quote;
  const rate = (value: bigint | null) => (value === null ? 'n/a' : formatRate(value));
  const money = (nanos: bigint) => formatUsdForTable(nanos, 6);
  const webSearchRate = table.webSearch ? `${formatRate(table.webSearch.nanosPerThousand)} / 1,000` : 'n/a';

  const columns = [{ header: 'Bucket' }, { header: 'Tokens', align: 'right' as const }, { header: 'USD / MTok', align: 'right' as const }, { header: 'USD', align: 'right' as const }];
  const rows = [
    ['input', formatCount(input.usage.inputTokens), rate(choice.rates.input), money(cost.input)],
    ['output', formatCount(input.usage.outputTokens), rate(choice.rates.output), money(cost.output)],
    ['cache write 5m', formatCount(input.usage.cacheWrite5mTokens), rate(choice.rates.cache_write_5m), money(cost.cacheWrite5m)],
    ['cache write 1h', formatCount(input.usage.cacheWrite1hTokens), rate(choice.rates.cache_write_1h), money(cost.cacheWrite1h)],
    ['cache read', formatCount(input.usage.cacheReadTokens), rate(choice.rates.cache_read), money(cost.cacheRead)],
    ['web search (requests)', formatCount(input.usage.webSearchRequests), webSearchRate, money(cost.webSearch)],
    ['total', '', '', money(cost.total)],
  ];

  const modifiers = [
    choice.speed === 'fast' ? 'fast mode' : 'standard speed',
    choice.longContext ? `long-context rates (prompt above ${formatCount(choice.longContext.thresholdTokens)} tokens)` : 'standard tier',
  ];
  if (choice.batch) modifiers.push('batch 1/2');
  if (choice.inferenceGeoUs) modifiers.push(`inference_geo us ${formatRatio(entry.inferenceGeoUsMultiplier!)}`);
  const multiplier = choice.multiplier.numerator === choice.multiplier.denominator ? '' : `; token rates multiplied by ${formatRatio(choice.multiplier)}`;

  return [
    `${entry.model} at ${input.at.toISOString()} (price entry ${entry.id})`,
    renderRows(columns, rows).trimEnd(),
    `${modifiers.join(', ')}${multiplier}`,
    `exact total: ${usdDecimal(cost.total)} USD`,
    '',
  ].join('\n');
}

export function registerCost(program: Command): void {
  program
    .command('cost')
    .description('price a usage without calling the API')
    .option('--model <id>', 'model id, alias or dated id (required), such as claude-sonnet-4-5')
    .option('--usage <json>', 'a Messages API usage object with wire field names, such as {"input_tokens":1200,"output_tokens":100}; a missing count is 0')
    .option('--input-tokens <n>', 'uncached input tokens')
    .option('--output-tokens <n>', 'output tokens')
    .option('--cache-write-5m-tokens <n>', 'tokens written to the 5-minute cache')
    .option('--cache-write-1h-tokens <n>', 'tokens written to the 1-hour cache')
    .option('--cache-read-tokens <n>', 'tokens read from the cache')
    .option('--web-search-requests <n>', 'web search requests ($10 per 1,000)')
    .option('--at <instant>', 'ISO instant whose prices apply (default: now, or ANTHROTRACE_NOW)')
    .option('--batch', 'price as a Message Batches request (half price on tokens)')
    .option('--geo <region>', 'inference_geo: us (1.1 times on Claude 4.6 and later) or global')
    .option('--speed <speed>', 'fast (the model\'s fast-mode rates where they existed) or standard')
    .option('--format <format>', 'output format: table or json', 'table')
    .addHelpText(
      'after',
      '\nA --usage object may leave out any count, so {"input_tokens":1200} prices a prompt alone. import is\n' +
        'stricter: it stores real calls, and every Messages API response has input_tokens and output_tokens.\n' +
        `Both accept at most ${MAX_TOKENS_TEXT} tokens per count, speed standard or fast, and service_tier\n` +
        'standard, priority or batch.',
    )
    .action(async (options: CostOptions, command: Command) => {
      const ctx = createContext(command);
      const input = await readInput(options, ctx.env);
      const { loadPricer } = await import('../pricing-option.js');
      const table = await loadPricer(ctx);
      const quote = table.quote(input);

      if (!quote.priced) {
        const { unpricedModelWarning } = await import('../../pricing/table.js');
        ctx.logger.warn(quote.entry ? `${quote.reason}: the cost is unpriced (not $0)` : unpricedModelWarning(input.model));
      }

      if (input.format === 'json') {
        const { stringifyJson } = await import('../../core/json.js');
        const { quoteToJson } = await import('../../pricing/quote-json.js');
        await ctx.writeOut(`${stringifyJson(quoteToJson(quote, input.model, input.at), 2)}\n`);
        return;
      }
      await ctx.writeOut(await renderTable(quote, input, table));
    });
}
