// Saved sessions as a list for pickers (an editor's thread history): id, directory, when it last changed
// and a title (the first thing the user asked). Only the head of each file is read, so listing stays cheap
// however long the sessions are; a file whose head is unreadable is left out.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { rolloutFiles } from './resume.js';
import type { RolloutLine } from './rollout.js';

const HEAD_BYTES = 64 * 1024;
const TITLE_CHARS = 80;

export interface SavedSessionSummary {
  id: string;
  path: string;
  cwd: string;
  /** ISO time of the file's last write. */
  updatedAt: string;
  /** The first line of the first user message, shortened; absent before the first prompt. */
  title?: string;
}

function head(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const read = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function titleOf(message: string): string {
  const line = message.trim().split('\n', 1)[0];
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}

export function summarizeRollout(path: string, id: string): SavedSessionSummary | undefined {
  let cwd: string | undefined;
  let title: string | undefined;
  try {
    for (const raw of head(path).split('\n')) {
      let line: RolloutLine;
      try {
        line = JSON.parse(raw) as RolloutLine;
      } catch {
        continue; // the cut-off last line of the head, or a torn line
      }
      if (line.type === 'session_meta') cwd ??= line.payload.cwd;
      if (line.type === 'event_msg' && line.payload.type === 'user_message') {
        title = titleOf(line.payload.message);
        break;
      }
    }
    if (cwd === undefined) return undefined;
    return { id, path, cwd, updatedAt: statSync(path).mtime.toISOString(), title };
  } catch {
    return undefined;
  }
}

/**
 * Saved sessions, newest first: at most `limit`, optionally only those in `cwd`, starting after the
 * session `after` (the last id of the previous page). `more` says whether another page follows.
 */
export function listSavedSessions(
  conduitHome: string,
  options: { cwd?: string; after?: string; limit: number },
): { sessions: SavedSessionSummary[]; more: boolean } {
  const sessions: SavedSessionSummary[] = [];
  let started = options.after === undefined;
  for (const file of rolloutFiles(conduitHome)) {
    if (!started) {
      started = file.id === options.after;
      continue;
    }
    const summary = summarizeRollout(file.path, file.id);
    if (!summary || (options.cwd !== undefined && summary.cwd !== options.cwd)) continue;
    if (sessions.length === options.limit) return { sessions, more: true };
    sessions.push(summary);
  }
  return { sessions, more: false };
}
