/**
 * Assembles a streamed reply from its raw server-sent events.
 *
 * Usage follows the streaming documentation
 * (https://platform.claude.com/docs/en/build-with-claude/streaming): the counts in
 * `message_delta` are cumulative totals for the whole message, so each present,
 * non-null delta field replaces the value from `message_start` and is never
 * added to it. The `cache_creation` split, `service_tier` and `inference_geo`
 * appear only in `message_start` and keep those values. This matches the SDK's
 * own `MessageStream` accumulation (@anthropic-ai/sdk 1.17, src/lib/MessageStream.ts).
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ApiUsage } from '../core/usage.js';

/** Usage fields that `message_delta` may restate as cumulative totals. */
const DELTA_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
  'server_tool_use',
] as const;

export class StreamAccumulator {
  message: Anthropic.Message | null = null;
  usage: ApiUsage | null = null;
  /** Milliseconds since epoch of the first text delta; null until one arrives. */
  firstTextAt: number | null = null;
  sawMessageStop = false;
  private readonly partialJson = new Map<number, string>();

  /** Apply one event and return the text it adds, if any. */
  apply(event: Anthropic.RawMessageStreamEvent, now: number): string | null {
    switch (event.type) {
      case 'message_start':
        this.message = { ...event.message, content: [...event.message.content] };
        this.usage = { ...(event.message.usage as ApiUsage) };
        return null;
      case 'content_block_start':
        this.message?.content.splice(event.index, 1, structuredClone(event.content_block));
        return null;
      case 'content_block_delta':
        return this.applyBlockDelta(event, now);
      case 'content_block_stop':
        this.finishToolInput(event.index);
        return null;
      case 'message_delta':
        this.applyMessageDelta(event);
        return null;
      case 'message_stop':
        this.sawMessageStop = true;
        return null;
      default:
        // The streaming documentation requires clients to ignore event types they do not know.
        return null;
    }
  }

  private applyBlockDelta(event: Anthropic.RawContentBlockDeltaEvent, now: number): string | null {
    const block = this.message?.content[event.index];
    const delta = event.delta;
    if (delta.type === 'text_delta') {
      if (block?.type === 'text') block.text += delta.text;
      if (this.firstTextAt === null) this.firstTextAt = now;
      return delta.text;
    }
    if (delta.type === 'thinking_delta' && block?.type === 'thinking') block.thinking += delta.thinking;
    if (delta.type === 'signature_delta' && block?.type === 'thinking') block.signature = delta.signature;
    if (delta.type === 'input_json_delta') {
      this.partialJson.set(event.index, (this.partialJson.get(event.index) ?? '') + delta.partial_json);
    }
    return null;
  }

  private finishToolInput(index: number): void {
    const json = this.partialJson.get(index);
    const block = this.message?.content[index];
    if (json === undefined || json === '' || !block || !('input' in block)) return;
    try {
      (block as { input: unknown }).input = JSON.parse(json);
    } catch {
      // A malformed fragment leaves the block's input as `{}`; the usage is what is billed either way.
    }
  }

  private applyMessageDelta(event: Anthropic.RawMessageDeltaEvent): void {
    if (this.message) {
      this.message.stop_reason = event.delta.stop_reason;
      this.message.stop_sequence = event.delta.stop_sequence;
    }
    const deltaUsage = (event.usage ?? {}) as unknown as Record<string, unknown>;
    const usage = (this.usage ??= {}) as Record<string, unknown>;
    for (const field of DELTA_FIELDS) {
      const value = deltaUsage[field];
      if (value !== undefined && value !== null) usage[field] = value;
    }
    if (this.message) this.message.usage = usage as unknown as Anthropic.Usage;
  }

  /** Text of every text block, in order. */
  text(): string {
    return textOf(this.message);
  }
}

/** Join the text blocks of a reply. */
export function textOf(message: Anthropic.Message | null): string {
  if (!message) return '';
  let text = '';
  for (const block of message.content) if (block.type === 'text') text += block.text;
  return text;
}
