// Finding and reading a session's rollout to resume it: by id (or a unique prefix of one), or the newest
// one (optionally for one provider). Reading tolerates a torn last line (the process was killed mid-write),
// skips other bad lines with a warning rather than refusing the whole session, and gives calls left
// without an output (a kill mid-call) an "aborted" one (history-repair.ts).

import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../config/errors.js';
import type { InitialMessage } from '../protocol/events.js';
import type { ResponseItem, TokenUsage } from '../protocol/models.js';
import { repairHistory } from './history-repair.js';
import type { RolloutLine, SessionMeta, TurnContextRecord } from './rollout.js';

export interface ResumedSession {
  path: string;
  meta: SessionMeta;
  history: ResponseItem[];
  initialMessages: InitialMessage[];
  totalUsage?: TokenUsage;
  /** The settings of the last request, i.e. the environment the model last heard about. */
  lastTurnContext?: TurnContextRecord;
  warnings: string[];
}

const ROLLOUT_NAME = /^rollout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-(.+)\.jsonl$/;

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** Every rollout file, newest first (directory and file names sort by time). */
export function* rolloutFiles(conduitHome: string): Generator<{ path: string; id: string }> {
  const root = join(conduitHome, 'sessions');
  for (const y of listDirs(root)) {
    for (const m of listDirs(join(root, y))) {
      for (const d of listDirs(join(root, y, m))) {
        const dir = join(root, y, m, d);
        const names = readdirSync(dir).sort().reverse();
        for (const name of names) {
          const match = ROLLOUT_NAME.exec(name);
          if (match) yield { path: join(dir, name), id: match[1] };
        }
      }
    }
  }
}

export function findRolloutById(conduitHome: string, id: string): string | undefined {
  for (const file of rolloutFiles(conduitHome)) if (file.id === id) return file.path;
  return undefined;
}

/** The sessions an id or a prefix of one names: the exact match alone if there is one, else every prefix match. */
export function findRolloutsByIdPrefix(conduitHome: string, prefix: string): { id: string; path: string }[] {
  const matches: { id: string; path: string }[] = [];
  if (!prefix) return matches;
  for (const file of rolloutFiles(conduitHome)) {
    if (file.id === prefix) return [file];
    if (file.id.startsWith(prefix)) matches.push(file);
  }
  return matches;
}

/** The newest session, or the newest whose first line names `providerId`. */
export function findLatestRollout(conduitHome: string, providerId?: string): string | undefined {
  for (const file of rolloutFiles(conduitHome)) {
    if (providerId === undefined) return file.path;
    const firstLine = readFileSync(file.path, 'utf8').split('\n', 1)[0];
    try {
      const line = JSON.parse(firstLine) as RolloutLine;
      if (line.type === 'session_meta' && line.payload.model_provider === providerId) return file.path;
    } catch {
      // a session whose first line is unreadable cannot be resumed; look further back
    }
  }
  return undefined;
}

function initialMessageFor(line: RolloutLine): InitialMessage | undefined {
  if (line.type !== 'event_msg') return undefined;
  const msg = line.payload;
  if (msg.type === 'user_message') return { type: 'user_message', message: msg.message };
  if (msg.type === 'agent_message') return { type: 'agent_message', message: msg.message };
  if (msg.type === 'agent_reasoning') return { type: 'agent_reasoning', text: msg.text };
  return undefined;
}

/** Rebuilds a session from its rollout text: history from response items, a compaction replacing all before it. */
export function parseRollout(path: string, text: string): ResumedSession {
  const warnings: string[] = [];
  const lines = text.split('\n');
  let meta: SessionMeta | undefined;
  let history: ResponseItem[] = [];
  const initialMessages: InitialMessage[] = [];
  let totalUsage: TokenUsage | undefined;
  let lastTurnContext: TurnContextRecord | undefined;
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    let line: RolloutLine;
    try {
      line = JSON.parse(raw) as RolloutLine;
    } catch {
      const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
      warnings.push(
        isLast
          ? `${path}: ignored a partly written last line (the session was probably killed mid-write)`
          : `${path}:${index + 1}: ignored a line that is not valid JSON`,
      );
      return;
    }
    switch (line.type) {
      case 'session_meta':
        meta ??= line.payload;
        break;
      case 'response_item':
        history.push(line.payload);
        break;
      case 'turn_context':
        lastTurnContext = line.payload;
        break;
      case 'compacted':
        history = [...line.payload.replacement_history];
        break;
      case 'event_msg': {
        if (line.payload.type === 'token_count') totalUsage = line.payload.info.total_token_usage;
        const message = initialMessageFor(line);
        if (message) initialMessages.push(message);
        break;
      }
    }
  });
  if (!meta)
    throw new UserError(`${path} is not a session rollout (no session_meta line); it cannot be resumed`);
  const repair = repairHistory(history);
  if (repair.repaired.length > 0) {
    warnings.push(
      `the session ended while ${repair.repaired.length === 1 ? 'a tool call was' : `${repair.repaired.length} tool calls were`} running; recorded as aborted (${repair.repaired.join(', ')})`,
    );
  }
  return { path, meta, history: repair.history, initialMessages, totalUsage, lastTurnContext, warnings };
}

export function readRollout(path: string): ResumedSession {
  return parseRollout(path, readFileSync(path, 'utf8'));
}

export interface SessionSummary {
  id: string;
  path: string;
  /** ISO time the session started. */
  timestamp: string;
  cwd: string;
  /** The first thing the user asked, for pickers. */
  preview: string;
}

/** How much of each rollout is read to find its first user message. */
const SUMMARY_READ_BYTES = 64 * 1024;

/** The newest `limit` sessions, newest first, with a preview of each (for a resume picker). */
export function listSessions(conduitHome: string, limit = 20): SessionSummary[] {
  const out: SessionSummary[] = [];
  for (const file of rolloutFiles(conduitHome)) {
    if (out.length >= limit) break;
    let head: string;
    try {
      head = readHead(file.path, SUMMARY_READ_BYTES);
    } catch {
      continue;
    }
    let meta: SessionMeta | undefined;
    let preview = '';
    for (const raw of head.split('\n')) {
      try {
        const line = JSON.parse(raw) as RolloutLine;
        if (line.type === 'session_meta') meta ??= line.payload;
        if (line.type === 'event_msg' && line.payload.type === 'user_message') {
          preview = line.payload.message;
          break;
        }
      } catch {
        // a torn line: keep looking
      }
    }
    if (!meta) continue;
    out.push({ id: file.id, path: file.path, timestamp: meta.timestamp, cwd: meta.cwd, preview });
  }
  return out;
}

function readHead(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
