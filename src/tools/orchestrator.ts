// Approval, sandbox choice and retry for every command a tool runs (shell, shell_command, exec_command):
// ask if the policy wants it → run under the platform sandbox (or none) → when the sandbox refused the run
// and the policy allows it, ask to run it again without the sandbox. Tools supply only the run itself.

import type { ReviewDecision } from '../protocol/policy.js';
import type { ApprovalCache, ExecScopeInput } from './approval/cache.js';
import { TurnAbortedError } from './approval/errors.js';
import {
  escalationRefusal,
  judgesCommandBeforeRun,
  mayRetryWithoutSandbox,
  needsApprovalBeforeRun,
  REJECTED_BY_USER,
  RETRY_WITHOUT_SANDBOX_REASON,
} from './approval/policy.js';
import { assessCommand, type CommandAssessment } from './command-safety/index.js';
import type { ToolContext } from './types.js';

export type SandboxChoice = 'platform' | 'none';

export interface OrchestratedExec {
  callId: string;
  /** The argv as it will run (what the user approves and what safety is judged on). */
  command: string[];
  cwd: string;
  escalated: boolean;
  justification?: string;
}

export type OrchestratedResult<R> =
  /** Not run (or not re-run): the message goes to the model as an error output. */
  { status: 'rejected'; message: string } | { status: 'ran'; result: R; sandbox: SandboxChoice };

type ApprovalContext = Pick<ToolContext, 'approvalPolicy' | 'sandboxPolicy' | 'requestApproval'>;

/**
 * Runs `run` under the approval policy of `ctx`. Throws TurnAbortedError when the user answers `abort`.
 * `run` reports `sandboxDenied` when the sandbox, not the command, made it fail.
 */
export async function orchestrateExec<R extends { sandboxDenied: boolean }>(
  exec: OrchestratedExec,
  ctx: ApprovalContext,
  cache: ApprovalCache,
  run: (sandbox: SandboxChoice) => Promise<R>,
): Promise<OrchestratedResult<R>> {
  const policy = ctx.approvalPolicy;
  if (exec.escalated) {
    const refusal = escalationRefusal(policy);
    if (refusal) return { status: 'rejected', message: refusal };
  }
  // Assessing a `bash -lc` script loads the bash grammar (wasm, tens of MiB): only done once a decision
  // needs it, so under `never`, where nothing is ever asked, it is never done.
  let assessed: Promise<CommandAssessment> | undefined;
  const assessment = () => {
    assessed ??= assessCommand(exec.command);
    return assessed;
  };
  const scope = async (unsandboxed: boolean): Promise<ExecScopeInput> => ({
    argv: exec.command,
    assessment: await assessment(),
    unsandboxed,
  });

  const ask = async (unsandboxed: boolean, reason: string | undefined): Promise<boolean> => {
    if (cache.isExecApproved(await scope(unsandboxed))) return true;
    const decision: ReviewDecision = await ctx.requestApproval({
      kind: 'exec',
      callId: exec.callId,
      command: exec.command,
      cwd: exec.cwd,
      reason,
      sessionScope: cache.describeScope(await scope(unsandboxed)),
    });
    if (decision === 'abort') throw new TurnAbortedError(exec.callId);
    if (decision === 'approved_for_session') cache.approveExec(await scope(unsandboxed));
    return decision === 'approved' || decision === 'approved_for_session';
  };

  const fullAccess = ctx.sandboxPolicy.type === 'danger-full-access';
  let approved = false;
  const facts = async () => ({
    policy,
    sandboxPolicy: ctx.sandboxPolicy,
    escalated: exec.escalated,
    ...(await assessment()),
  });
  if (judgesCommandBeforeRun(policy) && needsApprovalBeforeRun(await facts())) {
    approved = await ask(exec.escalated || fullAccess, exec.justification);
    if (!approved) return { status: 'rejected', message: REJECTED_BY_USER };
  }

  // Escalation only gets here approved (on-request always asks for it), and then runs without a sandbox.
  const sandbox: SandboxChoice = fullAccess || exec.escalated ? 'none' : 'platform';
  const result = await run(sandbox);
  if (sandbox === 'none' || !result.sandboxDenied || !mayRetryWithoutSandbox(policy)) {
    return { status: 'ran', result, sandbox };
  }
  // The user who already approved this command is not asked a second time (untrusted).
  if (!approved && !(await ask(true, RETRY_WITHOUT_SANDBOX_REASON))) {
    return { status: 'rejected', message: REJECTED_BY_USER };
  }
  return { status: 'ran', result: await run('none'), sandbox: 'none' };
}
