// An MCP server of the session asks for user input: the request goes on to our own client as an
// `elicitation/create` (the same form, or the same URL), and its answer back to the session. A client that
// cannot elicit, does not answer in time or answers with something unreadable yields `decline` / `cancel`,
// so the asking server never waits forever.

import type { Event, Session } from '../../index.js';
import type { CallChannel } from './call-channel.js';

type Answer = {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean | string[]>;
};

function readAnswer(reply: unknown): Answer {
  const r = (typeof reply === 'object' && reply !== null ? reply : {}) as {
    action?: unknown;
    content?: unknown;
  };
  if (r.action === 'accept') {
    const content = typeof r.content === 'object' && r.content !== null ? r.content : {};
    return { action: 'accept', content: content as Answer['content'] };
  }
  return { action: r.action === 'decline' ? 'decline' : 'cancel' };
}

export async function relayElicitation(
  event: Event,
  options: { session: Session; channel: CallChannel; turnDone: AbortSignal },
): Promise<void> {
  const { msg } = event;
  if (msg.type !== 'elicitation_request') return;
  const { session, channel, turnDone } = options;
  let answer: Answer = { action: 'decline' };
  if (channel.canElicit) {
    const params = msg.url
      ? { mode: 'url', message: msg.message, url: msg.url, elicitationId: msg.id }
      : { message: msg.message, requestedSchema: msg.requested_schema ?? { type: 'object', properties: {} } };
    try {
      answer = readAnswer(
        await channel.elicit(
          { ...params, conduit_mcp_server: msg.server },
          { timeoutMs: channel.approvalTimeoutMs, signal: turnDone },
        ),
      );
    } catch {
      answer = { action: 'cancel' };
    }
  }
  if (turnDone.aborted) return;
  session.submit({ type: 'elicitation_response', id: msg.id, ...answer });
}
