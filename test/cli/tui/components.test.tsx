// The UI's pieces rendered with ink-testing-library: what they show and what each key does.

import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SLASH_COMMANDS } from '../../../src/cli/tui/commands.js';
import { ApprovalPrompt } from '../../../src/cli/tui/components/approval-prompt.js';
import { Composer } from '../../../src/cli/tui/components/composer.js';
import { DiffView } from '../../../src/cli/tui/components/diff-view.js';
import { fileIndex } from '../../../src/cli/tui/model/completion.js';
import { PromptHistory } from '../../../src/cli/tui/model/history.js';
import { stripControls } from '../../../src/cli/tui/render/text.js';
import { PLAIN_THEME } from '../../../src/cli/tui/render/theme.js';

/** The frame without the cursor's inverse-video escapes. */
const plain = (frame: string | undefined) => stripControls(frame ?? '');
/** Polls until the assertion holds (React applies key-driven updates asynchronously). */
async function until(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
/** Waits until the component under test reads keys. */
const listening = (stdin: { listenerCount(event: string): number }) =>
  until(() => expect(stdin.listenerCount('data')).toBeGreaterThan(0));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function mount(node: React.ReactElement) {
  const r = render(node);
  cleanups.push(r.unmount);
  return r;
}

describe('ApprovalPrompt', () => {
  const exec = {
    kind: 'exec' as const,
    callId: 'c1',
    command: ['bash', '-lc', 'git commit -m "wip"'],
    cwd: '/repo',
    reason: 'writes outside the sandbox',
    sessionScope: ['git commit …'],
  };

  it('shows the command, the reason, and the scope "for this session" covers', () => {
    const { lastFrame } = mount(
      <ApprovalPrompt approval={exec} width={90} maxLines={20} theme={PLAIN_THEME} onDecision={() => {}} />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Allow this command?');
    expect(frame).toContain('$ git commit -m "wip"');
    expect(frame).toContain('in /repo');
    expect(frame).toContain('reason: writes outside the sandbox');
    expect(frame).toContain("a   Yes, and don't ask again this session for: git commit …");
  });

  it('answers with one key each: y, a, n, and Esc aborts', async () => {
    for (const [key, decision] of [
      ['y', 'approved'],
      ['a', 'approved_for_session'],
      ['n', 'denied'],
      ['\u001b', 'abort'],
    ] as const) {
      const onDecision = vi.fn();
      const { stdin } = mount(
        <ApprovalPrompt
          approval={exec}
          width={90}
          maxLines={20}
          theme={PLAIN_THEME}
          onDecision={onDecision}
        />,
      );
      await listening(stdin);
      stdin.write(key);
      await until(() => expect(onDecision).toHaveBeenCalledWith(decision));
    }
  });

  it('shows a patch diff cut to fit, and prints the whole diff on d', async () => {
    const content = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const onShowDiff = vi.fn();
    const { lastFrame, stdin } = mount(
      <ApprovalPrompt
        approval={{ kind: 'patch', callId: 'p', changes: { 'big.txt': { type: 'add', content } } }}
        width={90}
        maxLines={15}
        theme={PLAIN_THEME}
        onDecision={() => {}}
        onShowDiff={onShowDiff}
      />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Allow these file changes?');
    expect(frame).toContain('+++ big.txt (new)');
    expect(frame).toMatch(/… \+\d+ more diff lines/);
    expect(frame.split('\n').length).toBeLessThanOrEqual(15);
    await listening(stdin);
    stdin.write('d');
    await until(() => expect(onShowDiff).toHaveBeenCalled());
  });
});

describe('DiffView', () => {
  it('shows file changes as a diff with headers', () => {
    const { lastFrame } = mount(
      <DiffView
        width={80}
        theme={PLAIN_THEME}
        changes={{
          'a.txt': { type: 'update', unified_diff: '--- a.txt\n+++ a.txt\n@@ -1 +1 @@\n-old\n+new\n' },
          'b.txt': { type: 'delete', content: 'gone\n' },
        }}
      />,
    );
    expect(lastFrame()).toBe(
      ['*** a.txt', '@@ -1 +1 @@', '-old', '+new', '--- b.txt (deleted)', '-gone'].join('\n'),
    );
  });

  it('cuts a long unified diff with a count', () => {
    const diff = Array.from({ length: 30 }, (_, i) => `+added ${i}`).join('\n');
    const { lastFrame } = mount(<DiffView width={80} theme={PLAIN_THEME} diff={diff} maxLines={5} />);
    expect(lastFrame()?.split('\n')).toEqual([
      '+added 0',
      '+added 1',
      '+added 2',
      '+added 3',
      '… +26 more diff lines',
    ]);
  });
});

describe('Composer', () => {
  const files = fileIndex(['README.md', 'src/index.ts', 'src/cli/main.ts', 'docs/tui.md']);
  const composer = (onSubmit = vi.fn(), history?: PromptHistory) =>
    mount(
      <Composer
        width={80}
        maxLines={12}
        theme={PLAIN_THEME}
        commands={SLASH_COMMANDS}
        files={files}
        history={history}
        onSubmit={onSubmit}
      />,
    );

  it('completes slash commands with Tab and lists them with descriptions', async () => {
    const onSubmit = vi.fn();
    const { stdin, lastFrame } = composer(onSubmit);
    await listening(stdin);
    stdin.write('/mo');
    await until(() => expect(lastFrame()).toContain('▸ /model [model] [effort]  switch the model'));
    stdin.write('\t');
    await until(() => expect(plain(lastFrame())).toContain('› /model '));
    stdin.write('gpt-4.1\r');
    await until(() => expect(onSubmit).toHaveBeenCalledWith('/model gpt-4.1'));
  });

  it('completes @path mentions fuzzily over the tracked files', async () => {
    const { stdin, lastFrame } = composer();
    await listening(stdin);
    stdin.write('read @tuimd');
    await until(() => expect(lastFrame()).toContain('▸ docs/tui.md'));
    stdin.write('\r');
    await until(() => expect(plain(lastFrame())).toContain('› read @docs/tui.md '));
  });

  it('makes newlines with Alt+Enter, Ctrl+J and a trailing backslash; Enter submits the whole text', async () => {
    const onSubmit = vi.fn();
    const { stdin } = composer(onSubmit);
    await listening(stdin);
    stdin.write('one\u001b\rtwo\nthree\\\rfour\r');
    await until(() => expect(onSubmit).toHaveBeenCalledWith('one\ntwo\nthree\nfour'));
  });

  it('inserts a bracketed paste as text, Enter inside it included', async () => {
    const onSubmit = vi.fn();
    const { stdin } = composer(onSubmit);
    await listening(stdin);
    stdin.write('\u001b[200~pasted\rtext\u001b[201~');
    await until(() => expect(onSubmit).not.toHaveBeenCalled());
    stdin.write('\r');
    await until(() => expect(onSubmit).toHaveBeenCalledWith('pasted\ntext'));
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it('recalls earlier prompts with ↑', async () => {
    const history = new PromptHistory(undefined, ['earlier prompt']);
    const { stdin, lastFrame } = composer(vi.fn(), history);
    await listening(stdin);
    stdin.write('\u001b[A');
    await until(() => expect(plain(lastFrame())).toContain('› earlier prompt'));
  });
});
