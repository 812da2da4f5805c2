// The prompt: multi-line editing, history, completion of slash commands and @paths, paste. Enter submits;
// Shift+Enter, Alt+Enter, Ctrl+J or a trailing `\` make a newline. Keys that concern the whole session
// (Esc, Ctrl+C on an empty prompt, Ctrl+D) go to the callbacks.

import { useRef, useState } from 'react';
import { type Completion, completionFor, type FileIndex, type SlashCommand } from '../model/completion.js';
import {
  backspace,
  deleteForward,
  deleteWordBack,
  type EditorState,
  EMPTY_EDITOR,
  editorOf,
  end,
  home,
  insert,
  killToLineEnd,
  killToLineStart,
  left,
  down as moveDown,
  up as moveUp,
  replaceRange,
  right,
} from '../model/editor.js';
import type { PromptHistory } from '../model/history.js';
import { stripControls, truncateLine, wrapLine } from '../render/text.js';
import type { Theme } from '../render/theme.js';
import type { Key } from '../terminal/keys.js';
import { Lines } from './lines.js';
import { useKeys } from './use-keys.js';

const INVERSE_ON = '\u001b[7m';
const INVERSE_OFF = '\u001b[27m';
const INVERSE = (ch: string) => `${INVERSE_ON}${ch}${INVERSE_OFF}`;
const MAX_INPUT_LINES = 10;

export interface ComposerProps {
  width: number;
  maxLines: number;
  theme: Theme;
  commands: readonly SlashCommand[];
  files?: FileIndex;
  history?: PromptHistory;
  active?: boolean;
  /** Kept mounted (the draft survives an approval) but not drawn. */
  hidden?: boolean;
  placeholder?: string;
  onSubmit: (text: string) => void;
  /** Esc with nothing to dismiss. */
  onEscape?: () => void;
  /** Ctrl+C on an empty prompt. */
  onCtrlC?: () => void;
  /** Ctrl+D on an empty prompt. */
  onQuit?: () => void;
  /** Any other key (resets a pending "press again to quit"). */
  onKey?: () => void;
}

/** The input box as lines: the text with a cursor, at most `maxLines` rows around the cursor. */
export function editorLines(
  s: EditorState,
  width: number,
  theme: Theme,
  maxLines: number,
  placeholder = '',
): string[] {
  const prompt = theme.c.cyan.bold('› ');
  if (s.text === '') return [truncateLine(`${prompt}${INVERSE(' ')}${theme.c.dim(placeholder)}`, width)];
  const before = stripControls(s.text.slice(0, s.cursor));
  const after = stripControls(s.text.slice(s.cursor));
  // The cursor is the character under it in inverse video (a space at the end of a line).
  const under = after === '' || after[0] === '\n' ? ' ' : String.fromCodePoint(after.codePointAt(0) ?? 32);
  const rest = under === ' ' && (after === '' || after[0] === '\n') ? after : after.slice(under.length);
  const marked = `${before}${INVERSE_ON}${under}${INVERSE_OFF}${rest}`;
  const rows: string[] = [];
  for (const [i, logical] of marked.split('\n').entries()) {
    for (const [j, row] of wrapLine(logical, width - 3).entries())
      rows.push((i === 0 && j === 0 ? prompt : '  ') + row);
  }
  let cursorRow = rows.findIndex((row) => row.includes(INVERSE_ON));
  if (cursorRow < 0) cursorRow = rows.length - 1;
  const shown = rows;
  const max = Math.max(1, Math.min(maxLines, MAX_INPUT_LINES));
  if (shown.length <= max) return shown;
  const start = Math.min(Math.max(0, cursorRow - max + 1), shown.length - max);
  return shown.slice(start, start + max);
}

export function completionLines(
  completion: Completion,
  selected: number,
  width: number,
  theme: Theme,
): string[] {
  return completion.items.map((item, i) => {
    const label = i === selected ? theme.c.cyan.bold(`▸ ${item.label}`) : `  ${item.label}`;
    return truncateLine(item.detail ? `${label}  ${theme.c.dim(item.detail)}` : label, width);
  });
}

export function Composer(props: ComposerProps) {
  const { width, maxLines, theme, commands, files, history } = props;
  // Several keys can arrive in one read ("hello" then Enter): each must see the state the previous one
  // left, so the state lives in a ref and a counter re-renders.
  const state = useRef<{ editor: EditorState; selected: number; dismissed?: string }>({
    editor: EMPTY_EDITOR,
    selected: 0,
  });
  const [, rerender] = useState(0);
  const completionNow = () => {
    const { editor, dismissed } = state.current;
    return dismissed === editor.text ? undefined : completionFor(editor, commands, files);
  };
  const setEditor = (editor: EditorState) => {
    state.current = { ...state.current, editor };
    rerender((n) => n + 1);
  };
  const setSelected = (selected: number) => {
    state.current = { ...state.current, selected };
    rerender((n) => n + 1);
  };
  const setDismissed = (dismissed: string) => {
    state.current = { ...state.current, dismissed };
    rerender((n) => n + 1);
  };
  const change = (editor: EditorState) => {
    state.current = { editor, selected: 0 };
    rerender((n) => n + 1);
  };

  const handle = (key: Key) => {
    const { editor, selected } = state.current;
    const completion = completionNow();
    const accept = (c: Completion) => {
      const item = c.items[Math.min(selected, c.items.length - 1)];
      change(replaceRange(editor, c.start, c.end, `${item.insert} `));
    };
    const submit = () => {
      const text = editor.text;
      if (text.trim() === '') return;
      history?.add(text);
      change(EMPTY_EDITOR);
      props.onSubmit(text);
    };
    if (!(key.ctrl && (key.name === 'c' || key.name === 'd'))) props.onKey?.();
    if (completion) {
      if (key.name === 'up')
        return setSelected((selected + completion.items.length - 1) % completion.items.length);
      if (key.name === 'down') return setSelected((selected + 1) % completion.items.length);
      if (key.name === 'tab') return accept(completion);
      if (key.name === 'escape') return setDismissed(editor.text);
      if (key.name === 'enter') {
        const exact =
          editor.text.startsWith('/') && commands.some((cmd) => `/${cmd.name}` === editor.text.trim());
        if (!exact) return accept(completion);
      }
    }
    switch (key.name) {
      case 'char':
      case 'paste':
        return change(insert(editor, (key.text ?? '').replace(/\r\n?/g, '\n')));
      case 'enter':
        if (editor.cursor > 0 && editor.text[editor.cursor - 1] === '\\') {
          return change(insert(backspace(editor), '\n'));
        }
        return submit();
      case 'newline':
        return change(insert(editor, '\n'));
      case 'backspace':
        return change(key.meta || key.ctrl ? deleteWordBack(editor) : backspace(editor));
      case 'delete':
        return change(deleteForward(editor));
      case 'left':
        return setEditor(left(editor));
      case 'right':
        return setEditor(right(editor));
      case 'home':
        return setEditor(home(editor));
      case 'end':
        return setEditor(end(editor));
      case 'up': {
        const moved = moveUp(editor);
        if (moved) return setEditor(moved);
        const prev = history?.previous(editor.text);
        if (prev !== undefined) change(editorOf(prev));
        return;
      }
      case 'down': {
        const moved = moveDown(editor);
        if (moved) return setEditor(moved);
        const next = history?.next();
        if (next !== undefined) change(editorOf(next));
        return;
      }
      case 'escape':
        return props.onEscape?.();
    }
    if (!key.ctrl) return;
    switch (key.name) {
      case 'c':
        if (editor.text !== '') return change(EMPTY_EDITOR);
        return props.onCtrlC?.();
      case 'd':
        if (editor.text === '') return props.onQuit?.();
        return change(deleteForward(editor));
      case 'a':
        return setEditor(home(editor));
      case 'e':
        return setEditor(end(editor));
      case 'u':
        return change(killToLineStart(editor));
      case 'k':
        return change(killToLineEnd(editor));
      case 'w':
        return change(deleteWordBack(editor));
    }
  };
  useKeys(handle, props.active !== false);

  const { editor, selected } = state.current;
  const completion = completionNow();
  const popup = completion
    ? completionLines(completion, Math.min(selected, completion.items.length - 1), width, theme)
    : [];
  const inputMax = Math.max(1, maxLines - popup.length - 1);
  const lines = [
    theme.c.dim('─'.repeat(Math.max(1, width))),
    ...editorLines(editor, width, theme, inputMax, props.placeholder),
    ...popup,
  ].slice(0, Math.max(1, maxLines));
  return props.hidden ? null : <Lines lines={lines} />;
}
