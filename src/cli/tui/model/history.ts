// Prompt history for ↑/↓: the user's earlier prompts, newest last, persisted per user in
// $CONDUIT_HOME/prompt-history.jsonl (one JSON string per line, appended; the file is cut back to its last
// MAX_ENTRIES lines when it grows past twice that). A bad line is skipped, never fatal.

import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MAX_ENTRIES = 1000;

export function historyPath(conduitHome: string): string {
  return join(conduitHome, 'prompt-history.jsonl');
}

export class PromptHistory {
  private entries: string[];
  /** Position while browsing: entries.length means "the draft". */
  private index: number;
  private draft = '';

  constructor(
    private readonly file: string | undefined,
    initial?: string[],
  ) {
    this.entries = initial ?? (file ? readHistory(file) : []);
    this.index = this.entries.length;
  }

  /** The entry before the current one, or undefined at the oldest. `current` is kept as the draft. */
  previous(current: string): string | undefined {
    if (this.index === 0) return undefined;
    if (this.index === this.entries.length) this.draft = current;
    this.index--;
    return this.entries[this.index];
  }

  /** The entry after the current one (the draft past the newest), or undefined when not browsing. */
  next(): string | undefined {
    if (this.index >= this.entries.length) return undefined;
    this.index++;
    return this.index === this.entries.length ? this.draft : this.entries[this.index];
  }

  add(text: string): void {
    this.index = this.entries.length;
    if (text.trim() === '' || this.entries[this.entries.length - 1] === text) {
      this.index = this.entries.length;
      return;
    }
    this.entries.push(text);
    this.index = this.entries.length;
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, `${JSON.stringify(text)}\n`, { mode: 0o600 });
      if (this.entries.length > 2 * MAX_ENTRIES) {
        this.entries = this.entries.slice(-MAX_ENTRIES);
        this.index = this.entries.length;
        writeFileSync(this.file, this.entries.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
      }
    } catch {
      // History is a convenience: a read-only home must not stop the session.
    }
  }
}

function readHistory(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const entries: string[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'string') entries.push(value);
    } catch {
      // a torn or foreign line
    }
  }
  return entries.slice(-MAX_ENTRIES);
}
