// The `apply_patch` tool: parse and resolve the patch in memory, decide whether it may be written (policy,
// writable roots, the session's earlier answers), ask if needed, then write it all or nothing (inside the
// sandbox unless the policy or the user's approval says otherwise) and report patch_apply_begin/end. Patches the model sends through the shell tool come here too (applyPatchFromShell).

import { resolve } from 'node:path';
import type { RunSandboxed } from '../../exec/types.js';
import { preparePatch, summaryText } from '../apply-patch/apply.js';
import { commitPlan } from '../apply-patch/commit.js';
import { PatchApplyError, PatchParseError } from '../apply-patch/errors.js';
import { isWritablePath, writableRootsFor } from '../apply-patch/path-safety.js';
import type { PatchFileReader, PatchPlan, PlannedFile } from '../apply-patch/plan.js';
import { assessPatchSafety } from '../apply-patch/safety.js';
import { commitPlanSandboxed } from '../apply-patch/sandboxed-write.js';
import { extractApplyPatchFromArgv } from '../apply-patch/shell-detect.js';
import { type ApplyPatchToolType, applyPatchFunctionTool, applyPatchToolSpec } from '../apply-patch/spec.js';
import type { ApprovalCache } from '../approval/cache.js';
import { TurnAbortedError } from '../approval/errors.js';
import type { ToolContext, ToolHandler, ToolOutput } from '../types.js';

export const PATCH_REJECTED_BY_USER = 'patch rejected by user';

/**
 * Where patches read and write files: the disk by default. An editor front end (ACP) reads unsaved buffers
 * and writes through the editor, so its review UI sees every edit; the approval decision stays the same.
 */
export interface PatchFileAccess {
  read?: PatchFileReader;
  /** Writes the resolved files instead of the all-or-nothing disk commit; throws to report a failure. */
  write?(files: PlannedFile[], callId: string): Promise<void>;
}

export interface ApplyPatchRunOptions {
  files?: PatchFileAccess;
  /** The session's approval memory; `approved_for_session` answers are stored under `{patch, cwd}`. */
  approvalCache?: Pick<ApprovalCache, 'isApproved' | 'approve'>;
  /** Environment for `$TMPDIR` (a writable root under workspace-write); defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Runs the sandboxed writer; defaults to the platform sandbox. */
  runSandboxed?: RunSandboxed;
}

export interface ApplyPatchHandlerOptions extends ApplyPatchRunOptions {
  /** `freeform` (Lark grammar, Responses only) or `function`; see applyPatchToolTypeFor(config). */
  toolType: ApplyPatchToolType;
}

export function createApplyPatchToolHandler(options: ApplyPatchHandlerOptions): ToolHandler {
  return {
    name: 'apply_patch',
    spec: applyPatchToolSpec(options.toolType),
    parallelSafe: false,
    async handle(call, ctx) {
      return runApplyPatch(
        call.kind === 'custom' ? call.input : applyPatchFunctionTool.parse(call).input,
        ctx.cwd,
        ctx,
        options,
      );
    },
  };
}

/**
 * For the shell tool: when `argv` is a patch (`apply_patch '…'`, or `bash -lc "[cd d &&] apply_patch <<'EOF'…"`),
 * applies it through the same pipeline as the tool, relative to `workdir` (the shell call's working
 * directory); returns undefined when `argv` is an ordinary command.
 */
export async function applyPatchFromShell(
  argv: readonly string[],
  workdir: string,
  ctx: ToolContext,
  options: ApplyPatchRunOptions = {},
): Promise<ToolOutput | undefined> {
  const found = await extractApplyPatchFromArgv(argv);
  if (!found) return undefined;
  return runApplyPatch(found.patch, resolve(workdir, found.workdir ?? '.'), ctx, options);
}

/** The whole tool behaviour for one patch text, with paths relative to `cwd`. */
export async function runApplyPatch(
  patch: string,
  cwd: string,
  ctx: ToolContext,
  options: ApplyPatchRunOptions = {},
): Promise<ToolOutput> {
  // A patch that changes nothing must still show, in every front end, as a failed file change: otherwise
  // the model's "done" stands alone in the log.
  const refuse = (message: string, changes: PatchPlan['changes'] = {}): ToolOutput => {
    ctx.emit({
      type: 'patch_apply_end',
      call_id: ctx.callId,
      stdout: '',
      stderr: message,
      success: false,
      changes,
    });
    return { output: message, success: false };
  };
  let plan: PatchPlan;
  try {
    plan = await preparePatch(patch, cwd, options.files?.read);
  } catch (err) {
    if (err instanceof PatchParseError || err instanceof PatchApplyError) {
      return refuse(`apply_patch verification failed: ${err.message}`);
    }
    throw err;
  }

  const approval = await approve(patch, cwd, plan, ctx, options);
  if (approval.type === 'rejected') return refuse(approval.message, plan.changes);
  if (ctx.signal.aborted) return refuse('apply_patch was interrupted; no file was changed', plan.changes);

  ctx.emit({
    type: 'patch_apply_begin',
    call_id: ctx.callId,
    auto_approved: approval.auto,
    changes: plan.changes,
  });
  ctx.turnDiff?.recordOriginals(plan.files.values());
  try {
    const write = options.files?.write;
    if (write) await write([...plan.files.values()], ctx.callId);
    else if (approval.inProcess) await commitPlan(plan.files.values());
    else
      await commitPlanSandboxed(plan.files.values(), {
        policy: ctx.sandboxPolicy,
        cwd,
        tmpdir: (options.env ?? process.env).TMPDIR,
        runSandboxed: options.runSandboxed,
      });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.emit({ type: 'patch_apply_end', call_id: ctx.callId, stdout: '', stderr: message, success: false });
    return { output: message, success: false };
  }
  const stdout = summaryText(plan.summary);
  ctx.emit({ type: 'patch_apply_end', call_id: ctx.callId, stdout, stderr: '', success: true });
  return { output: stdout, success: true };
}

/**
 * `inProcess`: written by this process rather than the sandboxed writer. Only under danger-full-access, or
 * when the user approved writes outside the writable roots (the sandbox would refuse exactly those; the
 * user's approval is the escalation, as for an approved unsandboxed command).
 */
type Approval =
  | { type: 'approved'; auto: boolean; inProcess: boolean }
  | { type: 'rejected'; message: string };

async function approve(
  patch: string,
  cwd: string,
  plan: PatchPlan,
  ctx: ToolContext,
  options: ApplyPatchRunOptions,
): Promise<Approval> {
  const roots = await writableRootsFor(ctx.sandboxPolicy, cwd, options.env);
  const outsidePaths = [...plan.files.keys()].filter((path) => !isWritablePath(path, roots));
  const safety = assessPatchSafety({
    outsidePaths,
    approvalPolicy: ctx.approvalPolicy,
    sandboxPolicy: ctx.sandboxPolicy,
  });
  const inProcess = ctx.sandboxPolicy.type === 'danger-full-access' || outsidePaths.length > 0;
  if (safety.type === 'auto-approve') return { type: 'approved', auto: true, inProcess };
  if (safety.type === 'reject') return { type: 'rejected', message: `patch rejected: ${safety.reason}` };

  const key = JSON.stringify({ patch, cwd });
  if (options.approvalCache?.isApproved(key)) return { type: 'approved', auto: true, inProcess };
  const decision = await ctx.requestApproval({
    kind: 'patch',
    callId: ctx.callId,
    changes: plan.changes,
    reason: safety.reason,
  });
  if (decision === 'abort') throw new TurnAbortedError(ctx.callId);
  if (decision === 'approved_for_session') options.approvalCache?.approve(key);
  if (decision === 'approved' || decision === 'approved_for_session')
    return { type: 'approved', auto: false, inProcess };
  return { type: 'rejected', message: PATCH_REJECTED_BY_USER };
}
