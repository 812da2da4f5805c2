// Terminal modes the UI turns on (raw input, bracketed paste) and restores on every way out: a normal quit,
// a signal, an uncaught error. Restoring twice is harmless.

const BRACKETED_PASTE_ON = '\u001b[?2004h';
const BRACKETED_PASTE_OFF = '\u001b[?2004l';
const SHOW_CURSOR = '\u001b[?25h';

export function enterInteractive(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): () => void {
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  stdout.write(BRACKETED_PASTE_ON);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      stdout.write(BRACKETED_PASTE_OFF + SHOW_CURSOR);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    } catch {
      // the terminal is gone (SIGHUP)
    }
  };
  process.once('exit', restore);
  return restore;
}
