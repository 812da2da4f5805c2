// What a running tool call can do towards its client: notify it, ask it (elicitation) and learn that it
// cancelled. server.ts builds one per tools/call from the SDK's request context; the turn runner and the
// approval bridge only see this, so they do not depend on which transport carries the call.

import type { EventMsg } from '../../index.js';

export interface CallChannel {
  /** The JSON-RPC id of the tools/call, echoed in every notification's `_meta.requestId`. */
  requestId: string | number;
  /** Set when the client asked for `notifications/progress`. */
  progressToken?: string | number;
  /** False when the client did not declare form elicitation: approvals are then denied without asking. */
  canElicit: boolean;
  /** How long a client may take to answer an approval before it counts as denied. */
  approvalTimeoutMs: number;
  /** Aborted when the client sends `notifications/cancelled` for this call. */
  cancelled: AbortSignal;
  /** Sends a notification; a failure (the client went away) is swallowed: the turn goes on regardless. */
  notify(method: string, params: Record<string, unknown>): Promise<void>;
  /** Sends `elicitation/create` and resolves with the raw reply (rejects on error, timeout or abort). */
  elicit(
    params: Record<string, unknown>,
    options: { timeoutMs: number; signal: AbortSignal },
  ): Promise<unknown>;
  /** A `notifications/message` log line, subject to the client's `logging/setLevel`. */
  log(level: 'info' | 'warning' | 'error', message: string): Promise<void>;
}

/** Sends one session event as a `codex/event` notification (and a progress notification for milestones). */
export type EventSink = (event: { id: string; msg: EventMsg }) => void;
