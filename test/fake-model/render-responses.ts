// Renders a scripted stream as Responses API SSE events, in the order and shape OpenAI sends them.
import { type Action, argumentsText, commonStepActions, fragments, sseData, textDeltas } from './actions.js';
import type { FakeStep, FakeStreamResponse } from './types.js';

export function renderResponses(script: FakeStreamResponse, responseId: string): Action[] {
  const out: Action[] = [];
  let seq = 0;
  const emit = (type: string, fields: Record<string, unknown>) =>
    out.push(sseData({ type, sequence_number: seq++, ...fields }));
  emit('response.created', { response: { id: responseId, status: 'in_progress' } });
  let outputIndex = 0;
  let usage: Extract<FakeStep, { type: 'usage' }> | undefined;
  let callCounter = 0;

  const lastText = script.incomplete ? script.steps.map((step) => step.type).lastIndexOf('text') : -1;
  for (const [stepIndex, step] of script.steps.entries()) {
    const common = commonStepActions(step);
    if (common) {
      out.push(...common);
      if (step.type === 'cut') return out;
      continue;
    }
    const itemId = `${responseId}_item_${outputIndex}`;
    const index = outputIndex;
    switch (step.type) {
      case 'text': {
        emit('response.output_item.added', {
          output_index: index,
          item: { type: 'message', id: itemId, role: 'assistant', status: 'in_progress', content: [] },
        });
        emit('response.content_part.added', {
          item_id: itemId,
          output_index: index,
          content_index: 0,
          part: { type: 'output_text', text: '' },
        });
        for (const delta of textDeltas(step.text, step.deltas)) {
          emit('response.output_text.delta', {
            item_id: itemId,
            output_index: index,
            content_index: 0,
            delta,
          });
        }
        // A cut answer stops mid-message: no done events for it.
        if (stepIndex === lastText) break;
        emit('response.output_text.done', {
          item_id: itemId,
          output_index: index,
          content_index: 0,
          text: step.text,
        });
        emit('response.output_item.done', {
          output_index: index,
          item: {
            type: 'message',
            id: itemId,
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: step.text, annotations: [] }],
          },
        });
        break;
      }
      case 'reasoning': {
        emit('response.output_item.added', {
          output_index: index,
          item: { type: 'reasoning', id: itemId, summary: [] },
        });
        if (step.summary !== undefined) {
          emit('response.reasoning_summary_part.added', {
            item_id: itemId,
            output_index: index,
            summary_index: 0,
          });
          for (const delta of textDeltas(step.summary)) {
            emit('response.reasoning_summary_text.delta', {
              item_id: itemId,
              output_index: index,
              summary_index: 0,
              delta,
            });
          }
          emit('response.reasoning_summary_text.done', {
            item_id: itemId,
            output_index: index,
            summary_index: 0,
          });
        }
        if (step.content !== undefined) {
          for (const delta of textDeltas(step.content)) {
            emit('response.reasoning_text.delta', {
              item_id: itemId,
              output_index: index,
              content_index: 0,
              delta,
            });
          }
        }
        emit('response.output_item.done', {
          output_index: index,
          item: {
            type: 'reasoning',
            id: itemId,
            summary: step.summary !== undefined ? [{ type: 'summary_text', text: step.summary }] : [],
            ...(step.content !== undefined
              ? { content: [{ type: 'reasoning_text', text: step.content }] }
              : {}),
            encrypted_content: step.encryptedContent ?? null,
          },
        });
        break;
      }
      case 'tool_call': {
        const callId = step.callId ?? `call_${responseId}_${callCounter++}`;
        const args = argumentsText(step.arguments);
        const item = { type: 'function_call', id: itemId, call_id: callId, name: step.name };
        emit('response.output_item.added', {
          output_index: index,
          item: { ...item, arguments: '', status: 'in_progress' },
        });
        for (const delta of fragments(args, 3)) {
          emit('response.function_call_arguments.delta', { item_id: itemId, output_index: index, delta });
        }
        emit('response.function_call_arguments.done', {
          item_id: itemId,
          output_index: index,
          arguments: args,
        });
        emit('response.output_item.done', {
          output_index: index,
          item: { ...item, arguments: args, status: 'completed' },
        });
        break;
      }
      case 'custom_tool_call': {
        const callId = step.callId ?? `call_${responseId}_${callCounter++}`;
        const item = { type: 'custom_tool_call', id: itemId, call_id: callId, name: step.name };
        emit('response.output_item.added', {
          output_index: index,
          item: { ...item, input: '', status: 'in_progress' },
        });
        emit('response.custom_tool_call_input.delta', {
          item_id: itemId,
          output_index: index,
          delta: step.input,
        });
        emit('response.custom_tool_call_input.done', {
          item_id: itemId,
          output_index: index,
          input: step.input,
        });
        emit('response.output_item.done', {
          output_index: index,
          item: { ...item, input: step.input, status: 'completed' },
        });
        break;
      }
      case 'usage':
        usage = step;
        continue;
      case 'failed':
        emit('response.failed', {
          response: {
            id: responseId,
            status: 'failed',
            error: { type: step.errorType ?? 'server_error', code: step.code ?? null, message: step.message },
          },
        });
        return out;
    }
    outputIndex++;
  }
  if (script.end === 'eof') return out;
  emit(script.incomplete ? 'response.incomplete' : 'response.completed', {
    response: {
      id: responseId,
      status: script.incomplete ? 'incomplete' : 'completed',
      ...(script.incomplete ? { incomplete_details: { reason: script.incomplete } } : {}),
      output: [],
      usage: usage
        ? {
            input_tokens: usage.input ?? 0,
            input_tokens_details: { cached_tokens: usage.cached ?? 0 },
            output_tokens: usage.output ?? 0,
            output_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
            total_tokens: (usage.input ?? 0) + (usage.output ?? 0),
          }
        : null,
    },
  });
  return out;
}
