// Approval requests as MCP `elicitation/create` requests, and the client's answer back as a decision.
// The request is a proper form elicitation (a `decision` enum any MCP client can render) that also carries
// the `codex_*` fields clients written for Codex's server read. Both answer shapes are accepted: the MCP
// ElicitResult (`{action, content: {decision}}`) and Codex's raw `{decision}`. Anything else is a denial.

import type { FileChange, ReviewDecision } from '../../index.js';
import { shellJoin } from '../shell-quote.js';

export const DECISIONS: readonly ReviewDecision[] = ['approved', 'approved_for_session', 'denied', 'abort'];

const DECISION_SCHEMA = {
  type: 'object',
  properties: {
    decision: {
      type: 'string',
      title: 'Decision',
      description:
        'approved: this once; approved_for_session: also later identical requests; denied: refuse; abort: refuse and stop the turn',
      enum: [...DECISIONS],
      enumNames: ['Approve', 'Approve for this session', 'Deny', 'Deny and stop'],
    },
  },
  required: ['decision'],
} as const;

export interface ExecApprovalEvent {
  call_id: string;
  command: string[];
  cwd: string;
  reason?: string;
}

export interface PatchApprovalEvent {
  call_id: string;
  changes: Record<string, FileChange>;
  reason?: string;
  grant_root?: string;
}

/** Identifies the approval for Codex-style clients: which tool call and which event asked. */
export interface ApprovalOrigin {
  /** The JSON-RPC id of the tools/call this approval belongs to. */
  mcpToolCallId: string | number;
  /** The `id` of the codex/event that carried the request. */
  eventId: string;
  threadId: string;
}

export function execElicitation(event: ExecApprovalEvent, origin: ApprovalOrigin): Record<string, unknown> {
  const command = shellJoin(event.command);
  const question = `Allow Conduit to run \`${command}\` in \`${event.cwd}\`?`;
  return {
    message: event.reason ? `${event.reason}\n${question}` : question,
    requestedSchema: DECISION_SCHEMA,
    codex_elicitation: 'exec-approval',
    codex_mcp_tool_call_id: String(origin.mcpToolCallId),
    codex_event_id: origin.eventId,
    codex_call_id: event.call_id,
    codex_command: event.command,
    codex_cwd: event.cwd,
    // We have no command classifier like Codex's parse_command; its catch-all shape is still accurate.
    codex_parsed_cmd: [{ type: 'unknown', cmd: command }],
    codex_reason: event.reason,
    thread_id: origin.threadId,
  };
}

function describeChanges(changes: Record<string, FileChange>): string {
  return Object.entries(changes)
    .map(([path, change]) => {
      if (change.type === 'update' && change.move_path) return `  update ${path} → ${change.move_path}`;
      return `  ${change.type} ${path}`;
    })
    .join('\n');
}

export function patchElicitation(event: PatchApprovalEvent, origin: ApprovalOrigin): Record<string, unknown> {
  const lines = [
    ...(event.reason ? [event.reason] : []),
    'Allow Conduit to apply proposed code changes?',
    describeChanges(event.changes),
  ];
  return {
    message: lines.join('\n'),
    requestedSchema: DECISION_SCHEMA,
    codex_elicitation: 'patch-approval',
    codex_mcp_tool_call_id: String(origin.mcpToolCallId),
    codex_event_id: origin.eventId,
    codex_call_id: event.call_id,
    codex_reason: event.reason,
    codex_grant_root: event.grant_root,
    codex_changes: event.changes,
    thread_id: origin.threadId,
  };
}

export type ParsedReply = { decision: ReviewDecision; problem?: string };

function isDecision(value: unknown): value is ReviewDecision {
  return typeof value === 'string' && (DECISIONS as readonly string[]).includes(value);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The decision in a client's reply; anything unclear is `denied`, with the problem to report. */
export function parseElicitationReply(reply: unknown): ParsedReply {
  if (typeof reply !== 'object' || reply === null) {
    return { decision: 'denied', problem: `the client's reply ${preview(reply)} is not an object` };
  }
  const r = reply as { action?: unknown; content?: unknown; decision?: unknown };
  if (r.action === undefined) {
    if (isDecision(r.decision)) return { decision: r.decision };
    return { decision: 'denied', problem: `the client's reply ${preview(reply)} has no valid decision` };
  }
  if (r.action === 'decline') return { decision: 'denied' };
  // "cancel" is a dismissal without a choice: the safe default, as for a reply we cannot read.
  if (r.action === 'cancel') return { decision: 'denied', problem: 'the client dismissed the request' };
  if (r.action === 'accept') {
    const decision = (r.content as { decision?: unknown } | undefined)?.decision;
    if (isDecision(decision)) return { decision };
    return {
      decision: 'denied',
      problem: `the client accepted without a valid decision (${preview(r.content)}); expected one of ${DECISIONS.join(', ')}`,
    };
  }
  return { decision: 'denied', problem: `the client's reply has an unknown action ${preview(r.action)}` };
}
