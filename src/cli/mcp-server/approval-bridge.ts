// Answers a session's approval request by asking the MCP client, and always answers: a client that cannot
// elicit, replies with an error, replies with something unreadable or does not reply in time yields
// `denied`, and the reason reaches the client as a `warning` event and a log line. This is where Codex's
// server hangs (openai/codex #11816, #20925); a turn here never waits longer than the approval timeout.

import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Event, ReviewDecision, Session } from '../../index.js';
import type { CallChannel, EventSink } from './call-channel.js';
import { execElicitation, parseElicitationReply, patchElicitation } from './elicitation.js';

function whyNoAnswer(err: unknown, timeoutMs: number): string {
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
    return `the client did not answer within ${timeoutMs / 1000} s`;
  }
  if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) return 'the client disconnected';
  const message = err instanceof Error ? err.message : String(err);
  return `the client answered with an error: ${message}`;
}

export interface ApprovalBridgeOptions {
  session: Session;
  threadId: string;
  channel: CallChannel;
  sink: EventSink;
  /** Aborted when the turn ends: a question still open is withdrawn and its answer ignored. */
  turnDone: AbortSignal;
}

/** Handles one exec_approval_request / apply_patch_approval_request event; resolves once it is answered. */
export async function answerApproval(event: Event, options: ApprovalBridgeOptions): Promise<void> {
  const { session, channel, sink, turnDone } = options;
  const { msg } = event;
  if (msg.type !== 'exec_approval_request' && msg.type !== 'apply_patch_approval_request') return;
  const origin = { mcpToolCallId: channel.requestId, eventId: event.id, threadId: options.threadId };
  const what =
    msg.type === 'exec_approval_request' ? `running \`${msg.command.join(' ')}\`` : 'applying a patch';
  let decision: ReviewDecision = 'denied';
  let problem: string | undefined;
  if (!channel.canElicit) {
    problem = 'the client does not support elicitation, so nobody can approve';
  } else {
    const params =
      msg.type === 'exec_approval_request' ? execElicitation(msg, origin) : patchElicitation(msg, origin);
    try {
      const reply = await channel.elicit(params, { timeoutMs: channel.approvalTimeoutMs, signal: turnDone });
      ({ decision, problem } = parseElicitationReply(reply));
    } catch (err) {
      if (turnDone.aborted) return;
      problem = whyNoAnswer(err, channel.approvalTimeoutMs);
    }
  }
  if (turnDone.aborted) return;
  if (problem) {
    const message = `approval for ${what} treated as "${decision}": ${problem}`;
    sink({ id: event.id, msg: { type: 'warning', message } });
    void channel.log('warning', message);
  }
  const type = msg.type === 'exec_approval_request' ? 'exec_approval' : 'patch_approval';
  session.submit({ type, id: msg.call_id, decision });
}
