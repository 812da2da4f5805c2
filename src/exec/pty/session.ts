// One program running in a pseudo-terminal: it can be written to, polled for new output and killed with
// its whole process group. node-pty makes the child a session leader, so its pid is also its group id.

import { closeSync, constants, openSync } from 'node:fs';
import { type IPty, spawn } from '@lydell/node-pty';
import { PendingOutput } from './output-buffer.js';

export interface PtySpawnOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  cols?: number;
  rows?: number;
}

export interface PtyRead {
  output: string;
  droppedChars: number;
  /** Set once the program has exited and all its output was read. */
  exitCode?: number;
}

export class PtySession {
  private readonly pty: IPty;
  private readonly pending = new PendingOutput();
  private exitCode: number | undefined;
  private readonly exited: Promise<void>;
  /** Ends the current `collect` wait early when the program exits. */
  private wakeOnExit: (() => void) | undefined;

  constructor(options: PtySpawnOptions) {
    const [file, ...args] = options.argv;
    this.pty = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      cols: options.cols ?? 120,
      rows: options.rows ?? 40,
    });
    const slaveFd = holdSlaveOpen(this.pty);
    this.pty.onData((data) => this.pending.push(data));
    this.exited = new Promise((resolve) => {
      this.pty.onExit(({ exitCode, signal }) => {
        if (slaveFd !== undefined) closeSync(slaveFd);
        // A signal death reports 128+signal, as shells do.
        this.exitCode = signal ? 128 + signal : exitCode;
        resolve();
        this.wakeOnExit?.();
      });
    });
  }

  get pid(): number {
    return this.pty.pid;
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  write(chars: string): void {
    if (!this.hasExited) this.pty.write(chars);
  }

  /** Collects output until `yieldMs` has passed or the program exits (or `signal` aborts), whichever is first. */
  async collect(yieldMs: number, signal?: AbortSignal): Promise<PtyRead> {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wakeOnExit = undefined;
        resolve();
      };
      const timer = setTimeout(done, yieldMs);
      signal?.addEventListener('abort', done, { once: true });
      this.wakeOnExit = done;
      if (this.hasExited || signal?.aborted) done();
    });
    const { text, droppedChars } = this.pending.take();
    return { output: text, droppedChars, exitCode: this.exitCode };
  }

  /** Kills the whole process group and waits for the exit to be reported. */
  async kill(): Promise<void> {
    this.killNow();
    await this.exited;
  }

  /** Synchronous kill, for process-exit cleanup where nothing can be awaited. */
  killNow(): void {
    if (this.hasExited) return;
    try {
      process.kill(-this.pty.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is gone already and its exit is on its way.
    }
  }
}

/**
 * Opens our own handle on the PTY's slave side. When the program exits, Linux may report EIO on the master
 * before the last output written to the slave has reached it, and node-pty then closes the stream: a fast
 * `seq 1 5000` lost its tail about half the time. With a slave handle open the master never sees that
 * hang-up; node-pty reports the exit after its socket timeout (200 ms), by which time all output is read.
 */
function holdSlaveOpen(pty: IPty): number | undefined {
  // `ptsName` exists on node-pty's Unix terminals but is missing from its type declarations.
  const ptsName = (pty as IPty & { ptsName?: string }).ptsName;
  if (!ptsName) return undefined;
  try {
    return openSync(ptsName, constants.O_RDWR | constants.O_NOCTTY);
  } catch {
    // Without it output may be cut at exit, but the session still works.
    return undefined;
  }
}
