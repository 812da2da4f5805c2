// `exec_command` / `write_stdin`: commands in a PTY that outlive one call. exec_command starts one (through
// the orchestrator, like every command) and returns what it printed within `yield_time_ms`, plus a
// session id while it keeps running; write_stdin types into it (or just polls) and returns what came next.

import { resolve } from 'node:path';
import { createEnv } from '../../exec/env.js';
import { UnknownPtySessionError } from '../../exec/pty/errors.js';
import { wrapWithFdFiles } from '../../exec/pty/fd-files.js';
import type { PtyResult, PtySessionManager } from '../../exec/pty/manager.js';
import { prepareSandboxedCommand } from '../../sandbox/run.js';
import type { ApprovalCache } from '../approval/cache.js';
import { orchestrateExec } from '../orchestrator.js';
import { approxTokens, truncateOutputBody } from '../truncate.js';
import type { ToolContext, ToolHandler, ToolOutput } from '../types.js';
import { applyPatchFromShell, type PatchFileAccess } from './apply-patch.js';
import { executionError } from './exec-errors.js';
import { execCommandTool, writeStdinTool } from './shell-specs.js';

export const DEFAULT_EXEC_YIELD_MS = 10_000;
export const DEFAULT_WRITE_YIELD_MS = 250;
export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;
const DEFAULT_PTY_SHELL = '/bin/bash';

export interface UnifiedExecOptions {
  approvals: ApprovalCache;
  ptySessions: PtySessionManager;
  /** Where patches sent through the shell read and write files (the disk by default). */
  patchFiles?: PatchFileAccess;
}

/** What an exec_command started, so the call that sees it exit can report exec_command_end for it. */
interface Started {
  callId: string;
  startedAt: number;
}

export function createUnifiedExecHandlers(options: UnifiedExecOptions): ToolHandler[] {
  const started = new Map<number, Started>();

  const report = (ctx: ToolContext, origin: Started, result: PtyResult, formatted: string) => {
    if (result.output) {
      const chunk = Buffer.from(result.output).toString('base64');
      ctx.emit({ type: 'exec_command_output_delta', call_id: origin.callId, stream: 'stdout', chunk });
    }
    if (result.exitCode === undefined) return;
    ctx.emit({
      type: 'exec_command_end',
      call_id: origin.callId,
      stdout: result.output,
      stderr: '',
      aggregated_output: result.output,
      exit_code: result.exitCode,
      duration_ms: Math.round(performance.now() - origin.startedAt),
      formatted_output: formatted,
    });
  };

  const execCommand: ToolHandler = {
    name: execCommandTool.name,
    spec: execCommandTool.spec,
    parallelSafe: false,
    async handle(call, ctx) {
      const args = execCommandTool.parse(call);
      const cwd = resolve(ctx.cwd, args.workdir ?? '.');
      const argv = [args.shell ?? DEFAULT_PTY_SHELL, args.login === false ? '-c' : '-lc', args.cmd];
      const patched = await applyPatchFromShell(argv, cwd, ctx, {
        approvalCache: options.approvals,
        files: options.patchFiles,
      });
      if (patched) return patched;

      const origin: Started = { callId: call.callId, startedAt: performance.now() };
      const start = async (sandbox: 'platform' | 'none') => {
        const env = createEnv(ctx.shellEnvironmentPolicy, ctx.sandboxPolicy);
        const prepared = await prepareSandboxedCommand({
          params: { command: argv, cwd, env },
          policy: ctx.sandboxPolicy,
          sandbox,
        });
        const wrapped = await wrapWithFdFiles(prepared.argv, prepared.fdPayloads);
        ctx.emit({ type: 'exec_command_begin', call_id: call.callId, command: argv, cwd });
        try {
          const yieldMs = args.yield_time_ms ?? DEFAULT_EXEC_YIELD_MS;
          const result = await options.ptySessions.start(
            { argv: wrapped.argv, cwd, env: prepared.env },
            yieldMs,
            ctx.signal,
          );
          // A long-lived session's failure is not judged a sandbox denial: there is no single run to retry.
          return { result, sandboxDenied: false };
        } catch (err) {
          await wrapped.cleanup();
          throw err;
        }
      };

      let outcome: Awaited<ReturnType<typeof orchestrateExec<{ result: PtyResult; sandboxDenied: boolean }>>>;
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
          start,
        );
      } catch (err) {
        return { output: executionError(err), success: false };
      }
      if (outcome.status === 'rejected') return { output: outcome.message, success: false };
      const { result } = outcome.result;
      if (result.prunedSessionId !== undefined) {
        started.delete(result.prunedSessionId);
        ctx.emit({
          type: 'warning',
          message: `closed exec session ${result.prunedSessionId} (the least recently used) to stay under the session limit`,
        });
      }
      if (result.sessionId !== undefined) started.set(result.sessionId, origin);
      return respond(ctx, origin, result, args.max_output_tokens);
    },
  };

  const writeStdin: ToolHandler = {
    name: writeStdinTool.name,
    spec: writeStdinTool.spec,
    parallelSafe: false,
    async handle(call, ctx) {
      const args = writeStdinTool.parse(call);
      let result: PtyResult;
      try {
        const yieldMs = args.yield_time_ms ?? DEFAULT_WRITE_YIELD_MS;
        result = await options.ptySessions.write(args.session_id, args.chars ?? '', yieldMs, ctx.signal);
      } catch (err) {
        if (err instanceof UnknownPtySessionError)
          return { output: `write_stdin failed: ${err.message}`, success: false };
        throw err;
      }
      const origin = started.get(args.session_id) ?? { callId: call.callId, startedAt: performance.now() };
      if (result.exitCode !== undefined) started.delete(args.session_id);
      return respond(ctx, origin, result, args.max_output_tokens);
    },
  };

  const respond = (ctx: ToolContext, origin: Started, result: PtyResult, maxTokens?: number): ToolOutput => {
    const formatted = formatPtyResult(result, maxTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
    report(ctx, origin, result, formatted);
    return { output: formatted, success: result.exitCode === undefined || result.exitCode === 0 };
  };

  return [execCommand, writeStdin];
}

/**
 * The text the model gets for one exec_command/write_stdin call: wall time, then either the exit code or
 * the session id to keep talking to, the token count when the output was cut, and the output.
 */
export function formatPtyResult(result: PtyResult, maxOutputTokens: number): string {
  const { body, truncated } = truncateOutputBody(
    result.output,
    { mode: 'tokens', limit: maxOutputTokens },
    // Dropped characters stand in for bytes: close enough for a token estimate.
    { droppedBytes: result.droppedChars },
  );
  const sections = [`Wall time: ${(result.wallTimeMs / 1000).toFixed(4)} seconds`];
  if (result.exitCode !== undefined) sections.push(`Process exited with code ${result.exitCode}`);
  if (result.sessionId !== undefined) sections.push(`Process running with session ID ${result.sessionId}`);
  if (truncated) {
    sections.push(
      `Original token count: ${approxTokens(Buffer.byteLength(result.output) + result.droppedChars)}`,
    );
  }
  sections.push('Output:', body);
  return sections.join('\n');
}
