// `conduit runner serve --http`: the job tools over streamable HTTP, behind a bearer token.

import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, expect, it } from 'vitest';
import { BIN, makeRunnerHome, runnerEnv, stopProcess } from './helpers.js';

const TOKEN = 'runner-http-test-token';
const home = makeRunnerHome();
const server = spawn(
  process.execPath,
  [BIN, 'runner', 'serve', '--http', '127.0.0.1:0', '--bearer-token-env-var', 'RUNNER_TOKEN'],
  {
    env: { ...runnerEnv(home), RUNNER_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
const url = new Promise<string>((resolve, reject) => {
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    const match = /listening on (\S+)/.exec(stderr);
    if (match) resolve(match[1] as string);
  });
  server.once('exit', () => reject(new Error(`server exited: ${stderr}`)));
});
afterAll(() => stopProcess(server));

it('serves the job tools to a client with the token and refuses one without', async () => {
  const endpoint = new URL(await url);
  const denied = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(denied.status).toBe(401);

  const client = new Client({ name: 'runner-http-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(endpoint, {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
    }),
  );
  try {
    const result = await client.callTool({
      name: 'submit_job',
      arguments: { idempotency_key: 'http-test-0001', command: ['echo', 'over http'], wait_s: 30 },
    });
    expect(result.structuredContent).toMatchObject({ state: 'succeeded', log_tail: { text: 'over http\n' } });
  } finally {
    await client.close();
  }
});
