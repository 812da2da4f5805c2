// server-filesystem on a temp dir, server-memory on a temp file, and streamable HTTP (a fixture that
// checks the bearer token, and server-everything's own HTTP transport), all on loopback.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { McpServerConfig } from '../../src/config/types.js';
import { McpConnectionManager } from '../../src/mcp/manager.js';
import { createMcpToolHandlers } from '../../src/tools/handlers/mcp.js';
import { functionCall, tempDir, toolContext } from './context.js';
import { fixture, SERVERS, stdioServer } from './helpers.js';

const managers: McpConnectionManager[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  await Promise.all(managers.map((m) => m.close()));
  for (const child of children) child.kill();
});

async function started(servers: McpServerConfig[], env?: Record<string, string>, cwd = process.cwd()) {
  const manager = new McpConnectionManager({ cwd, env });
  managers.push(manager);
  const report = await manager.start(servers);
  const handlers = new Map(createMcpToolHandlers(manager).map((h) => [h.name, h]));
  const { ctx } = await toolContext();
  const call = async (name: string, args: unknown) => {
    const handler = handlers.get(name);
    if (!handler) throw new Error(`no tool ${name}`);
    return handler.handle(functionCall(name, args), ctx());
  };
  return { manager, report, call };
}

/** A port nothing listens on right now (server-everything cannot listen on port 0 and report it). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves with the first line matching `pattern` on the given stream. */
function spawnUntil(
  args: string[],
  env: Record<string, string>,
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
) {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'pipe',
  });
  children.push(child);
  return new Promise<RegExpMatchArray>((resolve, reject) => {
    let seen = '';
    child[stream].on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
  });
}

describe('server-filesystem', () => {
  it('reads and writes files in its allowed directory through the model-facing tools', async () => {
    const dir = tempDir('conduit-mcp-fs-');
    writeFileSync(join(dir, 'hello.txt'), 'hello from disk\n');
    // server-filesystem replaces its allowed directories with the client's roots: our cwd.
    const { report, call } = await started([stdioServer('fs', [SERVERS.filesystem, dir])], undefined, dir);
    expect(report.errors).toEqual([]);
    expect((await call('fs__read_text_file', { path: join(dir, 'hello.txt') })).output).toContain(
      'hello from disk',
    );
    const write = await call('fs__write_file', { path: join(dir, 'new.txt'), content: 'written by conduit' });
    expect(write.success).toBe(true);
    expect(readFileSync(join(dir, 'new.txt'), 'utf8')).toBe('written by conduit');
    const outside = await call('fs__read_text_file', { path: '/etc/hostname' });
    expect(outside.success).toBe(false);
    expect(outside.output).toMatch(/denied|outside/i);
  });
});

describe('server-memory', () => {
  it('stores entities and reads the graph back', async () => {
    const file = join(tempDir('conduit-mcp-memory-'), 'memory.jsonl');
    const { call } = await started([
      stdioServer('memory', [SERVERS.memory], { env: { MEMORY_FILE_PATH: file } }),
    ]);
    const created = await call('memory__create_entities', {
      entities: [{ name: 'Conduit', entityType: 'project', observations: ['speaks MCP'] }],
    });
    expect(created.success).toBe(true);
    const graph = JSON.parse((await call('memory__read_graph', {})).output as string);
    expect(graph.entities).toEqual([
      expect.objectContaining({ name: 'Conduit', observations: ['speaks MCP'] }),
    ]);
  });
});

describe('streamable HTTP', () => {
  const httpServer = (
    url: string,
    extra: Partial<Extract<McpServerConfig['transport'], { type: 'http' }>> = {},
  ) =>
    ({
      name: 'remote',
      enabled: true,
      startupTimeoutSec: 20,
      toolTimeoutSec: 30,
      transport: { type: 'http', url, httpHeaders: {}, envHttpHeaders: {}, ...extra },
    }) satisfies McpServerConfig;

  it('sends the bearer token and headers, and explains a missing or rejected token', async () => {
    const [port] = await spawnUntil(
      [fixture('http-auth-server.mjs')],
      { FIXTURE_TOKEN: 's3cret' },
      'stdout',
      /\d+/,
    );
    const url = `http://127.0.0.1:${port}/mcp`;
    const config = httpServer(url, {
      bearerTokenEnvVar: 'REMOTE_TOKEN',
      httpHeaders: { 'X-Static': 'static' },
      envHttpHeaders: { 'X-Team': 'TEAM', 'X-Blank': 'BLANK' },
    });
    const ok = await started([config], { REMOTE_TOKEN: 's3cret', TEAM: 'core', BLANK: ' ' });
    expect(ok.report.errors).toEqual([]);
    const headers = JSON.parse((await ok.call('remote__headers', {})).output as string);
    expect(headers).toMatchObject({ authorization: 'Bearer s3cret', 'x-static': 'static', 'x-team': 'core' });
    expect(headers['x-blank']).toBeUndefined();

    const unset = await started([config], {});
    expect(unset.report.errors).toEqual([
      {
        server: 'remote',
        message: expect.stringContaining(
          'environment variable REMOTE_TOKEN (bearer_token_env_var of [mcp_servers.remote]) is not set',
        ),
      },
    ]);
    const wrong = await started([config], { REMOTE_TOKEN: 'nope' });
    expect(wrong.report.errors[0].message).toMatch(/MCP server 'remote' failed during initialize: .*401/);
  });

  it('talks to server-everything over its streamable HTTP transport, and reports a refused connection', async () => {
    const port = await freePort();
    await spawnUntil(
      [SERVERS.everything, 'streamableHttp'],
      { PORT: String(port) },
      'stderr',
      /listening on port/,
    );
    const { report, call } = await started([httpServer(`http://127.0.0.1:${port}/mcp`)]);
    expect(report.errors).toEqual([]);
    expect((await call('remote__echo', { message: 'over http' })).output).toBe('Echo: over http');

    const refused = await started([httpServer(`http://127.0.0.1:${await freePort()}/mcp`)]);
    expect(refused.report.errors[0].message).toMatch(
      /MCP server 'remote' failed during initialize: .*ECONNREFUSED/,
    );
  });
});
