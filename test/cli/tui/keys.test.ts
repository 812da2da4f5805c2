import { describe, expect, it } from 'vitest';
import { KeyParser } from '../../../src/cli/tui/terminal/keys.js';

const parse = (...chunks: string[]) => {
  const p = new KeyParser();
  return chunks.flatMap((c) => p.feed(c));
};

describe('KeyParser', () => {
  it('reads text runs, Enter, and control keys', () => {
    expect(parse('hello\r')).toEqual([{ name: 'char', text: 'hello' }, { name: 'enter' }]);
    expect(parse('\u0003')).toEqual([{ name: 'c', ctrl: true }]);
    expect(parse('\n')).toEqual([{ name: 'newline', ctrl: true }]);
    expect(parse('\u007f')).toEqual([{ name: 'backspace' }]);
  });

  it('tells newline keys from Enter: Alt+Enter, kitty Shift+Enter, modifyOtherKeys Shift+Enter', () => {
    expect(parse('\u001b\r')).toEqual([{ name: 'newline', meta: true }]);
    expect(parse('\u001b[13;2u')[0]).toMatchObject({ name: 'newline', shift: true });
    expect(parse('\u001b[27;2;13~')[0]).toMatchObject({ name: 'newline', shift: true });
    expect(parse('\u001b[99;5u')[0]).toMatchObject({ name: 'c', ctrl: true });
  });

  it('reads arrows with and without modifiers, and sequences split across reads', () => {
    expect(parse('\u001b[A', '\u001bOB')).toEqual([{ name: 'up' }, { name: 'down' }]);
    expect(parse('\u001b[1;5D')[0]).toMatchObject({ name: 'left', ctrl: true });
    expect(parse('\u001b[', '3~')).toEqual([{ name: 'delete' }]);
  });

  it('waits for more after a lone ESC and calls it Escape on flush', () => {
    const p = new KeyParser();
    expect(p.feed('\u001b')).toEqual([]);
    expect(p.pending).toBe(true);
    expect(p.flush()).toEqual([{ name: 'escape' }]);
  });

  it('takes a bracketed paste whole, newlines and escapes included, even split across reads', () => {
    const keys = parse('\u001b[200~line one\r\nline', ' two\u001b[20', '1~x');
    expect(keys).toEqual([
      { name: 'paste', text: 'line one\nline two' },
      { name: 'char', text: 'x' },
    ]);
  });

  it('reports replies to terminal probes apart from keys', () => {
    expect(parse('\u001b[?1u\u001b[?62;22c')).toEqual([{ reply: 'kitty', flags: 1 }, { reply: 'da1' }]);
  });
});
