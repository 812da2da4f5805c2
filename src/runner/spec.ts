// The job spec: what a caller asks to run, normalised (defaults filled in, keys sorted) so that two submits
// meaning the same thing hash the same. The hash decides idempotency and is what workers verify signatures
// against; the job id is derived from (tenant, idempotency key) alone.

import { createHash } from 'node:crypto';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'lost'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'lost']);

export interface JobResources {
  cpu: number;
  memory_mb: number;
  disk_mb: number;
  timeout_s: number;
  network: 'none' | 'on';
}

export interface JobInput {
  path: string;
  digest: string;
}

export interface JobSpec {
  environment: string;
  command?: string[];
  script?: string;
  cwd: string;
  env: Record<string, string>;
  inputs: JobInput[];
  resources: JobResources;
  outputs: string[];
  retryable: boolean;
}

export const DEFAULT_RESOURCES: JobResources = {
  cpu: 1,
  memory_mb: 1024,
  disk_mb: 2048,
  timeout_s: 600,
  network: 'none',
};

/** JSON with object keys sorted at every level: the byte string that is hashed and signed. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function specHash(spec: JobSpec): string {
  return sha256Hex(canonicalJson(spec));
}

/** 128 bits of sha256(tenant, key) in hex: no separators, same id on every server that shares a queue. */
export function jobIdFor(tenant: string, idempotencyKey: string): string {
  return sha256Hex(`${tenant}\0${idempotencyKey}`).slice(0, 32);
}

export const JOB_ID_PATTERN = /^[0-9a-f]{32}$/;

/** The argv a spec runs: its command, or its script under `/bin/sh -e`. */
export function specArgv(spec: JobSpec): string[] {
  if (spec.command) return spec.command;
  return ['/bin/sh', '-e', '-c', spec.script ?? ''];
}

export interface JobError {
  /** exit_code | timeout | memory_limit | cpu_limit | cancelled | worker_lost | sandbox | refused | internal */
  code: string;
  message: string;
}

/** What running a job produced (the executor's answer, also a BullMQ job's return value). */
export interface JobOutcome {
  state: 'succeeded' | 'failed' | 'cancelled' | 'lost';
  exit_code?: number;
  signal?: string;
  error?: JobError;
  max_rss_mb?: number;
  started_at?: string;
  finished_at?: string;
  worker?: string;
  attempt?: number;
  /** Digest of the artifact manifest blob. */
  artifacts_manifest?: string;
  artifacts_count?: number;
}

/** A job as every backend reports it. */
export interface JobRecord {
  job_id: string;
  state: JobState;
  created_at: string;
  started_at?: string;
  finished_at?: string;
  attempt: number;
  worker?: string;
  exit_code?: number;
  signal?: string;
  error?: JobError;
  max_rss_mb?: number;
  artifacts_manifest?: string;
  artifacts_count?: number;
  spec_hash: string;
}
