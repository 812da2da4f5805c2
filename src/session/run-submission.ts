// Runs one submission to its end and yields every event the session emits meanwhile (approval requests
// included: the front end answers them with `session.submit` while it iterates). Every front end needs
// exactly this loop, and the rules for "ended" and "failed" are easy to get subtly different, so it lives
// here once.

import type { Event } from '../protocol/events.js';
import type { Op } from '../protocol/ops.js';
import type { Session } from './session.js';

/** The ops that run to a definite end: a turn, a compaction, a shutdown. */
export type RunnableOp = Extract<Op, { type: 'user_turn' | 'compact' | 'shutdown' }>;

export type SubmissionOutcome =
  | { status: 'completed'; lastAgentMessage?: string }
  /** The turn reported an `error` event (the last one is `error`). */
  | { status: 'failed'; error: string; lastAgentMessage?: string }
  | { status: 'aborted'; reason: 'interrupted' | 'replaced'; lastAgentMessage?: string }
  /** The session's event stream ended before the submission did. */
  | { status: 'closed'; lastAgentMessage?: string };

export class SubmissionRun implements AsyncIterable<Event> {
  /** The submission id: the `id` of the events it causes. */
  readonly id: string;
  private result: SubmissionOutcome | undefined;

  constructor(
    private readonly session: Session,
    op: RunnableOp,
  ) {
    this.id = session.submit(op);
  }

  /** How the submission ended; set once iteration has finished. */
  get outcome(): SubmissionOutcome | undefined {
    return this.result;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Event> {
    let error: string | undefined;
    let lastAgentMessage: string | undefined;
    for (;;) {
      const event = await this.session.nextEvent();
      if (!event) {
        this.result = { status: 'closed', lastAgentMessage };
        return;
      }
      yield event;
      if (event.id !== this.id) continue;
      const { msg } = event;
      switch (msg.type) {
        case 'agent_message':
          lastAgentMessage = msg.message;
          break;
        case 'error':
          error = msg.message;
          break;
        case 'turn_aborted':
          this.result = { status: 'aborted', reason: msg.reason, lastAgentMessage };
          return;
        case 'task_complete':
          lastAgentMessage = msg.last_agent_message ?? lastAgentMessage;
          this.result =
            error === undefined
              ? { status: 'completed', lastAgentMessage }
              : { status: 'failed', error, lastAgentMessage };
          return;
        case 'shutdown_complete':
          this.result = { status: 'completed' };
          return;
      }
    }
  }
}

/**
 * Submits `op` and returns its run: iterate it to read the events until the submission ends, then read
 * `outcome`. Only one run should read a session's events at a time.
 */
export function runSubmission(session: Session, op: RunnableOp): SubmissionRun {
  return new SubmissionRun(session, op);
}
