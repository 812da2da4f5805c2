// The bottom line: model, directory, context left, and what the agent is doing with the elapsed time.

import { homedir } from 'node:os';
import { truncateLine } from '../render/text.js';
import type { Theme } from '../render/theme.js';

export interface StatusInfo {
  model: string;
  cwd: string;
  /** Percent of the context window left, when known. */
  contextLeft?: number;
  activity?: string;
  /** Milliseconds since the activity started. */
  elapsedMs?: number;
  hint?: string;
}

export function shortPath(path: string, home = homedir()): string {
  return home && (path === home || path.startsWith(`${home}/`)) ? `~${path.slice(home.length)}` : path;
}

export function statusLine(s: StatusInfo, width: number, theme: Theme): string {
  const { c } = theme;
  const parts = [c.bold(s.model), shortPath(s.cwd)];
  if (s.contextLeft !== undefined) parts.push(`${s.contextLeft}% context left`);
  let line = c.dim(parts.join(' · '));
  if (s.activity) {
    const elapsed = s.elapsedMs !== undefined ? ` (${elapsedText(s.elapsedMs)})` : '';
    line = `${c.cyan(`● ${s.activity}${elapsed}`)} ${c.dim('· esc interrupts ·')} ${line}`;
  }
  if (s.hint) line = `${c.yellow(s.hint)} ${line}`;
  return truncateLine(line, width);
}

/** Whole seconds, then minutes: the status line ticks once a second. */
function elapsedText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds < 60
    ? `${seconds}s`
    : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
