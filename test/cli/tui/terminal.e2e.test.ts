// The terminal's own settings: a resize redraws the live region at the new width (never stacking copies of
// it), a narrow terminal still fits every line, and NO_COLOR means no colour escapes at all.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { gitRepo, startTui, type TuiRun, tempDir } from './pty-harness.js';

let fake: FakeModelServer;
const runs: TuiRun[] = [];
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(async () => {
  for (const run of runs) run.kill();
  await fake.close();
});

const READY = 'Ask conduit';

function open(opts: { cols: number; rows?: number; env?: Record<string, string> }): TuiRun {
  const run = startTui({
    cwd: gitRepo(),
    home: tempDir('conduit-tui-home-'),
    cols: opts.cols,
    rows: opts.rows ?? 24,
    env: { CODEX_API_KEY: 'sk-test-key', ...opts.env },
    args: ['-c', `openai_base_url="${fake.url}"`, '-m', 'gpt-4.1'],
  });
  runs.push(run);
  return run;
}

const statusLines = (screen: string[]) => screen.filter((line) => line.startsWith('gpt-4.1 ·'));

describe('the terminal', () => {
  it('redraws the live region at the new width after a resize, once', async () => {
    fake.enqueue({
      steps: [{ type: 'text', text: `${'a long answer line '.repeat(8)}\n\nafter the resize` }],
    });
    const run = open({ cols: 100 });
    await run.waitFor(READY);
    run.pty.resize(50, 24);
    run.term.resize(50, 24);
    await run.type('hello\r');
    await run.waitFor('after the resize');
    await run.waitFor(/gpt-4\.1 · /);
    const screen = await run.screen();
    expect(statusLines(screen)).toHaveLength(1);
    // Every row the live region drew fits the new width (the emulator would have wrapped longer ones).
    for (const line of screen) expect(line.length).toBeLessThanOrEqual(50);
    const prompt = screen.filter((line) => line.includes('Ask conduit'));
    expect(prompt).toHaveLength(1);
    await run.type('/quit\r');
    expect((await run.exited).exitCode).toBe(0);
  });

  it('fits a 40-column terminal', async () => {
    fake.enqueue({
      steps: [{ type: 'text', text: '- a list item that is much longer than forty columns wide\n- short' }],
    });
    const run = open({ cols: 40 });
    await run.waitFor(READY);
    await run.type('narrow\r');
    await run.waitFor('short');
    const all = await run.all();
    expect(all.join('\n')).toMatch(/• a list item that is much longer than\n {2}forty columns wide/);
    expect(statusLines(await run.screen())).toHaveLength(1);
    await run.type('/quit\r');
    expect((await run.exited).exitCode).toBe(0);
  });

  it('writes no colour with NO_COLOR', async () => {
    fake.enqueue({
      steps: [{ type: 'text', text: '# Heading\n\n```js\nconst x = 1;\n```\n\n- **bold** item' }],
    });
    const run = open({ cols: 80, env: { NO_COLOR: '1' } });
    await run.waitFor(READY);
    await run.type('plain please\r');
    await run.waitFor('bold item');
    await run.type('/quit\r');
    await run.exited;
    // SGR sequences other than the prompt's cursor (inverse video, 7/27) and resets.
    const sgr = [...run.bytes().matchAll(new RegExp(`${String.fromCharCode(27)}\\[([\\d;]*)m`, 'g'))].map(
      (m) => m[1],
    );
    const colours = sgr.filter((p) => !['', '0', '7', '27'].includes(p));
    expect(colours).toEqual([]);
  });
});
