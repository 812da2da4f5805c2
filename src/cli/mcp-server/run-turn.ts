// One tool call = one turn on a thread: submit the prompt, stream every event to the client, answer
// approvals through the client, and turn the end of the turn into the CallToolResult. A cancelled call
// interrupts the turn and still returns a result (Codex's server leaves it unanswered, openai/codex #39149).

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Event } from '../../protocol/events.js';
import { answerApproval } from './approval-bridge.js';
import type { CallChannel, EventSink } from './call-channel.js';
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
  const subId = session.submit({ type: 'user_turn', items: [{ type: 'text', text: prompt }] });
  const interrupt = () => session.submit({ type: 'interrupt' });
  channel.cancelled.addEventListener('abort', interrupt, { once: true });
  if (channel.cancelled.aborted) interrupt();
  const turnDone = new AbortController();
  const approvals: Promise<void>[] = [];
  let turnError: string | undefined;
  try {
    for (;;) {
      const event: Event | undefined = await session.nextEvent();
      if (!event) return textResult('the session shut down before the turn finished', thread.id, true);
      sink(event);
      const { msg } = event;
      if (msg.type === 'exec_approval_request' || msg.type === 'apply_patch_approval_request') {
        approvals.push(
          answerApproval(event, { session, threadId: thread.id, channel, sink, turnDone: turnDone.signal }),
        );
        continue;
      }
      if (event.id !== subId) continue;
      if (msg.type === 'error') turnError = msg.message;
      if (msg.type === 'turn_aborted') {
        const why = channel.cancelled.aborted ? 'the client cancelled the call' : msg.reason;
        return textResult(`the turn was interrupted (${why})`, thread.id, true);
      }
      if (msg.type === 'task_complete') {
        if (turnError !== undefined)
          return textResult(`Conduit runtime error: ${turnError}`, thread.id, true);
        return textResult(msg.last_agent_message ?? '', thread.id, false);
      }
    }
  } finally {
    channel.cancelled.removeEventListener('abort', interrupt);
    turnDone.abort();
    await Promise.all(approvals);
  }
}

/** Resolves when `signal` aborts; for racing a wait (a busy thread) against the client's cancellation. */
export function whenCancelled(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
