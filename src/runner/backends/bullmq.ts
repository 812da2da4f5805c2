// The distributed backend: jobs go into a BullMQ queue on Redis and any number of `conduit runner worker`
// processes run them. BullMQ provides leasing, stalled-job recovery and progress events; this adds signed job
// data, idempotent ids with spec checks, capped logs in Redis, and cancellation across processes.

import { EventEmitter } from 'node:events';
import { type Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import {
  IdempotencyConflictError,
  type JobBackend,
  type JobEvent,
  type SubmitResult,
  waitForJob,
} from '../backend.js';
import type { LogStream } from '../log-cap.js';
import { type SignedJobData, signJob } from '../signing.js';
import {
  JOB_ID_PATTERN,
  type JobOutcome,
  type JobRecord,
  type JobSpec,
  jobIdFor,
  specHash,
  TERMINAL_STATES,
} from '../spec.js';
import type { BlobStore } from '../store/blobs.js';
import { cancelChannel, cancelKey, logKey, RETENTION_S, type WorkerProgress } from './redis-keys.js';

export interface BullmqOptions {
  redisUrl: string;
  queue: string;
  tenant: string;
  key: Buffer;
  blobs: BlobStore;
}

const STALLED_LIMIT = /stalled more than allowable limit/i;

export class BullmqBackend implements JobBackend {
  readonly name = 'bullmq';
  private readonly redis: Redis;
  private readonly queue: Queue;
  private readonly queueEvents: QueueEvents;
  private readonly eventsRedis: Redis;
  private readonly events = new EventEmitter();

  constructor(private readonly o: BullmqOptions) {
    // Tool calls fail (after ioredis' retries) rather than hang when Redis is down; QueueEvents blocks on a
    // stream read and needs an unlimited-retry connection of its own.
    this.redis = new Redis(o.redisUrl, { lazyConnect: false });
    this.redis.on('error', () => {});
    this.queue = new Queue(o.queue, { connection: this.redis });
    this.queue.on('error', () => {});
    this.eventsRedis = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
    this.eventsRedis.on('error', () => {});
    this.queueEvents = new QueueEvents(o.queue, { connection: this.eventsRedis });
    this.queueEvents.on('error', () => {});
    this.events.setMaxListeners(0);
    const forward =
      (kind: JobEvent['kind']) =>
      ({ jobId, data }: { jobId: string; data?: unknown }) => {
        const progress = data as Partial<WorkerProgress> | undefined;
        this.events.emit(jobId, {
          kind,
          message: progress?.last_line,
          log_bytes: progress?.log_bytes,
        } satisfies JobEvent);
      };
    this.queueEvents.on('progress', forward('progress'));
    const state = forward('state');
    this.queueEvents.on('active', state);
    this.queueEvents.on('completed', state);
    this.queueEvents.on('failed', state);
    this.queueEvents.on('stalled', state);
  }

  async start(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.queueEvents.waitUntilReady();
  }

  /**
   * The job with its state. The state is read first: a job fetched afterwards is at least that new, so a
   * completed job always comes with its return value.
   */
  private async job(
    jobId: string,
  ): Promise<{ job: Job<SignedJobData, JobOutcome>; state: string } | undefined> {
    if (!JOB_ID_PATTERN.test(jobId)) return undefined;
    const state = await this.queue.getJobState(jobId);
    const job = (await this.queue.getJob(jobId)) as Job<SignedJobData, JobOutcome> | undefined;
    // Ids are derived from the tenant, but a known id must still not reveal another tenant's job.
    if (!job || job.data?.tenant !== this.o.tenant) return undefined;
    return { job, state };
  }

  async submit(spec: JobSpec, idempotencyKey: string): Promise<SubmitResult> {
    const jobId = jobIdFor(this.o.tenant, idempotencyKey);
    const hash = specHash(spec);
    const existing = await this.job(jobId);
    if (existing) return this.dedupe(existing.job, existing.state, hash);
    const data = signJob(this.o.key, {
      v: 1,
      job_id: jobId,
      tenant: this.o.tenant,
      spec,
      spec_hash: hash,
      created_at: new Date().toISOString(),
    });
    await this.queue.add('job', data, {
      jobId,
      attempts: spec.retryable ? 3 : 1,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: RETENTION_S },
      removeOnFail: { age: RETENTION_S },
    });
    // A duplicate id keeps the first job's data and returns a handle showing ours: always re-read.
    const stored = await this.job(jobId);
    if (!stored) throw new Error(`job ${jobId} vanished right after it was queued`);
    if (stored.job.data.created_at !== data.created_at) return this.dedupe(stored.job, stored.state, hash);
    return { record: await this.record(stored.job, stored.state), deduplicated: false };
  }

  private async dedupe(
    job: Job<SignedJobData, JobOutcome>,
    state: string,
    hash: string,
  ): Promise<SubmitResult> {
    if (job.data.spec_hash !== hash) throw new IdempotencyConflictError(job.id as string);
    return { record: await this.record(job, state), deduplicated: true };
  }

  private async record(job: Job<SignedJobData, JobOutcome>, state: string): Promise<JobRecord> {
    const progress = (typeof job.progress === 'object' ? job.progress : {}) as Partial<WorkerProgress>;
    const base: JobRecord = {
      job_id: job.id as string,
      state: 'queued',
      created_at: job.data.created_at,
      attempt: job.attemptsStarted ?? 0,
      spec_hash: job.data.spec_hash,
      ...(progress.worker ? { worker: progress.worker } : {}),
      ...(progress.started_at ? { started_at: progress.started_at } : {}),
    };
    if (state === 'active') return { ...base, state: 'running' };
    if (state === 'completed') {
      if (!job.returnvalue)
        return {
          ...base,
          state: 'failed',
          error: { code: 'internal', message: 'the worker returned no result' },
        };
      const { state: outcomeState, ...outcome } = job.returnvalue;
      return { ...base, ...outcome, state: outcomeState };
    }
    if (state === 'failed') {
      const finished_at = job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined;
      const reason = job.failedReason ?? 'unknown failure';
      if (STALLED_LIMIT.test(reason))
        return {
          ...base,
          state: 'lost',
          finished_at,
          error: { code: 'worker_lost', message: `workers kept dying while running it: ${reason}` },
        };
      const code = reason.startsWith('refused:') ? 'refused' : 'internal';
      return { ...base, state: 'failed', finished_at, error: { code, message: reason } };
    }
    if ((await this.redis.exists(cancelKey(this.o.queue, base.job_id))) === 1)
      return {
        ...base,
        state: 'cancelled',
        error: { code: 'cancelled', message: 'cancelled before it started' },
      };
    return base;
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    const found = await this.job(jobId);
    return found && this.record(found.job, found.state);
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    this.events.on(jobId, listener);
    return () => this.events.off(jobId, listener);
  }

  async cancel(
    jobId: string,
    reason: string,
  ): Promise<{ record: JobRecord; was_running: boolean } | undefined> {
    const found = await this.job(jobId);
    if (!found) return undefined;
    const before = await this.record(found.job, found.state);
    if (TERMINAL_STATES.has(before.state)) return { record: before, was_running: false };
    // The flag covers a worker that misses the message (reconnecting) and jobs not yet started.
    await this.redis.set(cancelKey(this.o.queue, jobId), reason, 'EX', RETENTION_S);
    await this.redis.publish(cancelChannel(this.o.queue), jobId);
    const running = before.state === 'running';
    const after = running ? await this.waitBriefly(jobId) : await this.get(jobId);
    return { record: after ?? before, was_running: running };
  }

  /** The record once the worker has reacted to a cancel (or the current one after a few seconds). */
  private async waitBriefly(jobId: string): Promise<JobRecord | undefined> {
    return waitForJob(this, jobId, 5_000);
  }

  async readLog(jobId: string, stream: LogStream, offset: number, length: number) {
    const key = logKey(this.o.queue, jobId, stream);
    const total = await this.redis.strlen(key);
    const start = Math.min(offset, total);
    const count = Math.max(0, Math.min(length, total - start));
    const data = count > 0 ? await this.redis.getrangeBuffer(key, start, start + count - 1) : Buffer.alloc(0);
    return { data, total };
  }

  async close(): Promise<void> {
    await this.queueEvents.close();
    await this.queue.close();
    this.redis.disconnect();
    this.eventsRedis.disconnect();
  }
}
