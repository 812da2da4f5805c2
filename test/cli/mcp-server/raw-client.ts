// A raw JSON-RPC client over `conduit mcp-server`'s stdio: writes arbitrary lines (malformed ones too) and
// collects every line the server writes, so a test can check that each request got exactly one answer.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { BIN, type Home } from './helpers.js';

export interface RawClient {
  child: ChildProcess;
  /** Every message the server wrote, parsed (a batch answer stays an array). */
  received: unknown[];
  writeLine(line: string): void;
  send(message: object): void;
  /** Resolves with the first received message matching `predicate` (already received or future). */
  waitFor<T = Record<string, unknown>>(predicate: (message: Record<string, unknown>) => boolean): Promise<T>;
  /** Initializes with the given client capabilities. */
  initialize(capabilities?: object): Promise<void>;
  close(): Promise<void>;
}

export function rawClient(home: Home, args: string[] = []): RawClient {
  const child = spawn(process.execPath, [BIN, 'mcp-server', ...args], {
    cwd: home.cwd,
    env: { ...process.env, CONDUIT_HOME: home.home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const received: unknown[] = [];
  const waiters: { predicate: (m: Record<string, unknown>) => boolean; resolve: (m: unknown) => void }[] = [];
  const matches = (message: unknown, predicate: (m: Record<string, unknown>) => boolean) =>
    typeof message === 'object' &&
    message !== null &&
    !Array.isArray(message) &&
    predicate(message as Record<string, unknown>);
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message: unknown = JSON.parse(line);
    received.push(message);
    for (const waiter of [...waiters]) {
      if (matches(message, waiter.predicate)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const client: RawClient = {
    child,
    received,
    writeLine: (line) => child.stdin!.write(`${line}\n`),
    send: (message) => child.stdin!.write(`${JSON.stringify(message)}\n`),
    waitFor: <T>(predicate: (m: Record<string, unknown>) => boolean) => {
      const found = received.find((m) => matches(m, predicate));
      if (found) return Promise.resolve(found as T);
      return new Promise<T>((resolve) => waiters.push({ predicate, resolve: (m) => resolve(m as T) }));
    },
    async initialize(capabilities = {}) {
      client.send({
        jsonrpc: '2.0',
        id: 'init',
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities, clientInfo: { name: 'raw', version: '1' } },
      });
      await client.waitFor((m) => m.id === 'init');
      client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    },
    async close() {
      if (child.exitCode !== null) return;
      child.stdin!.end();
      await once(child, 'exit');
    },
  };
  return client;
}

/** The answers (results and errors) for `id` among everything received, batch answers included. */
export function answersFor(received: unknown[], id: unknown): Record<string, unknown>[] {
  return received
    .flatMap((m) => (Array.isArray(m) ? m : [m]))
    .filter(
      (m): m is Record<string, unknown> =>
        typeof m === 'object' &&
        m !== null &&
        'id' in m &&
        (m as { id: unknown }).id === id &&
        ('result' in m || 'error' in m),
    );
}
