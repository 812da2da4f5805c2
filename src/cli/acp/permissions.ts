// Approval requests as `session/request_permission`, and the client's answer as a Conduit decision.
// Reject is "denied" (the turn goes on and the model hears the refusal), never "abort": mapping reject to
// abort ended whole turns in other agents (zed-industries/codex-acp#267). Only a `cancelled` outcome (the
// client cancelled the prompt) aborts. A client that fails or is gone answers nothing: that is `denied`.

import type {
  AgentContext,
  PermissionOption,
  RequestPermissionResponse,
  ToolCallUpdate,
} from '@agentclientprotocol/sdk';
import type { ReviewDecision } from '../../index.js';

export const ALLOW_ONCE = 'allow-once';
export const ALLOW_SESSION = 'allow-session';
export const REJECT = 'reject';

export function permissionOptions(kind: 'exec' | 'patch'): PermissionOption[] {
  return [
    { optionId: ALLOW_ONCE, name: 'Allow once', kind: 'allow_once' },
    {
      optionId: ALLOW_SESSION,
      name: kind === 'exec' ? 'Allow this command for the session' : 'Allow this edit for the session',
      kind: 'allow_always',
    },
    { optionId: REJECT, name: 'Reject', kind: 'reject_once' },
  ];
}

export interface PermissionAnswer {
  decision: ReviewDecision;
  /** Why the answer was not a plain choice (shown to the user as a notice). */
  problem?: string;
}

export function decisionFor(response: RequestPermissionResponse): PermissionAnswer {
  const { outcome } = response;
  if (outcome.outcome === 'cancelled') return { decision: 'abort' };
  switch (outcome.optionId) {
    case ALLOW_ONCE:
      return { decision: 'approved' };
    case ALLOW_SESSION:
      return { decision: 'approved_for_session' };
    case REJECT:
      return { decision: 'denied' };
    default:
      return { decision: 'denied', problem: `the client chose an unknown option "${outcome.optionId}"` };
  }
}

/** The decision when the permission request itself failed (an error reply, a closed connection). */
export function decisionOnFailure(err: unknown): PermissionAnswer {
  const message = err instanceof Error ? err.message : String(err);
  return { decision: 'denied', problem: `the permission request failed (${message})` };
}

/** Asks the editor about one pending tool call; any failure of the request itself is a denial. */
export async function askPermission(
  client: AgentContext,
  sessionId: string,
  kind: 'exec' | 'patch',
  toolCall: ToolCallUpdate,
  signal: AbortSignal | undefined,
): Promise<PermissionAnswer> {
  try {
    const response = await client.request(
      'session/request_permission',
      { sessionId, toolCall, options: permissionOptions(kind) },
      { cancellationSignal: signal, stopWaitingOnCancel: true },
    );
    return decisionFor(response);
  } catch (err) {
    return decisionOnFailure(err);
  }
}
