// Servers spawned before the MCP client code loads, then adopted by the manager: the same process serves,
// nothing is spawned twice, failures read as before, and nothing adopted by nobody survives.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { McpConnectionManager } from '../../src/mcp/manager.js';
import { PrespawnedServers } from '../../src/mcp/prespawn.js';
import { fixture, isAlive, stdioServer } from './helpers.js';

const dirs: string[] = [];
const managers: McpConnectionManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function server(name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'conduit-prespawn-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'tools.txt'), 'alpha\n');
  const pidFile = join(dir, 'pid');
  const config = stdioServer(name, [fixture('scripted-tools.mjs')], {
    env: { TOOLS_FILE: join(dir, 'tools.txt'), PID_FILE: pidFile },
  });
  return { config, pidFile };
}

async function pidsIn(file: string): Promise<number[]> {
  // PID_FILE is written by the server as it starts; wait for it (bounded by the test timeout, not a clock).
  // It exists empty for a moment before it is written (an empty file would read as pid 0: this process group).
  for (;;) {
    try {
      const pids = readFileSync(file, 'utf8').split(' ').map(Number);
      if (pids.every((pid) => Number.isInteger(pid) && pid > 0)) return pids;
    } catch {
      // Not there yet.
    }
    await sleep(20);
  }
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 500 && isAlive(pid); i++) await sleep(20);
  return !isAlive(pid);
}

describe('PrespawnedServers', () => {
  it('the manager adopts the process spawned ahead instead of starting another', async () => {
    const s = server('early');
    const prespawned = PrespawnedServers.start({ early: s.config }, {});
    const [pid] = await pidsIn(s.pidFile);
    const m = new McpConnectionManager({ cwd: tmpdir(), env: {}, prespawned });
    managers.push(m);
    const report = await m.start([s.config]);
    expect(report.errors).toEqual([]);
    expect((await m.callTool('early', 'alpha', {})).content).toEqual([
      { type: 'text', text: 'called alpha' },
    ]);
    // Still the first process: the PID file would have been rewritten by a second one.
    expect((await pidsIn(s.pidFile))[0]).toBe(pid);
    await m.close();
    expect(await gone(pid)).toBe(true);
  });

  it('kills what nobody adopted, and a process spawned for other parameters', async () => {
    const a = server('a');
    const b = server('b');
    const prespawned = PrespawnedServers.start({ a: a.config, b: b.config }, {});
    const [pidA, childA] = await pidsIn(a.pidFile);
    const [pidB] = await pidsIn(b.pidFile);
    // Asked for b with other parameters (its config changed): the early process is not it.
    expect(prespawned.take('b', { command: process.execPath, args: ['other'], env: {} })).toBeUndefined();
    expect(await gone(pidB)).toBe(true);
    prespawned.killUntaken();
    expect(await gone(pidA)).toBe(true);
    expect(await gone(childA)).toBe(true);
  });

  it('a server that died before it was adopted is reported with its exit code and stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conduit-prespawn-'));
    dirs.push(dir);
    const pidFile = join(dir, 'pid');
    const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); console.error('broken: missing API token'); process.exit(3)`;
    const config = stdioServer('dead', ['-e', script]);
    const prespawned = PrespawnedServers.start({ dead: config }, {});
    const [pid] = await pidsIn(pidFile);
    // Reaped by this process (so Node has already handled its exit) before the manager takes it.
    expect(await gone(pid)).toBe(true);
    const m = new McpConnectionManager({ cwd: tmpdir(), env: {}, prespawned });
    managers.push(m);
    const report = await m.start([config]);
    expect(report.errors[0].message).toMatch(/exited with code 3[\s\S]*broken: missing API token/);
  });

  it('a command that cannot be spawned fails the same way as without prespawning', async () => {
    const missing = stdioServer('missing', [], { command: 'conduit-no-such-command' });
    const prespawned = PrespawnedServers.start({ missing }, {});
    const m = new McpConnectionManager({ cwd: tmpdir(), env: {}, prespawned });
    managers.push(m);
    const report = await m.start([missing]);
    const plain = new McpConnectionManager({ cwd: tmpdir(), env: {} });
    managers.push(plain);
    const without = await plain.start([missing]);
    expect(report.errors).toEqual(without.errors);
    expect(report.errors[0].message).toContain('command not found: conduit-no-such-command');
  });
});
