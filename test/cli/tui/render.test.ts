import { describe, expect, it } from 'vitest';
import { cutStream } from '../../../src/cli/tui/model/stream.js';
import { renderCell } from '../../../src/cli/tui/render/cells.js';
import { foldLines } from '../../../src/cli/tui/render/fold.js';
import { currentHighlighter, loadHighlighter } from '../../../src/cli/tui/render/highlight.js';
import { renderMarkdown } from '../../../src/cli/tui/render/markdown.js';
import { stringWidth, stripControls } from '../../../src/cli/tui/render/text.js';
import { colourLevel, createTheme, PLAIN_THEME } from '../../../src/cli/tui/render/theme.js';

const COLOUR = createTheme(3);

describe('markdown', () => {
  it('renders headings, lists, quotes and code without markup characters', () => {
    const lines = renderMarkdown(
      '## Steps\n\n1. **build** it\n2. run `npm test`\n\n> note\n\n```\nplain code\n```',
      {
        width: 60,
        theme: PLAIN_THEME,
      },
    );
    expect(lines).toEqual([
      '## Steps',
      '',
      '1. build it',
      '2. run npm test',
      '',
      '│ note',
      '',
      '│ plain code',
    ]);
  });

  it('colours code blocks by language once the highlighter is loaded', async () => {
    await loadHighlighter();
    const lines = renderMarkdown('```ts\nconst x: number = 1;\n```', {
      width: 60,
      theme: COLOUR,
      highlight: currentHighlighter(),
    });
    expect(lines[0]).toContain('ts');
    expect(lines[1]).toContain('\u001b[');
    expect(stripControls(lines[1])).toBe('│ const x: number = 1;');
  });

  it('wraps to the width and strips escape sequences the model sent', () => {
    const lines = renderMarkdown(`${'word '.repeat(30)}\u001b[2J`, { width: 40, theme: PLAIN_THEME });
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(40);
    expect(lines.join('')).not.toContain('\u001b');
  });
});

describe('streaming cuts', () => {
  it('prints whole blocks once a blank line ends them, never inside a code fence', () => {
    expect(cutStream('para one\n\npara tw', 40)).toEqual({ commit: 'para one', rest: 'para tw' });
    expect(cutStream('```\ncode\n\nmore', 40)).toEqual({ commit: '', rest: '```\ncode\n\nmore' });
  });

  it('cuts a long code block inside the fence, closing and reopening it', () => {
    const text = `\`\`\`js\n${Array.from({ length: 50 }, (_, i) => `line${i}`).join('\n')}\n`;
    const cut = cutStream(text, 20);
    expect(cut.commit.endsWith('\n```')).toBe(true);
    expect(cut.rest.startsWith('```js\n')).toBe(true);
    expect(cut.rest.split('\n').length).toBeLessThanOrEqual(20);
  });
});

describe('cells', () => {
  it('folds long command output with the count of hidden lines', () => {
    const lines = Array.from({ length: 100 }, (_, i) => String(i + 1));
    const folded = foldLines(lines, 5, 5);
    const out = renderCell(
      {
        id: 1,
        kind: 'exec',
        command: 'seq 100',
        exitCode: 0,
        durationMs: 1200,
        output: folded.lines,
        hidden: folded.hidden,
        hiddenAt: folded.at,
      },
      80,
      PLAIN_THEME,
    );
    expect(out).toEqual([
      '$ seq 100',
      '  1',
      '  2',
      '  3',
      '  4',
      '  5',
      '  … +90 lines',
      '  96',
      '  97',
      '  98',
      '  99',
      '  100',
      '  ✓ 1.2s',
      '',
    ]);
  });

  it('colours diffs: additions green, removals red', () => {
    const out = renderCell(
      { id: 2, kind: 'diff', title: 'diff', diff: '@@ -1 +1 @@\n-old\n+new' },
      80,
      COLOUR,
    );
    expect(out[2]).toBe('\u001b[31m-old\u001b[39m');
    expect(out[3]).toBe('\u001b[32m+new\u001b[39m');
  });
});

describe('colour level', () => {
  it('follows NO_COLOR, then FORCE_COLOR, then the terminal', () => {
    const tty = { isTTY: true, getColorDepth: () => 8 };
    expect(colourLevel({ NO_COLOR: '1', FORCE_COLOR: '3' }, tty)).toBe(0);
    expect(colourLevel({ FORCE_COLOR: '0' }, tty)).toBe(0);
    expect(colourLevel({}, tty)).toBe(2);
    expect(colourLevel({}, { isTTY: false })).toBe(0);
    expect(colourLevel({ TERM: 'dumb' }, tty)).toBe(0);
  });
});

describe('wrapping', () => {
  it('wraps plain text as wrap-ansi does (without its stray leading spaces), cutting words longer than a row', async () => {
    const { default: wrapAnsi } = await import('wrap-ansi');
    const { wrapPlain } = await import('../../../src/cli/tui/render/text.js');
    const samples = [
      'the quick brown fox jumps over the lazy dog and keeps running far away',
      'averyveryverylongwordthatdoesnotfitinonerowatall and then short words',
      'short',
    ];
    for (const text of samples) {
      for (const width of [10, 17, 30]) {
        const expected = wrapAnsi(text, width, { hard: true, trim: true, wordWrap: true }).split('\n');
        expect(wrapPlain(text, width)).toEqual(expected);
      }
    }
    expect(wrapPlain('  indented words here', 12)).toEqual(['  indented', 'words here']);
  });
});
