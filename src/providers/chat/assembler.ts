// Assembles Chat Completions stream chunks into ResponseEvents, tolerant of what real servers send
// (codex-reference §4, "Dec 2025 and later", plus fixes):
// - tool calls keyed by `index`; a fragment without index joins the call with its id, else the last call;
//   a fragment reusing an index with a different id starts a new call (servers that send index 0 for all);
// - first id and first non-empty name win, argument fragments are appended (object arguments are encoded);
// - `content` as a string or an array of `{text}` parts; reasoning in `reasoning_content` or `reasoning`
//   (string or `{text|content}`); a whole `message` instead of a `delta` (servers that ignore `stream`);
// - finish_reason `length` or `content_filter` → the partial answer is kept and `completed` says it is
//   incomplete (it is a cut answer, not a context overflow); `[DONE]` or a bare EOF ends the response;
// - an `{"error": …}` chunk mid-stream ends the attempt with that error's message;
// - arguments that are not JSON are passed on verbatim: the agent loop tells the model, nothing throws.
// Final items are emitted at the end of the stream, after any trailing usage chunk.

import type { ResponseItem, TokenUsage } from '../../protocol/models.js';
import { classifyStreamFailure } from '../classify.js';
import { ModelError } from '../errors.js';
import type { ReasoningField } from '../quirks.js';
import type { ResponseEvent } from '../types.js';
import { usageFromChat } from '../usage.js';

type Json = Record<string, unknown>;

interface CallState {
  slot: number;
  id?: string;
  name: string;
  args: string;
}

export interface ChatAssemblerOptions {
  /** Freeform tools offered as `{input}` functions: their calls come back as custom_tool_call items. */
  customToolNames?: ReadonlySet<string>;
  /** Prefix of the call id made up for a call the server sent without one. */
  callIdPrefix: string;
}

export class ChatStreamAssembler {
  /** `[DONE]` arrived: stop reading. */
  done = false;
  /** The finish_reason the server sent, if any. After it, a broken connection loses nothing. */
  finishReason: string | undefined;
  /** Which field the server streamed reasoning in (it expects the same one back). */
  reasoningField: ReasoningField | undefined;
  usage: TokenUsage | undefined;

  private started = false;
  private flushed = false;
  private responseId = '';
  private text = '';
  private reasoning = '';
  private readonly calls: CallState[] = [];
  private readonly byIndex = new Map<number, CallState>();
  private readonly byId = new Map<string, CallState>();
  private lastCall: CallState | undefined;

  constructor(private readonly options: ChatAssemblerOptions) {}

  /** Handles one SSE `data` payload (or a whole non-streamed body), pushing events to `out`. */
  feed(data: string, out: ResponseEvent[]): void {
    if (data.trim() === '[DONE]') {
      this.finish(out);
      this.done = true;
      return;
    }
    let chunk: Json;
    try {
      chunk = JSON.parse(data);
    } catch {
      return;
    }
    if (!chunk || typeof chunk !== 'object') return;
    if (chunk.error) throw classifyStreamFailure(chunk.error);
    if (!this.started) {
      this.started = true;
      out.push({ type: 'created' });
    }
    if (!this.responseId && typeof chunk.id === 'string') this.responseId = chunk.id;
    if (chunk.usage) this.usage = usageFromChat(chunk.usage);
    if (!Array.isArray(chunk.choices)) return;
    for (const choice of chunk.choices as Json[]) {
      const delta = (choice?.delta ?? choice?.message) as Json | undefined;
      if (delta && typeof delta === 'object') this.applyDelta(delta, out);
      const reason = choice?.finish_reason;
      if (typeof reason === 'string' && reason) this.finishReason = reason;
    }
  }

  private applyDelta(delta: Json, out: ResponseEvent[]): void {
    const text = contentText(delta.content);
    if (text) {
      if (!this.text)
        out.push({ type: 'output_item_added', item: { type: 'message', role: 'assistant', content: [] } });
      this.text += text;
      out.push({ type: 'output_text_delta', delta: text });
    }
    const [field, reasoning] = reasoningOf(delta);
    if (field && reasoning) {
      this.reasoningField ??= field;
      if (!this.reasoning) out.push({ type: 'output_item_added', item: { type: 'reasoning', summary: [] } });
      this.reasoning += reasoning;
      out.push({ type: 'reasoning_content_delta', delta: reasoning, contentIndex: 0 });
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const fragment of delta.tool_calls as Json[])
        if (fragment && typeof fragment === 'object') this.applyToolCall(fragment);
    }
  }

  private applyToolCall(fragment: Json): void {
    const id = typeof fragment.id === 'string' && fragment.id ? fragment.id : undefined;
    const call = this.callFor(fragment, id);
    if (id && !call.id) {
      call.id = id;
      this.byId.set(id, call);
    }
    const fn = (fragment.function ?? {}) as Json;
    if (!call.name && typeof fn.name === 'string') call.name = fn.name;
    if (typeof fn.arguments === 'string') call.args += fn.arguments;
    else if (fn.arguments && typeof fn.arguments === 'object' && !call.args)
      call.args = JSON.stringify(fn.arguments);
    this.lastCall = call;
  }

  private callFor(fragment: Json, id: string | undefined): CallState {
    if (id) {
      const known = this.byId.get(id);
      if (known) return known;
    }
    if (typeof fragment.index === 'number') {
      const current = this.byIndex.get(fragment.index);
      if (current && !(id && current.id && current.id !== id)) return current;
      const created = this.newCall();
      this.byIndex.set(fragment.index, created);
      return created;
    }
    if (!id && this.lastCall) return this.lastCall;
    return this.newCall();
  }

  private newCall(): CallState {
    const call: CallState = { slot: this.calls.length, name: '', args: '' };
    this.calls.push(call);
    return call;
  }

  /** The stream ended (`[DONE]` or EOF): emits the final items, then `completed`, once. */
  finish(out: ResponseEvent[]): void {
    if (this.flushed) return;
    if (!this.started) throw new ModelError('stream', 'the stream ended before any data arrived');
    this.flushed = true;
    if (this.reasoning) {
      out.push({
        type: 'output_item_done',
        item: { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: this.reasoning }] },
      });
    }
    if (this.text) {
      out.push({
        type: 'output_item_done',
        item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: this.text }] },
      });
    }
    for (const call of this.calls) {
      if (!call.name) continue;
      out.push({ type: 'output_item_done', item: this.toItem(call) });
    }
    const cut = this.finishReason === 'length' || this.finishReason === 'content_filter';
    out.push({
      type: 'completed',
      responseId: this.responseId,
      usage: this.usage,
      ...(cut ? { incomplete: { reason: this.finishReason as string } } : {}),
    });
  }

  private toItem(call: CallState): ResponseItem {
    const callId = call.id ?? `${this.options.callIdPrefix}${call.slot}`;
    if (this.options.customToolNames?.has(call.name)) {
      return { type: 'custom_tool_call', call_id: callId, name: call.name, input: customInput(call.args) };
    }
    return { type: 'function_call', name: call.name, arguments: call.args, call_id: callId };
  }
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'string') text += part;
    else if (part && typeof (part as Json).text === 'string') text += (part as Json).text;
  }
  return text;
}

function reasoningOf(delta: Json): [ReasoningField | undefined, string] {
  if (typeof delta.reasoning_content === 'string' && delta.reasoning_content) {
    return ['reasoning_content', delta.reasoning_content];
  }
  const r = delta.reasoning;
  if (typeof r === 'string') return ['reasoning', r];
  if (r && typeof r === 'object') {
    const o = r as Json;
    const text = typeof o.text === 'string' ? o.text : typeof o.content === 'string' ? o.content : '';
    return ['reasoning', text];
  }
  return [undefined, ''];
}

/** A freeform tool's raw input from the `{input}` arguments; the arguments verbatim if they are not that shape. */
function customInput(args: string): string {
  try {
    const parsed = JSON.parse(args) as { input?: unknown };
    if (parsed && typeof parsed.input === 'string') return parsed.input;
  } catch {
    // not JSON: hand the text over as it is
  }
  return args;
}
