// Several real worker processes on one real Redis: sharing a batch, a worker killed mid-job, Redis
// restarted under running workers, and job data written to Redis without the signing key.

import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type JobSpec, specHash } from '../../src/runner/spec.js';
import {
  connectRunner,
  makeRunnerHome,
  type RunnerClient,
  startRedis,
  startWorker,
  type WorkerProcess,
  waitForState,
} from './helpers.js';
import { key } from './suite.js';

const FAST_STALL = ['--lock-duration-ms', '2000', '--stalled-interval-ms', '1000'];

describe('runner bullmq workers', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  async function cluster(workerCount: number, workerArgs: string[] = []) {
    const home = makeRunnerHome();
    const redis = await startRedis();
    cleanup.push(() => redis.stop());
    const workers: WorkerProcess[] = [];
    for (let i = 0; i < workerCount; i++) {
      const worker = await startWorker(home, redis.url, workerArgs);
      workers.push(worker);
      cleanup.push(() => worker.stop());
    }
    const runner = await connectRunner(home, ['--backend', 'bullmq', '--redis-url', redis.url]);
    cleanup.push(() => runner.close());
    return { home, redis, workers, runner };
  }

  const workerName = (worker: WorkerProcess) => `${hostname()}:${worker.child.pid}`;

  async function submitAndWait(runner: RunnerClient, script: string) {
    const job = await runner.call('submit_job', { idempotency_key: key('job'), script, wait_s: 60 });
    expect(job.isError, job.text).toBe(false);
    return job.structured;
  }

  it('spreads a batch of jobs over two workers', async () => {
    const { workers, runner } = await cluster(2);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const job = await runner.call('submit_job', {
        idempotency_key: key('batch'),
        script: `sleep 0.3; echo job ${i}`,
      });
      ids.push(job.structured.job_id);
    }
    const done = [];
    for (const id of ids) done.push((await runner.call('get_job', { job_id: id, wait_s: 60 })).structured);
    expect(done.map((job) => job.state)).toEqual(Array(8).fill('succeeded'));
    expect(done.map((job) => job.log_tail.text)).toEqual(ids.map((_, i) => `job ${i}\n`));
    expect(new Set(done.map((job) => job.worker))).toEqual(new Set(workers.map(workerName)));
  });

  it('moves a retryable job off a killed worker and marks a non-retryable one lost', async () => {
    const { home, redis, workers, runner } = await cluster(1, [...FAST_STALL, '--concurrency', '2']);
    const [first] = workers;
    // Jobs see the host read-only: they wait for this file, so the first attempt cannot finish before the kill.
    const go = join(home.root, 'go');
    const waitForGo = `while [ ! -e ${go} ]; do sleep 0.1; done`;
    const retryable = await runner.call('submit_job', {
      idempotency_key: key('retry'),
      script: `echo begin; ${waitForGo}; echo finished`,
      retryable: true,
    });
    const once = await runner.call('submit_job', { idempotency_key: key('once'), script: waitForGo });
    for (const job of [retryable, once]) {
      const running = await waitForState(runner, job.structured.job_id, 'running');
      expect(running.structured.worker).toBe(workerName(first));
    }
    const second = await startWorker(home, redis.url, FAST_STALL);
    cleanup.push(() => second.stop());
    await first.stop('SIGKILL');
    writeFileSync(go, '');

    const moved = await runner.call('get_job', { job_id: retryable.structured.job_id, wait_s: 60 });
    expect(moved.structured).toMatchObject({ state: 'succeeded', attempt: 2, worker: workerName(second) });
    expect(moved.structured.log_tail.text).toContain('attempt 2 on');
    expect(moved.structured.log_tail.text).toContain('finished');
    const lost = await runner.call('get_job', { job_id: once.structured.job_id, wait_s: 60 });
    expect(lost.structured).toMatchObject({ state: 'lost', attempt: 2, error: { code: 'worker_lost' } });
  });

  it('keeps working after Redis restarts', async () => {
    const { redis, workers, runner } = await cluster(1);
    expect((await submitAndWait(runner, 'echo before')).state).toBe('succeeded');
    await redis.stop();
    const restarted = await startRedis(redis.port);
    cleanup.push(() => restarted.stop());
    const after = await submitAndWait(runner, 'echo after');
    expect(after).toMatchObject({ state: 'succeeded', worker: workerName(workers[0] as WorkerProcess) });
    expect(after.log_tail.text).toBe('after\n');
  });

  it('refuses job data that is unsigned, forged or altered', async () => {
    const { redis, workers, runner } = await cluster(1);
    const genuine = await submitAndWait(runner, 'echo genuine');
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('conduit-runner', { connection });
    const events = new QueueEvents('conduit-runner', { connection: connection.duplicate() });
    cleanup.push(async () => {
      await events.close();
      await queue.close();
      connection.disconnect();
    });
    await events.waitUntilReady();
    const stored = await queue.getJob(genuine.job_id);
    const spec = { ...stored?.data.spec, script: 'echo pwned > owned.txt' };
    const attacks = {
      unsigned: {
        v: 1,
        job_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1',
        tenant: 'default',
        spec,
        created_at: 'now',
      },
      // A forger who knows the format: a consistent hash, but no key to sign it with.
      forged: {
        ...stored?.data,
        job_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2',
        spec,
        spec_hash: specHash(spec as JobSpec),
        sig: 'ab'.repeat(32),
      },
      altered: { ...stored?.data, job_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3', spec },
      replayed: { ...stored?.data, job_id: genuine.job_id },
    };
    const reasons: Record<string, string> = {};
    for (const [name, data] of Object.entries(attacks)) {
      const jobId = name === 'replayed' ? 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa4' : data.job_id;
      const job = await queue.add('job', data, { jobId });
      reasons[name] = await job.waitUntilFinished(events, 60_000).then(
        () => 'ran',
        (err: Error) => err.message,
      );
      expect(await connection.exists(`conduit-runner:conduit:log:${jobId}:combined`)).toBe(0);
    }
    expect(reasons).toEqual({
      unsigned: 'refused: unsigned job spec',
      forged: 'refused: bad signature',
      altered: 'refused: spec does not match its signed hash',
      replayed: `refused: signed for job ${genuine.job_id}, found as job aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa4`,
    });
    expect(workers[0]?.output()).toContain('refused job aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1');
  });
});
