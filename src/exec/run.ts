// The exec engine: spawns an argv in its own process group with stdin on /dev/null (or given text),
// captures stdout, stderr and their interleaving in bounded memory, streams live chunks, and kills the
// whole group on timeout or abort. It knows nothing of sandboxes: a sandbox is just a different argv (plus the fds it reads).

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { UserError } from '../config/errors.js';
import { BoundedCapture, countNewlines } from './capture.js';
import { DEFAULT_EXEC_TIMEOUT_MS, type ExecParams, type ExecResult, TIMEOUT_EXIT_CODE } from './types.js';

/** Live output chunks reported per call, at most (the reference's cap on output deltas). */
export const MAX_OUTPUT_CHUNKS = 10_000;
/** How long to wait for the pipes to drain after the process exited (a background child may hold them). */
export const DRAIN_TIMEOUT_MS = 2_000;

const SIGKILL_EXIT_CODE = 128 + constants.signals.SIGKILL;

/** The command could not be started at all (missing program, missing cwd, …). */
export class ExecSpawnError extends UserError {
  override name = 'ExecSpawnError';
}

export interface ExecExtras {
  /** Data written to extra pipes that the child sees as fds 3, 4, … (e.g. a seccomp program for bwrap). */
  fdPayloads?: Buffer[];
}

export function execCommand(params: ExecParams, extras: ExecExtras = {}): Promise<ExecResult> {
  const [program, ...args] = params.command;
  if (!program) return Promise.reject(new ExecSpawnError('exec: empty command'));
  const payloads = extras.fdPayloads ?? [];
  const timeoutMs = params.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const started = performance.now();

  return new Promise<ExecResult>((resolve, reject) => {
    if (params.signal?.aborted) {
      resolve(emptyResult(SIGKILL_EXIT_CODE, { interrupted: true }));
      return;
    }
    const child = spawn(program, args, {
      cwd: params.cwd,
      env: params.env,
      detached: true, // a new process group, so one kill reaches the whole tree
      stdio: [
        params.stdin === undefined ? 'ignore' : 'pipe',
        'pipe',
        'pipe',
        ...payloads.map(() => 'pipe' as const),
      ],
    });
    if (params.stdin !== undefined) {
      // EPIPE when the child exits without reading is reported through its exit status, not here.
      child.stdin?.on('error', () => {});
      child.stdin?.end(params.stdin);
    }
    const stdout = new BoundedCapture();
    const stderr = new BoundedCapture();
    const aggregated = new BoundedCapture();
    let chunksReported = 0;
    let timedOut = false;
    let interrupted = false;
    let settled = false;

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const onChunk = (stream: 'stdout' | 'stderr', capture: BoundedCapture) => (chunk: Buffer) => {
      const newlines = countNewlines(chunk);
      capture.push(chunk, newlines);
      aggregated.push(chunk, newlines);
      if (params.onOutput && chunksReported < MAX_OUTPUT_CHUNKS) {
        chunksReported++;
        params.onOutput(stream, chunk);
      }
    };
    child.stdout?.on('data', onChunk('stdout', stdout));
    child.stderr?.on('data', onChunk('stderr', stderr));
    payloads.forEach((payload, i) => {
      const pipe = child.stdio[3 + i] as Writable | null;
      // EPIPE when the child never reads its fd (e.g. it failed first) is not our error to report.
      pipe?.on('error', () => {});
      pipe?.end(payload);
    });

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const onAbort = () => {
      interrupted = true;
      killGroup();
    };
    params.signal?.addEventListener('abort', onAbort, { once: true });

    const cleanup = () => {
      clearTimeout(timer);
      params.signal?.removeEventListener('abort', onAbort);
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(
        new ExecSpawnError(`failed to start ${JSON.stringify(program)} in ${params.cwd}: ${err.message}`),
      );
    });

    child.on('exit', (code, signal) => {
      cleanup();
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(drainTimer);
        child.stdout?.destroy();
        child.stderr?.destroy();
        const exitCode = timedOut
          ? TIMEOUT_EXIT_CODE
          : (code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : -1));
        resolve({
          exitCode,
          signal: signal ?? undefined,
          stdout: stdout.result(),
          stderr: stderr.result(),
          aggregated: aggregated.result(),
          durationMs: performance.now() - started,
          timedOut,
          interrupted,
        });
      };
      const drainTimer = setTimeout(finish, DRAIN_TIMEOUT_MS);
      child.once('close', finish);
    });
  });

  function emptyResult(exitCode: number, flags: { interrupted: boolean }): ExecResult {
    const none = new BoundedCapture(0, 0).result();
    return {
      exitCode,
      stdout: none,
      stderr: none,
      aggregated: none,
      durationMs: performance.now() - started,
      timedOut: false,
      interrupted: flags.interrupted,
    };
  }
}
