// The interactive terminal as a user sees it: the built `conduit` in a real pseudo-terminal against the fake
// model server, keystrokes in, the screen read back through a terminal emulator.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { cleanEnv, runConduit } from '../exec/helpers.js';
import { gitRepo, startTui, type TuiRun, tempDir } from './pty-harness.js';

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const READY = 'Ask conduit to do something';
const runs: TuiRun[] = [];

function open(args: string[] = [], opts: { cwd?: string; home?: string; rows?: number } = {}) {
  const home = opts.home ?? tempDir('conduit-tui-home-');
  const cwd = opts.cwd ?? gitRepo();
  const run = startTui({
    cwd,
    home,
    rows: opts.rows,
    env: { CODEX_API_KEY: 'sk-test-key' },
    args: ['-c', `openai_base_url="${fake.url}"`, '-m', 'gpt-4.1', ...args],
  });
  runs.push(run);
  return { run, home, cwd };
}

async function quit(run: TuiRun): Promise<string> {
  await run.type('/quit\r');
  const { exitCode } = await run.exited;
  expect(exitCode).toBe(0);
  return (await run.all()).join('\n');
}

const bodies = () =>
  fake.requests
    .filter((r) => r.wire === 'responses')
    .map((r) => r.body as { model: string; input: unknown[] });

afterAll(() => {
  for (const run of runs) run.kill();
});

describe('conduit (interactive)', () => {
  it('answers a prompt with rendered markdown, printed once into the scrollback', async () => {
    fake.enqueue({
      steps: [
        {
          type: 'text',
          text: '# Plan\n\nRun the **tests** first.\n\n1. build\n2. test\n\n```js\nconst answer = 42;\n```\n',
        },
        { type: 'usage', input: 1000, output: 50 },
      ],
    });
    const { run } = open();
    await run.waitFor(READY);
    await run.type('what next?\r');
    await run.waitFor('const answer = 42;');
    const text = await quit(run);
    expect(text).toContain('› what next?');
    expect(text).toMatch(/# Plan/);
    expect(text).toContain('Run the tests first.');
    expect(text).toMatch(/1\. build\n2\. test/);
    expect(text).toContain('│ const answer = 42;');
    // Printed once: the answer is not repeated by redraws.
    expect(text.split('Run the tests first.').length).toBe(2);
    expect(text).toMatch(/To continue this session: conduit resume [0-9a-f-]{36}/);
  });

  it('asks once for a command approved "for this session"; the next one in its scope runs without asking', async () => {
    fake.enqueue(
      {
        steps: [
          {
            type: 'tool_call',
            name: 'shell',
            callId: 'one',
            arguments: { command: ['git', 'init', '-q', 'sub1'] },
          },
        ],
      },
      {
        steps: [
          {
            type: 'tool_call',
            name: 'shell',
            callId: 'two',
            arguments: { command: ['git', 'init', '-q', 'sub2'] },
          },
        ],
      },
      { steps: [{ type: 'text', text: 'both repositories made' }] },
    );
    const { run, cwd } = open(['-a', 'untrusted', '-s', 'danger-full-access']);
    await run.waitFor(READY);
    await run.type('make two repos\r');
    const screen = await run.waitFor('Allow this command?');
    expect(screen).toContain('$ git init -q sub1');
    expect(screen).toContain("Yes, and don't ask again this session for: git init …");
    // While the prompt waits, the elapsed time ticks: each redraw replaces the status line, never adds one.
    await run.waitFor(/Waiting for your approval \(1s\)/);
    expect((await run.screen()).filter((line) => line.includes('esc interrupts'))).toHaveLength(1);
    await run.type('a');
    await run.waitFor('both repositories made');
    const text = await quit(run);
    expect(existsSync(join(cwd, 'sub1', '.git'))).toBe(true);
    expect(existsSync(join(cwd, 'sub2', '.git'))).toBe(true);
    expect(text.match(/You approved the command for this session\./g)).toHaveLength(1);
    expect(text).toContain('$ git init -q sub2');
  });

  it('shows a patch with its diff and denies it with one key', async () => {
    const patch = '*** Begin Patch\n*** Add File: notes.txt\n+first line\n+second line\n*** End Patch\n';
    fake.enqueue(
      { steps: [{ type: 'tool_call', name: 'apply_patch', callId: 'p', arguments: { input: patch } }] },
      { steps: [{ type: 'text', text: 'understood, no file' }] },
    );
    const { run, cwd } = open(['-a', 'untrusted', '-s', 'workspace-write']);
    await run.waitFor(READY);
    await run.type('write notes\r');
    const screen = await run.waitFor('Allow these file changes?');
    expect(screen).toContain('+first line');
    expect(screen).toContain('+second line');
    await run.type('n');
    await run.waitFor('understood, no file');
    const text = await quit(run);
    expect(text).toContain('You denied the file changes.');
    expect(existsSync(join(cwd, 'notes.txt'))).toBe(false);
    const output = JSON.stringify(bodies()[1].input);
    expect(output).toMatch(/reject/i);
  });

  it('interrupts a running command with Ctrl+C', async () => {
    fake.enqueue({
      steps: [{ type: 'tool_call', name: 'shell', callId: 's', arguments: { command: ['sleep', '60'] } }],
    });
    const { run } = open(['-a', 'never', '-s', 'danger-full-access']);
    await run.waitFor(READY);
    await run.type('wait a minute\r');
    await run.waitFor(/\$ sleep 60/);
    await run.type('\u0003');
    await run.waitFor('Interrupted.');
    await run.waitFor(/interrupted after/);
    await quit(run);
    // The model heard that the call was aborted when the next turn goes out; the turn itself ended.
    expect(bodies()).toHaveLength(1);
  });

  it('refuses an unknown session id with a clear message and exit code 2', async () => {
    const { run } = open(['resume', 'deadbeef']);
    const { exitCode } = await run.exited;
    expect(exitCode).toBe(2);
    expect((await run.all()).join('\n')).toContain('conduit resume deadbeef: no saved session has this id');
  });

  it("/mcp lists the session's servers and tools, /status the session", async () => {
    const memory = join(
      import.meta.dirname,
      '../../../node_modules/@modelcontextprotocol/server-memory/dist/index.js',
    );
    const { run } = open([
      '-c',
      `mcp_servers.memory.command=${JSON.stringify(process.execPath)}`,
      '-c',
      `mcp_servers.memory.args=[${JSON.stringify(memory)}]`,
      '-c',
      'mcp_servers.broken.command="/nonexistent/mcp-server"',
    ]);
    await run.waitFor(READY);
    await run.waitFor('MCP server broken failed to start');
    await run.type('/mcp\r');
    const shown = await run.waitFor('memory: running');
    expect(shown).toMatch(/memory__read_graph/);
    expect(shown).toContain('broken: failed');
    await run.type('/status\r');
    const status = await run.waitFor('context left:');
    expect(status).toMatch(/model: gpt-4\.1/);
    expect(status).toMatch(/session: [0-9a-f-]{36}/);
    expect(status.replace(/\n/g, '')).toMatch(/file:.*rollout-.*\.jsonl/);
    await quit(run);
  });

  it('sends a multi-line prompt written with Shift+Enter, Alt+Enter and a trailing backslash', async () => {
    fake.enqueue({ steps: [{ type: 'text', text: 'three lines received' }] });
    const { run } = open();
    await run.waitFor(READY);
    // Shift+Enter as kitty and CSI-u terminals send it, Alt+Enter as ESC CR.
    await run.type('line one\u001b[13;2uline two\u001b\rline three\\\rline four\r');
    await run.waitFor('three lines received');
    const text = await quit(run);
    expect(text).toContain('› line one\n  line two\n  line three\n  line four');
    expect(JSON.stringify(bodies()[0].input)).toContain('line one\\nline two\\nline three\\nline four');
  });

  it('queues a prompt typed while a turn runs and sends it when the turn ends', async () => {
    fake.enqueue(
      {
        steps: [
          { type: 'text', text: 'slow ' },
          { type: 'stall', ms: 3000 },
          { type: 'text', text: 'first done' },
        ],
      },
      { steps: [{ type: 'text', text: 'second done' }] },
    );
    const { run } = open();
    await run.waitFor(READY);
    await run.type('first\r');
    await run.waitFor(/Answering|Working/);
    await run.type('second\r');
    await run.waitFor('↳ queued: second');
    await run.waitFor('second done');
    const text = await quit(run);
    expect(text.indexOf('first done')).toBeLessThan(text.indexOf('› second'));
    expect(bodies()).toHaveLength(2);
    expect(JSON.stringify(bodies()[1].input)).toContain('second');
  });

  it('runs !cmd in the session directory and shows its output; /diff shows what changed', async () => {
    const cwd = tempDir('conduit-tui-git-');
    execFileSync('git', ['init', '-q'], { cwd });
    const { run } = open([], { cwd });
    await run.waitFor(READY);
    await run.type('!echo made-by-me > mine.txt && cat mine.txt\r');
    await run.waitFor(/ {2}made-by-me/);
    await run.waitFor('✓');
    await run.type('/diff\r');
    await run.waitFor('+++ mine.txt (untracked)');
    await quit(run);
    // The model never saw any of it.
    expect(bodies()).toHaveLength(0);
  });

  it('/model changes the model of the next request', async () => {
    fake.enqueue(
      { steps: [{ type: 'text', text: 'from the first model' }] },
      { steps: [{ type: 'text', text: 'from the other model' }] },
    );
    const { run } = open();
    await run.waitFor(READY);
    await run.type('first\r');
    await run.waitFor('from the first model');
    await run.type('/model gpt-4o-mini\r');
    await run.waitFor('Model set to gpt-4o-mini');
    await run.type('second\r');
    await run.waitFor('from the other model');
    await quit(run);
    expect(bodies().map((b) => b.model)).toEqual(['gpt-4.1', 'gpt-4o-mini']);
  });

  it('/resume picks a saved session and shows its transcript; exec and the terminal share sessions', async () => {
    const home = tempDir('conduit-tui-home-');
    const cwd = gitRepo();
    fake.enqueue({ steps: [{ type: 'text', text: 'the saved answer' }] });
    const first = open([], { home, cwd });
    await first.run.waitFor(READY);
    await first.run.type('remember this question\r');
    await first.run.waitFor('the saved answer');
    const firstText = await quit(first.run);
    const id = /conduit resume ([0-9a-f-]{36})/.exec(firstText)?.[1];
    expect(id).toBeDefined();

    fake.enqueue({ steps: [{ type: 'text', text: 'continued' }] });
    const second = open([], { home, cwd });
    await second.run.waitFor(READY);
    await second.run.type('/resume\r');
    await second.run.waitFor('Resume a session');
    await second.run.waitFor('remember this question');
    await second.run.type('\r');
    await second.run.waitFor(/resumed/);
    await second.run.waitFor('the saved answer');
    await second.run.type('and now?\r');
    await second.run.waitFor('continued');
    await quit(second.run);
    // The resumed request carries the earlier exchange.
    const history = JSON.stringify(bodies().at(-1)?.input);
    expect(history).toContain('remember this question');
    expect(history).toContain('the saved answer');
  });

  it("reopens a session saved by `conduit exec`, and exec resumes the terminal's session", async () => {
    const home = tempDir('conduit-tui-home-');
    const cwd = gitRepo();
    const env = cleanEnv(home, { CODEX_API_KEY: 'sk-test-key' });
    const base = ['-c', `openai_base_url="${fake.url}"`, '-m', 'gpt-4.1'];
    fake.enqueue({ steps: [{ type: 'text', text: 'answer from exec' }] });
    const made = await runConduit(['exec', ...base, 'question from exec'], { env, cwd });
    expect(made.code).toBe(0);

    fake.enqueue({ steps: [{ type: 'text', text: 'answer in the terminal' }] });
    const run = startTui({
      cwd,
      home,
      env: { CODEX_API_KEY: 'sk-test-key' },
      args: ['resume', '--last', ...base],
    });
    runs.push(run);
    await run.waitFor(READY);
    const shown = await run.waitFor('answer from exec');
    expect(shown).toContain('› question from exec');
    await run.type('follow-up in the terminal\r');
    await run.waitFor('answer in the terminal');
    const text = await quit(run);
    const id = /conduit resume ([0-9a-f-]{36})/.exec(text)?.[1] as string;

    fake.enqueue({ steps: [{ type: 'text', text: 'exec again' }] });
    const again = await runConduit(['exec', ...base, 'resume', id, 'last one'], { env, cwd });
    expect(again.code).toBe(0);
    const history = JSON.stringify(bodies().at(-1)?.input);
    expect(history).toContain('question from exec');
    expect(history).toContain('follow-up in the terminal');
  });
});
