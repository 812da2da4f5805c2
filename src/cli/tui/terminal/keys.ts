// Turns raw terminal input into keys. Written here rather than taken from Ink because Ink 6 has no
// bracketed paste (its `usePaste` is Ink 7, which needs Node 22) and reports Shift+Enter only through its
// own kitty handling; this parser knows legacy sequences, xterm modifyOtherKeys, kitty CSI-u, bracketed
// paste and the replies to the start-up probes. It is incremental: a sequence split across reads is kept
// until the rest arrives, and a lone ESC waits for `flush()` (called after a short pause).

export interface Key {
  /** 'char' for text; otherwise the key: enter, newline, backspace, delete, up, down, left, right, home,
   *  end, pageup, pagedown, tab, backtab, escape, paste, or a letter with `ctrl`. */
  name: string;
  /** The text typed ('char') or pasted ('paste'). */
  text?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

/** Answers to the probes sent at start-up (kitty keyboard flags query, primary device attributes). */
export type Reply = { reply: 'kitty'; flags: number } | { reply: 'da1' };

export type Input = Key | Reply;

export function isReply(input: Input): input is Reply {
  return 'reply' in input;
}

const PASTE_START = '\u001b[200~';
const PASTE_END = '\u001b[201~';

const CSI_TILDE: Record<string, string> = {
  '1': 'home',
  '2': 'insert',
  '3': 'delete',
  '4': 'end',
  '5': 'pageup',
  '6': 'pagedown',
  '7': 'home',
  '8': 'end',
};
const CSI_LETTER: Record<string, string> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  Z: 'backtab',
};

function modifiers(param: string | undefined): Pick<Key, 'ctrl' | 'meta' | 'shift'> {
  const n = Number(param ?? '1') - 1;
  if (!(n > 0)) return {};
  return { shift: (n & 1) !== 0, meta: (n & 2) !== 0, ctrl: (n & 4) !== 0 };
}

/** A key given as a code point with modifiers (kitty CSI-u, modifyOtherKeys). */
function codepointKey(code: number, mods: Pick<Key, 'ctrl' | 'meta' | 'shift'>): Key {
  if (code === 13)
    return mods.shift || mods.meta || mods.ctrl ? { name: 'newline', ...mods } : { name: 'enter', ...mods };
  if (code === 9) return mods.shift ? { name: 'backtab' } : { name: 'tab', ...mods };
  if (code === 27) return { name: 'escape', ...mods };
  if (code === 127 || code === 8) return { name: 'backspace', ...mods };
  const ch = String.fromCodePoint(code);
  // Ctrl+J is a newline in the legacy encoding too.
  if (mods.ctrl && ch === 'j') return { name: 'newline', ...mods };
  if (mods.ctrl) return { name: ch.toLowerCase(), ...mods };
  if (mods.meta) return { name: ch, text: ch, ...mods };
  return { name: 'char', text: mods.shift ? ch.toUpperCase() : ch, ...mods };
}

function controlKey(code: number): Key {
  switch (code) {
    case 13:
      return { name: 'enter' };
    case 10:
      return { name: 'newline', ctrl: true };
    case 9:
      return { name: 'tab' };
    case 8:
    case 127:
      return { name: 'backspace' };
    case 0:
      return { name: 'space', ctrl: true };
    default:
      return { name: String.fromCharCode(code + 96), ctrl: true };
  }
}

export class KeyParser {
  private buffer = '';
  private pasting: string | undefined;

  /** True while an ESC (or an unfinished sequence) waits for more bytes. */
  get pending(): boolean {
    return this.buffer !== '' && this.pasting === undefined;
  }

  feed(chunk: string): Input[] {
    this.buffer += chunk;
    return this.drain(false);
  }

  /** Called after a pause: a waiting lone ESC is the Escape key. */
  flush(): Input[] {
    return this.drain(true);
  }

  private drain(final: boolean): Input[] {
    const out: Input[] = [];
    while (this.buffer.length > 0) {
      if (this.pasting !== undefined) {
        const end = this.buffer.indexOf(PASTE_END);
        if (end < 0) {
          // Keep a possible partial end marker in the buffer.
          const keep = partialSuffix(this.buffer, PASTE_END);
          this.pasting += this.buffer.slice(0, this.buffer.length - keep);
          this.buffer = this.buffer.slice(this.buffer.length - keep);
          break;
        }
        const text = this.pasting + this.buffer.slice(0, end);
        this.pasting = undefined;
        this.buffer = this.buffer.slice(end + PASTE_END.length);
        out.push({ name: 'paste', text: text.replace(/\r\n?/g, '\n') });
        continue;
      }
      const consumed = this.one(out, final);
      if (consumed === 0) break;
      this.buffer = this.buffer.slice(consumed);
    }
    return out;
  }

  /** Parses one key at the start of the buffer; returns how many characters it took (0: need more). */
  private one(out: Input[], final: boolean): number {
    const b = this.buffer;
    const code = b.codePointAt(0) ?? 0;
    if (code !== 27) {
      if (code < 32 || code === 127) {
        out.push(controlKey(code));
        return 1;
      }
      // A run of printable text is one key: typing fast or a paste without bracketing.
      let end = 0;
      while (end < b.length) {
        const cp = b.codePointAt(end) ?? 0;
        if (cp < 32 || cp === 127) break;
        end += cp > 0xffff ? 2 : 1;
      }
      out.push({ name: 'char', text: b.slice(0, end) });
      return end;
    }
    if (b.length === 1) {
      if (!final) return 0;
      out.push({ name: 'escape' });
      return 1;
    }
    const second = b[1];
    if (second === '[') return this.csi(out, final);
    if (second === 'O') {
      if (b.length < 3) return final ? this.meta(out, 'O') : 0;
      const name = CSI_LETTER[b[2]];
      out.push(name ? { name } : { name: 'escape' });
      return name ? 3 : 1;
    }
    if (second === '\u001b') {
      out.push({ name: 'escape' });
      return 1;
    }
    const inner = second.codePointAt(0) ?? 0;
    if (inner === 13) {
      out.push({ name: 'newline', meta: true });
      return 2;
    }
    if (inner === 127 || inner === 8) {
      out.push({ name: 'backspace', meta: true });
      return 2;
    }
    if (inner < 32) {
      out.push({ ...controlKey(inner), meta: true });
      return 2;
    }
    return this.meta(out, second);
  }

  private meta(out: Input[], ch: string): number {
    out.push({ name: ch, text: ch, meta: true });
    return 2;
  }

  private csi(out: Input[], final: boolean): number {
    const b = this.buffer;
    if (b.startsWith(PASTE_START)) {
      this.pasting = '';
      return PASTE_START.length;
    }
    let i = 2;
    while (i < b.length) {
      const cp = b.charCodeAt(i);
      if (cp >= 0x40 && cp <= 0x7e) break;
      if (cp < 0x20 || cp > 0x3f) {
        // Not a CSI after all (e.g. ESC [ then text): the ESC alone, the rest is typed text.
        out.push({ name: '[', text: '[', meta: true });
        return 2;
      }
      i++;
    }
    if (i >= b.length) {
      if (!final) return 0;
      out.push({ name: '[', text: '[', meta: true });
      return 2;
    }
    const params = b.slice(2, i);
    const last = b[i];
    const length = i + 1;
    if (params.startsWith('?')) {
      if (last === 'u') out.push({ reply: 'kitty', flags: Number(params.slice(1)) || 0 });
      else if (last === 'c') out.push({ reply: 'da1' });
      return length;
    }
    const parts = params.split(';');
    if (last === 'u') {
      const code = Number(parts[0].split(':')[0]);
      const mods = modifiers(parts[1]?.split(':')[0]);
      if (Number.isFinite(code)) out.push(codepointKey(code, mods));
      return length;
    }
    if (last === '~') {
      if (parts[0] === '27' && parts.length >= 3) {
        out.push(codepointKey(Number(parts[2]), modifiers(parts[1])));
        return length;
      }
      const name = CSI_TILDE[parts[0]];
      if (name) out.push({ name, ...modifiers(parts[1]) });
      return length;
    }
    const name = CSI_LETTER[last];
    if (name) out.push({ name, ...modifiers(parts[1]) });
    return length;
  }
}

function partialSuffix(text: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, text.length); n > 0; n--) {
    if (marker.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}
