import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  backspace,
  deleteWordBack,
  down,
  EMPTY_EDITOR,
  editorOf,
  home,
  insert,
  killToLineEnd,
  tokenAtCursor,
  up,
} from '../../../src/cli/tui/model/editor.js';
import { PromptHistory } from '../../../src/cli/tui/model/history.js';

describe('editor', () => {
  it('inserts, deletes and moves across lines keeping the column', () => {
    let s = insert(EMPTY_EDITOR, 'first line\nsecond');
    expect(s.cursor).toBe(17);
    s = up(s) ?? s;
    expect(s.cursor).toBe(6);
    expect(up(s)).toBeUndefined();
    s = down(s) ?? s;
    expect(s.cursor).toBe(17);
    expect(down(s)).toBeUndefined();
    s = home(s);
    expect(s.cursor).toBe(11);
    expect(backspace(s).text).toBe('first linesecond');
  });

  it('never splits a surrogate pair and deletes words', () => {
    expect(backspace(editorOf('ok 👍')).text).toBe('ok ');
    expect(deleteWordBack(editorOf('git commit -m')).text).toBe('git commit ');
    expect(killToLineEnd({ text: 'ab\ncd', cursor: 1 }).text).toBe('a\ncd');
  });

  it('finds the token being completed', () => {
    expect(tokenAtCursor(editorOf('look at @src/ind'))).toEqual({ start: 8, token: '@src/ind' });
  });
});

describe('prompt history', () => {
  it('walks back and forth, keeps the draft, and persists one entry per line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'conduit-history-')), 'prompt-history.jsonl');
    const h = new PromptHistory(file);
    h.add('one');
    h.add('two\nlines');
    h.add('two\nlines');
    expect(h.previous('draft')).toBe('two\nlines');
    expect(h.previous('x')).toBe('one');
    expect(h.previous('x')).toBeUndefined();
    expect(h.next()).toBe('two\nlines');
    expect(h.next()).toBe('draft');
    expect(readFileSync(file, 'utf8')).toBe('"one"\n"two\\nlines"\n');
    const reloaded = new PromptHistory(file);
    expect(reloaded.previous('')).toBe('two\nlines');
  });
});
