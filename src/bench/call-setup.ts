/**
 * Builds the function that makes one benchmark call in each mode: through
 * `AnthropicPromptClient` (live or replayed, stored and priced) or, for a dry
 * run, through the SDK's token counting.
 */
import Anthropic from '@anthropic-ai/sdk';
import { AnthropicPromptClient } from '../client/index.js';
import { createRecordingFetch, createReplayFetch } from '../client/recording.js';
import type { FetchFunction } from '../client/types.js';
import type { Logger } from '../core/logger.js';
import type { PromptRecord } from '../core/record.js';
import type { Pricer } from '../pricing/index.js';
import { openRepository, resolveStoreSpec } from '../store/open.js';
import type { RepositoryAdapter } from '../store/repository.js';
import { clientBenchCall } from './client-call.js';
import { countTokensBenchCall } from './dry-run.js';
import type { BenchIo } from './exit-codes.js';
import type { BenchMode } from './result.js';
import type { BenchCall } from './runner.js';

export interface BenchCallSetup {
  mode: BenchMode;
  io: BenchIo;
  pricer: Pricer;
  maxRetries: number;
  replayFile?: string | undefined;
  recordFile?: string | undefined;
  /** False keeps prompt text and reply summaries out of the stored records. */
  storeText?: boolean;
  /** Receives the client's one line per call. */
  logger: Logger;
  /** Called with each stored record, such as to update live metrics; not called in a dry run, which stores nothing. */
  onRecord?: ((record: PromptRecord) => void) | undefined;
}

/**
 * A stand-in API key for replays: the SDK refuses to build a request without
 * credentials, and a replay never sends the request anywhere.
 */
const REPLAY_API_KEY = 'replay-no-key';

export async function createBenchCall(setup: BenchCallSetup): Promise<{ call: BenchCall; repository: RepositoryAdapter | null }> {
  const { io } = setup;
  if (setup.mode === 'dry-run') {
    const anthropic = new Anthropic({ maxRetries: setup.maxRetries });
    return { call: countTokensBenchCall(anthropic, setup.pricer), repository: null };
  }

  // Read the recording before opening the store, so a bad file fails without side effects.
  let fetchFunction: FetchFunction | undefined;
  if (setup.replayFile) fetchFunction = createReplayFetch(setup.replayFile);
  else if (setup.recordFile) fetchFunction = createRecordingFetch(setup.recordFile, (input, init) => fetch(input, init));

  const repository = await openRepository(resolveStoreSpec(io.options.store, io.env), { logger: io.logger, env: io.env });
  try {
    repository.assertWritable?.();
  } catch (error) {
    await repository.close();
    throw error;
  }
  const client = new AnthropicPromptClient({
    repository,
    pricer: setup.pricer,
    source: 'bench',
    maxRetries: setup.maxRetries,
    storeText: setup.storeText ?? true,
    logger: setup.logger,
    ...(fetchFunction ? { fetch: fetchFunction } : {}),
    ...(setup.onRecord ? { onRecord: setup.onRecord } : {}),
    ...(setup.mode === 'replay' && !io.env.ANTHROPIC_API_KEY ? { apiKey: REPLAY_API_KEY } : {}),
  });
  return { call: clientBenchCall(client), repository };
}
