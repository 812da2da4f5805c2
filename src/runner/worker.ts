// `conduit runner worker`: takes jobs from the BullMQ queue and runs them with the shared executor. It refuses
// job data that is not signed with the shared key, runs a job again after a crash only when its spec says
// that is safe, streams capped logs into Redis, reports progress, and stops a job when a cancel arrives.

import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { UserError } from '../index.js';
import { cancelChannel, cancelKey, logKey, RETENTION_S, type WorkerProgress } from './backends/redis-keys.js';
import { executeJob } from './executor.js';
import { CappedLogs, type LogSink, type LogStream } from './log-cap.js';
import { type RunnerSettings, requireBullmqSettings } from './options.js';
import { type SignedJobData, verifyJob } from './signing.js';
import type { JobOutcome } from './spec.js';
import { FsBlobStore } from './store/blobs.js';
import { throttled } from './throttle.js';

const LOG_FLUSH_MS = 300;
const CANCEL_POLL_MS = 1_000;

export interface WorkerTuning {
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/** Appends log bytes to Redis strings in batches, so read_job_log can page them with GETRANGE. */
function redisLogSink(redis: Redis, queue: string, jobId: string): LogSink {
  const pending: Record<LogStream, Buffer[]> = { stdout: [], stderr: [], combined: [] };
  const flush = async () => {
    const batch = redis.multi();
    let any = false;
    for (const stream of Object.keys(pending) as LogStream[]) {
      if (pending[stream].length === 0) continue;
      batch.append(logKey(queue, jobId, stream), Buffer.concat(pending[stream]));
      batch.expire(logKey(queue, jobId, stream), RETENTION_S);
      pending[stream] = [];
      any = true;
    }
    if (any) await batch.exec();
  };
  const timer = setInterval(() => void flush().catch(() => {}), LOG_FLUSH_MS);
  return {
    write: (stream, data) => {
      pending[stream].push(Buffer.from(data));
    },
    close: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}

function positive(value: number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 100)
    throw new UserError(`${flag} ${value}: expected milliseconds, at least 100`);
  return value;
}

export async function runWorker(settings: RunnerSettings, tuning: WorkerTuning = {}): Promise<void> {
  requireBullmqSettings(settings, 'conduit runner worker');
  const { key, queue } = settings;
  const lockDuration = positive(tuning.lockDurationMs, '--lock-duration-ms');
  const stalledInterval = positive(tuning.stalledIntervalMs, '--stalled-interval-ms');
  const workerId = `${hostname()}:${process.pid}`;
  const blobs = new FsBlobStore(settings.blobDir);
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const subscriber = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  for (const connection of [redis, subscriber]) connection.on('error', () => {});
  const controllers = new Map<string, AbortController>();
  await subscriber.subscribe(cancelChannel(queue));
  subscriber.on('message', (_channel, jobId: string) => controllers.get(jobId)?.abort('cancel_job'));

  const processor = async (job: Job<SignedJobData>): Promise<JobOutcome> => {
    const refusal = verifyJob(key, job.id, job.data);
    if (refusal) {
      process.stderr.write(`conduit runner worker: refused job ${job.id}: ${refusal}\n`);
      throw new UnrecoverableError(`refused: ${refusal}`);
    }
    const { spec } = job.data;
    const attempt = job.attemptsStarted;
    const started_at = new Date().toISOString();
    const ended = (outcome: Omit<JobOutcome, 'worker' | 'attempt'>): JobOutcome => ({
      ...outcome,
      worker: workerId,
      attempt,
    });
    if (attempt > 1 && job.stalledCounter > 0 && !spec.retryable)
      return ended({
        state: 'lost',
        finished_at: started_at,
        error: {
          code: 'worker_lost',
          message: 'the worker running this job was lost; not re-run because the spec is not retryable',
        },
      });
    const jobId = job.id as string;
    const cancelReason = await redis.get(cancelKey(queue, jobId));
    if (cancelReason !== null)
      return ended({
        state: 'cancelled',
        finished_at: started_at,
        error: { code: 'cancelled', message: `cancelled before it started: ${cancelReason}` },
      });

    const controller = new AbortController();
    controllers.set(jobId, controller);
    const logs: CappedLogs = new CappedLogs(redisLogSink(redis, queue, jobId), () => progress.poke());
    if (attempt > 1) logs.note(`attempt ${attempt} on ${workerId}`);
    const report = () => {
      const progress: WorkerProgress = {
        worker: workerId,
        attempt,
        started_at,
        log_bytes: logs.totalBytes,
        last_line: logs.lastLine,
      };
      void job.updateProgress(progress as unknown as object).catch(() => {});
    };
    report();
    const progress = throttled(report, 500);
    const cancelPoll = setInterval(() => {
      void redis
        .get(cancelKey(queue, jobId))
        .then((reason) => reason !== null && controller.abort(reason))
        .catch(() => {});
    }, CANCEL_POLL_MS);
    const jobRoot = join(settings.workDir, `${jobId}-${randomUUID()}`);
    try {
      const outcome = await executeJob({
        spec,
        jobRoot,
        blobs,
        logs,
        signal: controller.signal,
        sandbox: 'platform',
      });
      return ended(outcome);
    } finally {
      clearInterval(cancelPoll);
      progress.flush();
      controllers.delete(jobId);
      await logs.close();
      await rm(jobRoot, { recursive: true, force: true });
    }
  };

  const worker = new Worker<SignedJobData, JobOutcome>(queue, processor, {
    connection: redis,
    concurrency: settings.concurrency ?? Math.max(1, availableParallelism() - 1),
    maxStalledCount: 1,
    ...(lockDuration ? { lockDuration } : {}),
    ...(stalledInterval ? { stalledInterval } : {}),
  });
  worker.on('error', (err) => process.stderr.write(`conduit runner worker: ${err.message}\n`));
  await worker.waitUntilReady();
  process.stderr.write(`conduit runner worker ${workerId}: processing ${queue} at ${settings.redisUrl}\n`);

  // The first SIGTERM/SIGINT drains (running jobs finish, no new ones start); a second exits at once, and
  // its jobs come back through stalled-job recovery (re-run if retryable, else reported lost).
  let draining = false;
  const stop = async () => {
    if (draining) process.exit(1);
    draining = true;
    process.stderr.write(`conduit runner worker ${workerId}: draining; signal again to stop at once\n`);
    await worker.close();
    subscriber.disconnect();
    redis.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
