// The shell tools: `shell` (an argv, as models send `["bash","-lc",…]`) and `shell_command` (a script run by
// the user's login shell), plus the factory that picks the variant the config asks for (or the PTY pair of
// unified-exec.ts). A run goes: embedded apply_patch? → orchestrator (approval, sandbox, retry) → events
// and the formatted output for the model.

import { resolve } from 'node:path';
import type { Config } from '../../config/types.js';
import { createEnv } from '../../exec/env.js';
import type { PtySessionManager } from '../../exec/pty/manager.js';
import { DEFAULT_EXEC_TIMEOUT_MS, type RunSandboxed, type SandboxedExecResult } from '../../exec/types.js';
import { detectUserShell, scriptArgv } from '../../exec/user-shell.js';
import { runSandboxed as platformRunSandboxed } from '../../sandbox/run.js';
import { applyPatchToolTypeFor } from '../apply-patch/spec.js';
import type { ApprovalCache } from '../approval/cache.js';
import { orchestrateExec } from '../orchestrator.js';
import { effectiveTruncationPolicy, formatShellToolOutput, formatShellToolOutputText } from '../truncate.js';
import type { ToolCall, ToolContext, ToolHandler, ToolOutput } from '../types.js';
import { applyPatchFromShell, type PatchFileAccess } from './apply-patch.js';
import { executionError } from './exec-errors.js';
import { shellCommandTool, shellTool } from './shell-specs.js';
import { createUnifiedExecHandlers } from './unified-exec.js';

export interface ShellToolOptions {
  config: Pick<Config, 'features' | 'modelFamily' | 'modelProvider' | 'toolOutputTokenLimit'>;
  /** The session's approval memory (one per session, shared with apply_patch). */
  approvals: ApprovalCache;
  /** The session's PTY sessions; required when the `unified_exec` feature is on. */
  ptySessions?: PtySessionManager;
  /** The login shell for `shell_command`; detected from the passwd database by default. */
  userShell?: string;
  /** Defaults to the platform sandbox runner. */
  runSandboxed?: RunSandboxed;
  /** Where patches sent through the shell read and write files (the disk by default). */
  patchFiles?: PatchFileAccess;
}

/** The shell tool variant(s) for this config: exec_command + write_stdin, shell_command, or shell. */
export function createShellToolHandlers(options: ShellToolOptions): ToolHandler[] {
  const { features } = options.config;
  if (features.unified_exec) {
    if (!options.ptySessions)
      throw new Error('the unified_exec feature needs a PtySessionManager (ptySessions)');
    return createUnifiedExecHandlers({ ...options, ptySessions: options.ptySessions });
  }
  return [features.shell_command_tool ? createShellCommandHandler(options) : createShellHandler(options)];
}

export function createShellHandler(options: ShellToolOptions): ToolHandler {
  return {
    name: shellTool.name,
    spec: shellTool.spec,
    parallelSafe: false,
    async handle(call, ctx) {
      const args = shellTool.parse(call);
      return runShellCommand(args.command, args, call, ctx, options);
    },
  };
}

export function createShellCommandHandler(options: ShellToolOptions): ToolHandler {
  const shell = options.userShell ?? detectUserShell();
  return {
    name: shellCommandTool.name,
    spec: shellCommandTool.spec,
    parallelSafe: false,
    async handle(call, ctx) {
      const args = shellCommandTool.parse(call);
      return runShellCommand(scriptArgv(shell, args.command), args, call, ctx, options);
    },
  };
}

interface RunArgs {
  workdir?: string;
  timeout_ms?: number;
  with_escalated_permissions?: boolean;
  justification?: string;
}

async function runShellCommand(
  argv: string[],
  args: RunArgs,
  call: ToolCall,
  ctx: ToolContext,
  options: ShellToolOptions,
): Promise<ToolOutput> {
  const cwd = resolve(ctx.cwd, args.workdir ?? '.');
  const patched = await applyPatchFromShell(argv, cwd, ctx, {
    approvalCache: options.approvals,
    files: options.patchFiles,
  });
  if (patched) return patched;

  const run = options.runSandboxed ?? platformRunSandboxed;
  const env = createEnv(ctx.shellEnvironmentPolicy, ctx.sandboxPolicy);
  const timeoutMs = args.timeout_ms ?? DEFAULT_EXEC_TIMEOUT_MS;
  let begun = false;
  const attempt = (sandbox: 'platform' | 'none'): Promise<SandboxedExecResult> => {
    if (!begun) ctx.emit({ type: 'exec_command_begin', call_id: call.callId, command: argv, cwd });
    begun = true;
    return run({
      params: {
        command: argv,
        cwd,
        env,
        timeoutMs,
        signal: ctx.signal,
        onOutput: (stream, chunk) =>
          ctx.emit({
            type: 'exec_command_output_delta',
            call_id: call.callId,
            stream,
            chunk: chunk.toString('base64'),
          }),
      },
      policy: ctx.sandboxPolicy,
      sandbox,
      callId: call.callId,
    });
  };

  let outcome: Awaited<ReturnType<typeof orchestrateExec<SandboxedExecResult>>>;
  try {
    outcome = await orchestrateExec(
      {
        callId: call.callId,
        command: argv,
        cwd,
        escalated: args.with_escalated_permissions ?? false,
        justification: args.justification,
      },
      ctx,
      options.approvals,
      attempt,
    );
  } catch (err) {
    const message = executionError(err);
    if (begun)
      emitEnd(ctx, call, {
        exitCode: -1,
        stdout: '',
        stderr: message,
        aggregated: message,
        durationMs: 0,
        formatted: message,
      });
    return { output: message, success: false };
  }
  if (outcome.status === 'rejected') return { output: outcome.message, success: false };

  const { result } = outcome;
  const policy = effectiveTruncationPolicy(options.config.modelFamily, options.config.toolOutputTokenLimit);
  const format =
    applyPatchToolTypeFor(options.config) === 'freeform' ? formatShellToolOutputText : formatShellToolOutput;
  const formatted = format(result, policy, { timeoutMs });
  emitEnd(ctx, call, {
    exitCode: result.exitCode,
    stdout: result.stdout.text,
    stderr: result.stderr.text,
    aggregated: result.aggregated.text,
    durationMs: result.durationMs,
    formatted,
  });
  return { output: formatted, success: result.exitCode === 0 && !result.timedOut };
}

function emitEnd(
  ctx: ToolContext,
  call: ToolCall,
  end: {
    exitCode: number;
    stdout: string;
    stderr: string;
    aggregated: string;
    durationMs: number;
    formatted: string;
  },
): void {
  ctx.emit({
    type: 'exec_command_end',
    call_id: call.callId,
    stdout: end.stdout,
    stderr: end.stderr,
    aggregated_output: end.aggregated,
    exit_code: end.exitCode,
    duration_ms: Math.round(end.durationMs),
    formatted_output: end.formatted,
  });
}
