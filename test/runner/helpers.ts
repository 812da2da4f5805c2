// Wiring for the runner tests: temp homes, the real `conduit runner serve` over stdio with the SDK's client,
// a real redis-server on a free loopback port (stopped by PID), and real worker processes.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Redis } from 'ioredis';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'conduit.js');
export const KEY = 'test-runner-key-0123456789abcdef';

export interface RunnerHome {
  root: string;
  home: string;
  blobDir: string;
}

export function makeRunnerHome(): RunnerHome {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'conduit-runner-')));
  const home = join(root, 'home');
  mkdirSync(home);
  return { root, home, blobDir: join(root, 'blobs') };
}

export function runnerEnv(home: RunnerHome): Record<string, string> {
  return { ...(process.env as Record<string, string>), CONDUIT_HOME: home.home, CONDUIT_RUNNER_KEY: KEY };
}

export interface ToolAnswer {
  isError: boolean;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field with toMatchObject
  structured: Record<string, any>;
  raw: CallToolResult;
}

export interface RunnerClient {
  client: Client;
  call(
    name: string,
    args: Record<string, unknown>,
    onprogress?: (p: { message?: string }) => void,
  ): Promise<ToolAnswer>;
  stderr(): string;
  pid(): number | undefined;
  close(): Promise<void>;
}

export async function connectRunner(home: RunnerHome, args: string[] = []): Promise<RunnerClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'runner', 'serve', '--blob-dir', home.blobDir, ...args],
    env: runnerEnv(home),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'runner-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    async call(name, callArgs, onprogress) {
      const raw = (await client.callTool({ name, arguments: callArgs }, undefined, {
        timeout: 120_000,
        ...(onprogress ? { onprogress, resetTimeoutOnProgress: true } : {}),
      })) as CallToolResult;
      const text = raw.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      return {
        isError: raw.isError === true,
        text,
        // biome-ignore lint/suspicious/noExplicitAny: as above
        structured: (raw.structuredContent ?? {}) as Record<string, any>,
        raw,
      };
    },
    stderr: () => stderr,
    pid: () => transport.pid ?? undefined,
    close: () => client.close(),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface RedisServer {
  port: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** redis-server on a free loopback port, no persistence; ready when PING answers. */
export async function startRedis(port?: number): Promise<RedisServer> {
  const p = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${p}`;
  await until('redis-server to answer PING', async () => {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } finally {
      probe.disconnect();
    }
  });
  return {
    port: p,
    url,
    child,
    stop: () => stopProcess(child),
  };
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startWorker(
  home: RunnerHome,
  redisUrl: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'runner',
      'worker',
      '--redis-url',
      redisUrl,
      '--blob-dir',
      home.blobDir,
      '--work-dir',
      join(home.root, 'work'),
      '--concurrency',
      '1',
      ...extra,
    ],
    { env: { ...runnerEnv(home), ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await until('the worker to start', async () => {
    if (child.exitCode !== null) throw new Error(`worker exited: ${output}`);
    return output.includes('processing');
  });
  return { child, output: () => output, stop: (signal) => stopProcess(child, signal) };
}

/** Polls get_job until the job reaches `state` (for the moments a test must catch, e.g. running). */
export async function waitForState(runner: RunnerClient, jobId: string, state: string): Promise<ToolAnswer> {
  let last: ToolAnswer | undefined;
  await until(
    `job ${jobId} to be ${state}`,
    async () => {
      last = await runner.call('get_job', { job_id: jobId, log_tail_bytes: 0 });
      // A running job is reported once its worker is known (BullMQ workers report themselves just after start).
      return last.structured.state === state && (state !== 'running' || last.structured.worker !== undefined);
    },
    60_000,
  );
  return last as ToolAnswer;
}
