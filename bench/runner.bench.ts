// The job runner through its MCP tools (the SDK client against `conduit runner serve`): the round trip of a
// no-op job (submit with wait_s until done) on the embedded and BullMQ backends, the throughput of 200 no-op
// jobs over 1, 2 and 4 worker processes, and how long a job takes to be picked up after its worker is
// SIGKILLed (short lock settings, as a test would use). Redis is started on a free loopback port and stopped.

import {
  connectRunner,
  makeRunnerHome,
  type RunnerClient,
  startRedis,
  startWorker,
  type WorkerProcess,
} from '../test/runner/helpers.js';

const ROUND_TRIPS = 30;
const BATCH = 200;
let seq = 0;
const key = (label: string) => `bench-${label}-${process.pid}-${++seq}`;

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function roundTrips(runner: RunnerClient, label: string): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < ROUND_TRIPS + 3; i++) {
    const start = performance.now();
    const job = await runner.call('submit_job', {
      idempotency_key: key(label),
      command: ['true'],
      wait_s: 60,
    });
    if (job.structured.state !== 'succeeded') throw new Error(`${label}: ${job.text}`);
    if (i >= 3) times.push(performance.now() - start);
  }
  console.log(
    `${label.padEnd(28)} submit->done p50 ${pct(times, 50).toFixed(1)} ms  p90 ${pct(times, 90).toFixed(1)} ms  max ${Math.max(...times).toFixed(1)} ms (n=${ROUND_TRIPS})`,
  );
}

async function batch(runner: RunnerClient, label: string): Promise<void> {
  const start = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < BATCH; i++) {
    const job = await runner.call('submit_job', { idempotency_key: key(label), command: ['true'] });
    ids.push(job.structured.job_id);
  }
  const submitted = performance.now() - start;
  for (const id of ids) {
    const done = await runner.call('get_job', { job_id: id, wait_s: 60, log_tail_bytes: 0 });
    if (done.structured.state !== 'succeeded') throw new Error(`${label}: ${done.text}`);
  }
  const total = performance.now() - start;
  console.log(
    `${label.padEnd(28)} ${BATCH} no-op jobs in ${(total / 1000).toFixed(2)} s (${((BATCH * 1000) / total).toFixed(0)} jobs/s; submitting took ${(submitted / 1000).toFixed(2)} s)`,
  );
}

const home = makeRunnerHome();
const embedded = await connectRunner(home, ['--concurrency', '1']);
await roundTrips(embedded, 'embedded');
await batch(embedded, 'embedded, concurrency 1');
await embedded.close();

const redis = await startRedis();
const workers: WorkerProcess[] = [];
try {
  const runner = await connectRunner(home, ['--backend', 'bullmq', '--redis-url', redis.url]);
  workers.push(await startWorker(home, redis.url));
  await roundTrips(runner, 'bullmq, 1 worker');
  for (const count of [1, 2, 4]) {
    while (workers.length < count) workers.push(await startWorker(home, redis.url));
    await batch(runner, `bullmq, ${count} worker process${count > 1 ? 'es' : ''}`);
  }
  for (const worker of workers.splice(0)) await worker.stop();

  const fast = ['--lock-duration-ms', '2000', '--stalled-interval-ms', '1000'];
  const victim = await startWorker(home, redis.url, fast);
  workers.push(victim);
  const job = await runner.call('submit_job', {
    idempotency_key: key('crash'),
    command: ['sleep', '5'],
    retryable: true,
  });
  const id = job.structured.job_id;
  for (;;) {
    const state = await runner.call('get_job', { job_id: id, log_tail_bytes: 0 });
    if (state.structured.worker) break;
  }
  const rescuer = await startWorker(home, redis.url, fast);
  workers.push(rescuer);
  const killedAt = performance.now();
  await victim.stop('SIGKILL');
  let pickedUp = 0;
  for (;;) {
    const state = await runner.call('get_job', { job_id: id, log_tail_bytes: 0 });
    if (state.structured.attempt === 2 && state.structured.state === 'running') {
      pickedUp = performance.now() - killedAt;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const done = await runner.call('get_job', { job_id: id, wait_s: 60, log_tail_bytes: 0 });
  console.log(
    `crash pick-up (lock 2 s, stalled check 1 s): running again on another worker ${(pickedUp / 1000).toFixed(2)} s after SIGKILL; ${done.structured.state} at attempt ${done.structured.attempt}`,
  );
  await runner.close();
} finally {
  for (const worker of workers) await worker.stop();
  await redis.stop();
}
