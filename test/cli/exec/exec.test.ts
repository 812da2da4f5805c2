// `conduit exec` as a process: the built binary against the fake model server over real HTTP.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { cleanEnv, finished, gitDir, runConduit, spawnConduit, tempDir } from './helpers.js';

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const KEY = 'sk-conduit-test-key-123456';
const base = () => ['exec', '--config', `openai_base_url="${fake.url}"`];
const setup = () => {
  const home = tempDir('conduit-home-');
  return { home, cwd: gitDir(), env: cleanEnv(home, { CODEX_API_KEY: KEY }) };
};
type Body = { input: Record<string, unknown>[]; text?: { format?: Record<string, unknown> } };
const bodies = () => fake.requests.filter((r) => r.wire === 'responses').map((r) => r.body as Body);

describe('conduit exec', () => {
  it('takes the prompt argument without reading stdin, and prints JSONL', async () => {
    fake.enqueue(
      {
        steps: [
          {
            type: 'tool_call',
            name: 'update_plan',
            callId: 'p',
            arguments: { plan: [{ step: 'answer', status: 'completed' }] },
          },
          { type: 'usage', input: 100, cached: 10, output: 5 },
        ],
      },
      {
        steps: [
          { type: 'text', text: 'the answer' },
          { type: 'usage', input: 200, cached: 20, output: 7 },
        ],
      },
    );
    const { cwd, env } = setup();
    // stdin is left open: exec must not wait for it.
    const result = await runConduit([...base(), '--json', 'what is it?'], { env, cwd });
    expect(result.code).toBe(0);
    const types = result.events.map((e) => e.type);
    expect(types).toEqual([
      'thread.started',
      'turn.started',
      'item.started',
      'item.completed',
      'item.completed',
      'turn.completed',
    ]);
    expect(result.events[2]).toEqual({
      type: 'item.started',
      item: { id: 'item_0', type: 'todo_list', items: [{ text: 'answer', completed: true }] },
    });
    expect(result.events[3]).toEqual({
      type: 'item.completed',
      item: { id: 'item_1', type: 'agent_message', text: 'the answer' },
    });
    expect(result.events.at(-1)).toEqual({
      type: 'turn.completed',
      usage: { input_tokens: 300, cached_input_tokens: 30, output_tokens: 12 },
    });
    expect(fake.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('keeps API keys and bearer tokens out of the rollout', async () => {
    fake.enqueue({ steps: [{ type: 'text', text: `echo: ${KEY} and Bearer abcdefghijklmnopqrstuv` }] });
    const { home, cwd, env } = setup();
    const result = await runConduit([...base(), '--json', `my key is ${KEY}`], { env, cwd });
    expect(result.code).toBe(0);
    const files = readdirSync(join(home, 'sessions'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    const rollout = readFileSync(join(home, 'sessions', files[0]), 'utf8');
    expect(rollout).toContain('my key is [REDACTED]');
    expect(rollout).not.toContain(KEY);
    expect(rollout).not.toContain('abcdefghijklmnopqrstuv');
  });

  it('reads the prompt from stdin when it is absent or "-", writes -o, and prints text otherwise', async () => {
    fake.enqueue(
      { steps: [{ type: 'text', text: 'from stdin' }] },
      { steps: [{ type: 'text', text: 'dash' }] },
    );
    const { cwd, env } = setup();
    const out = join(cwd, 'last.txt');
    const piped = await runConduit([...base(), '-o', out, '--color', 'never'], {
      env,
      cwd,
      input: 'prompt via stdin\n',
    });
    expect(piped.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('from stdin');
    expect(piped.stdout).toBe('from stdin\n');
    expect(piped.stderr).toContain('user\nprompt via stdin');
    expect(piped.stderr).not.toContain('\x1b[');
    expect(JSON.stringify(bodies()[0].input.at(-1))).toContain('prompt via stdin');
    const dash = await runConduit([...base(), '--json', '-'], { env, cwd, input: 'dash prompt' });
    expect(dash.code).toBe(0);
    expect(JSON.stringify(bodies()[1].input.at(-1))).toContain('dash prompt');
  });

  it('sends --output-schema as text.format', async () => {
    fake.enqueue({ steps: [{ type: 'text', text: '{"ok":true}' }] });
    const { cwd, env } = setup();
    const schemaPath = join(cwd, 'schema.json');
    const schema = {
      type: 'object',
      properties: { ok: { type: 'boolean' } },
      required: ['ok'],
      additionalProperties: false,
    };
    writeFileSync(schemaPath, JSON.stringify(schema));
    const result = await runConduit([...base(), '--json', '--output-schema', schemaPath, 'answer'], {
      env,
      cwd,
    });
    expect(result.code).toBe(0);
    expect(bodies()[0].text?.format).toMatchObject({ type: 'json_schema', strict: true, schema });
  });

  it('exits 2 with a clear message for usage and configuration errors', async () => {
    const { home, cwd } = setup();
    const noKey = await runConduit(['exec', 'hi'], { env: cleanEnv(home), cwd });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain(
      'model provider "openai" needs an API key: environment variable OPENAI_API_KEY',
    );
    const env = cleanEnv(home, { CODEX_API_KEY: KEY });
    const notRepo = await runConduit([...base(), 'hi'], { env, cwd: tempDir('conduit-norepo-') });
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toContain('is not inside a git repository');
    const emptyStdin = await runConduit([...base()], { env, cwd, input: '  \n' });
    expect(emptyStdin.code).toBe(2);
    expect(emptyStdin.stderr).toContain('no prompt given: stdin was empty');
    const both = await runConduit([...base(), '--full-auto', '--yolo', 'x'], { env, cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('cannot be used together');
    const badSchema = await runConduit([...base(), '--output-schema', join(cwd, 'nope.json'), 'x'], {
      env,
      cwd,
    });
    expect(badSchema.code).toBe(2);
    expect(badSchema.stderr).toContain('--output-schema');
    expect(fake.requests).toHaveLength(0);
  });

  it('exits 1 with turn.failed when the model fails', async () => {
    fake.enqueue({
      status: 400,
      body: { error: { message: 'no such model', type: 'invalid_request_error' } },
    });
    const { cwd, env } = setup();
    const result = await runConduit([...base(), '--json', 'hi'], { env, cwd });
    expect(result.code).toBe(1);
    expect(result.events.at(-2)).toMatchObject({ type: 'error' });
    expect(result.events.at(-1)).toMatchObject({ type: 'turn.failed' });
    expect(JSON.stringify(result.events.at(-1))).toContain('no such model');
  });

  it('denies approvals nobody can give when the user chose a policy that asks', async () => {
    fake.enqueue(
      {
        steps: [
          {
            type: 'tool_call',
            name: 'apply_patch',
            callId: 'patch',
            arguments: { input: '*** Begin Patch\n*** Add File: /etc/conduit-test.txt\n+x\n*** End Patch\n' },
          },
        ],
      },
      { steps: [{ type: 'text', text: 'could not write' }] },
    );
    const { cwd, env } = setup();
    const result = await runConduit(
      [
        ...base(),
        '-m',
        'gpt-4.1',
        '-c',
        'approval_policy="on-request"',
        '-s',
        'read-only',
        '--json',
        'write it',
      ],
      { env, cwd },
    );
    expect(result.code).toBe(0);
    const errorItem = result.events.find(
      (e) => e.type === 'item.completed' && (e.item as { type: string }).type === 'error',
    );
    expect(JSON.stringify(errorItem)).toContain('denied: no one to approve in non-interactive mode');
    const output = bodies()[1].input.find((item) => item.type === 'function_call_output');
    expect(String(output?.output)).toMatch(/^denied: no one to approve in non-interactive mode\n/);
  });

  it('resumes by id and with --last, keeping the thread id and the conversation', async () => {
    fake.enqueue(
      { steps: [{ type: 'text', text: 'first answer' }] },
      { steps: [{ type: 'text', text: 'second answer' }] },
      { steps: [{ type: 'text', text: 'third answer' }] },
    );
    const { cwd, env } = setup();
    const first = await runConduit([...base(), '--json', 'first question'], { env, cwd });
    const threadId = first.events[0].thread_id;
    const second = await runConduit([...base(), '--json', 'resume', String(threadId), 'second question'], {
      env,
      cwd,
    });
    expect(second.code).toBe(0);
    expect(second.events[0]).toEqual({ type: 'thread.started', thread_id: threadId });
    const input = JSON.stringify(bodies()[1].input);
    expect(input).toContain('first question');
    expect(input).toContain('first answer');
    const third = await runConduit([...base(), '--json', 'resume', '--last'], {
      env,
      cwd,
      input: 'third question',
    });
    expect(third.events[0]).toEqual({ type: 'thread.started', thread_id: threadId });
    expect(JSON.stringify(bodies()[2].input)).toContain('second answer');
  });

  it('interrupts the turn on SIGINT and exits 130', async () => {
    fake.enqueue({
      steps: [
        { type: 'text', text: 'thinking…' },
        { type: 'stall', ms: 30_000 },
      ],
    });
    const { cwd, env } = setup();
    const child = spawnConduit([...base(), '--json', 'long'], { env, cwd });
    const result = finished(child);
    // Interrupt once the request is in flight (the model is stalled mid-answer).
    const timer = setInterval(() => {
      if (fake.requests.length > 0) {
        clearInterval(timer);
        child.kill('SIGINT');
      }
    }, 20);
    const done = await result;
    expect(done.code).toBe(130);
    expect(done.events.at(-1)).toEqual({ type: 'turn.failed', error: { message: 'turn interrupted' } });
  });

  it('keeps every completed item of a session killed with SIGKILL mid-turn, and resumes it', async () => {
    fake.enqueue(
      {
        steps: [
          {
            type: 'tool_call',
            name: 'update_plan',
            callId: 'plan-1',
            arguments: { plan: [{ step: 'one', status: 'in_progress' }] },
          },
        ],
      },
      {
        steps: [
          { type: 'reasoning', summary: 'still going' },
          { type: 'stall', ms: 60_000 },
        ],
      },
      { steps: [{ type: 'text', text: 'resumed fine' }] },
    );
    const { cwd, env } = setup();
    const child = spawnConduit([...base(), '--json', 'do the thing'], { env, cwd });
    const killed = finished(child);
    // Kill once the second request (after the plan call completed) is in flight.
    const timer = setInterval(() => {
      if (bodies().length >= 2) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 20);
    const dead = await killed;
    expect(dead.signal).toBe('SIGKILL');
    const threadId = dead.events[0].thread_id as string;

    const resumed = await runConduit([...base(), '--json', 'resume', threadId, 'continue'], { env, cwd });
    expect(resumed.code).toBe(0);
    expect(resumed.events.at(-2)).toMatchObject({ item: { type: 'agent_message', text: 'resumed fine' } });
    const input = bodies()[2].input;
    const kinds = input.map(
      (item) =>
        `${item.type}:${(item as { role?: string }).role ?? (item as { call_id?: string }).call_id ?? ''}`,
    );
    expect(kinds.filter((k) => !k.startsWith('message:user'))).toEqual([
      'function_call:plan-1',
      'function_call_output:plan-1',
    ]);
    expect(JSON.stringify(input)).toContain('do the thing');
    expect(JSON.stringify(input.at(-1))).toContain('continue');
  });
});
