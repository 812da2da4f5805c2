import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { probeKittyKeyboard } from '../../../src/cli/tui/terminal/modes.js';

/** A terminal on streams: it answers the probe with `answer`, and the user has typed `typed` meanwhile. */
function terminal(answer: string, typed = '') {
  const stdin = new PassThrough({ encoding: 'utf8' }) as unknown as NodeJS.ReadStream;
  let written = '';
  const stdout = new Writable({
    write(chunk, _enc, done) {
      written += chunk.toString();
      (stdin as unknown as PassThrough).write(typed + answer);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  const rest = () => {
    const chunk = (stdin as unknown as PassThrough).read();
    return chunk === null ? '' : String(chunk);
  };
  return { stdin, stdout, written: () => written, rest };
}

describe('kitty keyboard probe', () => {
  it('finds the protocol when the flags answer comes before the device attributes', async () => {
    const t = terminal('\u001b[?0u\u001b[?62;22c');
    expect(await probeKittyKeyboard(t.stdin, t.stdout)).toBe(true);
    expect(t.written()).toBe('\u001b[?u\u001b[c');
  });

  it('does without it when only the device attributes come back, and keeps keys typed meanwhile', async () => {
    const t = terminal('\u001b[?62;22c', 'hi');
    expect(await probeKittyKeyboard(t.stdin, t.stdout)).toBe(false);
    expect(t.rest()).toBe('hi');
  });
});
