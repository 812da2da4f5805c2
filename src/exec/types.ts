// The exec engine's contract, shared by the engine (exec/), the sandbox wrappers (sandbox/) and the
// orchestrator and shell tools above them (tools/).

import type { SandboxPolicy } from '../protocol/policy.js';

export const DEFAULT_EXEC_TIMEOUT_MS = 10_000;
export const TIMEOUT_EXIT_CODE = 124;

export interface ExecParams {
  /** argv, run verbatim (models send `["bash","-lc",…]`). */
  command: string[];
  cwd: string;
  /** The complete environment of the child (already filtered by the shell environment policy). */
  env: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Written to the child's stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
  /** Live output, called for each chunk read; the engine caps how many chunks it reports. */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

/** Output kept in bounded memory: the head and the tail, with a count of what was dropped between them. */
export interface CapturedOutput {
  text: string;
  totalBytes: number;
  droppedBytes: number;
  /** Lines in the whole stream (dropped bytes included), for the `Total output lines: N` header. */
  totalLines: number;
}

export interface ExecResult {
  exitCode: number;
  /** Name of the signal that ended the process, if any (e.g. `SIGKILL`). */
  signal?: string;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  /** stdout and stderr in arrival order. */
  aggregated: CapturedOutput;
  durationMs: number;
  timedOut: boolean;
  /** True when the run was cancelled through `signal`. */
  interrupted: boolean;
}

/** How a command is run: directly, or wrapped in an OS sandbox for a policy. */
export interface SandboxedExecRequest {
  params: ExecParams;
  policy: SandboxPolicy;
  /** `none` runs unsandboxed (danger-full-access, or an approved escalation). */
  sandbox: 'platform' | 'none';
  /** The tool call this run belongs to, for runners that show it elsewhere (an editor's terminal). */
  callId?: string;
}

export interface SandboxedExecResult extends ExecResult {
  /** The run failed in a way that looks like the sandbox refused it (denial heuristics of the reference). */
  sandboxDenied: boolean;
}

/**
 * Runs a command under the request's sandbox. Implemented in sandbox/; the orchestrator in tools/ calls it.
 * Throws a UserError-derived `SandboxUnavailableError` when the policy needs a sandbox and none works
 * (never a silent unsandboxed run).
 */
export type RunSandboxed = (req: SandboxedExecRequest) => Promise<SandboxedExecResult>;
