// The few Redis keys the runner keeps beside BullMQ's own: capped log streams, cancel flags and the cancel
// channel, all under the queue's name so one Redis ACL prefix covers them.

import type { LogStream } from '../log-cap.js';

/** How long finished jobs (and so their idempotency keys, logs and cancel flags) are kept. */
export const RETENTION_S = 7 * 24 * 3600;

export function logKey(queue: string, jobId: string, stream: LogStream): string {
  return `${queue}:conduit:log:${jobId}:${stream}`;
}

export function cancelKey(queue: string, jobId: string): string {
  return `${queue}:conduit:cancel:${jobId}`;
}

export function cancelChannel(queue: string): string {
  return `${queue}:conduit:cancel`;
}

/** What a worker reports through BullMQ's progress while a job runs. */
export interface WorkerProgress {
  worker: string;
  attempt: number;
  started_at: string;
  log_bytes: number;
  last_line: string;
}
