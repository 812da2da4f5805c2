// The one event stream every front end consumes: `{id, msg}` where `id` is the submission that caused it.
// Tool events (tool-events.ts) are included as-is; the rest are session events. snake_case wire shapes.

import type { JsonSchema, TokenUsage } from './models.js';
import type { ApprovalPolicy, ReasoningEffort, SandboxPolicy } from './policy.js';
import type { FileChange, ToolEvent } from './tool-events.js';

export interface TokenUsageInfo {
  /** Summed over every response of the session (survives resume). */
  total_token_usage: TokenUsage;
  last_token_usage: TokenUsage;
  model_context_window?: number;
}

/** A message from an earlier part of a resumed session, for front ends that replay it. */
export type InitialMessage =
  | { type: 'user_message'; message: string }
  | { type: 'agent_message'; message: string }
  | { type: 'agent_reasoning'; text: string };

export type SessionEventMsg =
  | {
      type: 'session_configured';
      session_id: string;
      model: string;
      model_provider_id: string;
      approval_policy: ApprovalPolicy;
      sandbox_policy: SandboxPolicy;
      cwd: string;
      reasoning_effort?: ReasoningEffort;
      /** Absent when history persistence is off. */
      rollout_path?: string;
      /** Present when the session was resumed. */
      initial_messages?: InitialMessage[];
    }
  | { type: 'task_started'; model_context_window?: number }
  | { type: 'task_complete'; last_agent_message?: string }
  | { type: 'user_message'; message: string; images?: string[] }
  | { type: 'agent_message'; message: string }
  | { type: 'agent_message_delta'; delta: string }
  | { type: 'agent_reasoning'; text: string }
  | { type: 'agent_reasoning_delta'; delta: string }
  | { type: 'token_count'; info: TokenUsageInfo }
  | { type: 'turn_diff'; unified_diff: string }
  /** A transient failure being retried ("Reconnecting… 2/5"); the turn goes on. */
  | { type: 'stream_error'; message: string }
  /** The turn failed (or an op was refused); front ends treat the turn as failed. */
  | { type: 'error'; message: string }
  | {
      type: 'exec_approval_request';
      call_id: string;
      command: string[];
      cwd: string;
      reason?: string;
      /** What an `approved_for_session` answer would cover (`git commit …`), for the prompt to show. */
      session_scope?: string[];
    }
  | {
      type: 'apply_patch_approval_request';
      call_id: string;
      changes: Record<string, FileChange>;
      reason?: string;
      grant_root?: string;
    }
  | { type: 'turn_aborted'; reason: 'interrupted' | 'replaced' }
  /** A log message of an MCP server (`notifications/message`); its stderr lines are not forwarded. */
  | { type: 'mcp_log'; server: string; level: McpLogLevel; message: string }
  /**
   * An MCP server asks the user for input (MCP elicitation). Answer with the `elicitation_response` op and
   * this `id`; front ends that did not opt in (`CreateSessionOptions.elicitation`) never see one: the
   * session declines for them, with a warning.
   */
  | {
      type: 'elicitation_request';
      id: string;
      server: string;
      message: string;
      /** Form mode: the fields to ask for (a flat JSON schema object). */
      requested_schema?: JsonSchema;
      /** URL mode: the page the user should open. */
      url?: string;
    }
  /** History was replaced by a summary (the `compact` op or automatic compaction). */
  | { type: 'context_compacted'; auto: boolean }
  /** An MCP server's tool list changed (tools/list_changed); `tools` is its new set, offered from the next model request. */
  | { type: 'mcp_tools_changed'; server: string; tools: string[] }
  | { type: 'shutdown_complete' };

export type McpLogLevel =
  | 'debug'
  | 'info'
  | 'notice'
  | 'warning'
  | 'error'
  | 'critical'
  | 'alert'
  | 'emergency';

export type EventMsg = ToolEvent | SessionEventMsg;

export interface Event {
  id: string;
  msg: EventMsg;
}
