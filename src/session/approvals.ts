// Approvals: a tool's request becomes an event (exec_approval_request / apply_patch_approval_request), and
// the decision the front end submits (exec_approval / patch_approval, keyed by the request's call_id)
// settles it. Without anyone to ask (exec), requests are denied at once with a warning. Pending requests
// are settled with `abort` when the turn is interrupted.

import type { EventMsg } from '../protocol/events.js';
import type { ReviewDecision } from '../protocol/policy.js';
import type { ApprovalRequest } from '../tools/types.js';

export const NON_INTERACTIVE_DENIAL = 'denied: no one to approve in non-interactive mode';

export class ApprovalBridge {
  private readonly pending = new Map<string, (decision: ReviewDecision) => void>();

  /** `interactive` false: nobody can answer, so every request is denied at once. */
  constructor(private readonly interactive: boolean) {}

  /**
   * Emits the request (or, non-interactive, a warning) and resolves with the decision. `onUnattended`
   * runs when the request is denied because nobody could answer it.
   */
  request(
    request: ApprovalRequest,
    emit: (msg: EventMsg) => void,
    onUnattended: () => void,
  ): Promise<ReviewDecision> {
    if (!this.interactive) {
      onUnattended();
      const what = request.kind === 'exec' ? `command ${request.command.join(' ')}` : 'patch';
      emit({ type: 'warning', message: `${NON_INTERACTIVE_DENIAL} (${what})` });
      return Promise.resolve('denied');
    }
    const decision = new Promise<ReviewDecision>((resolve) => this.pending.set(request.callId, resolve));
    if (request.kind === 'exec') {
      emit({
        type: 'exec_approval_request',
        call_id: request.callId,
        command: request.command,
        cwd: request.cwd,
        reason: request.reason,
        session_scope: request.sessionScope,
      });
    } else {
      emit({
        type: 'apply_patch_approval_request',
        call_id: request.callId,
        changes: request.changes,
        reason: request.reason,
        grant_root: request.grantRoot,
      });
    }
    return decision;
  }

  /** Returns false when nothing is waiting for this id (a stale or mistyped answer). */
  resolve(callId: string, decision: ReviewDecision): boolean {
    const settle = this.pending.get(callId);
    if (!settle) return false;
    this.pending.delete(callId);
    settle(decision);
    return true;
  }

  abortAll(): void {
    for (const [callId, settle] of this.pending) {
      this.pending.delete(callId);
      settle('abort');
    }
  }
}
