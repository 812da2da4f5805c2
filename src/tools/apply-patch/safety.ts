// Whether a patch may be applied without asking (§9 "patch safety"). A write outside the roots is never
// auto-approved, whatever the approval policy; an auto-approved patch is then written by the sandboxed
// writer, so the sandbox enforces the same rule at write time.

import type { ApprovalPolicy, SandboxPolicy } from '../../protocol/policy.js';

export type PatchSafety =
  | { type: 'auto-approve' }
  | { type: 'ask'; reason?: string }
  | { type: 'reject'; reason: string };

export const OUTSIDE_PROJECT_REJECTION = 'writing outside of the project; rejected by user approval settings';
export const READ_ONLY_REJECTION =
  'the sandbox policy is read-only, so no file may be written (sandbox_mode "workspace-write" allows edits in the workspace)';

export function assessPatchSafety(input: {
  /** Real paths the patch would write or delete that lie outside the writable roots. */
  outsidePaths: readonly string[];
  approvalPolicy: ApprovalPolicy;
  sandboxPolicy: SandboxPolicy;
}): PatchSafety {
  const { outsidePaths, approvalPolicy, sandboxPolicy } = input;
  if (approvalPolicy === 'untrusted') return { type: 'ask' };
  if (outsidePaths.length === 0 || sandboxPolicy.type === 'danger-full-access')
    return { type: 'auto-approve' };
  if (approvalPolicy === 'never') {
    // Under read-only nothing is writable, inside the project or not: say so, not "outside the project".
    if (sandboxPolicy.type === 'read-only')
      return { type: 'reject', reason: `${READ_ONLY_REJECTION} (${outsidePaths.join(', ')})` };
    return { type: 'reject', reason: `${OUTSIDE_PROJECT_REJECTION} (${outsidePaths.join(', ')})` };
  }
  const where =
    sandboxPolicy.type === 'read-only' ? 'the sandbox is read-only' : 'outside the writable roots';
  return { type: 'ask', reason: `writes ${where}: ${outsidePaths.join(', ')}` };
}
