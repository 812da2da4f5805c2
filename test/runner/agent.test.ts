// The agent side, end to end: `conduit exec` with the fake model, which calls runner__submit_job and then
// runner__get_job on a `conduit runner serve` configured under [mcp_servers.runner].

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jobIdFor } from '../../src/runner/spec.js';
import { cleanEnv, gitDir, runConduit, tempDir } from '../cli/exec/helpers.js';
import { type FakeModelServer, startFakeModelServer } from '../fake-model/server.js';
import { BIN } from './helpers.js';

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());

type Body = { input: { type: string; call_id?: string; output?: string }[]; tools?: { name?: string }[] };

it('lets the model submit a job and wait for it through the runner MCP server', async () => {
  const home = tempDir('conduit-home-');
  const runnerHome = join(home, 'runner-home');
  mkdirSync(runnerHome);
  writeFileSync(
    join(home, 'config.toml'),
    `[mcp_servers.runner]\ncommand = ${JSON.stringify(process.execPath)}\nargs = ${JSON.stringify([BIN, 'runner', 'serve', '--data-dir', join(home, 'jobs')])}\nenv = { CONDUIT_HOME = ${JSON.stringify(runnerHome)} }\n`,
  );
  const idempotencyKey = 'agent-test-build-1';
  const jobId = jobIdFor('default', idempotencyKey);
  fake.enqueue(
    {
      steps: [
        {
          type: 'tool_call',
          name: 'runner__submit_job',
          callId: 'submit',
          arguments: {
            idempotency_key: idempotencyKey,
            script: 'echo built by the runner > report.txt; cat report.txt',
            outputs: ['report.txt'],
          },
        },
      ],
    },
    {
      steps: [
        {
          type: 'tool_call',
          name: 'runner__get_job',
          callId: 'poll',
          arguments: { job_id: jobId, wait_s: 30 },
        },
      ],
    },
    { steps: [{ type: 'text', text: 'the job is done' }] },
  );
  const result = await runConduit(
    ['exec', '--config', `openai_base_url="${fake.url}"`, '--json', 'build it on the runner'],
    { env: cleanEnv(home, { CODEX_API_KEY: 'sk-test-runner' }), cwd: gitDir() },
  );
  expect(result.code, result.stderr).toBe(0);
  const bodies = fake.requests.filter((r) => r.wire === 'responses').map((r) => r.body as Body);
  expect(bodies).toHaveLength(3);
  expect(bodies[0]?.tools?.map((tool) => tool.name)).toContain('runner__submit_job');
  const output = (i: number, callId: string) =>
    String(
      bodies[i]?.input.find((item) => item.type === 'function_call_output' && item.call_id === callId)
        ?.output,
    );
  const submitted = output(1, 'submit');
  expect(submitted).toContain(jobId);
  expect(submitted).toContain('"deduplicated":false');
  const polled = output(2, 'poll');
  expect(polled).toContain('"state":"succeeded"');
  expect(polled).toContain('built by the runner');
  expect(polled).toContain('"artifacts_count":1');
  expect(result.events.at(-2)).toMatchObject({ type: 'item.completed', item: { text: 'the job is done' } });
});
