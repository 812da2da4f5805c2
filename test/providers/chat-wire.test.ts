// The Chat Completions wire end to end over real HTTP: every quirky stream shape real servers send.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatToolCallShape } from '../fake-model/server.js';
import { type FakeModelServer, startFakeModelServer } from '../fake-model/server.js';
import { client, doneItems, makePrompt, makeProvider, run, textOf } from './helpers.js';

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const provider = (over = {}) => makeProvider({ baseUrl: fake.url, wireApi: 'chat', ...over });
const signal = () => new AbortController().signal;
const stream = (over = {}, prompt = makePrompt()) =>
  run(client(provider(over)).stream(prompt, { model: 'm' }, signal()));

describe('Chat Completions wire', () => {
  it('streams text, reasoning, usage; sends system first and stream_options', async () => {
    fake.enqueue({
      steps: [
        { type: 'reasoning', content: 'let me think' },
        { type: 'text', text: 'The answer is 42' },
        { type: 'usage', input: 50, cached: 10, output: 7, reasoning: 3 },
      ],
    });
    const { events, error } = await stream();
    expect(error).toBeUndefined();
    expect(events[0]).toEqual({ type: 'created' });
    expect(textOf(events)).toBe('The answer is 42');
    expect(doneItems(events)).toEqual([
      { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'let me think' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'The answer is 42' }] },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'completed',
      responseId: 'resp_1',
      usage: {
        input_tokens: 50,
        cached_input_tokens: 10,
        output_tokens: 7,
        reasoning_output_tokens: 3,
        total_tokens: 57,
      },
    });
    const body = fake.requests[0].body as Record<string, unknown>;
    expect(body).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: 'You are a test.' },
        { role: 'user', content: 'hello' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(fake.requests[0].path).toBe('/v1/chat/completions');
  });

  const shapes: ChatToolCallShape[] = ['indexed', 'interleaved', 'no-index', 'one-chunk', 'single-delta'];
  for (const shape of shapes) {
    it(`assembles two tool calls sent as "${shape}"`, async () => {
      fake.enqueue({
        toolCallShape: shape,
        steps: [
          { type: 'tool_call', name: 'shell', arguments: { command: ['ls', '-la'] }, callId: 'a' },
          { type: 'tool_call', name: 'read_file', arguments: { path: '/etc/hosts' }, callId: 'b' },
        ],
      });
      const { events, error } = await stream();
      expect(error).toBeUndefined();
      expect(doneItems(events)).toEqual([
        { type: 'function_call', name: 'shell', arguments: '{"command":["ls","-la"]}', call_id: 'a' },
        { type: 'function_call', name: 'read_file', arguments: '{"path":"/etc/hosts"}', call_id: 'b' },
      ]);
      expect(events.at(-1)?.type).toBe('completed');
    });
  }

  it('passes arguments that are not JSON through verbatim', async () => {
    fake.enqueue({
      steps: [
        { type: 'tool_call', name: 'shell', arguments: '<parameter=command>ls</parameter>', callId: 'x' },
      ],
    });
    const { events, error } = await stream();
    expect(error).toBeUndefined();
    expect(doneItems(events)).toEqual([
      { type: 'function_call', name: 'shell', arguments: '<parameter=command>ls</parameter>', call_id: 'x' },
    ]);
  });

  it('reads content sent as an array of parts', async () => {
    fake.enqueue({ contentShape: 'parts', steps: [{ type: 'text', text: 'in parts please' }] });
    const { events } = await stream();
    expect(textOf(events)).toBe('in parts please');
  });

  for (const field of ['reasoning', 'reasoning_content'] as const) {
    it(`reads delta.${field} and replays it under the same name on the next request`, async () => {
      fake.enqueue(
        {
          reasoningField: field,
          steps: [
            { type: 'reasoning', content: 'plan' },
            { type: 'tool_call', name: 'shell', arguments: {}, callId: 'c1' },
          ],
        },
        { steps: [{ type: 'text', text: 'done' }] },
      );
      const c = client(provider({ quirks: field === 'reasoning' ? 'deepseek' : 'ollama' }));
      const first = await run(c.stream(makePrompt(), { model: 'm' }, signal()));
      expect(first.events.filter((e) => e.type === 'reasoning_content_delta').length).toBeGreaterThan(0);
      const history = [
        ...makePrompt().input,
        ...doneItems(first.events),
        { type: 'function_call_output' as const, call_id: 'c1', output: 'ok' },
      ];
      await run(c.stream(makePrompt({ input: history }), { model: 'm' }, signal()));
      const messages = (fake.requests[1].body as { messages: Record<string, unknown>[] }).messages;
      expect(messages[2]).toEqual({
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'shell', arguments: '{}' } }],
        [field]: 'plan',
      });
      expect(messages[3]).toEqual({ role: 'tool', tool_call_id: 'c1', content: 'ok' });
    });
  }

  it('completes on a bare EOF without [DONE] and without finish_reason', async () => {
    fake.enqueue({ end: 'eof', finishReason: null, steps: [{ type: 'text', text: 'no done marker' }] });
    const { events, error } = await stream();
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('no done marker');
    expect(events.at(-1)?.type).toBe('completed');
  });

  it('completes when the server cuts the connection after finish_reason', async () => {
    // The fake plays a cut before its own finish chunk, so the finish chunk is scripted by hand.
    fake.setHandler(() => ({
      steps: [
        {
          type: 'raw',
          data: JSON.stringify({
            id: 'r',
            choices: [{ index: 0, delta: { content: 'all said' }, finish_reason: 'stop' }],
          }),
        },
        { type: 'cut' },
      ],
    }));
    const { events, error } = await stream({ streamMaxRetries: 0 });
    fake.setHandler(undefined);
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('all said');
    expect(fake.requests.length).toBe(1);
  });

  for (const reason of ['length', 'content_filter'] as const) {
    it(`keeps the partial answer of finish_reason ${reason} and marks the response incomplete`, async () => {
      fake.enqueue({ finishReason: reason, steps: [{ type: 'text', text: 'a cut answ' }] });
      const { events, error } = await stream();
      expect(error).toBeUndefined();
      expect(doneItems(events)).toEqual([
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a cut answ' }] },
      ]);
      expect(events.at(-1)).toMatchObject({ type: 'completed', incomplete: { reason } });
      expect(fake.requests).toHaveLength(1);
    });
  }

  it('classifies a 400 "maximum context length" from vLLM as context_window_exceeded', async () => {
    fake.enqueue({
      status: 400,
      body: {
        object: 'error',
        message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
        code: 400,
      },
    });
    const { error } = await stream();
    expect(error).toMatchObject({ kind: 'context_window_exceeded', status: 400 });
  });

  it('classifies an error chunk mid-stream and retries it', async () => {
    fake.enqueue(
      {
        steps: [
          { type: 'text', text: 'half' },
          { type: 'failed', message: 'model crashed' },
        ],
      },
      { steps: [{ type: 'text', text: 'whole' }] },
    );
    const { events, error } = await stream();
    expect(error).toBeUndefined();
    expect(events.find((e) => e.type === 'retrying')).toMatchObject({
      message: expect.stringContaining('model crashed'),
    });
    expect(doneItems(events).at(-1)).toMatchObject({ content: [{ text: 'whole' }] });
  });

  it('drops stream_options for the session once the server rejects it', async () => {
    const strict = await startFakeModelServer({ chatStreamOptions: 'reject' });
    try {
      strict.enqueue({ steps: [{ type: 'text', text: 'a' }] }, { steps: [{ type: 'text', text: 'b' }] });
      const c = client(makeProvider({ baseUrl: strict.url }));
      expect(textOf((await run(c.stream(makePrompt(), { model: 'm' }, signal()))).events)).toBe('a');
      expect(textOf((await run(c.stream(makePrompt(), { model: 'm' }, signal()))).events)).toBe('b');
      const sent = strict.requests.map((r) => 'stream_options' in (r.body as object));
      expect(sent).toEqual([true, false, false]);
    } finally {
      await strict.close();
    }
  });

  it('accepts a whole non-streamed chat.completion body', async () => {
    fake.enqueue({
      status: 200,
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              reasoning_content: 'hmm',
              tool_calls: [
                {
                  id: 'call_9',
                  type: 'function',
                  function: { name: 'shell', arguments: '{"command":["pwd"]}' },
                },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
      },
    });
    const { events, error } = await stream();
    expect(error).toBeUndefined();
    expect(doneItems(events)).toEqual([
      { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'hmm' }] },
      { type: 'function_call', name: 'shell', arguments: '{"command":["pwd"]}', call_id: 'call_9' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'completed', usage: { total_tokens: 10 } });
  });

  it('offers freeform tools as {input} functions and returns their calls as custom tool calls', async () => {
    fake.enqueue({
      steps: [
        {
          type: 'tool_call',
          name: 'apply_patch',
          arguments: { input: '*** Begin Patch\n*** End Patch' },
          callId: 'p',
        },
      ],
    });
    const prompt = makePrompt({
      tools: [
        {
          type: 'custom',
          name: 'apply_patch',
          description: 'Patch files.',
          format: { type: 'grammar', syntax: 'lark', definition: 'start: "x"' },
        },
      ],
    });
    const { events } = await stream({}, prompt);
    expect(doneItems(events)).toEqual([
      {
        type: 'custom_tool_call',
        call_id: 'p',
        name: 'apply_patch',
        input: '*** Begin Patch\n*** End Patch',
      },
    ]);
    const tools = (fake.requests[0].body as { tools: { function: { name: string; parameters: unknown } }[] })
      .tools;
    expect(tools[0].function.name).toBe('apply_patch');
    expect(tools[0].function.parameters).toMatchObject({ required: ['input'] });
  });

  it('idles out a stalled stream and survives keep-alives', async () => {
    fake.enqueue({ steps: [{ type: 'stall', ms: 5_000 }] });
    expect((await stream({ streamIdleTimeoutMs: 200, streamMaxRetries: 0 })).error).toMatchObject({
      kind: 'idle_timeout',
    });
    fake.enqueue({
      steps: [
        { type: 'keepalive', count: 15, intervalMs: 100 },
        { type: 'text', text: 'ok' },
      ],
    });
    const kept = await stream({ streamIdleTimeoutMs: 1_000, streamMaxRetries: 0 });
    expect(kept.error).toBeUndefined();
    expect(textOf(kept.events)).toBe('ok');
  });
});
