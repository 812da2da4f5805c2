// What each approval policy asks, decided from the command's assessment alone (§9 of the reference).

import type { ApprovalPolicy, SandboxPolicy } from '../../protocol/policy.js';

export const REJECTED_BY_USER = 'exec command rejected by user';
export const RETRY_WITHOUT_SANDBOX_REASON = 'command failed; retry without sandbox?';

export interface ExecApprovalFacts {
  policy: ApprovalPolicy;
  sandboxPolicy: SandboxPolicy;
  /** The model asked to run outside the sandbox (`with_escalated_permissions`). */
  escalated: boolean;
  knownSafe: boolean;
  dangerous: boolean;
}

/** Only `on-request` lets the model ask for escalation; elsewhere the request is refused as tool output. */
export function escalationRefusal(policy: ApprovalPolicy): string | null {
  if (policy === 'on-request') return null;
  return (
    `approval policy is ${policy}; reject command — you should not ask for escalated permissions ` +
    `if the approval policy is ${policy}`
  );
}

/** Whether `needsApprovalBeforeRun` looks at the command's assessment under `policy` (assessing has a cost). */
export function judgesCommandBeforeRun(policy: ApprovalPolicy): boolean {
  return policy === 'untrusted' || policy === 'on-request';
}

/** Whether the user must approve the command before its first run. */
export function needsApprovalBeforeRun(facts: ExecApprovalFacts): boolean {
  switch (facts.policy) {
    case 'never':
    case 'on-failure':
      return false;
    case 'untrusted':
      return !facts.knownSafe;
    case 'on-request':
      // Without a sandbox only destructive commands are worth a question; inside one the sandbox enforces
      // the limits, so only escalation and destructive commands ask.
      if (facts.sandboxPolicy.type === 'danger-full-access') return facts.dangerous;
      return facts.escalated || facts.dangerous;
  }
}

/** Whether a run the sandbox refused may be offered again without the sandbox. */
export function mayRetryWithoutSandbox(policy: ApprovalPolicy): boolean {
  return policy === 'on-failure' || policy === 'untrusted';
}
