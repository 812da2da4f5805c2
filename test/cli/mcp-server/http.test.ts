// `conduit mcp-server --http`: streamable HTTP on loopback, bearer tokens, and the refusal to listen
// beyond loopback without one.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { BIN, CodexEventSchema, type Home, makeHome, textOf } from './helpers.js';

let fake: FakeModelServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeModelServer({ wires: ['responses'] });
});

afterEach(async () => {
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

/** Starts the server on a free loopback port and resolves with its URL (from its start-up line). */
async function serve(
  home: Home,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'mcp-server', '--http', '127.0.0.1:0', ...extraArgs], {
    cwd: home.cwd,
    env: { ...process.env, CONDUIT_HOME: home.home, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  for await (const chunk of child.stderr!) {
    stderr += String(chunk);
    const url = /listening on (\S+)/.exec(stderr)?.[1];
    if (url) return url;
  }
  throw new Error(`the server exited before listening: ${stderr}`);
}

async function connectHttp(url: string, token?: string) {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : undefined,
  });
  const client = new Client({ name: 'conduit-http-test', version: '1.0.0' });
  const events: unknown[] = [];
  client.setNotificationHandler(CodexEventSchema, (n) => {
    events.push(n.params);
  });
  await client.connect(transport);
  return { client, events };
}

describe('conduit mcp-server --http', () => {
  it('serves codex calls over streamable HTTP, streaming events on the call', async () => {
    const url = await serve(makeHome(fake.url));
    fake.setHandler(() => ({
      steps: [
        { type: 'text', text: 'over http' },
        { type: 'usage', input: 1, output: 1 },
      ],
    }));
    const { client, events } = await connectHttp(url);
    const result = await client.callTool({ name: 'codex', arguments: { prompt: 'hi' } });
    expect(textOf(result)).toBe('over http');
    expect(events.length).toBeGreaterThan(0);
    await client.close();
  });

  it('requires the bearer token when one is configured', async () => {
    const url = await serve(makeHome(fake.url), ['--bearer-token-env-var', 'MCP_TOKEN'], {
      MCP_TOKEN: 'tok-123',
    });
    const anonymous = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(anonymous.status).toBe(401);
    await expect(connectHttp(url, 'wrong')).rejects.toThrow();
    const { client } = await connectHttp(url, 'tok-123');
    await expect(client.ping()).resolves.toEqual({});
    await client.close();
  });

  it('refuses to listen beyond loopback without a token', () => {
    const home = makeHome(fake.url);
    const res = spawnSync(process.execPath, [BIN, 'mcp-server', '--http', '0.0.0.0:0'], {
      cwd: home.cwd,
      env: { ...process.env, CONDUIT_HOME: home.home },
      encoding: 'utf8',
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('listening beyond loopback needs a bearer token');
    const unset = spawnSync(
      process.execPath,
      [BIN, 'mcp-server', '--http', '0.0.0.0:0', '--bearer-token-env-var', 'NOPE_UNSET'],
      {
        cwd: home.cwd,
        env: { PATH: process.env.PATH, CONDUIT_HOME: home.home },
        encoding: 'utf8',
      },
    );
    expect(unset.status).toBe(2);
    expect(unset.stderr).toContain('NOPE_UNSET is not set or empty');
  });
});
