// The assembler fed chunks directly: shapes too odd to be worth a server script.
import { describe, expect, it } from 'vitest';
import { ChatStreamAssembler } from '../../src/providers/chat/assembler.js';
import type { ResponseEvent } from '../../src/providers/types.js';

function assemble(chunks: unknown[], end: 'done' | 'eof' = 'done') {
  const asm = new ChatStreamAssembler({ callIdPrefix: 'gen-' });
  const out: ResponseEvent[] = [];
  for (const c of chunks) asm.feed(typeof c === 'string' ? c : JSON.stringify(c), out);
  if (end === 'done') asm.feed('[DONE]', out);
  else asm.finish(out);
  return { asm, out, items: out.flatMap((e) => (e.type === 'output_item_done' ? [e.item] : [])) };
}
const delta = (d: Record<string, unknown>, finish: string | null = null) => ({
  id: 'c1',
  choices: [{ index: 0, delta: d, finish_reason: finish }],
});

describe('ChatStreamAssembler', () => {
  it('starts a new call when a server reuses index 0 with a new id', () => {
    const { items } = assemble([
      delta({ tool_calls: [{ index: 0, id: 'a', function: { name: 'one', arguments: '{"x":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      delta({ tool_calls: [{ index: 0, id: 'b', function: { name: 'two', arguments: '{}' } }] }),
    ]);
    expect(items).toEqual([
      { type: 'function_call', name: 'one', arguments: '{"x":1}', call_id: 'a' },
      { type: 'function_call', name: 'two', arguments: '{}', call_id: 'b' },
    ]);
  });

  it('makes up ids for calls without one, skips calls without a name, encodes object arguments', () => {
    const { items } = assemble([
      delta({ tool_calls: [{ index: 0, function: { name: 'a', arguments: { k: 1 } } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }),
    ]);
    expect(items).toEqual([{ type: 'function_call', name: 'a', arguments: '{"k":1}', call_id: 'gen-0' }]);
  });

  it('keeps the first name and joins a fragment carrying only its id to that call', () => {
    const { items } = assemble([
      delta({ tool_calls: [{ id: 'a', function: { name: 'first' } }] }),
      delta({ tool_calls: [{ id: 'a', function: { name: 'second', arguments: '{"y"' } }] }),
      delta({ tool_calls: [{ function: { arguments: ':2}' } }] }),
    ]);
    expect(items).toEqual([{ type: 'function_call', name: 'first', arguments: '{"y":2}', call_id: 'a' }]);
  });

  it('reads reasoning as a string or an object and records the field', () => {
    const { asm, items } = assemble([delta({ reasoning: { text: 'a' } }), delta({ reasoning: 'b' })]);
    expect(items).toEqual([
      { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'ab' }] },
    ]);
    expect(asm.reasoningField).toBe('reasoning');
  });

  it('ignores empty content, emits output_item_added once, and completes once', () => {
    const { out } = assemble([
      delta({ role: 'assistant', content: '' }),
      delta({ content: 'a' }),
      delta({ content: 'b' }, 'stop'),
    ]);
    expect(out.map((e) => e.type)).toEqual([
      'created',
      'output_item_added',
      'output_text_delta',
      'output_text_delta',
      'output_item_done',
      'completed',
    ]);
  });

  it('skips unparseable chunks and keeps a trailing usage chunk', () => {
    const { out } = assemble([
      delta({ content: 'x' }),
      '{broken',
      delta({}, 'stop'),
      { id: 'c1', choices: [], usage: { prompt_tokens: 2, completion_tokens: 3 } },
    ]);
    expect(out.at(-1)).toMatchObject({ type: 'completed', responseId: 'c1', usage: { total_tokens: 5 } });
  });

  it('fails on an EOF before any chunk instead of inventing an empty answer', () => {
    expect(() => assemble([], 'eof')).toThrow(/ended before any data/);
  });

  it('classifies an error chunk', () => {
    expect(() => assemble([{ error: { message: 'prompt is too long: 9000 tokens' } }])).toThrow(
      expect.objectContaining({ kind: 'context_window_exceeded' }),
    );
  });
});
