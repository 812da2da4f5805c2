import { describe, expect, it } from 'vitest';
import { BoundedCapture, countNewlines, utf8SafeEnd, utf8SafeStart } from '../../src/exec/capture.js';

describe('BoundedCapture', () => {
  it('keeps everything when the output fits', () => {
    const c = new BoundedCapture(8, 8);
    c.push(Buffer.from('ab\ncd'));
    c.push(Buffer.from('\nef'));
    expect(c.result()).toEqual({ text: 'ab\ncd\nef', totalBytes: 8, droppedBytes: 0, totalLines: 3 });
  });

  it('keeps head and tail of a long stream and counts what it dropped', () => {
    const c = new BoundedCapture(4, 4);
    for (const part of ['0123', '4567', '89ab', 'cdef', 'gh']) c.push(Buffer.from(part));
    expect(c.result()).toEqual({ text: '0123efgh', totalBytes: 18, droppedBytes: 10, totalLines: 1 });
  });

  it('handles a single chunk larger than both buffers', () => {
    const c = new BoundedCapture(3, 3);
    c.push(Buffer.from('abcdefghij\n'));
    expect(c.result()).toMatchObject({ text: 'abcij\n', droppedBytes: 5, totalLines: 1 });
  });

  it('wraps the tail ring correctly across many small pushes', () => {
    const c = new BoundedCapture(2, 5);
    const all = 'abcdefghijklmnopqrstuvwxyz';
    for (const ch of all) c.push(Buffer.from(ch));
    expect(c.result().text).toBe(`ab${all.slice(-5)}`);
  });

  it('never splits a UTF-8 character at either edge of the gap', () => {
    const c = new BoundedCapture(4, 4);
    c.push(Buffer.from('aé€x'.repeat(5))); // 1+2+3+1 bytes per group
    const { text, totalBytes, droppedBytes } = c.result();
    expect(text).not.toContain('\uFFFD');
    expect(Buffer.byteLength(text) + droppedBytes).toBe(totalBytes);
  });

  it('counts lines with and without a trailing newline', () => {
    const a = new BoundedCapture(0, 0);
    a.push(Buffer.from('x\ny\n'));
    expect(a.result().totalLines).toBe(2);
    expect(new BoundedCapture().result().totalLines).toBe(0);
  });
});

describe('UTF-8 boundaries', () => {
  it('finds a safe end before a partial character', () => {
    const euro = Buffer.from('a€'); // 61 e2 82 ac
    expect(utf8SafeEnd(euro.subarray(0, 3))).toBe(1);
    expect(utf8SafeEnd(euro)).toBe(4);
    expect(utf8SafeStart(euro.subarray(2))).toBe(2);
    expect(countNewlines(Buffer.from('\n\na\n'))).toBe(3);
  });
});
