import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ExecSpawnError, execCommand } from '../../src/exec/run.js';
import { TIMEOUT_EXIT_CODE } from '../../src/exec/types.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const sh = (script: string, extra: Partial<Parameters<typeof execCommand>[0]> = {}) =>
  execCommand({ command: ['sh', '-c', script], cwd: '/tmp', env, ...extra });

/** True once `pid` is gone (or a zombie nobody has reaped yet: it runs nothing). */
function isDead(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

describe('execCommand', () => {
  it('captures stdout, stderr and their interleaving, with the exit code', async () => {
    const r = await sh('echo out; echo err >&2; echo out2; exit 3');
    expect(r.exitCode).toBe(3);
    expect(r.stdout.text).toBe('out\nout2\n');
    expect(r.stderr.text).toBe('err\n');
    expect(r.aggregated.text.split('\n').sort()).toEqual(['', 'err', 'out', 'out2']);
    expect(r.aggregated.totalLines).toBe(3);
    expect(r).toMatchObject({ timedOut: false, interrupted: false, signal: undefined });
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('runs in cwd with exactly the given env and stdin at /dev/null', async () => {
    const r = await execCommand({
      command: ['sh', '-c', 'pwd; echo "$FOO|$HOME"; cat; readlink /proc/self/fd/0'],
      cwd: '/usr',
      env: { ...env, FOO: 'bar' },
    });
    expect(r.stdout.text).toBe('/usr\nbar|\n/dev/null\n');
  });

  it('runs the child in its own process group', async () => {
    const r = await sh("cut -d' ' -f5 /proc/$$/stat; echo $$");
    const [pgid, pid] = r.stdout.text.trim().split(/\s+/);
    expect(pgid).toBe(pid);
  });

  it('kills the whole process tree on timeout and reports exit 124', async () => {
    const r = await sh('sleep 600 & echo $!; sleep 600 & echo $!; wait', { timeoutMs: 300 });
    expect(r).toMatchObject({ exitCode: TIMEOUT_EXIT_CODE, timedOut: true, signal: 'SIGKILL' });
    const pids = r.stdout.text.trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    await vi.waitFor(() => expect(pids.every(isDead)).toBe(true), { timeout: 10_000 });
  });

  it('kills the tree when the signal aborts, and reports interrupted', async () => {
    const controller = new AbortController();
    const pids: number[] = [];
    const run = sh('sleep 600 & echo $!; wait', {
      signal: controller.signal,
      timeoutMs: 600_000,
      onOutput: (_s, chunk) => {
        pids.push(Number(chunk.toString().trim()));
        controller.abort();
      },
    });
    const r = await run;
    expect(r).toMatchObject({ interrupted: true, timedOut: false, exitCode: 137, signal: 'SIGKILL' });
    await vi.waitFor(() => expect(pids.every(isDead)).toBe(true), { timeout: 10_000 });
  });

  it('does not start when the signal is already aborted', async () => {
    const r = await sh('echo should-not-run', { signal: AbortSignal.abort() });
    expect(r).toMatchObject({ interrupted: true, exitCode: 137 });
    expect(r.aggregated.totalBytes).toBe(0);
  });

  it('reports a signal death as 128+N with the signal name', async () => {
    const r = await sh('kill -TERM $$');
    expect(r).toMatchObject({ exitCode: 143, signal: 'SIGTERM', timedOut: false });
  });

  it('streams live chunks with their stream', async () => {
    const seen: string[] = [];
    const r = await sh('echo a; echo b >&2', { onOutput: (s, c) => seen.push(`${s}:${c}`) });
    expect(r.exitCode).toBe(0);
    expect(seen.sort()).toEqual(['stderr:b\n', 'stdout:a\n']);
  });

  it('rejects with a clear error when the program or cwd does not exist', async () => {
    await expect(execCommand({ command: ['no-such-program-xyz'], cwd: '/tmp', env })).rejects.toThrow(
      ExecSpawnError,
    );
    await expect(execCommand({ command: ['true'], cwd: '/no/such/dir', env })).rejects.toThrow(
      /\/no\/such\/dir/,
    );
    await expect(execCommand({ command: [], cwd: '/tmp', env })).rejects.toThrow(/empty command/);
  });

  it('returns after the drain period when a background process keeps the pipes open', async () => {
    const r = await sh('setsid sleep 5 & echo started');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.text).toBe('started\n');
  });

  it('feeds extra fds to the child', async () => {
    const r = await execCommand(
      { command: ['sh', '-c', 'cat <&3; cat <&4'], cwd: '/tmp', env },
      { fdPayloads: [Buffer.from('three\n'), Buffer.from('four\n')] },
    );
    expect(r.stdout.text).toBe('three\nfour\n');
  });
});
