// Crash-safe history, end to end: `conduit exec` killed while a command runs (SIGTERM, SIGHUP: handled like
// Ctrl-C; SIGKILL: nothing runs, resume repairs the history), then `exec resume --last` continues against
// the strict fake model, which refuses any history with a tool call but no output, as real servers do.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

const base = () => ['exec', '--config', `openai_base_url="${fake.url}"`, '--json'];
const setup = () => {
  const home = tempDir('conduit-home-');
  return { home, cwd: gitDir(), env: cleanEnv(home, { CODEX_API_KEY: 'sk-test' }) };
};

/** Polls until `check` is true; the test's own timeout bounds the wait. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}

function rolloutLines(home: string): { type: string; payload: Record<string, unknown> }[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else files.push(join(dir, entry.name));
    }
  };
  walk(join(home, 'sessions'));
  expect(files).toHaveLength(1);
  return readFileSync(files[0], 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** A model that runs a long command (its pid in `pidFile`), then, on resume, answers. */
function scriptLongCommand(pidFile: string): void {
  fake.enqueue(
    {
      steps: [
        {
          type: 'tool_call',
          name: 'shell',
          callId: 'call-long',
          arguments: {
            command: ['bash', '-c', `echo $$ > ${pidFile}; echo started; exec sleep 120`],
            timeout_ms: 300_000,
          },
        },
      ],
    },
    { steps: [{ type: 'text', text: 'resumed fine' }] },
  );
}

async function runAndKill(signal: NodeJS.Signals) {
  const { home, cwd, env } = setup();
  const pidFile = join(cwd, 'cmd.pid');
  scriptLongCommand(pidFile);
  const child = spawnConduit([...base(), '--yolo', 'run the long thing'], { env, cwd });
  const result = finished(child);
  let stdout = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  // `echo $$ >` creates the file before it writes to it: wait for the whole line.
  const written = () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : '');
  await until(() => stdout.includes('"item.started"') && written().endsWith('\n'));
  const pid = Number(written());
  child.kill(signal);
  const done = await result;
  return { home, cwd, env, pid, done };
}

async function resumeLast(cwd: string, env: NodeJS.ProcessEnv) {
  const resumed = await runConduit([...base(), 'resume', '--last', 'go on'], { env, cwd });
  expect(resumed.stderr).not.toMatch(/No tool output found/);
  expect(resumed.code).toBe(0);
  expect(resumed.events.at(-1)?.type).toBe('turn.completed');
  expect(resumed.events.at(-2)).toMatchObject({ item: { type: 'agent_message', text: 'resumed fine' } });
  // The resumed request carried the call and an output for it.
  const input = (
    fake.requests[fake.requests.length - 1].body as {
      input: { type: string; call_id?: string; output?: unknown }[];
    }
  ).input;
  const output = input.find((item) => item.type === 'function_call_output' && item.call_id === 'call-long');
  expect(String(output?.output)).toMatch(/^aborted/);
  return resumed;
}

describe('crash-safe history', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} during a running command: the command is killed, the call recorded as aborted, the turn ends; resume --last completes`, async () => {
      const { home, cwd, env, pid, done } = await runAndKill(signal);
      expect(done.signal).toBeNull();
      expect(done.code).toBe(code);
      expect(done.events.at(-1)).toEqual({ type: 'turn.failed', error: { message: 'turn interrupted' } });
      await until(() => !alive(pid));
      const lines = rolloutLines(home);
      const output = lines.find(
        (l) => l.type === 'response_item' && l.payload.type === 'function_call_output',
      );
      expect(output?.payload).toMatchObject({
        call_id: 'call-long',
        output: expect.stringMatching(/^aborted/),
      });
      expect(lines.some((l) => l.type === 'event_msg' && l.payload.type === 'turn_aborted')).toBe(true);
      await resumeLast(cwd, env);
    });
  }

  it('SIGKILL during a running command: resume repairs the history and completes', async () => {
    const { home, cwd, env, pid, done } = await runAndKill('SIGKILL');
    try {
      expect(done.signal).toBe('SIGKILL');
      const lines = rolloutLines(home);
      expect(lines.some((l) => l.payload.type === 'function_call')).toBe(true);
      expect(lines.some((l) => l.payload.type === 'function_call_output')).toBe(false);
      const resumed = await resumeLast(cwd, env);
      expect(JSON.stringify(resumed.events)).toMatch(/recorded as aborted \(call-long\)/);
    } finally {
      // Nothing could stop the command of a SIGKILLed conduit.
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('the fake model refuses a history with a call but no output, like real servers', async () => {
    const response = await fetch(`${fake.url}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        input: [{ type: 'function_call', call_id: 'c1', name: 'shell', arguments: '{}' }],
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('No tool output found for function call c1');
    const chat = await fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            tool_calls: [{ id: 'c2', type: 'function', function: { name: 'x', arguments: '{}' } }],
          },
        ],
      }),
    });
    expect(chat.status).toBe(400);
    expect(await chat.text()).toContain('No tool output found for function call c2');
  });
});
