// Renders a scripted stream as Chat Completions chunks, in any of the shapes real servers send (see
// ChatToolCallShape and the reasoning/content options of FakeStreamResponse).
import { type Action, argumentsText, commonStepActions, fragments, sseData, textDeltas } from './actions.js';
import type { FakeStep, FakeStreamResponse } from './types.js';

type ToolCallStep = Extract<FakeStep, { type: 'tool_call' }>;
interface Call {
  index: number;
  id: string;
  name: string;
  args: string;
}

export function renderChat(
  script: FakeStreamResponse,
  responseId: string,
  usageRequested: boolean,
): Action[] {
  const out: Action[] = [];
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    sseData({
      id: responseId,
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'fake-model',
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    });
  const reasoningField = script.reasoningField ?? 'reasoning_content';
  const shape = script.toolCallShape ?? 'indexed';
  let usage: Extract<FakeStep, { type: 'usage' }> | undefined;
  let sawToolCall = false;
  let nextIndex = 0;
  let group: ToolCallStep[] = [];
  const flushGroup = () => {
    if (group.length === 0) return;
    const calls = group.map((s) => {
      const index = nextIndex++;
      return {
        index,
        id: s.callId ?? `call_${responseId}_${index}`,
        name: s.name,
        args: argumentsText(s.arguments),
      };
    });
    out.push(...renderToolCalls(calls, shape).map((d) => chunk(d)));
    group = [];
  };

  out.push(chunk({ role: 'assistant', content: '' }));
  for (const step of script.steps) {
    if (step.type === 'tool_call') {
      sawToolCall = true;
      group.push(step);
      continue;
    }
    flushGroup();
    const common = commonStepActions(step);
    if (common) {
      out.push(...common);
      if (step.type === 'cut') return out;
      continue;
    }
    switch (step.type) {
      case 'text':
        for (const delta of textDeltas(step.text, step.deltas)) {
          out.push(
            chunk({ content: script.contentShape === 'parts' ? [{ type: 'text', text: delta }] : delta }),
          );
        }
        break;
      case 'reasoning':
        for (const delta of textDeltas(step.content ?? step.summary ?? ''))
          out.push(chunk({ [reasoningField]: delta }));
        break;
      case 'usage':
        usage = step;
        break;
      case 'failed':
        out.push(
          sseData({
            error: { message: step.message, type: step.errorType ?? 'server_error', code: step.code ?? null },
          }),
        );
        return out;
      case 'custom_tool_call':
        throw new Error('fake model: custom_tool_call is a Responses-only step');
    }
  }
  flushGroup();
  const cut = script.incomplete === 'content_filter' ? 'content_filter' : 'length';
  const finish =
    script.finishReason !== undefined
      ? script.finishReason
      : script.incomplete
        ? cut
        : sawToolCall
          ? 'tool_calls'
          : 'stop';
  if (finish !== null) out.push(chunk({}, finish));
  if (usage && (usageRequested || script.chatUsage === 'always')) {
    const input = usage.input ?? 0;
    const output = usage.output ?? 0;
    out.push(
      sseData({
        id: responseId,
        object: 'chat.completion.chunk',
        choices: [],
        usage: {
          prompt_tokens: input,
          completion_tokens: output,
          total_tokens: input + output,
          prompt_tokens_details: { cached_tokens: usage.cached ?? 0 },
          completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
        },
      }),
    );
  }
  if (script.end !== 'eof') out.push({ kind: 'write', text: 'data: [DONE]\n\n' });
  return out;
}

/** The `delta` objects carrying `calls` in the given shape. */
function renderToolCalls(
  calls: Call[],
  shape: FakeStreamResponse['toolCallShape'],
): Record<string, unknown>[] {
  const head = (c: Call, withIndex: boolean, args = '') => ({
    ...(withIndex ? { index: c.index } : {}),
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: args },
  });
  switch (shape) {
    case 'one-chunk':
      return calls.map((c) => ({ tool_calls: [head(c, true, c.args)] }));
    case 'single-delta':
      return [{ tool_calls: calls.map((c) => head(c, true, c.args)) }];
    case 'no-index':
      return calls.flatMap((c) => [
        { tool_calls: [head(c, false)] },
        ...fragments(c.args, 3).map((f) => ({ tool_calls: [{ function: { arguments: f } }] })),
      ]);
    case 'interleaved': {
      const out: Record<string, unknown>[] = calls.map((c) => ({ tool_calls: [head(c, true)] }));
      const parts = calls.map((c) => fragments(c.args, 3));
      for (let i = 0; parts.some((p) => i < p.length); i++) {
        calls.forEach((c, k) => {
          if (i < parts[k].length)
            out.push({ tool_calls: [{ index: c.index, function: { arguments: parts[k][i] } }] });
        });
      }
      return out;
    }
    default:
      return calls.flatMap((c) => [
        { tool_calls: [head(c, true)] },
        ...fragments(c.args, 3).map((f) => ({
          tool_calls: [{ index: c.index, function: { arguments: f } }],
        })),
      ]);
  }
}
