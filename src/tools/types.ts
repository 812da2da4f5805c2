// The tool contract: every tool the model can call (built-in or MCP) is a ToolHandler behind one interface,
// registered by name and dispatched by the router. Handlers report progress as ToolEvents and ask for
// approval through the context; the session turns both into protocol events, so every front end (exec,
// MCP server, a TUI) sees the same stream.

import type { ShellEnvironmentPolicy } from '../config/types.js';
import type { FunctionCallOutputPayload, ToolSpec } from '../protocol/models.js';
import type { ApprovalPolicy, ReviewDecision, SandboxPolicy } from '../protocol/policy.js';
import type { FileChange, ToolEvent } from '../protocol/tool-events.js';
import type { TurnDiffTracker } from './apply-patch/turn-diff-tracker.js';

export interface ToolCall {
  callId: string;
  name: string;
  /** `function`: `input` is the JSON arguments string as the model sent it (maybe invalid); `custom`: raw text. */
  kind: 'function' | 'custom';
  input: string;
}

export interface ToolOutput {
  output: FunctionCallOutputPayload;
  /** Kept internal (never serialised to the model). */
  success: boolean;
}

export type ApprovalRequest =
  | {
      kind: 'exec';
      callId: string;
      command: string[];
      cwd: string;
      reason?: string;
      /** What `approved_for_session` would cover (`git commit …`), for the prompt to show. */
      sessionScope?: string[];
    }
  | {
      kind: 'patch';
      callId: string;
      changes: Record<string, FileChange>;
      reason?: string;
      grantRoot?: string;
    };

/**
 * What a turn's tools run under, computed once per turn by the session from its config and the turn's
 * overrides. (What stays fixed while the settings do, like the model family, reaches the handlers when the
 * tool list is built.)
 */
export interface TurnContext {
  turnId: string;
  cwd: string;
  approvalPolicy: ApprovalPolicy;
  sandboxPolicy: SandboxPolicy;
  shellEnvironmentPolicy: ShellEnvironmentPolicy;
}

/** One call's context: its turn's, plus the call's id, cancellation and channels back to the session. */
export interface ToolContext extends TurnContext {
  callId: string;
  /** Aborted on interrupt; handlers must stop their work (kill processes, cancel MCP calls) and return. */
  signal: AbortSignal;
  emit(event: ToolEvent): void;
  /** Resolves with the human's (or client's) decision; front ends that cannot ask resolve `denied`. */
  requestApproval(request: ApprovalRequest): Promise<ReviewDecision>;
  /** The turn's diff tracker (one per turn, made by the agent loop); apply_patch records originals in it. */
  turnDiff?: TurnDiffTracker;
}

export interface ToolHandler {
  name: string;
  spec: ToolSpec;
  /** Safe to run concurrently with other parallel-safe calls from the same response. */
  parallelSafe: boolean;
  handle(call: ToolCall, ctx: ToolContext): Promise<ToolOutput>;
}
