// Server processes die with the session: on SIGINT/SIGTERM and on a bare process.exit().

import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixture, isAlive } from './helpers.js';

// Inside the repository so the bundle's bare imports resolve from node_modules.
const outDir = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'conduit-mcp-test');
const entry = join(outDir, `shutdown-${process.pid}.mjs`);

beforeAll(() => {
  mkdirSync(outDir, { recursive: true });
  buildSync({
    entryPoints: [fixture('shutdown-entry.ts')],
    outfile: entry,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
});

afterAll(() => rmSync(entry, { force: true }));

/** Runs the entry, resolves with the server pids it prints and a promise of its exit. */
function runEntry(mode: 'wait' | 'exit') {
  const child = spawn(process.execPath, [entry, fixture('print-env.mjs'), mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const pids = new Promise<number[]>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
    void exited.then(() => reject(new Error(`entry exited early: ${stderr}`)));
  });
  return { child, pids, exited };
}

describe('stopServersOnExit', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`kills the servers on ${signal}, then dies of the signal`, async () => {
      const { child, pids, exited } = runEntry('wait');
      const servers = await pids;
      expect(servers.every(isAlive)).toBe(true);
      child.kill(signal);
      expect(await exited).toEqual({ code: null, signal });
      await vi.waitFor(() => expect(servers.filter(isAlive)).toEqual([]), { timeout: 10_000 });
    });
  }

  it('kills the servers when the process calls process.exit()', async () => {
    const { pids, exited } = runEntry('exit');
    const servers = await pids;
    expect(await exited).toEqual({ code: 0, signal: null });
    await vi.waitFor(() => expect(servers.filter(isAlive)).toEqual([]), { timeout: 10_000 });
  });
});
