// Maps Responses API SSE events to ResponseEvents (codex-reference §3). Final items come only from
// `response.output_item.done`; `response.completed.output` is ignored (reading both duplicates items).
// `response.incomplete` (max_output_tokens, content_filter) ends the response with what arrived: a message
// cut before its `output_item.done` is rebuilt from its text deltas, so the partial answer is kept.

import type { ResponseItem } from '../../protocol/models.js';
import { classifyStreamFailure } from '../classify.js';
import { ModelError } from '../errors.js';
import type { ResponseEvent } from '../types.js';
import { usageFromResponses } from '../usage.js';

type Json = Record<string, unknown>;

export class ResponsesStreamParser {
  /** Set once `response.completed` arrived; the caller stops reading then. */
  done = false;
  /** Text of assistant messages that have not reached `output_item.done`, by output index. */
  private readonly openMessages = new Map<number, { id?: string; text: string }>();

  /** Handles one SSE `data` payload, pushing the resulting events to `out`. Unparseable payloads are skipped. */
  feed(data: string, out: ResponseEvent[]): void {
    let event: Json;
    try {
      event = JSON.parse(data);
    } catch {
      return;
    }
    // Some proxies report a failure as a bare `{"error": …}` event, without a type.
    if (event.type === undefined && event.error) throw classifyStreamFailure(event.error);
    switch (event.type) {
      case 'response.created':
        out.push({ type: 'created' });
        return;
      case 'response.output_item.added':
      case 'response.output_item.done': {
        const item = toResponseItem(event.item);
        if (!item) return;
        this.trackMessage(event, item);
        out.push({
          type: event.type === 'response.output_item.done' ? 'output_item_done' : 'output_item_added',
          item,
        });
        return;
      }
      case 'response.output_text.delta': {
        const open = this.openMessages.get(int(event.output_index));
        if (open) open.text += str(event.delta);
        out.push({ type: 'output_text_delta', delta: str(event.delta) });
        return;
      }
      case 'response.reasoning_summary_text.delta':
        out.push({
          type: 'reasoning_summary_delta',
          delta: str(event.delta),
          summaryIndex: int(event.summary_index),
        });
        return;
      case 'response.reasoning_summary_part.added':
        out.push({ type: 'reasoning_summary_part_added' });
        return;
      case 'response.reasoning_text.delta':
        out.push({
          type: 'reasoning_content_delta',
          delta: str(event.delta),
          contentIndex: int(event.content_index),
        });
        return;
      case 'response.completed': {
        const response = (event.response ?? {}) as Json;
        out.push({
          type: 'completed',
          responseId: str(response.id),
          usage: usageFromResponses(response.usage),
        });
        this.done = true;
        return;
      }
      case 'response.incomplete':
        this.endIncomplete(event, out);
        return;
      case 'response.failed':
        throw failure(event);
      case 'error':
        throw classifyStreamFailure(event.error ?? event);
    }
  }

  private trackMessage(event: Json, item: ResponseItem): void {
    if (item.type !== 'message' || item.role !== 'assistant') return;
    const index = int(event.output_index);
    if (event.type === 'response.output_item.added') this.openMessages.set(index, { id: item.id, text: '' });
    else this.openMessages.delete(index);
  }

  private endIncomplete(event: Json, out: ResponseEvent[]): void {
    const response = (event.response ?? {}) as Json;
    const reason = str(((response.incomplete_details ?? {}) as Json).reason) || 'unknown';
    for (const [, open] of [...this.openMessages].sort(([a], [b]) => a - b)) {
      if (!open.text) continue;
      const id = open.id ? { id: open.id } : {};
      out.push({
        type: 'output_item_done',
        item: {
          type: 'message',
          ...id,
          role: 'assistant',
          content: [{ type: 'output_text', text: open.text }],
        },
      });
    }
    this.openMessages.clear();
    out.push({
      type: 'completed',
      responseId: str(response.id),
      usage: usageFromResponses(response.usage),
      incomplete: { reason },
    });
    this.done = true;
  }

  /** The stream ended; without `response.completed` the response is lost (retryable). */
  finish(): void {
    if (!this.done) throw new ModelError('stream', 'stream closed before response.completed');
  }
}

function failure(event: Json): ModelError {
  return classifyStreamFailure(((event.response ?? {}) as Json).error);
}

/** Keeps the fields our history stores; unknown item kinds (web search, …) are skipped. */
export function toResponseItem(raw: unknown): ResponseItem | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const item = raw as Json;
  const id = typeof item.id === 'string' ? { id: item.id } : {};
  switch (item.type) {
    case 'message': {
      const content = (Array.isArray(item.content) ? item.content : []).flatMap((part: Json) =>
        part?.type === 'output_text' || part?.type === 'input_text'
          ? [{ type: part.type, text: str(part.text) } as const]
          : part?.type === 'refusal'
            ? [{ type: 'output_text', text: str(part.refusal) } as const]
            : [],
      );
      const role =
        item.role === 'user' || item.role === 'system' || item.role === 'developer' ? item.role : 'assistant';
      return { type: 'message', ...id, role, content };
    }
    case 'reasoning': {
      const summary = (Array.isArray(item.summary) ? item.summary : []).map((s: Json) => ({
        type: 'summary_text' as const,
        text: str(s?.text),
      }));
      const content = (Array.isArray(item.content) ? item.content : []).map((c: Json) => ({
        type: 'reasoning_text' as const,
        text: str(c?.text),
      }));
      return {
        type: 'reasoning',
        ...id,
        summary,
        ...(content.length ? { content } : {}),
        ...(typeof item.encrypted_content === 'string' ? { encrypted_content: item.encrypted_content } : {}),
      };
    }
    case 'function_call':
      return {
        type: 'function_call',
        ...id,
        name: str(item.name),
        arguments: str(item.arguments),
        call_id: str(item.call_id),
      };
    case 'custom_tool_call':
      return {
        type: 'custom_tool_call',
        ...id,
        ...(typeof item.status === 'string' ? { status: item.status } : {}),
        call_id: str(item.call_id),
        name: str(item.name),
        input: str(item.input),
      };
    default:
      return undefined;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'number' ? v : 0);
