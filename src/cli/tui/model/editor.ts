// The prompt being typed: text and a cursor (an index into the text), changed by pure functions so every
// editing key is a unit test. Multi-line: newlines are part of the text.

export interface EditorState {
  text: string;
  cursor: number;
}

export const EMPTY_EDITOR: EditorState = { text: '', cursor: 0 };

export function editorOf(text: string): EditorState {
  return { text, cursor: text.length };
}

export function insert(s: EditorState, str: string): EditorState {
  return { text: s.text.slice(0, s.cursor) + str + s.text.slice(s.cursor), cursor: s.cursor + str.length };
}

/** Index of the previous code point boundary (so a backspace never splits a surrogate pair). */
function prevIndex(text: string, i: number): number {
  if (i <= 0) return 0;
  const code = text.charCodeAt(i - 1);
  return code >= 0xdc00 && code <= 0xdfff && i >= 2 ? i - 2 : i - 1;
}

function nextIndex(text: string, i: number): number {
  if (i >= text.length) return text.length;
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 2 <= text.length ? i + 2 : i + 1;
}

export function backspace(s: EditorState): EditorState {
  if (s.cursor === 0) return s;
  const at = prevIndex(s.text, s.cursor);
  return { text: s.text.slice(0, at) + s.text.slice(s.cursor), cursor: at };
}

export function deleteForward(s: EditorState): EditorState {
  if (s.cursor >= s.text.length) return s;
  return { text: s.text.slice(0, s.cursor) + s.text.slice(nextIndex(s.text, s.cursor)), cursor: s.cursor };
}

export function left(s: EditorState): EditorState {
  return { ...s, cursor: prevIndex(s.text, s.cursor) };
}

export function right(s: EditorState): EditorState {
  return { ...s, cursor: nextIndex(s.text, s.cursor) };
}

function lineStart(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}

function lineEnd(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n;
}

export function home(s: EditorState): EditorState {
  return { ...s, cursor: lineStart(s.text, s.cursor) };
}

export function end(s: EditorState): EditorState {
  return { ...s, cursor: lineEnd(s.text, s.cursor) };
}

/** Moves up a line; undefined when the cursor is already on the first line (the caller goes to history). */
export function up(s: EditorState): EditorState | undefined {
  const start = lineStart(s.text, s.cursor);
  if (start === 0) return undefined;
  const col = s.cursor - start;
  const prevStart = lineStart(s.text, start - 1);
  return { ...s, cursor: Math.min(prevStart + col, start - 1) };
}

/** Moves down a line; undefined on the last line. */
export function down(s: EditorState): EditorState | undefined {
  const endOfLine = lineEnd(s.text, s.cursor);
  if (endOfLine >= s.text.length) return undefined;
  const col = s.cursor - lineStart(s.text, s.cursor);
  const nextStart = endOfLine + 1;
  return { ...s, cursor: Math.min(nextStart + col, lineEnd(s.text, nextStart)) };
}

export function deleteWordBack(s: EditorState): EditorState {
  let i = s.cursor;
  while (i > 0 && /\s/.test(s.text[i - 1])) i--;
  while (i > 0 && !/\s/.test(s.text[i - 1])) i--;
  return { text: s.text.slice(0, i) + s.text.slice(s.cursor), cursor: i };
}

export function killToLineStart(s: EditorState): EditorState {
  const start = lineStart(s.text, s.cursor);
  return { text: s.text.slice(0, start) + s.text.slice(s.cursor), cursor: start };
}

export function killToLineEnd(s: EditorState): EditorState {
  const stop = lineEnd(s.text, s.cursor);
  const to = stop === s.cursor && stop < s.text.length ? stop + 1 : stop;
  return { text: s.text.slice(0, s.cursor) + s.text.slice(to), cursor: s.cursor };
}

/** The word being typed at the cursor (from the last whitespace), for completion. */
export function tokenAtCursor(s: EditorState): { start: number; token: string } {
  let i = s.cursor;
  while (i > 0 && !/\s/.test(s.text[i - 1])) i--;
  return { start: i, token: s.text.slice(i, s.cursor) };
}

export function replaceRange(s: EditorState, start: number, stop: number, text: string): EditorState {
  return { text: s.text.slice(0, start) + text + s.text.slice(stop), cursor: start + text.length };
}
