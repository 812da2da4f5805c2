import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clampYieldMs,
  type PtyResult,
  PtySessionManager,
  UnknownPtySessionError,
} from '../../../src/exec/pty/manager.js';
import { PendingOutput } from '../../../src/exec/pty/output-buffer.js';

// Generous: waits end early when the program exits, so only a broken test ever waits this long.
const LONG_YIELD = 30_000;

const managers: PtySessionManager[] = [];
function manager(maxSessions?: number) {
  const m = new PtySessionManager({ maxSessions });
  managers.push(m);
  return m;
}
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.closeAll()));
});

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'dumb', HOME: process.env.HOME ?? '/root' };
const spawnOpts = (script: string) => ({
  argv: ['bash', '--noprofile', '--norc', '-c', script],
  cwd: process.cwd(),
  env,
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `done` holds for the output gathered so far; the program decides when, not the clock. */
async function pollUntil(
  m: PtySessionManager,
  id: number,
  done: (all: string) => boolean,
  already = '',
): Promise<string> {
  let all = already;
  for (let i = 0; i < 160 && !done(all); i++) {
    const r = await m.write(id, '', 250);
    all += r.output;
    if (r.exitCode !== undefined) break;
  }
  return all;
}

describe('PTY sessions', () => {
  it('clamps yield times to 250–30000 ms', () => {
    expect(clampYieldMs(0)).toBe(250);
    expect(clampYieldMs(1000)).toBe(1000);
    expect(clampYieldMs(10 ** 9)).toBe(30_000);
  });

  it('returns as soon as a short program exits, with its output and exit code', async () => {
    const m = manager();
    const r = await m.start(
      spawnOpts('echo hello from a tty; [ -t 0 ] && echo stdin-is-a-tty; exit 3'),
      LONG_YIELD,
    );
    expect(r.exitCode).toBe(3);
    expect(r.sessionId).toBeUndefined();
    expect(r.output).toContain('hello from a tty');
    expect(r.output).toContain('stdin-is-a-tty');
    expect(m.openSessions).toBe(0);
  });

  it('returns the whole output of a program that exits right away', async () => {
    const m = manager();
    for (let i = 0; i < 5; i++) {
      const r = await m.start(spawnOpts('seq 1 5000'), LONG_YIELD);
      expect(r.exitCode).toBe(0);
      expect(r.output.trimEnd().endsWith('\n5000')).toBe(true);
    }
  });

  it('keeps an interactive program open, takes its input, and ends the session when it exits', async () => {
    const m = manager();
    const started = await m.start(
      spawnOpts('read -r name; echo "hi $name"; read -r again; echo "bye $again"'),
      250,
    );
    expect(started.exitCode).toBeUndefined();
    const id = started.sessionId as number;
    expect(id).toBeGreaterThan(0);

    const first = await pollUntilAfterWrite(m, id, 'conduit\n', (all) => all.includes('hi conduit'));
    expect(first).toContain('hi conduit');

    const last: PtyResult = await m.write(id, 'later\n', LONG_YIELD);
    expect(last.exitCode).toBe(0);
    expect(last.output).toContain('bye later');
    await expect(m.write(id, '', 250)).rejects.toBeInstanceOf(UnknownPtySessionError);
  });

  it('delivers output produced between polls', async () => {
    const m = manager();
    const started = await m.start(
      spawnOpts('read -r x; for i in 1 2 3; do echo "line $i"; done; read -r y'),
      250,
    );
    const id = started.sessionId as number;
    const afterWrite = await m.write(id, 'go\n', 250);
    const all = await pollUntil(m, id, (out) => out.includes('line 3'), afterWrite.output);
    expect(all).toMatch(/line 1[\s\S]*line 2[\s\S]*line 3/);
  });

  it('kills the least recently used session to stay under the cap', async () => {
    const m = manager(2);
    const a = await m.start(spawnOpts('sleep 1000'), 250);
    const b = await m.start(spawnOpts('sleep 1000'), 250);
    await m.write(a.sessionId as number, '', 250); // a is now more recently used than b
    const c = await m.start(spawnOpts('sleep 1000'), 250);
    expect(c.prunedSessionId).toBe(b.sessionId);
    expect(m.openSessions).toBe(2);
    await expect(m.write(b.sessionId as number, '', 250)).rejects.toThrow(/unknown session id/);
    expect((await m.write(a.sessionId as number, '', 250)).sessionId).toBe(a.sessionId);
  });

  it('closeAll kills every program with its children', async () => {
    const m = manager();
    const started = await m.start(spawnOpts('sleep 1000 & echo "child $!"; wait'), 250);
    const id = started.sessionId as number;
    const out = await pollUntil(m, id, (all) => /child \d+/.test(all), started.output);
    const childPid = Number(/child (\d+)/.exec(out)?.[1]);
    expect(running(childPid)).toBe(true);
    await m.closeAll();
    expect(m.openSessions).toBe(0);
    await waitUntilNotRunning(childPid);
    expect(running(childPid)).toBe(false);
  });
});

describe('cleanup when the agent process exits', () => {
  it('kills the sessions still open', async () => {
    // A real agent process: bundle a tiny script that opens a session, prints the program's pid and exits.
    const outfile = join(process.cwd(), 'node_modules/.cache/conduit-pty-exit/run.mjs');
    await build({
      stdin: {
        contents: `
          import { PtySessionManager } from './src/exec/pty/manager.ts';
          const m = new PtySessionManager();
          const r = await m.start({ argv: ['bash', '-c', 'echo pid=$$; exec sleep 1000'], cwd: '/', env: { PATH: process.env.PATH } }, 250);
          let out = r.output;
          while (!/pid=\\d+/.test(out)) out += (await m.write(r.sessionId, '', 250)).output;
          console.log(out.match(/pid=(\\d+)/)[1]);
          process.exit(0);
        `,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      outfile,
      logLevel: 'silent',
    });
    const pid = Number(execFileSync(process.execPath, [outfile], { encoding: 'utf8' }).trim());
    expect(pid).toBeGreaterThan(0);
    await waitUntilNotRunning(pid);
    expect(running(pid)).toBe(false);
  });
});

describe('pending PTY output', () => {
  it('keeps only the newest output past its cap and counts what it dropped', () => {
    const buffer = new PendingOutput(10);
    buffer.push('0123456789');
    buffer.push('abcd');
    expect(buffer.take()).toEqual({ text: '456789abcd', droppedChars: 4 });
    expect(buffer.take()).toEqual({ text: '', droppedChars: 0 });
  });

  it('never starts on half a surrogate pair', () => {
    const buffer = new PendingOutput(2);
    buffer.push('a😀b');
    expect(buffer.take()).toEqual({ text: 'b', droppedChars: 3 });
  });
});

async function pollUntilAfterWrite(
  m: PtySessionManager,
  id: number,
  chars: string,
  done: (all: string) => boolean,
) {
  const first = await m.write(id, chars, 250);
  return pollUntil(m, id, done, first.output);
}

/** Alive and not a zombie (a killed orphan may wait a while to be reaped; it no longer runs). */
function running(pid: number): boolean {
  return alive(pid) && !isZombie(pid);
}

/** SIGKILL is delivered asynchronously; wait for it (bounded by the test timeout). */
async function waitUntilNotRunning(pid: number): Promise<void> {
  while (running(pid)) await new Promise((r) => setTimeout(r, 20));
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
