/**
 * `anthrotrace send [PROMPT]`: one Messages API call, printed and logged with
 * its exact cost.
 *
 * Exit codes:
 * - 0: sent and stored.
 * - 1: the API call failed (its record is stored first), or the store rejected
 *   the record (it is saved to a fallback file).
 * - 2: invalid flags, a missing API key or prompt, or a request that the
 *   --replay file has no recorded response for.
 * - 130: interrupted by SIGINT or SIGTERM; the call's record, with any usage
 *   streamed so far, is stored first.
 */
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { AnthroTraceError, EXIT_INTERRUPTED, InputError, OperationError } from '../../core/errors.js';
import { createContext, type CliContext } from '../context.js';
import { resolveStoreText } from '../config.js';
import { addLiveMetricsOptions, startLiveMetrics, type LiveMetricsOptions } from '../../metrics/live.js';

export const DEFAULT_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_MAX_TOKENS = 1024;

interface SendOptions extends LiveMetricsOptions {
  model: string;
  maxTokens: string;
  system?: string;
  temperature?: string;
  category?: string;
  tag: string[];
  stream?: boolean;
  record?: string;
  replay?: string;
  storeText: boolean;
  format: 'text' | 'json';
}

export function registerSend(program: Command): void {
  const command = program
    .command('send')
    .description('send one prompt to the Messages API and log its usage and cost')
    .argument('[prompt]', 'the user prompt; read from stdin when omitted and stdin is not a terminal')
    .option('--model <id>', 'model id or alias', DEFAULT_MODEL)
    .option('--max-tokens <n>', 'maximum output tokens', String(DEFAULT_MAX_TOKENS))
    .option('--system <text>', 'system prompt')
    .option('--temperature <t>', 'sampling temperature, 0 to 1')
    .option('--category <name>', 'category stored with the record')
    .option('--tag <key=value>', 'tag stored with the record (repeatable)', collectTag, [])
    .option('--stream', 'stream the reply and print text as it arrives')
    .addOption(new Option('--record <file>', 'append every HTTP exchange, without credentials, to FILE as JSON lines').conflicts('replay'))
    .option('--replay <file>', 'serve responses recorded with --record from FILE; no network and no API key')
    .option('--no-store-text', 'store neither the prompt text nor the reply summary (also ANTHROTRACE_STORE_TEXT=false or "store_text": false in the config file)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExit codes: 0 sent and stored; 1 the API call failed (its record is still stored) or the store\n' +
        'rejected the record (it is appended to <store>.unsaved.jsonl); 2 invalid flags, no API key, no\n' +
        'prompt, or a request with no recorded response in the --replay file; 130 interrupted (the\n' +
        'record, with the usage streamed so far, is stored first).',
    )
    .action(async (prompt: string | undefined, options: SendOptions, command: Command) => {
      const ctx = createContext(command);
      await runSend(ctx, prompt, options);
    });
  addLiveMetricsOptions(command);
}

function collectTag(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseTags(values: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const value of values) {
    const separator = value.indexOf('=');
    if (separator <= 0) throw new InputError(`invalid --tag ${JSON.stringify(value)}: use key=value, such as --tag team=search`);
    tags[value.slice(0, separator)] = value.slice(separator + 1);
  }
  return tags;
}

function parseMaxTokens(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new InputError(`invalid --max-tokens ${JSON.stringify(text)}: use a whole number of at least 1, such as 1024`);
  }
  return value;
}

function parseTemperature(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InputError(`invalid --temperature ${JSON.stringify(text)}: use a number from 0 to 1, such as 0.2`);
  }
  return value;
}

async function readPrompt(argument: string | undefined): Promise<string> {
  let prompt = argument;
  if (prompt === undefined && !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    prompt = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  if (prompt === undefined || prompt.trim() === '') {
    throw new InputError('missing prompt: give it as an argument, such as anthrotrace send "Hello", or pipe it on stdin');
  }
  return prompt;
}

/** Choose the fallback file for records the store rejects: beside the SQLite file, or in the default data directory. */
function fallbackPathFor(ctx: CliContext, resolve: typeof import('../../store/open.js')): string {
  const spec = resolve.resolveStoreSpec(ctx.options.store, ctx.env);
  if (spec.kind === 'sqlite') return `${spec.path}.unsaved.jsonl`;
  return join(dirname(resolve.defaultSqlitePath(ctx.env)), 'unsaved-records.jsonl');
}

/**
 * The `--store` value that `import` needs to load the fallback file into the
 * store that rejected the records, or null for the default store. A
 * ClickHouse URL has its password masked, because the value goes into a log line.
 */
function storeArgumentFor(ctx: CliContext, resolve: typeof import('../../store/open.js'), redactUrl: (url: string) => string): string | null {
  const spec = resolve.resolveStoreSpec(ctx.options.store, ctx.env);
  if (spec.kind === 'clickhouse') return redactUrl(spec.url);
  return spec.path === resolve.defaultSqlitePath(ctx.env) ? null : spec.path;
}

async function runSend(ctx: CliContext, argument: string | undefined, options: SendOptions): Promise<void> {
  const maxTokens = parseMaxTokens(options.maxTokens);
  const temperature = parseTemperature(options.temperature);
  const tags = parseTags(options.tag);
  const apiKey = ctx.env.ANTHROPIC_API_KEY || undefined;
  if (!apiKey && !options.replay) {
    throw new InputError('missing API key: set ANTHROPIC_API_KEY, or use --replay FILE to serve recorded responses');
  }
  const prompt = await readPrompt(argument);
  const live = await startLiveMetrics(ctx, options);

  const { AnthropicPromptClient, createRecordingFetch, createReplayFetch } = await import('../../client/index.js');
  const storeModule = await import('../../store/open.js');
  let fetchFunction = options.replay ? createReplayFetch(options.replay) : undefined;
  if (options.record) {
    const file = options.record;
    const send = fetchFunction ?? ((input, init) => fetch(input, init));
    fetchFunction = createRecordingFetch(file, send, (error) => ctx.logger.warn(`recording to ${file} failed: ${error.message}`));
  }

  const { loadPricer } = await import('../pricing-option.js');
  const { openStoreFromContext } = await import('../store-option.js');
  const pricer = await loadPricer(ctx);
  const { setFallbackStore } = await import('../../client/fallback.js');
  const { redactUrl } = await import('../../store/clickhouse/config.js');
  const fallbackPath = fallbackPathFor(ctx, storeModule);
  setFallbackStore(fallbackPath, storeArgumentFor(ctx, storeModule, redactUrl));
  const repository = await openStoreFromContext(ctx);
  try {
    repository.assertWritable?.();
    const client = new AnthropicPromptClient({
      repository,
      pricer,
      // A replay sends nothing, so it needs no real key; the placeholder never leaves the process.
      apiKey: apiKey ?? 'replay-without-key',
      ...(fetchFunction ? { fetch: fetchFunction } : {}),
      storeText: resolveStoreText(options.storeText, ctx.env, ctx.config),
      logger: ctx.logger,
      source: 'send',
      fallbackPath,
      onRecord: live.observe,
    });
    await sendAndPrint(ctx, client, {
      model: options.model,
      maxTokens,
      prompt,
      tags,
      ...(options.system !== undefined ? { system: options.system } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(options.category !== undefined ? { category: options.category } : {}),
      stream: Boolean(options.stream),
    }, options.format);
  } finally {
    await repository.close();
    await live.finish();
  }
}

type Client = InstanceType<typeof import('../../client/index.js').AnthropicPromptClient>;
type SendRequest = import('../../client/index.js').SendRequest;

async function sendAndPrint(ctx: CliContext, client: Client, request: SendRequest, format: 'text' | 'json'): Promise<void> {
  const printAsItArrives = request.stream && format === 'text';
  let printed = '';
  if (printAsItArrives) {
    request.onText = (text) => {
      printed += text;
      process.stdout.write(text);
    };
  }

  // An interrupt aborts the call instead of killing the process, so the client still stores its record.
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  request.signal = interrupt.signal;

  let result;
  try {
    result = await client.send(request);
  } catch (error) {
    if (interrupt.signal.aborted) {
      throw new AnthroTraceError('interrupted: the call was aborted and its record stored', EXIT_INTERRUPTED, { cause: error });
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // End a partly printed reply with a newline so the error line starts on its own.
    if (printAsItArrives && printed !== '' && !printed.endsWith('\n')) await ctx.writeOut('\n');
  }

  if (format === 'json') {
    const { stringifyJson } = await import('../../core/json.js');
    const { recordToJson } = await import('../../core/record-json.js');
    await ctx.writeOut(`${stringifyJson({ record: recordToJson(result.record), text: result.text }, 2)}\n`);
  } else if (!printAsItArrives) {
    await ctx.writeOut(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  }

  const { formatUsd } = await import('../../core/money.js');
  const cost = result.record.cost ? `$${formatUsd(result.record.cost.total, 6)}` : 'unpriced';
  const usage = result.record.usage;
  ctx.logger.info(
    `cost ${cost}: input ${usage.inputTokens}, output ${usage.outputTokens}, cache read ${usage.cacheReadTokens}, cache write ${usage.cacheWrite5mTokens + usage.cacheWrite1hTokens} tokens`,
  );

  if (result.storeError) {
    const where = result.destination === 'fallback-file' ? 'appended to the fallback file named above' : 'written to stderr';
    throw new OperationError(`storing the record failed: ${result.storeError.message}; it was ${where}`, { cause: result.storeError });
  }
}
