// What a script relies on, end to end against the fake model: exit codes, checks before any model request,
// MCP start-up failures as warnings, failed patches made visible, truncated answers kept.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { cleanEnv, gitDir, runConduit, tempDir } from './helpers.js';

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const base = () => ['exec', '--config', `openai_base_url="${fake.url}"`];
const setup = () => {
  const home = tempDir('conduit-home-');
  return { home, cwd: gitDir(), env: cleanEnv(home, { CODEX_API_KEY: 'sk-test' }) };
};
/** `-c` flags for a provider `fake` on the fake server's `wire` (its key in FAKE_KEY). */
const fakeProvider = (wire: 'chat' | 'responses', extra = '') => [
  '-c',
  'model_provider="fake"',
  '-c',
  `model_providers.fake={ base_url = "${fake.url}", wire_api = "${wire}", env_key = "FAKE_KEY"${extra ? `, ${extra}` : ''} }`,
];
const modelRequests = () => fake.requests.filter((r) => r.wire === 'responses' || r.wire === 'chat');
type Input = { type: string; call_id?: string; output?: unknown }[];
const inputOf = (n: number) => (modelRequests()[n].body as { input: Input }).input;

describe('exit codes', () => {
  const usageErrors: [string, string[], RegExp][] = [
    ['an unknown flag', ['--jsn', 'hi'], /unknown option '--jsn'[\s\S]*--json/],
    ['a bad sandbox mode', ['-s', 'readonly', 'hi'], /argument 'readonly' is invalid/],
    ['a bad -c value', ['-c', 'sandbox_mode="bad"', 'hi'], /-c sandbox_mode="bad": sandbox_mode: expected/],
    ['an unknown resume flag', ['resume', '--lastt'], /unknown option '--lastt'/],
  ];
  for (const [what, args, message] of usageErrors) {
    it(`exec: ${what} exits 2 with zero model requests`, async () => {
      const { cwd, env } = setup();
      const result = await runConduit([...base(), ...args], { env, cwd });
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(modelRequests()).toHaveLength(0);
    });
  }

  for (const command of [
    ['doctor'],
    ['mcp', 'list'],
    ['sandbox', '--polcy', 'x', '--', 'true'],
    ['config', 'show'],
  ]) {
    it(`${command[0]}: an unknown flag exits 2`, async () => {
      const { cwd, env } = setup();
      const result = await runConduit([...command, '--no-such-flag'], { env, cwd });
      expect(result.stderr).toMatch(/unknown option/);
      expect(result.code).toBe(2);
    });
  }

  it('--help and --version exit 0; exec resume --help lists the flags it takes', async () => {
    const { cwd, env } = setup();
    const help = await runConduit(['exec', 'resume', '--help'], { env, cwd });
    expect(help.code).toBe(0);
    for (const flag of [
      '--last',
      '--json',
      '--image',
      '--output-last-message',
      '--sandbox',
      '--output-schema',
    ])
      expect(help.stdout).toContain(flag);
    expect((await runConduit(['--version'], { env, cwd })).code).toBe(0);
  });
});

describe('checks before any model request', () => {
  const cases: [string, (cwd: string) => string[], RegExp][] = [
    [
      '-o in a missing directory',
      () => ['-o', '/missing/x', 'hi'],
      /-o \/missing\/x: directory \/missing does not exist/,
    ],
    [
      'an unreadable --output-schema',
      (cwd) => ['--output-schema', join(cwd, 'nope.json'), 'hi'],
      /--output-schema .*nope\.json: cannot read it/,
    ],
    ['a missing -i image', () => ['-i', 'missing.png', 'hi'], /--image missing\.png: no such file/],
    [
      'an unknown resume id',
      () => ['resume', '0199-no-such-session', 'hi'],
      /exec resume 0199-no-such-session: no saved session has this id/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`${what} exits 2 with zero model requests`, async () => {
      const { cwd, env } = setup();
      const result = await runConduit([...base(), '--json', ...args(cwd)], { env, cwd });
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(result.events).toEqual([]);
      expect(modelRequests()).toHaveLength(0);
    });
  }

  it('resume accepts a unique prefix of a session id and refuses an ambiguous one', async () => {
    fake.enqueue({ steps: [{ type: 'text', text: 'first' }] }, { steps: [{ type: 'text', text: 'second' }] });
    const { home, cwd, env } = setup();
    const first = await runConduit([...base(), '--json', 'one'], { env, cwd });
    const id = String(first.events[0].thread_id);
    const resumed = await runConduit([...base(), '--json', 'resume', id.slice(0, 8), 'two'], { env, cwd });
    expect(resumed.code).toBe(0);
    expect(resumed.events[0]).toEqual({ type: 'thread.started', thread_id: id });
    // A second session sharing the prefix "" is impossible to type; make one sharing a real prefix.
    const dir = join(home, 'sessions', '2020', '01', '01');
    mkdirSync(dir, { recursive: true });
    const twin = `${id.slice(0, 8)}-0000-0000-0000-000000000000`;
    writeFileSync(join(dir, `rollout-2020-01-01T00-00-00-${twin}.jsonl`), '');
    const ambiguous = await runConduit([...base(), 'resume', id.slice(0, 8), 'three'], { env, cwd });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/matches 2 sessions/);
    const unreadable = await runConduit([...base(), 'resume', twin, 'four'], { env, cwd });
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(
      /is not a session rollout \(no session_meta line\); it cannot be resumed/,
    );
    expect(modelRequests()).toHaveLength(2);
  });
});

describe('failures are visible, successes are not failures', () => {
  it('a broken optional MCP server is a named warning with its stderr, and the run exits 0', async () => {
    fake.enqueue({ steps: [{ type: 'text', text: 'done anyway' }] });
    const { cwd, env } = setup();
    const script = 'console.error("broken-server: missing API token"); process.exit(3)';
    const result = await runConduit(
      [
        ...base(),
        '-c',
        `mcp_servers.flaky.command=${JSON.stringify(process.execPath)}`,
        '-c',
        `mcp_servers.flaky.args=${JSON.stringify(['-e', script])}`,
        '--json',
        'hi',
      ],
      { env, cwd },
    );
    expect(result.code).toBe(0);
    expect(result.events.at(-1)?.type).toBe('turn.completed');
    const warning = result.events.find(
      (e) => e.type === 'item.completed' && (e.item as { type: string }).type === 'error',
    );
    expect(JSON.stringify(warning)).toMatch(/MCP server 'flaky'.*exited with code 3/);
    expect(JSON.stringify(warning)).toContain('broken-server: missing API token');
    expect(result.events.some((e) => e.type === 'error' || e.type === 'turn.failed')).toBe(false);
  });

  const patchToWorkspace = {
    steps: [
      {
        type: 'tool_call' as const,
        name: 'apply_patch',
        callId: 'patch-1',
        arguments: { input: '*** Begin Patch\n*** Add File: notes.txt\n+hello\n*** End Patch\n' },
      },
    ],
  };

  it('a patch refused under read-only is a failed file_change, for the right reason', async () => {
    fake.enqueue(patchToWorkspace, { steps: [{ type: 'text', text: 'I wrote notes.txt' }] });
    const { cwd, env } = setup();
    const result = await runConduit([...base(), '-m', 'gpt-4.1', '-s', 'read-only', '--json', 'write'], {
      env,
      cwd,
    });
    expect(result.code).toBe(0);
    const change = result.events.find(
      (e) => e.type === 'item.completed' && (e.item as { type: string }).type === 'file_change',
    );
    expect(change?.item).toMatchObject({
      type: 'file_change',
      status: 'failed',
      changes: [{ path: join(cwd, 'notes.txt'), kind: 'add' }],
    });
    expect(existsSync(join(cwd, 'notes.txt'))).toBe(false);
    const output = String(inputOf(1).find((i) => i.type === 'function_call_output')?.output);
    expect(output).toMatch(/read-only/);
    expect(output).not.toMatch(/outside of the project/);
  });

  it('the human output shows a failed patch and why', async () => {
    fake.enqueue(patchToWorkspace, { steps: [{ type: 'text', text: 'I wrote notes.txt' }] });
    const { cwd, env } = setup();
    const result = await runConduit([...base(), '-m', 'gpt-4.1', '-s', 'read-only', 'write'], { env, cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/apply_patch failed:\npatch rejected: the sandbox policy is read-only/);
  });

  for (const wire of ['chat', 'responses'] as const) {
    it(`a truncated answer (${wire}) is kept, shown and recorded, marked truncated, and is no error`, async () => {
      fake.enqueue({
        incomplete: 'max_output_tokens',
        steps: [
          { type: 'text', text: 'the first half of a long ans' },
          { type: 'usage', input: 10, output: 8 },
        ],
      });
      const { home, cwd, env } = setup();
      const provider = fakeProvider(wire);
      const out = join(cwd, 'last.txt');
      const result = await runConduit(['exec', ...provider, '--json', '-o', out, 'write a lot'], {
        env: { ...env, FAKE_KEY: 'k' },
        cwd,
      });
      expect(result.code).toBe(0);
      expect(result.events.at(-1)?.type).toBe('turn.completed');
      const items = result.events.filter((e) => e.type === 'item.completed').map((e) => e.item);
      expect(items).toContainEqual(
        expect.objectContaining({ type: 'agent_message', text: 'the first half of a long ans' }),
      );
      expect(JSON.stringify(items)).toMatch(/cut short \(it reached the output token limit/);
      expect(JSON.stringify(result.events)).not.toMatch(/context window/);
      expect(readFileSync(out, 'utf8')).toBe('the first half of a long ans');
      expect(modelRequests()).toHaveLength(1);
      const rollout = JSON.stringify(
        (await import('../../../src/session/resume.js')).readRollout(
          (await import('../../../src/session/resume.js')).findLatestRollout(home) as string,
        ).history,
      );
      expect(rollout).toContain('the first half of a long ans');
    });
  }

  it('a mid-stream error object ends the turn with that error text', async () => {
    const failure = {
      steps: [
        { type: 'text' as const, text: 'hal' },
        {
          type: 'raw' as const,
          data: JSON.stringify({ error: { message: 'the GPU fell over', type: 'server_error' } }),
        },
      ],
    };
    fake.enqueue(failure, failure, failure, failure, failure, failure);
    const { cwd, env } = setup();
    const result = await runConduit(
      ['exec', ...fakeProvider('responses', 'stream_max_retries = 0'), '--json', 'hi'],
      {
        env: { ...env, FAKE_KEY: 'k' },
        cwd,
      },
    );
    expect(result.code).toBe(1);
    expect(result.events.at(-1)).toMatchObject({
      type: 'turn.failed',
      error: { message: expect.stringContaining('the GPU fell over') },
    });
  });
});
