// `conduit runner serve --backend bullmq` with real Redis and two real worker processes: the same job-tool
// contract as the embedded backend.

import { afterAll, beforeAll, describe } from 'vitest';
import {
  connectRunner,
  makeRunnerHome,
  type RedisServer,
  type RunnerClient,
  startRedis,
  startWorker,
  type WorkerProcess,
} from './helpers.js';
import { jobToolSuite } from './suite.js';

describe('runner serve (bullmq)', () => {
  const home = makeRunnerHome();
  let redis: RedisServer;
  let workers: WorkerProcess[] = [];
  let runner: RunnerClient;
  beforeAll(async () => {
    redis = await startRedis();
    workers = await Promise.all([startWorker(home, redis.url), startWorker(home, redis.url)]);
    runner = await connectRunner(home, ['--backend', 'bullmq', '--redis-url', redis.url]);
  });
  afterAll(async () => {
    await runner?.close();
    await Promise.all(workers.map((worker) => worker.stop()));
    await redis?.stop();
  });

  jobToolSuite(() => runner);
});
