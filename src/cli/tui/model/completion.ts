// Suggestions for what is being typed: slash commands (at the start of the prompt) and `@path` mentions
// (fuzzy over the repository's tracked files). Pure: the file list is handed in.

import fuzzysort from 'fuzzysort';
import { type EditorState, tokenAtCursor } from './editor.js';

export interface SlashCommand {
  name: string;
  description: string;
  /** Shown after the name, e.g. `[model] [effort]`. */
  args?: string;
}

export interface Suggestion {
  label: string;
  detail?: string;
  /** Replaces the token being completed. */
  insert: string;
}

export interface Completion {
  /** The range of the text the suggestion replaces. */
  start: number;
  end: number;
  items: Suggestion[];
}

const MAX_SUGGESTIONS = 8;

export interface FileIndex {
  files: readonly string[];
  prepared: ReturnType<typeof fuzzysort.prepare>[];
}

export function fileIndex(files: readonly string[]): FileIndex {
  return { files, prepared: files.map((f) => fuzzysort.prepare(f)) };
}

export function completionFor(
  s: EditorState,
  commands: readonly SlashCommand[],
  files: FileIndex | undefined,
): Completion | undefined {
  const { start, token } = tokenAtCursor(s);
  if (start === 0 && token.startsWith('/') && !s.text.slice(0, s.cursor).includes('\n')) {
    const word = token.slice(1).toLowerCase();
    const items = commands
      .filter((cmd) => cmd.name.startsWith(word))
      .map((cmd) => ({
        label: `/${cmd.name}${cmd.args ? ` ${cmd.args}` : ''}`,
        detail: cmd.description,
        insert: `/${cmd.name}`,
      }));
    return items.length ? { start, end: s.cursor, items: items.slice(0, MAX_SUGGESTIONS) } : undefined;
  }
  if (token.startsWith('@') && files) {
    const query = token.slice(1);
    const matches = query
      ? fuzzysort.go(query, files.prepared, { limit: MAX_SUGGESTIONS }).map((r) => r.target)
      : files.files.slice(0, MAX_SUGGESTIONS);
    const items = matches.map((path) => ({ label: path, insert: `@${path}` }));
    return items.length ? { start, end: s.cursor, items } : undefined;
  }
  return undefined;
}
