// Runs one job on this machine: inputs copied into a fresh work directory, the command under the agent's own
// bubblewrap sandbox (read-only host, only the job's directories writable, network off unless asked),
// wrapped in prlimit for CPU seconds, file size and open files; a wall-clock timer and a memory watchdog kill
// the whole process group. The embedded backend and every BullMQ worker use this same function.

import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { findExecutable, prepareSandboxedCommand, type SandboxPolicy } from '../index.js';
import type { CappedLogs } from './log-cap.js';
import { collectOutputs } from './outputs.js';
import { checkRelativePath } from './paths.js';
import { treePids, treeRssBytes } from './proc-tree.js';
import { type JobOutcome, type JobSpec, specArgv } from './spec.js';
import type { BlobStore } from './store/blobs.js';

const KILL_GRACE_MS = 2_000;
const KILL_TICK_MS = 100;
const MEMORY_SAMPLE_MS = 100;

export interface ExecuteOptions {
  spec: JobSpec;
  /** A directory of the job's own; `work/` and `tmp/` are created in it. */
  jobRoot: string;
  blobs: BlobStore;
  logs: CappedLogs;
  /** Aborting it cancels the job; its `reason` is reported. */
  signal: AbortSignal;
  /** Sandbox mode; `none` is only for hosts without a working sandbox where the operator chose so. */
  sandbox: 'platform' | 'none';
}

type Kill = { code: 'timeout' | 'memory_limit' | 'cancelled'; message: string };

/** Signals `pids`, children before parents (treePids lists parents first). */
function signalTree(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of [...pids].reverse()) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Ties the sandbox to this process: if the server or worker dies (even by SIGKILL), the kernel kills the
 * job's bwrap, which takes the sandboxed processes with it, instead of leaving an orphan running.
 */
function withParentDeath(argv: string[]): string[] {
  const setpriv = findExecutable('setpriv');
  return setpriv ? [setpriv, '--pdeathsig', 'KILL', '--', ...argv] : argv;
}

async function placeInputs(spec: JobSpec, workdir: string, blobs: BlobStore): Promise<void> {
  for (const input of spec.inputs) {
    const rel = checkRelativePath(input.path, 'inputs[].path');
    if (typeof rel !== 'string') throw new Error(rel.error);
    const target = join(workdir, rel);
    await mkdir(dirname(target), { recursive: true });
    await blobs.copyTo(input.digest, target);
  }
}

function jobEnv(spec: JobSpec, workdir: string, tmpdir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: workdir,
    TMPDIR: tmpdir,
    LANG: 'C.UTF-8',
    CONDUIT_RUNNER_JOB: '1',
    ...spec.env,
  };
}

function limitArgv(spec: JobSpec, argv: string[]): string[] {
  const prlimit = findExecutable('prlimit');
  if (!prlimit) throw new Error('prlimit (util-linux) was not found on PATH; it enforces job limits');
  const cpuSeconds = Math.ceil(spec.resources.timeout_s * Math.max(1, spec.resources.cpu)) + 1;
  return [
    prlimit,
    `--cpu=${cpuSeconds}`,
    `--fsize=${spec.resources.disk_mb * 1024 * 1024}`,
    '--nofile=4096',
    '--core=0',
    '--',
    ...argv,
  ];
}

export async function executeJob(o: ExecuteOptions): Promise<JobOutcome> {
  const { spec } = o;
  const workdir = join(o.jobRoot, 'work');
  const tmpdir = join(o.jobRoot, 'tmp');
  await mkdir(workdir, { recursive: true });
  await mkdir(tmpdir, { recursive: true });
  await placeInputs(spec, workdir, o.blobs);
  const cwdRel = checkRelativePath(spec.cwd, 'cwd');
  if (typeof cwdRel !== 'string') throw new Error(cwdRel.error);
  const cwd = join(workdir, cwdRel);
  await mkdir(cwd, { recursive: true });

  const policy: SandboxPolicy = {
    type: 'workspace-write',
    writableRoots: [workdir, tmpdir],
    networkAccess: spec.resources.network === 'on',
    excludeTmpdirEnvVar: true,
    excludeSlashTmp: true,
  };
  const prepared = await prepareSandboxedCommand({
    params: { command: limitArgv(spec, specArgv(spec)), cwd, env: jobEnv(spec, workdir, tmpdir) },
    policy,
    sandbox: o.sandbox,
  });

  const started = new Date().toISOString();
  const run = await new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    kill?: Kill;
    rss: number;
    spawnError?: string;
  }>((resolve) => {
    const [program, ...args] = withParentDeath(prepared.argv);
    const child = spawn(program as string, args, {
      cwd,
      env: prepared.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', ...prepared.fdPayloads.map(() => 'pipe' as const)],
    });
    let kill: Kill | undefined;
    let maxRss = 0;
    let hard = false;
    // Every process seen in the job's tree: one that outlives its parent (a background job without a
    // sandbox) is no longer under the spawned process, but still holds the job's pipes.
    const seen = new Set<number>();
    /**
     * Signals the job's processes as they are now; repeated until the job is gone, since a tree still
     * starting up grows after a snapshot. Under bubblewrap its outer process is spared until SIGKILL: killed
     * while it sets up the sandbox, its inner one may not be tied to it yet (--die-with-parent), survives
     * outside the tree, waits forever for the outer one and holds the job's pipes open. The inner one exits
     * once the command is gone, and the outer one with it.
     */
    const signalJob = () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const tree = treePids(child.pid);
      for (const pid of tree) seen.add(pid);
      if (hard) signalTree(tree, 'SIGKILL');
      else signalTree(prepared.sandbox === 'bwrap' ? tree.slice(1) : tree, 'SIGTERM');
    };
    let killer: NodeJS.Timeout | undefined;
    let escalate: NodeJS.Timeout | undefined;
    const terminate = (why: Kill) => {
      if (kill) return;
      kill = why;
      hard = why.code === 'memory_limit';
      signalJob();
      killer = setInterval(signalJob, KILL_TICK_MS);
      escalate = setTimeout(() => {
        hard = true;
        signalJob();
        const pids = [...seen];
        signalTree([...pids, ...pids.flatMap(treePids)], 'SIGKILL');
      }, KILL_GRACE_MS);
    };
    child.stdout?.on('data', (chunk: Buffer) => o.logs.write('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => o.logs.write('stderr', chunk));
    prepared.fdPayloads.forEach((payload, i) => {
      const pipe = child.stdio[3 + i] as Writable | null;
      pipe?.on('error', () => {});
      pipe?.end(payload);
    });
    const limitBytes = spec.resources.memory_mb * 1024 * 1024;
    const sampler = setInterval(() => {
      if (child.pid === undefined) return;
      const rss = treeRssBytes(child.pid);
      maxRss = Math.max(maxRss, rss);
      if (rss > limitBytes)
        terminate({
          code: 'memory_limit',
          message: `killed: memory use over memory_mb=${spec.resources.memory_mb}`,
        });
    }, MEMORY_SAMPLE_MS);
    const timer = setTimeout(
      () =>
        terminate({
          code: 'timeout',
          message: `killed: ran longer than timeout_s=${spec.resources.timeout_s}`,
        }),
      spec.resources.timeout_s * 1000,
    );
    const onAbort = () =>
      terminate({ code: 'cancelled', message: `cancelled: ${String(o.signal.reason ?? 'cancel_job')}` });
    if (o.signal.aborted) onAbort();
    else o.signal.addEventListener('abort', onAbort, { once: true });
    const done = (result: { code: number | null; signal: NodeJS.Signals | null; spawnError?: string }) => {
      clearInterval(sampler);
      clearInterval(killer);
      clearTimeout(escalate);
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      resolve({ ...result, kill, rss: maxRss });
    };
    child.on('error', (err) => done({ code: null, signal: null, spawnError: err.message }));
    child.on('close', (code, signal) => done({ code, signal }));
  });
  const finished = new Date().toISOString();
  const artifacts = await collectOutputs(workdir, spec.outputs, o.blobs);
  const base: JobOutcome = {
    state: 'failed',
    started_at: started,
    finished_at: finished,
    max_rss_mb: Math.round(run.rss / (1024 * 1024)),
    artifacts_manifest: artifacts.manifest,
    artifacts_count: artifacts.count,
    ...(run.code !== null ? { exit_code: run.code } : {}),
    ...(run.signal ? { signal: run.signal } : {}),
  };
  if (run.spawnError)
    return { ...base, error: { code: 'sandbox', message: `could not start: ${run.spawnError}` } };
  if (run.kill?.code === 'cancelled') return { ...base, state: 'cancelled', error: run.kill };
  if (run.kill) return { ...base, error: run.kill };
  // bwrap reports a child killed by a signal as exit code 128 + signal.
  if (run.signal === 'SIGXCPU' || run.code === 128 + 24)
    return { ...base, error: { code: 'cpu_limit', message: 'killed: CPU time limit reached' } };
  if (run.code === 0) return { ...base, state: 'succeeded' };
  const description = run.signal ? `killed by ${run.signal}` : `exited with code ${run.code}`;
  return { ...base, error: { code: 'exit_code', message: description } };
}
