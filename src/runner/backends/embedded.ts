// The default backend: no services. An in-process FIFO with bounded concurrency, one directory per job under
// the data directory, the shared executor. Several servers may share a data directory (each agent session
// starts its own stdio server): job creation is an atomic mkdir, records are re-read from disk, cancellation
// goes through a file, and a job counts as lost only when the server that owned it is dead.

import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { JobBackend, JobEvent, SubmitResult } from '../backend.js';
import { IdempotencyConflictError } from '../backend.js';
import { executeJob } from '../executor.js';
import { CappedLogs, type LogStream } from '../log-cap.js';
import {
  JOB_ID_PATTERN,
  type JobRecord,
  type JobSpec,
  jobIdFor,
  specHash,
  TERMINAL_STATES,
} from '../spec.js';
import type { BlobStore } from '../store/blobs.js';
import { JobDir, type StoredState } from '../store/job-dir.js';
import { throttled } from '../throttle.js';

const CANCEL_POLL_MS = 250;

export interface EmbeddedOptions {
  dataDir: string;
  blobs: BlobStore;
  tenant: string;
  concurrency?: number;
  sandbox?: 'platform' | 'none';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function publicRecord(state: StoredState): JobRecord {
  const { owner_pid: _owner, ...record } = state;
  return record;
}

export class EmbeddedBackend implements JobBackend {
  readonly name = 'embedded';
  private readonly events = new EventEmitter();
  private readonly queue: string[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly concurrency: number;
  private closed = false;

  constructor(private readonly o: EmbeddedOptions) {
    this.concurrency = o.concurrency ?? Math.max(1, availableParallelism() - 1);
    this.events.setMaxListeners(0);
  }

  private dir(jobId: string): JobDir {
    return new JobDir(join(this.o.dataDir, 'jobs', jobId));
  }

  /** Takes over the jobs of servers that are gone: queued ones are queued again, running ones are lost. */
  async start(): Promise<void> {
    const jobsDir = join(this.o.dataDir, 'jobs');
    await mkdir(jobsDir, { recursive: true });
    for (const id of (await readdir(jobsDir)).sort()) {
      if (!JOB_ID_PATTERN.test(id)) continue;
      const dir = this.dir(id);
      const state = await dir.readState();
      if (!state || TERMINAL_STATES.has(state.state) || alive(state.owner_pid)) continue;
      const job = await dir.readJob();
      if (state.state === 'queued' || (state.state === 'running' && job?.spec.retryable)) {
        await dir.writeState({ ...state, state: 'queued', owner_pid: process.pid });
        this.queue.push(id);
      } else {
        await dir.writeState({
          ...state,
          state: 'lost',
          finished_at: new Date().toISOString(),
          owner_pid: process.pid,
          error: {
            code: 'worker_lost',
            message: 'the runner stopped while this job ran; not re-run because the spec is not retryable',
          },
        });
      }
    }
    this.pump();
  }

  async submit(spec: JobSpec, idempotencyKey: string): Promise<SubmitResult> {
    const jobId = jobIdFor(this.o.tenant, idempotencyKey);
    const hash = specHash(spec);
    const dir = this.dir(jobId);
    try {
      await mkdir(dir.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return { record: await this.existing(dir, jobId, hash), deduplicated: true };
    }
    const created_at = new Date().toISOString();
    await dir.writeState({
      job_id: jobId,
      state: 'queued',
      created_at,
      attempt: 0,
      spec_hash: hash,
      owner_pid: process.pid,
    });
    await dir.writeJob({ job_id: jobId, tenant: this.o.tenant, spec, spec_hash: hash, created_at });
    this.queue.push(jobId);
    this.pump();
    return { record: publicRecord((await dir.readState()) as StoredState), deduplicated: false };
  }

  /** The job a concurrent or earlier submit created (its files may still be being written). */
  private async existing(dir: JobDir, jobId: string, hash: string): Promise<JobRecord> {
    for (let i = 0; i < 50; i++) {
      const [job, state] = [await dir.readJob(), await dir.readState()];
      if (job && state) {
        if (job.spec_hash !== hash) throw new IdempotencyConflictError(jobId);
        return publicRecord(state);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`job ${jobId} exists but its records are unreadable (${dir.path})`);
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    if (!JOB_ID_PATTERN.test(jobId)) return undefined;
    const state = await this.dir(jobId).readState();
    return state && publicRecord(state);
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    this.events.on(jobId, listener);
    return () => this.events.off(jobId, listener);
  }

  async cancel(
    jobId: string,
    reason: string,
  ): Promise<{ record: JobRecord; was_running: boolean } | undefined> {
    const dir = this.dir(jobId);
    const state = await dir.readState();
    if (!state) return undefined;
    if (TERMINAL_STATES.has(state.state)) return { record: publicRecord(state), was_running: false };
    const wasRunning = state.state === 'running';
    await writeFile(dir.cancelPath, reason);
    const index = this.queue.indexOf(jobId);
    if (index >= 0) {
      this.queue.splice(index, 1);
      await this.finish(dir, state, {
        state: 'cancelled',
        finished_at: new Date().toISOString(),
        error: { code: 'cancelled', message: `cancelled before it started: ${reason}` },
      });
    }
    this.running.get(jobId)?.abort(reason);
    return { record: publicRecord((await dir.readState()) as StoredState), was_running: wasRunning };
  }

  async readLog(jobId: string, stream: LogStream, offset: number, length: number) {
    return this.dir(jobId).readLog(stream, offset, length);
  }

  private async finish(dir: JobDir, state: StoredState, patch: Partial<StoredState>): Promise<void> {
    const next = { ...state, ...patch };
    await dir.writeState(next);
    this.events.emit(state.job_id, { kind: 'state', message: next.state } satisfies JobEvent);
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency && this.queue.length > 0) {
      const jobId = this.queue.shift() as string;
      const controller = new AbortController();
      this.running.set(jobId, controller);
      void this.run(jobId, controller).finally(() => {
        this.running.delete(jobId);
        this.pump();
      });
    }
  }

  private async run(jobId: string, controller: AbortController): Promise<void> {
    const dir = this.dir(jobId);
    const [job, queued] = [await dir.readJob(), await dir.readState()];
    if (!job || !queued || queued.state !== 'queued') return;
    if (existsSync(dir.cancelPath)) {
      await this.finish(dir, queued, {
        state: 'cancelled',
        finished_at: new Date().toISOString(),
        error: { code: 'cancelled', message: 'cancelled before it started' },
      });
      return;
    }
    const running: StoredState = {
      ...queued,
      state: 'running',
      attempt: queued.attempt + 1,
      started_at: new Date().toISOString(),
      worker: `embedded:${process.pid}`,
      owner_pid: process.pid,
    };
    await dir.writeState(running);
    this.events.emit(jobId, { kind: 'state', message: 'running' } satisfies JobEvent);
    const emitProgress = () =>
      this.events.emit(jobId, {
        kind: 'progress',
        message: logs.lastLine,
        log_bytes: logs.totalBytes,
      } satisfies JobEvent);
    const progress = throttled(emitProgress, 500);
    const logs = new CappedLogs(dir.openLogSink(), () => progress.poke());
    if (running.attempt > 1) logs.note(`attempt ${running.attempt} on ${running.worker}`);
    const cancelWatch = setInterval(() => {
      if (existsSync(dir.cancelPath)) controller.abort('cancel_job');
    }, CANCEL_POLL_MS);
    try {
      const outcome = await executeJob({
        spec: job.spec,
        jobRoot: dir.runRoot,
        blobs: this.o.blobs,
        logs,
        signal: controller.signal,
        sandbox: this.o.sandbox ?? 'platform',
      });
      await this.finish(dir, running, { ...outcome, attempt: running.attempt, worker: running.worker });
    } catch (err) {
      await this.finish(dir, running, {
        state: 'failed',
        finished_at: new Date().toISOString(),
        error: { code: 'internal', message: (err as Error).message },
      });
    } finally {
      clearInterval(cancelWatch);
      progress.flush();
      await logs.close();
      await rm(dir.runRoot, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.running.values()) controller.abort('the runner is shutting down');
  }
}
