// The session's record on disk: one JSONL file per session, one line per thing that happened, written as it
// happens. Lines are written with synchronous writes (so a `kill -9` loses nothing already written: the data
// is in the kernel) and fsynced at the end of each turn (so a power loss loses at most the running turn).

import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { EventMsg } from '../protocol/events.js';
import type { ResponseItem } from '../protocol/models.js';
import type { ApprovalPolicy, ReasoningEffort, ReasoningSummary, SandboxPolicy } from '../protocol/policy.js';
import type { Redactor } from './redact.js';

export interface SessionMeta {
  id: string;
  timestamp: string;
  cwd: string;
  /** Which front end started the session (`conduit_exec`, `codex_sdk_ts`, `conduit_mcp_server`…). */
  originator: string;
  cli_version: string;
  instructions?: string;
  source: string;
  model_provider?: string;
}

export interface TurnContextRecord {
  cwd: string;
  approval_policy: ApprovalPolicy;
  sandbox_policy: SandboxPolicy;
  model: string;
  model_provider: string;
  effort?: ReasoningEffort;
  summary: ReasoningSummary;
}

export interface CompactedRecord {
  message: string;
  /** The whole history after compaction, so resume needs nothing from before this line. */
  replacement_history: ResponseItem[];
}

export type RolloutRecord =
  | { type: 'session_meta'; payload: SessionMeta }
  | { type: 'response_item'; payload: ResponseItem }
  | { type: 'compacted'; payload: CompactedRecord }
  | { type: 'turn_context'; payload: TurnContextRecord }
  | { type: 'event_msg'; payload: EventMsg };

export type RolloutLine = { timestamp: string } & RolloutRecord;

const pad = (n: number) => String(n).padStart(2, '0');

/** `sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<id>.jsonl`, local time. */
export function rolloutPathFor(conduitHome: string, id: string, at: Date): string {
  const [y, m, d] = [String(at.getFullYear()), pad(at.getMonth() + 1), pad(at.getDate())];
  const stamp = `${y}-${m}-${d}T${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
  return join(conduitHome, 'sessions', y, m, d, `rollout-${stamp}-${id}.jsonl`);
}

/** True when the file is non-empty and its last byte is not a newline (a line torn by a crash). */
function endsMidLine(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

export class RolloutRecorder {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
    private readonly redact: Redactor,
  ) {
    this.fd = fd;
  }

  static create(path: string, meta: SessionMeta, redact: Redactor): RolloutRecorder {
    mkdirSync(join(path, '..'), { recursive: true });
    const recorder = new RolloutRecorder(path, openSync(path, 'a', 0o600), redact);
    recorder.record({ type: 'session_meta', payload: meta });
    return recorder;
  }

  /** Reopens a session's file for appending; a torn last line is closed off first so new lines parse. */
  static resume(path: string, redact: Redactor): RolloutRecorder {
    const fd = openSync(path, 'a+');
    if (endsMidLine(fd)) writeSync(fd, '\n');
    return new RolloutRecorder(path, fd, redact);
  }

  record(record: RolloutRecord): void {
    if (this.fd === undefined) return;
    const line: RolloutLine = { timestamp: new Date().toISOString(), ...record };
    writeSync(this.fd, `${this.redact(JSON.stringify(line))}\n`);
  }

  /** Forces written lines to stable storage; called at the end of each turn. */
  sync(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
