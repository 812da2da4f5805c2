// Terminal modes the UI turns on (raw input, bracketed paste, the kitty keyboard protocol where the terminal
// has it) and restores on every way out: a normal quit, a signal, an uncaught error. Restoring twice is
// harmless.

import { isReply, KeyParser } from './keys.js';

const BRACKETED_PASTE_ON = '\u001b[?2004h';
const BRACKETED_PASTE_OFF = '\u001b[?2004l';
const SHOW_CURSOR = '\u001b[?25h';
/** Ask for the kitty keyboard flags, then for the primary device attributes, which every terminal answers. */
const KEYBOARD_PROBE = '\u001b[?u\u001b[c';
/** Push flag 1 ("disambiguate"): Shift+Enter, Ctrl+letters and Esc arrive as distinct CSI-u keys. */
const KITTY_PUSH = '\u001b[>1u';
const KITTY_POP = '\u001b[<u';
/** The answers to the probe (built from a character code: Biome will not let a regex literal spell ESC). */
const PROBE_REPLIES = new RegExp(`${String.fromCharCode(27)}\\[\\?[\\d;]*[uc]`, 'g');
/** A terminal that answers neither probe is given up on after this long. */
const PROBE_TIMEOUT_MS = 200;

/**
 * Whether the terminal speaks the kitty keyboard protocol: its answer to the flags query comes before the
 * answer to DA1; a terminal without it answers only DA1. Keys typed during the probe are put back.
 */
export function probeKittyKeyboard(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): Promise<boolean> {
  return new Promise((resolve) => {
    const parser = new KeyParser();
    let kitty = false;
    let raw = '';
    const finish = () => {
      clearTimeout(timer);
      stdin.off('data', onData);
      stdin.pause();
      // Whatever was not a probe answer was typed by the user: hand it back to the reader that follows.
      const rest = raw.replace(PROBE_REPLIES, '');
      if (rest) stdin.unshift(rest, 'utf8');
      resolve(kitty);
    };
    const onData = (data: string | Buffer) => {
      const text = typeof data === 'string' ? data : data.toString('utf8');
      raw += text;
      for (const input of parser.feed(text)) {
        if (!isReply(input)) continue;
        if (input.reply === 'kitty') kitty = true;
        else return finish();
      }
    };
    const timer = setTimeout(finish, PROBE_TIMEOUT_MS);
    stdin.on('data', onData);
    stdin.resume();
    stdout.write(KEYBOARD_PROBE);
  });
}

export async function enterInteractive(
  stdin: NodeJS.ReadStream,
  stdout: NodeJS.WriteStream,
): Promise<() => void> {
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  const kitty = process.env.CONDUIT_KITTY_KEYBOARD === '0' ? false : await probeKittyKeyboard(stdin, stdout);
  stdin.resume();
  stdout.write(BRACKETED_PASTE_ON + (kitty ? KITTY_PUSH : ''));
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      stdout.write(BRACKETED_PASTE_OFF + (kitty ? KITTY_POP : '') + SHOW_CURSOR);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    } catch {
      // the terminal is gone (SIGHUP)
    }
  };
  process.once('exit', restore);
  return restore;
}
