// Starts stdio MCP server processes before the MCP client code is loaded. A node server needs ~300 ms to
// answer `initialize`, and the client (the SDK, zod) takes tens of milliseconds to load: spawned first,
// the server boots while the client loads. This module imports no SDK code for that reason. The
// transport adopts each process later (DiagnosticStdioTransport), exactly as if it had spawned it: its
// output waits unread in the pipe until then.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { McpServerConfig } from '../config/types.js';
import { buildStdioEnv } from './env.js';

export interface StdioServerParams {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

/** What DiagnosticStdioTransport spawns for a stdio server entry. */
export function stdioParams(
  config: McpServerConfig,
  env: Record<string, string | undefined>,
): StdioServerParams | undefined {
  const t = config.transport;
  if (t.type !== 'stdio') return undefined;
  return { command: t.command, args: t.args, env: buildStdioEnv(t, env), cwd: t.cwd };
}

/** Spawns a server the way the transport does: piped stdio, its own process group. */
export function spawnServer(params: StdioServerParams): ChildProcess {
  const { command, args, env, cwd } = params;
  return spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
}

/** A process spawned ahead, with what happened to it before anyone listened. */
export class EarlyProcess {
  /** The spawn failure (`ENOENT`…), if it failed. */
  error?: NodeJS.ErrnoException;
  spawned = false;
  /** Resolves on the child's 'close' (exited, pipes read to the end), which may come before adoption. */
  readonly closed: Promise<void>;
  // Output is read from the start: Node discards what is unread on a pipe when the process exits, and a
  // server that dies at once says why on stderr.
  private readonly early: { stdout: Buffer[]; stderr: Buffer[] } = { stdout: [], stderr: [] };
  private readonly keep = {
    stdout: (chunk: Buffer) => this.early.stdout.push(chunk),
    stderr: (chunk: Buffer) => this.early.stderr.push(chunk),
  };

  constructor(readonly child: ChildProcess) {
    this.closed = new Promise((done) => child.once('close', () => done()));
    child.once('spawn', () => {
      this.spawned = true;
    });
    // Kept for the transport to report; without a listener a failed spawn would throw here.
    child.once('error', (err: NodeJS.ErrnoException) => {
      this.error ??= err;
    });
    child.stdout?.on('data', this.keep.stdout);
    child.stderr?.on('data', this.keep.stderr);
  }

  /** Hands the output over: what came so far, in order, then every later chunk. */
  adopt(onStdout: (chunk: Buffer) => void, onStderr: (chunk: Buffer) => void): void {
    this.child.stdout?.off('data', this.keep.stdout);
    this.child.stderr?.off('data', this.keep.stderr);
    for (const chunk of this.early.stdout.splice(0)) onStdout(chunk);
    for (const chunk of this.early.stderr.splice(0)) onStderr(chunk);
    this.child.stdout?.on('data', onStdout);
    this.child.stderr?.on('data', onStderr);
  }
}

export class PrespawnedServers {
  private readonly waiting = new Map<string, { key: string; early: EarlyProcess }>();

  /** Spawns every enabled stdio server of `servers` whose cwd exists (others start the usual way). */
  static start(
    servers: Record<string, McpServerConfig>,
    env: Record<string, string | undefined>,
  ): PrespawnedServers {
    const set = new PrespawnedServers();
    for (const config of Object.values(servers)) {
      const params = config.enabled ? stdioParams(config, env) : undefined;
      if (!params || (params.cwd !== undefined && !existsSync(params.cwd))) continue;
      set.waiting.set(config.name, {
        key: JSON.stringify(params),
        early: new EarlyProcess(spawnServer(params)),
      });
    }
    return set;
  }

  /** The process spawned for `server`, if it was spawned with exactly `params`; each is taken once. */
  take(server: string, params: StdioServerParams): EarlyProcess | undefined {
    const entry = this.waiting.get(server);
    if (!entry) return undefined;
    this.waiting.delete(server);
    if (entry.key === JSON.stringify(params)) return entry.early;
    killGroup(entry.early);
    return undefined;
  }

  /** Kills the process groups of the servers nobody took (start-up ended before they were adopted). */
  killUntaken(): void {
    for (const { early } of this.waiting.values()) killGroup(early);
    this.waiting.clear();
  }
}

function killGroup({ child }: EarlyProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
