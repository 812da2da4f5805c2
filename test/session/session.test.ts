// The agent loop end to end over real HTTP: a Session talking to the fake model server through the real
// provider client, running real tools.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Event, EventMsg } from '../../src/protocol/events.js';
import { createModelClient } from '../../src/providers/index.js';
import { builtinTools } from '../../src/session/builtin-tools.js';
import { SUMMARY_PREFIX } from '../../src/session/compact.js';
import { readRollout } from '../../src/session/resume.js';
import { NON_INTERACTIVE_DENIAL, Session } from '../../src/session/session.js';
import { type FakeModelServer, startFakeModelServer } from '../fake-model/server.js';
import { fakeConfig } from './helpers.js';

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setHandler(undefined);
});

async function newSession(
  opts: { extra?: string; overrides?: string[]; interactiveApprovals?: boolean } = {},
) {
  const config = await fakeConfig(fake.url, { extra: opts.extra, overrides: opts.overrides });
  const tools = builtinTools();
  const session = Session.create({
    config,
    createClient: (s, id) => createModelClient(s.provider, { sessionId: id, family: s.family }),
    createTools: tools.createTools,
    dispose: tools.dispose,
    interactiveApprovals: opts.interactiveApprovals,
  });
  return { session, config };
}

/** Reads events until one matches `stop` (inclusive). */
async function until(session: Session, stop: (msg: EventMsg) => boolean): Promise<Event[]> {
  const seen: Event[] = [];
  for (;;) {
    const event = await session.nextEvent();
    if (!event) throw new Error(`event stream ended; saw ${seen.map((e) => e.msg.type).join(', ')}`);
    seen.push(event);
    if (stop(event.msg)) return seen;
  }
}
const turnEnd = (msg: EventMsg) => msg.type === 'task_complete' || msg.type === 'turn_aborted';
const types = (events: Event[]) => events.map((e) => e.msg.type);
const text = (t: string) => [{ type: 'text' as const, text: t }];

type Body = { model: string; input: Record<string, unknown>[]; tools: { name?: string }[] };
const body = (i: number) => fake.requests.filter((r) => r.wire === 'responses')[i].body as Body;
/** Tool outputs sent back to the model; the shell tool's JSON envelope is reduced to its output text. */
const outputsOf = (b: Body) =>
  b.input
    .filter((item) => item.type === 'function_call_output')
    .map((item) => {
      const output = String(item.output);
      return [item.call_id, output.startsWith('{"output"') ? JSON.parse(output).output : output];
    });

describe('session turn loop', () => {
  it('runs shell → plan → answer, feeding each output back, and accounts tokens', async () => {
    fake.enqueue(
      {
        steps: [
          { type: 'tool_call', name: 'shell', callId: 'c1', arguments: { command: ['echo', 'hi there'] } },
          { type: 'usage', input: 100, output: 10 },
        ],
      },
      {
        steps: [
          {
            type: 'tool_call',
            name: 'update_plan',
            callId: 'c2',
            arguments: { plan: [{ step: 'say hi', status: 'completed' }] },
          },
          { type: 'usage', input: 150, output: 5 },
        ],
      },
      {
        steps: [
          { type: 'reasoning', summary: 'all good' },
          { type: 'text', text: 'Done: hi there' },
          { type: 'usage', input: 200, cached: 50, output: 7 },
        ],
      },
    );
    const { session } = await newSession();
    expect((await session.nextEvent())?.msg.type).toBe('session_configured');
    const id = session.submit({ type: 'user_input', items: text('say hi') });
    const events = await until(session, turnEnd);
    expect(events.every((e) => e.id === id)).toBe(true);
    const kinds = types(events).filter((t) => !t.endsWith('_delta'));
    expect(kinds).toEqual([
      'task_started',
      'user_message',
      'token_count',
      'exec_command_begin',
      'exec_command_end',
      'token_count',
      'plan_update',
      'agent_reasoning',
      'agent_message',
      'token_count',
      'task_complete',
    ]);
    expect(events.at(-1)?.msg).toEqual({ type: 'task_complete', last_agent_message: 'Done: hi there' });
    const lastCount = events.filter((e) => e.msg.type === 'token_count').at(-1)?.msg;
    expect(lastCount).toMatchObject({
      info: { total_token_usage: { input_tokens: 450, cached_input_tokens: 50, output_tokens: 22 } },
    });
    expect(outputsOf(body(1))).toEqual([['c1', 'hi there\n']]);
    expect(outputsOf(body(2))).toEqual([
      ['c1', 'hi there\n'],
      ['c2', 'Plan updated'],
    ]);
    const firstInput = body(0).input;
    expect(JSON.stringify(firstInput[0])).toContain('<environment_context>');
    expect(firstInput.at(-1)).toEqual({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'say hi' }],
    });
    expect(body(0).tools.map((t) => t.name)).toEqual(['shell', 'update_plan', 'apply_patch']);
  });

  it('runs several calls from one response and returns every output in call order', async () => {
    fake.enqueue(
      {
        steps: [
          { type: 'tool_call', name: 'shell', callId: 'a', arguments: { command: ['echo', 'one'] } },
          { type: 'tool_call', name: 'shell', callId: 'b', arguments: { command: ['echo', 'two'] } },
          { type: 'tool_call', name: 'update_plan', callId: 'c', arguments: { plan: [] } },
        ],
      },
      { steps: text('ok') },
    );
    const { session } = await newSession();
    session.submit({ type: 'user_input', items: text('go') });
    await until(session, turnEnd);
    expect(outputsOf(body(1))).toEqual([
      ['a', 'one\n'],
      ['b', 'two\n'],
      ['c', 'Plan updated'],
    ]);
  });

  it('applies a patch and reports the turn diff', async () => {
    const patch = '*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n';
    fake.enqueue(
      { steps: [{ type: 'tool_call', name: 'apply_patch', callId: 'p', arguments: { input: patch } }] },
      { steps: text('written') },
    );
    const { session, config } = await newSession();
    session.submit({ type: 'user_input', items: text('write hello') });
    const events = await until(session, turnEnd);
    expect(types(events)).toEqual(
      expect.arrayContaining(['patch_apply_begin', 'patch_apply_end', 'turn_diff']),
    );
    expect(readFileSync(join(config.cwd, 'hello.txt'), 'utf8')).toBe('hello\n');
    const diff = events.find((e) => e.msg.type === 'turn_diff')?.msg as { unified_diff: string };
    expect(diff.unified_diff).toContain('+hello');
  });

  it('answers malformed arguments and unknown tools to the model and carries on', async () => {
    fake.enqueue(
      {
        steps: [
          { type: 'tool_call', name: 'update_plan', callId: 'bad', arguments: '{"plan": [' },
          { type: 'tool_call', name: 'frobnicate', callId: 'unknown', arguments: {} },
        ],
      },
      { steps: text('sorry') },
    );
    const { session } = await newSession();
    session.submit({ type: 'user_input', items: text('go') });
    const events = await until(session, turnEnd);
    expect(events.at(-1)?.msg).toEqual({ type: 'task_complete', last_agent_message: 'sorry' });
    const outputs = outputsOf(body(1));
    expect(outputs[0][0]).toBe('bad');
    expect(outputs[0][1]).toMatch(/^failed to parse function arguments for update_plan: /);
    expect(outputs[1]).toEqual(['unknown', 'unsupported call: frobnicate']);
  });

  it('interrupts a running tool, records an output for it, and the next turn works', async () => {
    fake.enqueue(
      { steps: [{ type: 'tool_call', name: 'shell', callId: 's', arguments: { command: ['sleep', '30'] } }] },
      { steps: text('next answer') },
    );
    const { session } = await newSession();
    session.submit({ type: 'user_input', items: text('sleep') });
    await until(session, (m) => m.type === 'exec_command_begin');
    session.submit({ type: 'interrupt' });
    const events = await until(session, turnEnd);
    expect(events.at(-1)?.msg).toEqual({ type: 'turn_aborted', reason: 'interrupted' });
    session.submit({ type: 'user_input', items: text('again') });
    const next = await until(session, turnEnd);
    expect(next.at(-1)?.msg).toEqual({ type: 'task_complete', last_agent_message: 'next answer' });
    expect(outputsOf(body(1))).toEqual([['s', 'aborted: the user interrupted the turn']]);
  });

  it('interrupts a model stream that is still running', async () => {
    fake.enqueue({
      steps: [
        { type: 'text', text: 'partial' },
        { type: 'stall', ms: 20_000 },
        { type: 'text', text: 'never' },
      ],
    });
    const { session } = await newSession();
    session.submit({ type: 'user_input', items: text('talk') });
    await until(session, (m) => m.type === 'agent_message_delta');
    session.submit({ type: 'interrupt' });
    const events = await until(session, turnEnd);
    expect(events.at(-1)?.msg.type).toBe('turn_aborted');
  });

  it('switches model and cwd mid-session, telling the model only what changed', async () => {
    fake.enqueue({ steps: text('first') }, { steps: text('second') }, { steps: text('third') });
    const { session, config } = await newSession();
    session.submit({ type: 'user_input', items: text('one') });
    await until(session, turnEnd);
    const newCwd = join(config.cwd, 'sub');
    mkdirSync(newCwd);
    session.submit({ type: 'override_turn_context', model: 'gpt-5-codex', cwd: newCwd });
    session.submit({ type: 'user_input', items: text('two') });
    await until(session, turnEnd);
    expect(body(0).model).toBe('fake-model');
    expect(body(1).model).toBe('gpt-5-codex');
    // The gpt-5-codex family takes apply_patch as a freeform tool: the tool list was rebuilt.
    expect(body(1).tools.find((t) => t.name === 'apply_patch')).toMatchObject({ type: 'custom' });
    const appended = body(1).input.slice(body(0).input.length + 1);
    expect(appended[0]).toEqual({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: `<environment_context>\n  <cwd>${newCwd}</cwd>\n</environment_context>` },
      ],
    });
    session.submit({
      type: 'user_turn',
      items: text('three'),
      model: 'fake-model',
      sandbox_policy: { type: 'read-only' },
    });
    await until(session, turnEnd);
    expect(body(2).model).toBe('fake-model');
    expect(JSON.stringify(body(2).input.at(-2))).toContain('<sandbox_mode>read-only</sandbox_mode>');
  });

  it('compacts automatically at model_auto_compact_token_limit and on the compact op', async () => {
    fake.enqueue(
      {
        steps: [
          { type: 'tool_call', name: 'update_plan', callId: 'p', arguments: { plan: [] } },
          { type: 'usage', input: 5000, output: 10 },
        ],
      },
      {
        steps: [
          { type: 'text', text: 'SUMMARY ONE' },
          { type: 'usage', input: 10, output: 3 },
        ],
      },
      {
        steps: [
          { type: 'text', text: 'finished' },
          { type: 'usage', input: 20, output: 3 },
        ],
      },
      { steps: [{ type: 'text', text: 'SUMMARY TWO' }] },
    );
    const { session: compacting } = await newSession({ extra: 'model_auto_compact_token_limit = 1000' });
    compacting.submit({ type: 'user_input', items: text('big task') });
    const events = await until(compacting, turnEnd);
    expect(types(events)).toContain('context_compacted');
    expect(events.at(-1)?.msg).toEqual({ type: 'task_complete', last_agent_message: 'finished' });
    const summaryRequest = body(1);
    expect(summaryRequest.tools).toEqual([]);
    expect(JSON.stringify(summaryRequest.input.at(-1))).toContain('handoff summary');
    const afterCompaction = body(2).input.map((item) => JSON.stringify(item));
    expect(afterCompaction.some((s) => s.includes('big task'))).toBe(true);
    expect(afterCompaction.some((s) => s.includes(SUMMARY_PREFIX) && s.includes('SUMMARY ONE'))).toBe(true);
    expect(afterCompaction.some((s) => s.includes('"function_call"'))).toBe(false);

    compacting.submit({ type: 'compact' });
    const manual = await until(compacting, turnEnd);
    expect(types(manual)).toEqual(['task_started', 'context_compacted', 'task_complete']);
    const history = compacting.getHistory().map((item) => JSON.stringify(item));
    expect(history.at(-1)).toContain('SUMMARY TWO');
    const resumed = readRollout(compacting.rolloutPath);
    expect(resumed.history).toEqual(compacting.getHistory());
  });

  it('reports a retried stream as stream_error and keeps only the attempt that completed', async () => {
    fake.enqueue(
      { steps: [{ type: 'text', text: 'lost words' }, { type: 'cut' }] },
      { steps: text('whole answer') },
    );
    const { session } = await newSession();
    session.submit({ type: 'user_input', items: text('hi') });
    const events = await until(session, turnEnd);
    const streamError = events.find((e) => e.msg.type === 'stream_error')?.msg;
    expect(streamError).toMatchObject({ type: 'stream_error' });
    expect((streamError as { message: string }).message).toMatch(/^Reconnecting… 1\/2/);
    expect(events.at(-1)?.msg).toEqual({ type: 'task_complete', last_agent_message: 'whole answer' });
    const assistant = session
      .getHistory()
      .filter((item) => item.type === 'message' && item.role === 'assistant');
    expect(assistant).toHaveLength(1);
  });

  it('turns a model failure into an error event and ends the turn', async () => {
    fake.enqueue({
      status: 400,
      body: { error: { message: 'bad model name', type: 'invalid_request_error' } },
    });
    const { session } = await newSession();
    session.submit({ type: 'user_input', items: text('hi') });
    const events = await until(session, turnEnd);
    expect(types(events).slice(-2)).toEqual(['error', 'task_complete']);
    expect(JSON.stringify(events.at(-2)?.msg)).toContain('bad model name');
  });
});

describe('approvals', () => {
  const dangerousCall = (command: string[]) => ({
    steps: [{ type: 'tool_call' as const, name: 'shell', callId: 'ask', arguments: { command } }],
  });

  it('asks the front end and waits for the matching exec_approval', async () => {
    fake.enqueue(dangerousCall(['rm', '-rf', 'nothing-here']), { steps: text('ran it') });
    const { session } = await newSession({ overrides: ['approval_policy="on-request"'] });
    session.submit({ type: 'user_input', items: text('go') });
    const asked = await until(session, (m) => m.type === 'exec_approval_request');
    expect(asked.at(-1)?.msg).toMatchObject({
      type: 'exec_approval_request',
      call_id: 'ask',
      command: ['rm', '-rf', 'nothing-here'],
    });
    session.submit({ type: 'exec_approval', id: 'ask', decision: 'approved' });
    const events = await until(session, turnEnd);
    expect(events.find((e) => e.msg.type === 'exec_command_end')?.msg).toMatchObject({ exit_code: 0 });
    expect(outputsOf(body(1))).toEqual([['ask', '']]);
  });

  it('denies at once without a human, warns, and tells the model why', async () => {
    fake.enqueue(dangerousCall(['rm', '-rf', 'x']), { steps: text('ok') });
    const { session } = await newSession({
      interactiveApprovals: false,
      overrides: ['approval_policy="on-request"'],
    });
    session.submit({ type: 'user_input', items: text('go') });
    const events = await until(session, turnEnd);
    expect(events.find((e) => e.msg.type === 'warning')?.msg).toEqual({
      type: 'warning',
      message: `${NON_INTERACTIVE_DENIAL} (command rm -rf x)`,
    });
    expect(types(events)).not.toContain('exec_command_begin');
    expect(outputsOf(body(1))).toEqual([['ask', `${NON_INTERACTIVE_DENIAL}\nexec command rejected by user`]]);
  });
});

describe('resume', () => {
  it('resumes a session from its rollout with the same id, history and messages', async () => {
    fake.enqueue(
      {
        steps: [
          { type: 'text', text: 'remembered' },
          { type: 'usage', input: 10, output: 2 },
        ],
      },
      { steps: text('again') },
    );
    const { session, config } = await newSession();
    const first = await session.nextEvent();
    session.submit({ type: 'user_input', items: text('remember this') });
    await until(session, turnEnd);
    session.submit({ type: 'shutdown' });
    await until(session, (m) => m.type === 'shutdown_complete');
    expect(await session.nextEvent()).toBeUndefined();

    const resumed = Session.create({
      config,
      createClient: (s, id) => createModelClient(s.provider, { sessionId: id, family: s.family }),
      createTools: builtinTools().createTools,
      resumePath: session.rolloutPath,
    });
    const configured = (await resumed.nextEvent())?.msg;
    expect(configured).toMatchObject({
      type: 'session_configured',
      session_id: (first!.msg as { session_id: string }).session_id,
      initial_messages: [
        { type: 'user_message', message: 'remember this' },
        { type: 'agent_message', message: 'remembered' },
      ],
    });
    expect(resumed.getHistory()).toEqual(session.getHistory());
    resumed.submit({ type: 'user_input', items: text('and now?') });
    const events = await until(resumed, turnEnd);
    expect(events.find((e) => e.msg.type === 'token_count')).toBeUndefined();
    // The resumed request carries the whole earlier conversation, and no repeated environment context.
    const input = body(1).input.map((item) => JSON.stringify(item));
    expect(input.filter((s) => s.includes('<environment_context>'))).toHaveLength(1);
    expect(input.some((s) => s.includes('remembered'))).toBe(true);
  });
});
