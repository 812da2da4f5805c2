// `conduit runner serve` on the embedded backend: the job-tool contract, and what survives a server restart.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRunner, makeRunnerHome, type RunnerClient, waitForState } from './helpers.js';
import { jobToolSuite, key } from './suite.js';

describe('runner serve (embedded)', () => {
  const home = makeRunnerHome();
  let runner: RunnerClient;
  beforeAll(async () => {
    runner = await connectRunner(home, ['--concurrency', '2']);
  });
  afterAll(async () => {
    await runner?.close();
  });

  jobToolSuite(() => runner);

  it('lists tools with schemas and annotations', async () => {
    const { tools } = await runner.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'cancel_job',
      'get_artifact',
      'get_job',
      'list_artifacts',
      'put_input',
      'read_job_log',
      'submit_job',
    ]);
    const submit = tools.find((t) => t.name === 'submit_job');
    expect(submit?.inputSchema.required).toEqual(['idempotency_key']);
    expect(submit?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: true });
    expect(tools.find((t) => t.name === 'cancel_job')?.annotations?.destructiveHint).toBe(true);
    expect(tools.find((t) => t.name === 'get_job')?.annotations?.readOnlyHint).toBe(true);
  });
});

describe('runner serve (embedded) restart', () => {
  it('marks the jobs a dead server was running as lost and keeps finished ones', async () => {
    const home = makeRunnerHome();
    const first = await connectRunner(home);
    const done = await first.call('submit_job', {
      idempotency_key: key('kept'),
      command: ['echo', 'kept'],
      wait_s: 60,
    });
    const running = await first.call('submit_job', {
      idempotency_key: key('lost'),
      command: ['sleep', '120'],
    });
    await waitForState(first, running.structured.job_id, 'running');
    process.kill(first.pid() as number, 'SIGKILL');
    await first.close();

    const second = await connectRunner(home);
    try {
      const lost = await second.call('get_job', { job_id: running.structured.job_id });
      expect(lost.structured).toMatchObject({ state: 'lost', error: { code: 'worker_lost' } });
      const kept = await second.call('get_job', { job_id: done.structured.job_id });
      expect(kept.structured).toMatchObject({ state: 'succeeded' });
      expect(kept.structured.log_tail.text).toBe('kept\n');
    } finally {
      await second.close();
    }
  });
});
