// The Responses wire end to end over real HTTP against the fake server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/providers/errors.js';
import { type FakeModelServer, startFakeModelServer } from '../fake-model/server.js';
import { client, doneItems, makeFamily, makePrompt, makeProvider, run, textOf } from './helpers.js';

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setHandler(undefined);
});

const provider = (over = {}) => makeProvider({ baseUrl: fake.url, wireApi: 'responses', ...over });
const signal = () => new AbortController().signal;

describe('Responses wire', () => {
  it('streams text, reasoning, tool calls and usage, with final items only from output_item.done', async () => {
    fake.enqueue({
      steps: [
        { type: 'reasoning', summary: 'thinking about it', content: 'raw thoughts', encryptedContent: 'enc' },
        { type: 'text', text: 'Hello there world' },
        { type: 'tool_call', name: 'shell', arguments: { command: ['ls'] }, callId: 'call_1' },
        {
          type: 'custom_tool_call',
          name: 'apply_patch',
          input: '*** Begin Patch\n*** End Patch',
          callId: 'call_2',
        },
        { type: 'usage', input: 100, cached: 40, output: 20, reasoning: 5 },
      ],
    });
    const { events, error } = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(error).toBeUndefined();
    expect(events[0]).toEqual({ type: 'created' });
    expect(textOf(events)).toBe('Hello there world');
    expect(events.filter((e) => e.type === 'output_text_delta').length).toBe(3);
    expect(
      events
        .filter((e) => e.type === 'reasoning_summary_delta')
        .map((e) => 'delta' in e && e.delta)
        .join(''),
    ).toBe('thinking about it');
    expect(events.some((e) => e.type === 'reasoning_content_delta')).toBe(true);
    expect(doneItems(events)).toEqual([
      {
        type: 'reasoning',
        id: expect.any(String),
        summary: [{ type: 'summary_text', text: 'thinking about it' }],
        content: [{ type: 'reasoning_text', text: 'raw thoughts' }],
        encrypted_content: 'enc',
      },
      {
        type: 'message',
        id: expect.any(String),
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello there world' }],
      },
      {
        type: 'function_call',
        id: expect.any(String),
        name: 'shell',
        arguments: '{"command":["ls"]}',
        call_id: 'call_1',
      },
      {
        type: 'custom_tool_call',
        id: expect.any(String),
        status: 'completed',
        call_id: 'call_2',
        name: 'apply_patch',
        input: '*** Begin Patch\n*** End Patch',
      },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'completed',
      responseId: 'resp_1',
      usage: {
        input_tokens: 100,
        cached_input_tokens: 40,
        output_tokens: 20,
        reasoning_output_tokens: 5,
        total_tokens: 120,
      },
    });
  });

  it('sends the reference body and headers; ids stripped, store false', async () => {
    fake.enqueue({ steps: [{ type: 'text', text: 'ok' }] });
    const family = makeFamily({
      supportsReasoningSummaries: true,
      supportsVerbosity: true,
      defaultReasoningEffort: 'medium',
    });
    const prompt = makePrompt({
      input: [
        { type: 'message', id: 'msg_1', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
        { type: 'function_call', id: 'fc_1', name: 'shell', arguments: '{}', call_id: 'c1' },
        { type: 'function_call_output', call_id: 'c1', output: 'done' },
      ],
      tools: [
        {
          type: 'function',
          name: 'shell',
          description: 'run',
          strict: false,
          parameters: { type: 'object' },
        },
      ],
      outputSchema: { type: 'object', properties: {} },
    });
    const { error } = await run(
      client(provider(), { family, originator: 'conduit_exec', version: '1.2.3' }).stream(
        prompt,
        { model: 'gpt-x', reasoningSummary: 'concise', verbosity: 'low' },
        signal(),
      ),
    );
    expect(error).toBeUndefined();
    const req = fake.requests[0];
    expect(req.path).toBe('/v1/responses');
    expect(req.body).toEqual({
      model: 'gpt-x',
      instructions: 'You are a test.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
        { type: 'function_call', name: 'shell', arguments: '{}', call_id: 'c1' },
        { type: 'function_call_output', call_id: 'c1', output: 'done' },
      ],
      tools: prompt.tools,
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: { effort: 'medium', summary: 'concise' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'sess-1',
      text: {
        verbosity: 'low',
        format: {
          type: 'json_schema',
          strict: true,
          schema: { type: 'object', properties: {} },
          name: 'codex_output_schema',
        },
      },
    });
    expect(req.headers.session_id).toBe('sess-1');
    expect(req.headers.conversation_id).toBe('sess-1');
    expect(req.headers.originator).toBe('conduit_exec');
    expect(req.headers['user-agent']).toMatch(/^conduit_exec\/1\.2\.3 \(/);
    expect(req.headers.accept).toBe('text/event-stream');
  });

  it('on Azure keeps item ids and sets store: true', async () => {
    fake.enqueue({ steps: [{ type: 'text', text: 'ok' }] });
    const prompt = makePrompt({
      input: [{ type: 'message', id: 'msg_1', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
    });
    await run(client(provider({ name: 'Azure' })).stream(prompt, { model: 'm' }, signal()));
    const body = fake.requests[0].body as { store: boolean; input: { id?: string }[] };
    expect(body.store).toBe(true);
    expect(body.input[0].id).toBe('msg_1');
  });

  it('skips malformed events and survives keep-alive comments', async () => {
    fake.enqueue({
      steps: [{ type: 'keepalive', count: 3 }, { type: 'malformed' }, { type: 'text', text: 'fine' }],
    });
    const { events, error } = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('fine');
  });

  it('retries a 429 honouring retry-after-ms, then a 500, then succeeds', async () => {
    fake.enqueue(
      {
        status: 429,
        headers: { 'retry-after-ms': '30' },
        body: { error: { message: 'Rate limit reached', type: 'requests' } },
      },
      { status: 500, body: 'upstream exploded' },
      { steps: [{ type: 'text', text: 'finally' }] },
    );
    const { events, error } = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(error).toBeUndefined();
    const retries = events.filter((e) => e.type === 'retrying');
    expect(retries).toMatchObject([
      { attempt: 1, max: 4, delayMs: 30 },
      { attempt: 2, max: 4 },
    ]);
    expect(retries[1].type === 'retrying' && retries[1].message).toContain('upstream exploded');
    expect(textOf(events)).toBe('finally');
    expect(fake.requests.length).toBe(3);
  });

  it('gives up after request_max_retries with the last server message', async () => {
    fake.enqueue(
      { status: 503, body: { error: { message: 'overloaded' } } },
      { status: 503, body: { error: { message: 'overloaded' } } },
    );
    const { error } = await run(
      client(provider({ requestMaxRetries: 1 })).stream(makePrompt(), { model: 'm' }, signal()),
    );
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'http', status: 503 });
    expect(error?.message).toContain('overloaded');
    expect(fake.requests.length).toBe(2);
  });

  it('fails at once on a 400 with the server message', async () => {
    fake.enqueue({
      status: 400,
      body: { error: { message: "Invalid value: 'foo'", type: 'invalid_request_error' } },
    });
    const { error } = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(error).toMatchObject({ kind: 'http', status: 400, retryable: false });
    expect(error?.message).toContain("Invalid value: 'foo'");
    expect(fake.requests.length).toBe(1);
  });

  it('re-runs the request after a stream cut mid-way, voiding what streamed', async () => {
    fake.enqueue(
      { steps: [{ type: 'text', text: 'partial answer' }, { type: 'cut' }] },
      { steps: [{ type: 'text', text: 'whole answer' }] },
    );
    const { events, error } = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(error).toBeUndefined();
    const retry = events.findIndex((e) => e.type === 'retrying');
    expect(events[retry]).toMatchObject({ type: 'retrying', attempt: 1, max: 5 });
    expect(textOf(events.slice(retry))).toBe('whole answer');
    expect(doneItems(events.slice(retry))).toHaveLength(1);
  });

  it('treats an EOF without response.completed as a broken stream', async () => {
    fake.enqueue(
      { steps: [{ type: 'text', text: 'x' }], end: 'eof' },
      { steps: [{ type: 'text', text: 'x' }], end: 'eof' },
    );
    const { error } = await run(
      client(provider({ streamMaxRetries: 1 })).stream(makePrompt(), { model: 'm' }, signal()),
    );
    expect(error).toMatchObject({ kind: 'stream' });
    expect(error?.message).toContain('stream closed before response.completed');
  });

  it('times out a silent stream but not one kept alive by comments', async () => {
    fake.enqueue({
      steps: [
        { type: 'stall', ms: 5_000 },
        { type: 'text', text: 'late' },
      ],
    });
    const silent = await run(
      client(provider({ streamIdleTimeoutMs: 200, streamMaxRetries: 0 })).stream(
        makePrompt(),
        { model: 'm' },
        signal(),
      ),
    );
    expect(silent.error).toMatchObject({ kind: 'idle_timeout' });

    // 15 keep-alives 100 ms apart span 1.4 s, well past the 1 s idle limit, yet none is idle for long.
    fake.enqueue({
      steps: [
        { type: 'keepalive', count: 15, intervalMs: 100 },
        { type: 'text', text: 'slow prefill done' },
      ],
    });
    const kept = await run(
      client(provider({ streamIdleTimeoutMs: 1_000, streamMaxRetries: 0 })).stream(
        makePrompt(),
        { model: 'm' },
        signal(),
      ),
    );
    expect(kept.error).toBeUndefined();
    expect(textOf(kept.events)).toBe('slow prefill done');
  });

  it('classifies response.failed codes', async () => {
    fake.enqueue({
      steps: [
        { type: 'failed', code: 'context_length_exceeded', message: 'Your input exceeds the context window' },
      ],
    });
    const ctx = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(ctx.error).toMatchObject({ kind: 'context_window_exceeded', retryable: false });

    fake.enqueue({
      steps: [{ type: 'failed', code: 'insufficient_quota', message: 'You exceeded your current quota' }],
    });
    const quota = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(quota.error).toMatchObject({ kind: 'quota_exceeded' });
    expect(fake.requests.length).toBe(2);

    fake.enqueue(
      {
        steps: [
          {
            type: 'failed',
            code: 'rate_limit_exceeded',
            message: 'Rate limit reached. Please try again in 25ms.',
          },
        ],
      },
      { steps: [{ type: 'text', text: 'ok' }] },
    );
    const rate = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(rate.error).toBeUndefined();
    expect(rate.events.find((e) => e.type === 'retrying')).toMatchObject({ delayMs: 25 });
  });

  it('keeps the partial answer of response.incomplete and marks the response incomplete', async () => {
    fake.enqueue({
      incomplete: 'max_output_tokens',
      steps: [
        { type: 'text', text: 'first part' },
        { type: 'text', text: 'and then it stop' },
        { type: 'usage', input: 9, output: 16 },
      ],
    });
    const { events, error } = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(error).toBeUndefined();
    expect(doneItems(events).map((item) => item.type === 'message' && item.content)).toEqual([
      [{ type: 'output_text', text: 'first part' }],
      [{ type: 'output_text', text: 'and then it stop' }],
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'completed',
      incomplete: { reason: 'max_output_tokens' },
      usage: { input_tokens: 9, output_tokens: 16 },
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('ends the attempt with the message of a bare {"error": …} event mid-stream', async () => {
    fake.enqueue({
      steps: [
        { type: 'text', text: 'half' },
        {
          type: 'raw',
          data: JSON.stringify({ error: { message: 'upstream model crashed', code: 'server_error' } }),
        },
      ],
    });
    fake.enqueue({ steps: [{ type: 'text', text: 'second try' }] });
    const { events, error } = await run(
      client(provider({ streamMaxRetries: 1 })).stream(makePrompt(), { model: 'm' }, signal()),
    );
    expect(error).toBeUndefined();
    expect(events.find((e) => e.type === 'retrying')).toMatchObject({
      message: expect.stringContaining('upstream model crashed'),
    });
    expect(textOf(events)).toContain('second try');
  });

  it('classifies 429 bodies: usage limit, not included, quota, and plain rate limits', async () => {
    fake.enqueue({
      status: 429,
      body: {
        error: { type: 'usage_limit_reached', message: 'limit', plan_type: 'plus', resets_at: 1_900_000_000 },
      },
    });
    const usage = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(usage.error).toMatchObject({
      kind: 'usage_limit_reached',
      planType: 'plus',
      resetsAt: 1_900_000_000,
    });

    fake.enqueue({ status: 429, body: { error: { type: 'usage_not_included', message: 'nope' } } });
    expect(
      (await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()))).error,
    ).toMatchObject({
      kind: 'usage_not_included',
    });

    fake.enqueue({ status: 429, body: { error: { code: 'insufficient_quota', message: 'quota' } } });
    expect(
      (await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()))).error,
    ).toMatchObject({
      kind: 'quota_exceeded',
    });

    fake.enqueue({ status: 429, body: { error: { message: 'Please try again in 40ms' } } });
    const limited = await run(
      client(provider({ requestMaxRetries: 0 })).stream(makePrompt(), { model: 'm' }, signal()),
    );
    expect(limited.error).toMatchObject({ kind: 'rate_limited', delayMs: 40, retryable: true });
  });

  it('accepts a non-streamed JSON body from a server that ignores stream: true', async () => {
    fake.enqueue({
      status: 200,
      body: {
        id: 'resp_json',
        output: [
          { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'all at once' }] },
        ],
        usage: { input_tokens: 3, output_tokens: 4 },
      },
    });
    const { events, error } = await run(client(provider()).stream(makePrompt(), { model: 'm' }, signal()));
    expect(error).toBeUndefined();
    expect(doneItems(events)).toEqual([
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'all at once' }] },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'completed',
      responseId: 'resp_json',
      usage: { total_tokens: 7 },
    });
  });

  it('stops at once when the caller aborts, even mid-backoff', async () => {
    fake.enqueue({ status: 500, headers: { 'retry-after': '60' }, body: 'down' });
    const controller = new AbortController();
    const events: string[] = [];
    const stream = client(provider()).stream(makePrompt(), { model: 'm' }, controller.signal);
    const failure = (async () => {
      for await (const e of stream) {
        events.push(e.type);
        if (e.type === 'retrying') controller.abort();
      }
    })();
    await expect(failure).rejects.toMatchObject({ kind: 'interrupted' });
    expect(events).toEqual(['retrying']);
  });
});
