// `conduit exec` without --json, as a person watching it: command output appears while the command runs,
// a terminal shows "waiting for the model…" when the model is silent, and the run ends with token usage.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn as spawnPty } from '@lydell/node-pty';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PLAIN } from '../../../src/cli/exec-human.js';
import { formatUsageLine, HumanPrinter, WAITING_TEXT } from '../../../src/cli/exec-human-printer.js';
import type { Event } from '../../../src/protocol/events.js';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { CONDUIT_BIN, cleanEnv, finished, gitDir, spawnConduit, tempDir } from './helpers.js';

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setHandler(undefined);
});

const base = () => ['exec', '--config', `openai_base_url="${fake.url}"`, '--color', 'never'];
const setup = () => {
  const home = tempDir('conduit-home-');
  return { home, cwd: gitDir(), env: cleanEnv(home, { CODEX_API_KEY: 'sk-test' }) };
};
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}
const usage = {
  input_tokens: 1200,
  cached_input_tokens: 200,
  output_tokens: 34,
  reasoning_output_tokens: 0,
  total_tokens: 1234,
};

describe('HumanPrinter', () => {
  const make = (isTTY: boolean) => {
    let text = '';
    const printer = new HumanPrinter(
      {
        write: (t) => {
          text += t;
        },
        isTTY,
      },
      PLAIN,
      '0.0.0',
      1000,
    );
    const feed = (...msgs: Event['msg'][]) => {
      for (const msg of msgs) printer.handle({ id: '1', msg });
    };
    return { printer, feed, text: () => text };
  };
  const chunk = (s: string) => Buffer.from(s).toString('base64');

  it('streams command output as it comes and prints only the outcome at the end', () => {
    const { feed, text } = make(false);
    feed({ type: 'exec_command_begin', call_id: 'c', command: ['make'], cwd: '/w' });
    feed({ type: 'exec_command_output_delta', call_id: 'c', stream: 'stdout', chunk: chunk('compiling é') });
    expect(text()).toContain('compiling é');
    // A character split across chunks is decoded whole.
    const bytes = Buffer.from('→ done\n');
    feed({
      type: 'exec_command_output_delta',
      call_id: 'c',
      stream: 'stdout',
      chunk: bytes.subarray(0, 1).toString('base64'),
    });
    feed({
      type: 'exec_command_output_delta',
      call_id: 'c',
      stream: 'stdout',
      chunk: bytes.subarray(1).toString('base64'),
    });
    feed({
      type: 'exec_command_end',
      call_id: 'c',
      stdout: '',
      stderr: '',
      aggregated_output: 'compiling é→ done\n',
      exit_code: 0,
      duration_ms: 5,
      formatted_output: '',
    });
    expect(text()).toBe('exec make in /w\ncompiling é→ done\nsucceeded in 5ms:\n');
  });

  it('prints the token usage when the turn ends', () => {
    const { feed, text } = make(false);
    feed(
      { type: 'task_started' },
      { type: 'token_count', info: { total_token_usage: usage, last_token_usage: usage } },
      { type: 'task_complete' },
    );
    expect(text()).toBe('tokens used: 1,234 (input 1,200, cached 200, output 34)\n');
    expect(formatUsageLine({ ...usage, cached_input_tokens: 0 })).toBe(
      'tokens used: 1,234 (input 1,200, output 34)',
    );
  });

  it('on a terminal, shows the waiting line after a second of model silence and clears it', () => {
    vi.useFakeTimers();
    try {
      const { printer, feed, text } = make(true);
      feed({ type: 'task_started' });
      vi.advanceTimersByTime(999);
      expect(text()).toBe('');
      vi.advanceTimersByTime(1);
      expect(text()).toBe(WAITING_TEXT);
      feed({ type: 'agent_message', message: 'hi' });
      expect(text()).toBe(`${WAITING_TEXT}\r\x1b[Kconduit\nhi\n`);
      // Not while a command runs: the silence is the command's.
      feed({ type: 'exec_command_begin', call_id: 'c', command: ['sleep', '9'], cwd: '/w' });
      const before = text();
      vi.advanceTimersByTime(5000);
      expect(text()).toBe(before);
      printer.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('never shows the waiting line when stderr is not a terminal', () => {
    vi.useFakeTimers();
    try {
      const { feed, text } = make(false);
      feed({ type: 'task_started' });
      vi.advanceTimersByTime(5000);
      expect(text()).toBe('');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('conduit exec human output', () => {
  it('streams a command output while the command runs', async () => {
    const { cwd, env } = setup();
    const release = join(cwd, 'release');
    fake.enqueue(
      {
        steps: [
          {
            type: 'tool_call',
            name: 'shell',
            callId: 'c1',
            arguments: {
              command: [
                'bash',
                '-c',
                `printf 'line-%s\\n' one; for i in $(seq 600); do [ -e ${release} ] && break; sleep 0.1; done; printf 'line-%s\\n' two`,
              ],
              timeout_ms: 120_000,
            },
          },
        ],
      },
      {
        steps: [
          { type: 'text', text: 'all done' },
          { type: 'usage', input: 50, output: 5 },
        ],
      },
    );
    const child = spawnConduit([...base(), '--yolo', 'run it'], { env, cwd });
    const result = finished(child);
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    await until(() => stderr.includes('line-one'));
    // Seen while the command still runs: it has not printed its second line or finished.
    expect(stderr).not.toContain('line-two');
    expect(stderr).not.toMatch(/succeeded in/);
    writeFileSync(release, '');
    const done = await result;
    expect(done.code).toBe(0);
    expect(done.stderr).toMatch(/\nline-one\nline-two\nsucceeded in \d+ms:\n/);
    expect(done.stderr).toMatch(/tokens used: \d+ \(input \d+, output \d+\)\n$/);
    expect(done.stdout).toBe('all done\n');
  });

  it('on a terminal, says it is waiting for the model while the model is silent', async () => {
    const { cwd, env } = setup();
    let screen = '';
    fake.setHandler(async () => {
      // Answer only once the indicator is on screen: no clock in the test.
      await until(() => screen.includes(WAITING_TEXT));
      return {
        steps: [
          { type: 'text', text: 'here I am' },
          { type: 'usage', input: 7, output: 3 },
        ],
      };
    });
    const pty = spawnPty(process.execPath, [CONDUIT_BIN, ...base(), 'hello'], {
      cwd,
      env: env as Record<string, string>,
      cols: 120,
      rows: 30,
    });
    pty.onData((data) => {
      screen += data;
    });
    const code = await new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
    expect(code).toBe(0);
    expect(screen).toContain(WAITING_TEXT);
    expect(screen).toContain('here I am');
    expect(screen).toMatch(/tokens used: 10 \(input 7, output 3\)/);
  });
});
