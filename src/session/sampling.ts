// One model request: streams the response, forwards deltas and finished items as protocol events, and
// returns the final items and usage. Items from an attempt the client re-runs (`retrying`) are dropped, so
// only the attempt that completed reaches history.

import type { EventMsg } from '../protocol/events.js';
import type { ResponseItem, TokenUsage } from '../protocol/models.js';
import type { ModelClient, ModelTurnSettings, Prompt } from '../providers/types.js';
import type { ToolCall } from '../tools/types.js';

export interface SampledResponse {
  items: ResponseItem[];
  usage?: TokenUsage;
  /** The server cut the answer short; `items` hold what arrived. */
  incomplete?: { reason: string };
}

/** A warning for a cut answer, naming the server's reason in words. */
export function truncationWarning(reason: string): string {
  const why =
    reason === 'length' || reason === 'max_output_tokens'
      ? 'it reached the output token limit'
      : reason === 'content_filter'
        ? 'a content filter stopped it'
        : `reason: ${reason}`;
  return `the model's answer was cut short (${why}; the server said "${reason}"); the partial answer is kept`;
}

export function assistantText(item: ResponseItem): string | undefined {
  if (item.type !== 'message' || item.role !== 'assistant') return undefined;
  return item.content.map((part) => (part.type === 'output_text' ? part.text : '')).join('');
}

export function reasoningText(item: ResponseItem): string | undefined {
  if (item.type !== 'reasoning') return undefined;
  const summary = item.summary.map((part) => part.text).join('\n\n');
  return summary || (item.content ?? []).map((part) => part.text).join('') || undefined;
}

/** The events a finished item shows to front ends (tool calls show through their tools' own events). */
export function eventsForItem(item: ResponseItem): EventMsg[] {
  const text = assistantText(item);
  if (text !== undefined) return [{ type: 'agent_message', message: text }];
  const reasoning = reasoningText(item);
  if (reasoning !== undefined) return [{ type: 'agent_reasoning', text: reasoning }];
  return [];
}

export function toolCallOf(item: ResponseItem): ToolCall | undefined {
  if (item.type === 'function_call') {
    return { callId: item.call_id, name: item.name, kind: 'function', input: item.arguments };
  }
  if (item.type === 'custom_tool_call')
    return { callId: item.call_id, name: item.name, kind: 'custom', input: item.input };
  return undefined;
}

export async function sampleResponse(
  client: ModelClient,
  prompt: Prompt,
  settings: ModelTurnSettings,
  signal: AbortSignal,
  emit: (msg: EventMsg) => void,
): Promise<SampledResponse> {
  let items: ResponseItem[] = [];
  let usage: TokenUsage | undefined;
  let incomplete: SampledResponse['incomplete'];
  for await (const event of client.stream(prompt, settings, signal)) {
    switch (event.type) {
      case 'created':
        items = [];
        break;
      case 'output_text_delta':
        emit({ type: 'agent_message_delta', delta: event.delta });
        break;
      case 'reasoning_summary_delta':
      case 'reasoning_content_delta':
        emit({ type: 'agent_reasoning_delta', delta: event.delta });
        break;
      case 'output_item_done':
        items.push(event.item);
        for (const msg of eventsForItem(event.item)) emit(msg);
        break;
      case 'retrying':
        items = [];
        emit({
          type: 'stream_error',
          message: `Reconnecting… ${event.attempt}/${event.max} (${event.message})`,
        });
        break;
      case 'completed':
        usage = event.usage;
        incomplete = event.incomplete;
        break;
    }
  }
  return { items, usage, incomplete };
}
