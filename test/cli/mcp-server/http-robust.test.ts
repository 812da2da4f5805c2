// `conduit mcp-server --http` under bad input, many clients that never say goodbye, and a client that
// hangs up in the middle of a call.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { describeSandboxed } from '../../helpers/sandbox.js';
import { BIN, type Home, makeHome } from './helpers.js';

let fake: FakeModelServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeModelServer({ wires: ['responses'] });
});
afterEach(async () => {
  fake.setHandler(undefined);
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
});
afterAll(async () => {
  await fake?.close();
});

async function serve(
  home: Home,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ url: string; pid: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'mcp-server', '--http', '127.0.0.1:0', ...args], {
    cwd: home.cwd,
    env: { ...process.env, CONDUIT_HOME: home.home, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  for await (const chunk of child.stderr!) {
    stderr += String(chunk);
    const url = /listening on (\S+)/.exec(stderr)?.[1];
    if (url) return { url, pid: child.pid!, child };
  }
  throw new Error(`the server exited before listening: ${stderr}`);
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

function post(url: string, body: string, session?: string, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { ...HEADERS, ...(session && { 'mcp-session-id': session }) },
    body,
    signal,
  });
}

/** The JSON-RPC message(s) of a response, whether sent as JSON or as one SSE event. */
async function messages(res: Response): Promise<unknown> {
  const text = await res.text();
  if (res.headers.get('content-type')?.includes('text/event-stream')) {
    return JSON.parse(/^data: (.*)$/m.exec(text)?.[1] ?? 'null');
  }
  return JSON.parse(text);
}

async function initialize(url: string): Promise<string> {
  const res = await post(
    url,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'load', version: '1' } },
    }),
  );
  const session = res.headers.get('mcp-session-id');
  await res.arrayBuffer();
  if (!session) throw new Error(`initialize failed: ${res.status}`);
  await (
    await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), session)
  ).arrayBuffer();
  return session;
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

async function sessionGone(url: string, session: string): Promise<boolean> {
  const res = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }), session);
  await res.arrayBuffer();
  return res.status === 404;
}

async function until(condition: () => Promise<boolean>, pauseMs = 100): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, pauseMs));
}

describe('conduit mcp-server --http', () => {
  it('answers malformed JSON, invalid requests, batches and oversize bodies as stdio does, and keeps serving', async () => {
    const { url } = await serve(makeHome(fake.url));
    const session = await initialize(url);
    const malformed = await post(url, '{"jsonrpc":', session);
    expect(malformed.status).toBe(400);
    expect(await messages(malformed)).toMatchObject({ id: null, error: { code: -32700 } });
    const badParams = await post(
      url,
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping', params: 'x' }),
      session,
    );
    expect(await messages(badParams)).toMatchObject({ id: 2, error: { code: -32602 } });
    const batch = await post(
      url,
      JSON.stringify([
        { jsonrpc: '2.0', id: 3, method: 'ping' },
        { jsonrpc: '2.0', id: 4, method: 'ping' },
      ]),
      session,
    );
    expect(batch.status).toBe(400);
    expect(await messages(batch)).toEqual([
      {
        jsonrpc: '2.0',
        id: 3,
        error: { code: -32600, message: expect.stringContaining('batches are not supported') },
      },
      {
        jsonrpc: '2.0',
        id: 4,
        error: { code: -32600, message: expect.stringContaining('batches are not supported') },
      },
    ]);
    const args = await post(
      url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 5,
        method: 'tools/call',
        params: { name: 'codex', arguments: [] },
      }),
      session,
    );
    expect(await messages(args)).toMatchObject({
      id: 5,
      error: {
        code: -32602,
        message: 'Invalid params: tools/call codex: "arguments" must be an object, not an array',
      },
    });
    const big = await post(
      url,
      `{"jsonrpc":"2.0","id":6,"method":"ping","params":{"pad":"${'a'.repeat(5 * 1024 * 1024)}"}}`,
      session,
    );
    expect(big.status).toBe(413);
    expect(await messages(big)).toMatchObject({ id: 6, error: { code: -32600 } });
    const ping = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping' }), session);
    expect(await messages(ping)).toMatchObject({ id: 7, result: {} });
  });

  it('expires sessions left without DELETE, so 2,000 initializes fit in a 64 MB heap', async () => {
    // Memory is bounded by construction: the server runs with a 64 MB V8 heap. Sessions that never
    // expired killed such a server (heap out of memory) after about 1,840 initializes; with the TTL it
    // goes on (measured). GC timing makes RSS a noisy signal; a heap limit is not.
    const { url, child } = await serve(makeHome(fake.url), ['--session-ttl', '0.2'], {
      NODE_OPTIONS: '--max-old-space-size=64',
    });
    for (let round = 0; round < 2; round++) {
      const sessions: string[] = [];
      for (let i = 0; i < 1000; i++) sessions.push(await initialize(url));
      // Every session of the round expires (the server holds none of them any more). Each look is a request
      // that keeps the session alive, so look less often than the TTL.
      await until(() => sessionGone(url, sessions.at(-1)!), 1000);
      for (const session of [sessions[0], sessions[500]]) expect(await sessionGone(url, session)).toBe(true);
    }
    expect(child.exitCode).toBeNull();
    const fresh = await initialize(url);
    const ping = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }), fresh);
    expect(await messages(ping)).toMatchObject({ id: 9, result: {} });
  }, 300_000);
});

describeSandboxed('conduit mcp-server --http, client hang-up', () => {
  it('kills the running sandboxed command when the client drops the stream of its call', async () => {
    const marker = `${Math.floor(Math.random() * 1e6) + 3_000_000}`;
    fake.setHandler(() => ({
      steps: [
        {
          type: 'tool_call',
          name: 'shell',
          arguments: { command: ['sleep', marker], timeout_ms: 3_600_000 },
        },
      ],
    }));
    const { url, pid } = await serve(makeHome(fake.url));
    const session = await initialize(url);
    const running = () =>
      execFileSync('ps', ['-eo', 'args'])
        .toString()
        .split('\n')
        .some((line) => line === `sleep ${marker}`);
    const hangUp = new AbortController();
    const call = post(
      url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'codex',
          arguments: { prompt: 'sleep', sandbox: 'workspace-write', 'approval-policy': 'never' },
        },
      }),
      session,
      hangUp.signal,
    ).then((res) => res.text());
    await until(async () => running());
    hangUp.abort();
    await expect(call).rejects.toThrow();
    await until(async () => !running());
    expect(rssKb(pid)).toBeGreaterThan(0); // the server itself is still up
    const ping = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }), session);
    expect(await messages(ping)).toMatchObject({ id: 2, result: {} });
  }, 120_000);
});
