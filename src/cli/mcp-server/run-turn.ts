// One tool call = one turn on a thread: submit the prompt, stream every event to the client, answer
// approvals through the client, and turn the end of the turn into the CallToolResult. A cancelled call
// interrupts the turn and still returns a result (Codex's server leaves it unanswered, openai/codex #39149).

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runSubmission } from '../../index.js';
import { answerApproval } from './approval-bridge.js';
import type { CallChannel, EventSink } from './call-channel.js';
import { relayElicitation } from './elicitation-relay.js';
import { progressMessage } from './progress.js';
import type { Thread } from './threads.js';

export function textResult(text: string, threadId: string | undefined, isError: boolean): CallToolResult {
  return {
    content: [{ type: 'text', text }],
    ...(threadId !== undefined && { structuredContent: { threadId, content: text } }),
    ...(isError && { isError: true }),
  };
}

/** Forwards events as `codex/event` notifications, plus `notifications/progress` for milestones when asked. */
export function eventSink(channel: CallChannel, threadId: string): EventSink {
  let progress = 0;
  return (event) => {
    void channel.notify('codex/event', {
      ...event,
      _meta: { requestId: channel.requestId, threadId },
    });
    if (channel.progressToken === undefined) return;
    const message = progressMessage(event.msg);
    if (message === undefined) return;
    void channel.notify('notifications/progress', {
      progressToken: channel.progressToken,
      progress: ++progress,
      message,
    });
  };
}

export async function runTurn(thread: Thread, prompt: string, channel: CallChannel): Promise<CallToolResult> {
  const { session } = thread;
  const sink = eventSink(channel, thread.id);
  const { overrides, warnings } = thread.pending;
  thread.pending = { warnings: [] };
  if (overrides) session.submit({ type: 'override_turn_context', ...overrides });
  for (const message of warnings) sink({ id: '', msg: { type: 'warning', message } });
  const turn = runSubmission(session, { type: 'user_turn', items: [{ type: 'text', text: prompt }] });
  const interrupt = () => session.submit({ type: 'interrupt' });
  channel.cancelled.addEventListener('abort', interrupt, { once: true });
  if (channel.cancelled.aborted) interrupt();
  const turnDone = new AbortController();
  const approvals: Promise<void>[] = [];
  try {
    for await (const event of turn) {
      sink(event);
      const { msg } = event;
      if (msg.type === 'exec_approval_request' || msg.type === 'apply_patch_approval_request') {
        approvals.push(
          answerApproval(event, { session, threadId: thread.id, channel, sink, turnDone: turnDone.signal }),
        );
      }
      if (msg.type === 'elicitation_request')
        approvals.push(relayElicitation(event, { session, channel, turnDone: turnDone.signal }));
    }
  } finally {
    channel.cancelled.removeEventListener('abort', interrupt);
    turnDone.abort();
    await Promise.all(approvals);
  }
  // Every notification was handed to the transport (in order) before this result is: all progress precedes
  // the response on the wire, which is all MCP asks. The SDK's client still drops progress it reads in the
  // same chunk as the response (it dispatches notifications a microtask late, modelcontextprotocol/
  // typescript-sdk #2580); no delay here can prevent that on a loaded machine, so none is attempted.
  const outcome = turn.outcome ?? { status: 'closed' };
  switch (outcome.status) {
    case 'completed':
      return textResult(outcome.lastAgentMessage ?? '', thread.id, false);
    case 'failed':
      return textResult(`Conduit runtime error: ${outcome.error}`, thread.id, true);
    case 'aborted': {
      const why = channel.cancelled.aborted ? 'the client cancelled the call' : outcome.reason;
      return textResult(`the turn was interrupted (${why})`, thread.id, true);
    }
    case 'closed':
      return textResult('the session shut down before the turn finished', thread.id, true);
  }
}

/** Resolves when `signal` aborts; for racing a wait (a busy thread) against the client's cancellation. */
export function whenCancelled(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
