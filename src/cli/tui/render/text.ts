// Line helpers shared by the renderers: everything the UI shows is first turned into lines that fit the
// terminal width, so the live region's height is known exactly before Ink lays it out.

import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

const PLAIN_ASCII = /^[ -~]*$/;

/** Wraps one logical line (may hold ANSI escapes) to `width` columns; long words are broken. */
export function wrapLine(line: string, width: number): string[] {
  if (line === '') return [''];
  const w = Math.max(1, width);
  // Plain ASCII (most prose and code) is wrapped here: wrap-ansi measures every word with string-width,
  // which made printing a long resumed transcript take most of a second.
  if (PLAIN_ASCII.test(line)) return wrapPlain(line, w);
  if (stringWidth(line) <= w) return [line];
  return wrapAnsi(line, w, { hard: true, trim: false, wordWrap: true }).split('\n');
}

/** Greedy word wrap of printable ASCII: breaks at spaces (dropping the space), cuts words longer than a row. */
export function wrapPlain(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = /^ */.exec(line)?.[0] ?? '';
  const rows: string[] = [];
  let row = indent.length < width ? indent : '';
  let fresh = true;
  for (const word of line.slice(indent.length).split(' ')) {
    if (!fresh && row.length + 1 + word.length <= width) {
      row += ` ${word}`;
      continue;
    }
    if (!fresh) {
      rows.push(row);
      row = '';
    }
    let rest = word;
    while (row.length + rest.length > width) {
      const take = width - row.length;
      rows.push(row + rest.slice(0, take));
      row = '';
      rest = rest.slice(take);
    }
    row += rest;
    fresh = false;
  }
  rows.push(row);
  return rows;
}

/** Wraps text with a prefix on the first line and `indent` on the continuation lines. */
export function wrapWithPrefix(text: string, width: number, prefix: string, indent: string): string[] {
  const inner = Math.max(1, width - stringWidth(prefix));
  const out: string[] = [];
  for (const [i, line] of wrapLine(text, inner).entries()) out.push((i === 0 ? prefix : indent) + line);
  return out;
}

/** Cuts a line to `width` columns, ending in `…` when it was longer. */
export function truncateLine(line: string, width: number): string {
  if (stringWidth(line) <= width) return line;
  if (width <= 1) return '…';
  const head = wrapAnsi(line, width - 1, { hard: true, trim: false, wordWrap: false }).split('\n')[0];
  return `${head}…`;
}

/** Splits output text into lines, dropping one trailing newline and carriage returns. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => line.replace(/\r/g, ''));
}

// Built from character codes: the patterns are about control characters, which Biome will not let a
// regular expression spell out.
const ch = (code: number) => String.fromCharCode(code);
const ESC = ch(27);
const CSI = new RegExp(`${ESC}\\[[0-?]*[ -/]*[@-~]`, 'g');
const OSC = new RegExp(`${ESC}\\][^${ch(7)}${ESC}]*(${ch(7)}|${ESC}\\\\)?`, 'g');
const ESC_OTHER = new RegExp(`${ESC}[@-_]?`, 'g');
/** C0 controls except tab and newline, and DEL. */
const C0 = new RegExp(`[${ch(0)}-${ch(8)}${ch(11)}-${ch(31)}${ch(127)}]`, 'g');

/** Removes terminal control sequences from text that came from a program or the model. */
export function stripControls(text: string): string {
  // Tabs become spaces so widths stay right.
  return text.replace(CSI, '').replace(OSC, '').replace(ESC_OTHER, '').replace(C0, '').replace(/\t/g, '    ');
}

export { stringWidth };
