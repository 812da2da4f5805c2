// The one interface the MCP tools talk to; `embedded` and `bullmq` implement it. Waiting is shared: a backend
// pushes events for a job (progress, state changes) and the wait loop also re-reads the record on a slow
// timer, so a missed event only delays an answer, never loses it.

import type { LogStream } from './log-cap.js';
import { type JobRecord, type JobSpec, TERMINAL_STATES } from './spec.js';

export interface SubmitResult {
  record: JobRecord;
  deduplicated: boolean;
}

export interface JobEvent {
  kind: 'progress' | 'state';
  /** The last line of output (progress) or the new state. */
  message?: string;
  log_bytes?: number;
}

export interface LogPage {
  text: string;
  offset: number;
  next_offset: number;
  eof: boolean;
  total_bytes: number;
}

export interface JobBackend {
  readonly name: 'embedded' | 'bullmq';
  /** Throws IdempotencyConflictError when the key was used with another spec. */
  submit(spec: JobSpec, idempotencyKey: string): Promise<SubmitResult>;
  get(jobId: string): Promise<JobRecord | undefined>;
  /** Calls `listener` for the job's events until the returned function is called. */
  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void;
  /** Requests cancellation; answers the record after the request and whether the job was running. */
  cancel(jobId: string, reason: string): Promise<{ record: JobRecord; was_running: boolean } | undefined>;
  /** Raw bytes of a log stream (`length` at most) and its total size. */
  readLog(
    jobId: string,
    stream: LogStream,
    offset: number,
    length: number,
  ): Promise<{ data: Buffer; total: number }>;
  close(): Promise<void>;
}

export class IdempotencyConflictError extends Error {
  constructor(readonly jobId: string) {
    super(
      `idempotency_key already used for job ${jobId} with a different spec; use a new key for a different job, or resubmit the identical spec to get the existing job`,
    );
  }
}

const POLL_MS = 500;

/**
 * Resolves with the record once the job is terminal or `timeoutMs` has passed (or `signal` aborts),
 * calling `onProgress` for each progress event meanwhile.
 */
export async function waitForJob(
  backend: JobBackend,
  jobId: string,
  timeoutMs: number,
  onProgress?: (event: JobEvent) => void,
  signal?: AbortSignal,
): Promise<JobRecord | undefined> {
  const deadline = Date.now() + timeoutMs;
  let wake: (() => void) | undefined;
  const unsubscribe = backend.subscribe(jobId, (event) => {
    if (event.kind === 'progress') onProgress?.(event);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const record = await backend.get(jobId);
      if (!record || TERMINAL_STATES.has(record.state)) return record;
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return record;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, POLL_MS));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Length of the longest prefix of `buf` that does not end inside a UTF-8 sequence. */
export function completeUtf8Prefix(buf: Buffer): number {
  let i = buf.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (buf[i] & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return buf.length;
  const lead = buf[i];
  const needed = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return needed > continuation ? i : buf.length;
}

/** Reads one page of a log: `offset` < 0 counts from the end; the page ends on a character boundary. */
export async function readLogPage(
  backend: JobBackend,
  jobId: string,
  stream: LogStream,
  offset: number,
  maxBytes: number,
): Promise<LogPage> {
  const probe = await backend.readLog(jobId, stream, 0, 0);
  let start = offset < 0 ? Math.max(0, probe.total + offset) : Math.min(offset, probe.total);
  const { data, total } = await backend.readLog(jobId, stream, start, maxBytes);
  let skip = 0;
  if (offset < 0) while (skip < data.length && skip < 3 && (data[skip] & 0xc0) === 0x80) skip++;
  start += skip;
  const body = data.subarray(skip);
  const length = start + body.length >= total ? body.length : completeUtf8Prefix(body);
  const next = start + length;
  return {
    text: body.subarray(0, length).toString('utf8'),
    offset: start,
    next_offset: next,
    eof: next >= total,
    total_bytes: total,
  };
}
