// No flicker, measured on the byte stream: after start-up nothing clears the whole screen (ED2, ED3, or home
// + erase-below), long output is folded instead of redrawn, and streaming an answer at the end of a long
// transcript costs a bounded number of bytes per token (only the live region is redrawn).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeModelServer, type FakeStep, startFakeModelServer } from '../../fake-model/server.js';
import { gitRepo, startTui, type TuiRun, tempDir } from './pty-harness.js';
import { writeLongSession } from './sessions.js';

let fake: FakeModelServer;
const runs: TuiRun[] = [];
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(async () => {
  for (const run of runs) run.kill();
  await fake.close();
});

const READY = 'Ask conduit to do something';
const ESC = '\u001b';
const FULL_CLEARS = [
  `${ESC}[2J`,
  `${ESC}[3J`,
  `${ESC}[H${ESC}[J`,
  `${ESC}[H${ESC}[0J`,
  `${ESC}[1;1H${ESC}[J`,
];

function expectNoFullClear(bytes: string): void {
  for (const sequence of FULL_CLEARS) expect(bytes).not.toContain(sequence);
}

function open(args: string[], home: string, cwd: string): TuiRun {
  const run = startTui({
    cwd,
    home,
    rows: 30,
    cols: 100,
    env: { CODEX_API_KEY: 'sk-test-key' },
    args: [
      ...args,
      '-c',
      `openai_base_url="${fake.url}"`,
      '-m',
      'gpt-4.1',
      '-a',
      'never',
      '-s',
      'danger-full-access',
    ],
  });
  runs.push(run);
  return run;
}

describe('rendering without flicker', () => {
  it('folds a 5,000-line command output and never clears the screen', async () => {
    fake.enqueue(
      {
        steps: [
          { type: 'tool_call', name: 'shell', callId: 'seq', arguments: { command: ['seq', '1', '5000'] } },
        ],
      },
      { steps: [{ type: 'text', text: 'counted' }] },
    );
    const run = open([], tempDir('conduit-tui-home-'), gitRepo());
    await run.waitFor(READY);
    await run.type('count\r');
    await run.waitFor('counted');
    const text = (await run.all()).join('\n');
    expect(text).toContain('$ seq 1 5000');
    expect(text).toContain('… +4990 lines');
    expect(text).toMatch(/ {2}1\n {2}2\n {2}3\n {2}4\n {2}5\n/);
    expect(text).toMatch(/ {2}4996\n {2}4997\n {2}4998\n {2}4999\n {2}5000\n/);
    expectNoFullClear(run.bytes());
    await run.type('/quit\r');
    expect((await run.exited).exitCode).toBe(0);
  });

  it('streams an answer after a 300-message transcript with bounded bytes per token and no full clear', async () => {
    const home = tempDir('conduit-tui-home-');
    const cwd = gitRepo();
    const id = '11111111-2222-3333-4444-555555555555';
    writeLongSession(home, cwd, id, 300);
    const tokens = 400;
    const steps: FakeStep[] = [];
    for (let i = 0; i < tokens; i++) {
      steps.push({ type: 'text', text: i % 40 === 39 ? `word${i}\n\n` : `word${i} ` });
      if (i % 4 === 3) steps.push({ type: 'stall', ms: 10 });
    }
    fake.enqueue({ steps });
    const run = open(['resume', id], home, cwd);
    await run.waitFor(READY);
    await run.waitFor('Answer number 299');
    const before = run.byteCount();
    const startBytes = run.bytes().length;
    await run.type('stream please\r');
    await run.waitFor(`word${tokens - 1}`);
    await run.waitFor(/gpt-4\.1 · .*context left|gpt-4\.1 · \/tmp/);
    const streamed = run.byteCount() - before;
    const after = run.bytes().slice(startBytes);
    const perToken = streamed / tokens;
    // The live region is a few lines: redrawing it per frame costs well under this; repainting the
    // transcript (300 messages, ~50 KB) even once would blow it.
    console.log(`streamed ${streamed} bytes for ${tokens} tokens: ${perToken.toFixed(1)} bytes/token`);
    expect(perToken).toBeLessThan(200);
    expect(after).not.toContain('Answer number 1:');
    expectNoFullClear(run.bytes());
    const text = (await run.all()).join('\n');
    // Each streamed word printed once in the scrollback.
    expect(text.match(/\bword200\b/g)).toHaveLength(1);
    await run.type('/quit\r');
    expect((await run.exited).exitCode).toBe(0);
  });
});
