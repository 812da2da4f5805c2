// Pairs approval requests a tool makes with the decisions front ends submit (exec_approval/patch_approval
// ops, keyed by the request's call_id). Pending requests are settled with `abort` when the turn ends.

import type { ReviewDecision } from '../protocol/policy.js';

export class ApprovalBridge {
  private readonly pending = new Map<string, (decision: ReviewDecision) => void>();

  wait(callId: string): Promise<ReviewDecision> {
    return new Promise((resolve) => this.pending.set(callId, resolve));
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
