// A stdio transport for the SDK's Client. Written here instead of using the SDK's StdioClientTransport
// because that one cannot tell us why a server died: it drops the exit code, does not keep stderr, and
// turns a banner line on stdout into an anonymous parse error. This one records all three for start-error
// messages, skips non-JSON lines instead of failing on them, and runs the server in its own process group
// so `npx`-style wrappers and their children are killed together.

import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { type EarlyProcess, type StdioServerParams, spawnServer } from './prespawn.js';

export type { StdioServerParams } from './prespawn.js';

export interface StdioDiagnostics {
  /** Set once the process has exited. */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  /** The last lines the server wrote to stderr. */
  stderrTail: string[];
  /** Lines on stdout that were not JSON-RPC messages (the first few, shortened). */
  nonJsonLines: string[];
}

export interface StdioTransportHooks {
  onStderrLine?: (line: string) => void;
  onNonJsonLine?: (line: string) => void;
}

const STDERR_TAIL_LINES = 20;
const MAX_NOISE_LINES = 5;
const MAX_QUOTED_CHARS = 200;
/** One JSON-RPC message per line; a line this long without a newline is a broken server, not a big result. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
const STDIN_CLOSE_GRACE_MS = 500;
const SIGTERM_GRACE_MS = 2000;

export class SpawnError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SpawnError';
  }
}

export class DiagnosticStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child?: ChildProcess;
  private readonly stdoutLines = new LineSplitter();
  private readonly stderrLines = new LineSplitter();
  private readonly diag: StdioDiagnostics = { stderrTail: [], nonJsonLines: [] };
  private exited?: Promise<void>;
  private closed = false;
  private closing?: Promise<void>;

  /** `early`: a process already spawned with `params` (prespawn.ts), adopted instead of spawning. */
  constructor(
    private readonly params: StdioServerParams,
    private readonly hooks: StdioTransportHooks = {},
    private readonly early?: EarlyProcess,
  ) {}

  get diagnostics(): StdioDiagnostics {
    return this.diag;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    if (this.child) return Promise.reject(new Error('the transport was already started'));
    const { command, cwd } = this.params;
    const early = this.early;
    if (!early && cwd !== undefined && !existsSync(cwd)) {
      return Promise.reject(new SpawnError(`its cwd ${cwd} does not exist`, 'ENOENT'));
    }
    return new Promise((resolve, reject) => {
      const child = early?.child ?? spawnServer(this.params);
      this.child = child;
      const exited = early?.closed ?? new Promise<void>((done) => child.once('close', () => done()));
      this.exited = exited;
      const onError = (err: NodeJS.ErrnoException) => {
        if (child.pid === undefined) {
          const why =
            err.code === 'ENOENT'
              ? `command not found: ${command}`
              : `could not run ${command}: ${err.message}`;
          reject(new SpawnError(why, err.code));
          this.finish();
        } else {
          this.onerror?.(err);
        }
      };
      // An adopted process may have failed, started or even exited before anyone listened.
      if (early?.error) onError(early.error);
      else child.once('error', onError);
      if (early?.spawned) resolve();
      else child.once('spawn', () => resolve());
      if (child.exitCode !== null || child.signalCode !== null) {
        this.diag.exit = { code: child.exitCode, signal: child.signalCode };
      }
      child.once('exit', (code, signal) => {
        this.diag.exit = { code, signal };
      });
      void exited.then(() => this.finish());
      child.stdin?.on('error', (err) => this.onerror?.(err));
      const onStdout = (chunk: Buffer) => this.onStdout(chunk);
      const onStderr = (chunk: Buffer) => {
        for (const line of this.stderrLines.push(chunk)) this.onStderr(line);
      };
      if (early) early.adopt(onStdout, onStderr);
      else {
        child.stdout?.on('data', onStdout);
        child.stderr?.on('data', onStderr);
      }
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || !stdin.writable)
      return Promise.reject(new Error('the server is not running'));
    return new Promise((resolve, reject) => {
      stdin.write(`${JSON.stringify(message)}\n`, (err) => (err ? reject(err) : resolve()));
    });
  }

  /**
   * Closes stdin, then escalates to SIGTERM and SIGKILL on the process group until the server is gone.
   * Resolves once its pipes are read to the end, so its last stderr lines are in the diagnostics.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const child = this.child;
    if (!child || !this.exited) {
      this.finish();
      return;
    }
    if (this.diag.exit) {
      // It exited on its own (the SDK closes us as soon as a request fails, often before the pipes are read):
      // what is left of its group is killed so nothing else holds the pipes, and they are read to the end.
      signalGroup(child, 'SIGKILL');
      if (!(await settlesWithin(this.exited, SIGTERM_GRACE_MS))) this.finish();
      return;
    }
    child.stdin?.end();
    if (!(await settlesWithin(this.exited, STDIN_CLOSE_GRACE_MS))) {
      signalGroup(child, 'SIGTERM');
      if (!(await settlesWithin(this.exited, SIGTERM_GRACE_MS))) {
        signalGroup(child, 'SIGKILL');
        await this.exited;
      }
    }
    this.finish();
  }

  /**
   * After a failed request, gives a dying server a moment to exit so the error can name its exit code
   * (a write can fail with EPIPE before the exit is reported) and quote the last of its stderr (read until
   * the pipes close: an adopted process may have exited before anyone read them).
   */
  async waitForExit(ms: number): Promise<void> {
    if (this.exited && !this.closed) await settlesWithin(this.exited, ms);
  }

  /** Synchronous last resort for `process.on('exit')`, where nothing asynchronous runs any more. */
  killNow(): void {
    if (this.child && !this.diag.exit) signalGroup(this.child, 'SIGKILL');
  }

  private onStdout(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.stdoutLines.push(chunk);
    } catch (err) {
      this.onerror?.(err as Error);
      void this.close();
      return;
    }
    for (const line of lines) {
      if (line.trim() === '') continue;
      const message = parseMessage(line);
      if (message) this.onmessage?.(message);
      else this.onNoise(line);
    }
  }

  private onNoise(line: string): void {
    const quoted = line.length > MAX_QUOTED_CHARS ? `${line.slice(0, MAX_QUOTED_CHARS)}…` : line;
    if (this.diag.nonJsonLines.length < MAX_NOISE_LINES) this.diag.nonJsonLines.push(quoted);
    this.hooks.onNonJsonLine?.(quoted);
  }

  private onStderr(line: string): void {
    this.diag.stderrTail.push(line);
    if (this.diag.stderrTail.length > STDERR_TAIL_LINES) this.diag.stderrTail.shift();
    this.hooks.onStderrLine?.(line);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const line of this.stdoutLines.flush()) {
      const message = parseMessage(line);
      if (message) this.onmessage?.(message);
      else if (line.trim() !== '') this.onNoise(line);
    }
    for (const line of this.stderrLines.flush()) this.onStderr(line);
    this.onclose?.();
  }
}

function parseMessage(line: string): JSONRPCMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = JSONRPCMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone; fall back to the process itself in case it left its group.
    child.kill(signal);
  }
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Splits a byte stream into UTF-8 lines without re-concatenating the buffer on every chunk. */
class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.pending.push(chunk.subarray(start, nl));
      lines.push(this.take());
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > MAX_LINE_BYTES) {
        this.take();
        throw new Error(`the server wrote a line longer than ${MAX_LINE_BYTES} bytes`);
      }
    }
    return lines;
  }

  flush(): string[] {
    return this.pendingBytes > 0 ? [this.take()] : [];
  }

  private take(): string {
    const line = Buffer.concat(this.pending).toString('utf8').replace(/\r$/, '');
    this.pending = [];
    this.pendingBytes = 0;
    return line;
  }
}
