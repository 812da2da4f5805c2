// Real bubblewrap runs (as root on CI). Skipped, not failed, where the preflight says bwrap cannot work here.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ExecSpawnError } from '../../src/exec/run.js';
import { TIMEOUT_EXIT_CODE } from '../../src/exec/types.js';
import type { SandboxPolicy } from '../../src/protocol/policy.js';
import { runSandboxed } from '../../src/sandbox/index.js';
import { describeSandboxed } from '../helpers/sandbox.js';
import { READ_ONLY, workspaceWrite } from './helpers.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/root' };
const node = process.execPath;

let ws: string;
let outside: string;
let tcpServer: Server;
let unixServer: Server;
let tcpPort: number;
let unixPath: string;
const accepted = { tcp: 0, unix: 0 };

function listen(server: Server, target: number | string): Promise<void> {
  return new Promise((resolve) => {
    if (typeof target === 'number') server.listen(target, '127.0.0.1', resolve);
    else server.listen(target, resolve);
  });
}

beforeAll(async () => {
  ws = realpathSync(mkdtempSync('/tmp/conduit-sbx-ws-'));
  mkdirSync(join(ws, '.git'));
  writeFileSync(join(ws, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  // Outside every writable root (/tmp and the workspace are writable under workspace-write).
  outside = realpathSync(mkdtempSync('/var/tmp/conduit-sbx-out-'));
  tcpServer = createServer((s) => {
    accepted.tcp++;
    s.on('error', () => {});
    s.end('hello\n');
  });
  unixServer = createServer((s) => {
    accepted.unix++;
    s.on('error', () => {});
    s.end('hello\n');
  });
  await listen(tcpServer, 0);
  tcpPort = (tcpServer.address() as { port: number }).port;
  unixPath = join(outside, 'host.sock');
  await listen(unixServer, unixPath);
});

afterAll(() => {
  tcpServer?.close();
  unixServer?.close();
  rmSync(ws, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function run(policy: SandboxPolicy, command: string[], extra: { timeoutMs?: number; cwd?: string } = {}) {
  return runSandboxed({
    params: { command, cwd: extra.cwd ?? ws, env, ...extra },
    policy,
    sandbox: 'platform',
  });
}
const sh = (policy: SandboxPolicy, script: string, extra = {}) => run(policy, ['sh', '-c', script], extra);

/** A node one-liner that connects and prints `connected` or the error code. */
function connectScript(target: string): string {
  return `const s = require('net').connect(${target}); s.on('connect', () => { console.log('connected'); s.destroy(); }); s.on('error', (e) => { console.log(e.code); process.exit(1); });`;
}

describeSandboxed('bubblewrap sandbox', () => {
  it('allows writes in the workspace, /tmp and added roots', async () => {
    const extra = realpathSync(mkdtempSync('/var/tmp/conduit-sbx-extra-'));
    try {
      const policy = workspaceWrite({ writableRoots: [extra] });
      const r = await sh(
        policy,
        `echo a > inside.txt && mkdir -p src && echo b > src/x && echo c > ${extra}/y && echo d > /tmp/conduit-sbx-$$ && rm /tmp/conduit-sbx-$$`,
      );
      expect(r.aggregated.text).toBe('');
      expect(r).toMatchObject({ exitCode: 0, sandboxDenied: false });
      expect(readFileSync(join(ws, 'inside.txt'), 'utf8')).toBe('a\n');
      expect(readFileSync(join(extra, 'y'), 'utf8')).toBe('c\n');
    } finally {
      rmSync(extra, { recursive: true, force: true });
    }
  });

  it('denies writes outside the writable roots, and flags the denial', async () => {
    const r = await sh(workspaceWrite(), `echo x > ${outside}/escape`);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr.text).toMatch(/Read-only file system/);
    expect(r.sandboxDenied).toBe(true);
    expect(existsSync(join(outside, 'escape'))).toBe(false);
  });

  it('keeps .git read-only inside a writable workspace, even with /tmp bound above it', async () => {
    const r = await sh(workspaceWrite(), 'touch .git/evil; echo hook > .git/HEAD; mv .git .git-moved; ls -a');
    expect(r.stderr.text).toMatch(/Read-only file system/);
    expect(r.stderr.text).toMatch(/Device or resource busy|Read-only file system/);
    expect(existsSync(join(ws, '.git', 'evil'))).toBe(false);
    expect(readFileSync(join(ws, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    expect(existsSync(join(ws, '.git-moved'))).toBe(false);
  });

  it('read-only denies writes in the workspace too', async () => {
    const r = await sh(READ_ONLY, 'echo x > ro.txt');
    expect(r.exitCode).not.toBe(0);
    expect(r.sandboxDenied).toBe(true);
    expect(existsSync(join(ws, 'ro.txt'))).toBe(false);
  });

  it('drops every capability, so root cannot remount the root read-write', async () => {
    const r = await sh(
      workspaceWrite(),
      'grep CapEff /proc/self/status; mount -o remount,rw / && echo REMOUNTED',
    );
    expect(r.stdout.text).toContain('CapEff:\t0000000000000000');
    expect(r.stdout.text).not.toContain('REMOUNTED');
  });

  it('hides host processes', async () => {
    const r = await sh(workspaceWrite(), `kill -0 ${process.pid} && echo VISIBLE`);
    expect(r.stdout.text).not.toContain('VISIBLE');
  });

  it('denies TCP connections to the host when network is off', async () => {
    const before = accepted.tcp;
    const r = await run(workspaceWrite(), [node, '-e', connectScript(`${tcpPort}, '127.0.0.1'`)]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout.text.trim()).toMatch(/^(EPERM|ECONNREFUSED|EACCES)$/);
    expect(accepted.tcp).toBe(before);
  });

  it('denies connecting to a host Unix socket when network is off', async () => {
    const before = accepted.unix;
    const r = await run(READ_ONLY, [node, '-e', connectScript(JSON.stringify(unixPath))]);
    expect(r.stdout.text.trim()).toBe('EPERM');
    expect(r.sandboxDenied).toBe(true);
    expect(accepted.unix).toBe(before);
  });

  it('allows TCP and Unix sockets when network is on', async () => {
    const policy = workspaceWrite({ networkAccess: true });
    const tcp = await run(policy, [node, '-e', connectScript(`${tcpPort}, '127.0.0.1'`)]);
    expect(tcp.stdout.text.trim()).toBe('connected');
    const unix = await run(policy, [node, '-e', connectScript(JSON.stringify(unixPath))]);
    expect(unix.stdout.text.trim()).toBe('connected');
    expect(accepted.tcp).toBeGreaterThan(0);
    expect(accepted.unix).toBeGreaterThan(0);
  });

  it('runs unsandboxed when asked (an approved escalation)', async () => {
    const r = await runSandboxed({
      params: { command: ['sh', '-c', `echo x > ${outside}/escalated`], cwd: ws, env },
      policy: READ_ONLY,
      sandbox: 'none',
    });
    expect(r).toMatchObject({ exitCode: 0, sandboxDenied: false });
    expect(existsSync(join(outside, 'escalated'))).toBe(true);
  });

  it('kills the whole sandboxed tree on timeout', async () => {
    const token = `${process.pid}${Date.now() % 100000}`;
    const r = await sh(workspaceWrite(), `sleep ${token}1 & sleep ${token}2 & echo started; wait`, {
      timeoutMs: 500,
    });
    expect(r).toMatchObject({ timedOut: true, exitCode: TIMEOUT_EXIT_CODE, sandboxDenied: false });
    const alive = () =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .some((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(token);
          } catch {
            return false;
          }
        });
    await vi.waitFor(() => expect(alive()).toBe(false), { timeout: 10_000 });
  });

  it('reports a sandbox setup failure as an error, not as the command failing', async () => {
    await expect(run(workspaceWrite(), ['no-such-program-xyz'])).rejects.toThrow(ExecSpawnError);
    await expect(run(READ_ONLY, ['true'], { cwd: join(ws, 'missing') })).rejects.toThrow(/missing/);
  });
});
