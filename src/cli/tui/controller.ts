// The terminal UI's state and actions, outside React: it owns the session (and replaces it for /new and
// /resume), pumps its events into the Transcript, queues prompts typed while a turn runs, and tells the
// view when to re-render (at most once per frame). The view (app.tsx) only reads it and calls actions.

import type { Event, Op, ReviewDecision, Session } from '../../index.js';
import { Transcript } from './model/transcript.js';

/** Opens a session: a new one, or the one saved at `resumePath`. */
export type OpenSession = (resumePath?: string) => Promise<Session>;

const FRAME_MS = 16;

export interface Picker {
  title: string;
  items: { label: string; detail?: string; value: string }[];
  onPick: (value: string) => void;
}

export class TuiController {
  readonly transcript: Transcript;
  session: Session | undefined;
  readonly queued: string[] = [];
  /** A one-line hint under the prompt ("press Ctrl+C again to quit"). */
  hint = '';
  picker: Picker | undefined;
  private quitArmed = false;
  private listeners = new Set<() => void>();
  private scheduled: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private exitResolve!: () => void;
  /** Resolves once the user quit and the session shut down. */
  readonly exited = new Promise<void>((resolve) => {
    this.exitResolve = resolve;
  });
  private quitting = false;
  /** Set while a `!cmd` of the user runs. */
  userCommand: AbortController | undefined;
  version = 0;
  /** Cells written to the terminal before the view mounted (a resumed transcript); <Static> skips them. */
  printedBeforeMount = 0;

  constructor(
    private readonly open: OpenSession,
    cliVersion: string,
    private readonly now: () => number = Date.now,
  ) {
    this.transcript = new Transcript(cliVersion);
  }

  // ---- view subscription ----

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** Re-render soon: many events in one frame cost one render. */
  changed(): void {
    if (this.scheduled) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.version++;
      for (const listener of this.listeners) listener();
    }, FRAME_MS);
  }

  // ---- session lifecycle ----

  async start(resumePath?: string): Promise<void> {
    const session = await this.open(resumePath);
    this.session = session;
    this.pumping = this.pump(session);
    // The session's first events (session_configured with a resumed transcript) are already queued: let
    // the pump take them, so the first frame shows them.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private async pump(session: Session): Promise<void> {
    for await (const event of session) {
      this.onEvent(event);
    }
  }

  private onEvent(event: Event): void {
    this.transcript.apply(event, this.now());
    const type = event.msg.type;
    if ((type === 'task_complete' || type === 'turn_aborted') && this.hint === 'Interrupting…')
      this.hint = '';
    if ((type === 'task_complete' || type === 'turn_aborted') && this.queued.length > 0 && !this.quitting) {
      const next = this.queued.shift() as string;
      this.sendPrompt(next);
    }
    this.changed();
  }

  get busy(): boolean {
    return this.transcript.busySince !== undefined;
  }

  submit(op: Op): void {
    this.session?.submit(op);
  }

  /** Replaces the session (for /new and /resume): the old one is shut down first. */
  async replaceSession(resumePath?: string): Promise<void> {
    const old = this.session;
    this.session = undefined;
    this.queued.length = 0;
    if (old) {
      old.submit({ type: 'shutdown' });
      await this.pumping;
    }
    try {
      await this.start(resumePath);
    } catch (err) {
      this.transcript.add({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
      await this.start();
    }
    this.changed();
  }

  // ---- user actions ----

  /** A prompt for the agent: sent now, or queued while a turn runs. */
  sendPrompt(text: string): void {
    if (this.busy || !this.session) {
      this.queued.push(text);
      this.changed();
      return;
    }
    // Marked busy at once, so a second prompt typed before task_started is queued, not sent alongside.
    this.transcript.busySince = this.now();
    this.transcript.activity = 'Working';
    this.submit({ type: 'user_input', items: [{ type: 'text', text }] });
    this.changed();
  }

  interrupt(): boolean {
    if (this.userCommand) {
      this.userCommand.abort();
      return true;
    }
    if (!this.busy) return false;
    this.submit({ type: 'interrupt' });
    this.hint = 'Interrupting…';
    this.changed();
    return true;
  }

  decide(callId: string, decision: ReviewDecision): void {
    const approval = this.transcript.resolveApproval(callId);
    if (!approval) return;
    const what = approval.kind === 'exec' ? 'the command' : 'the file changes';
    const text = {
      approved: `You approved ${what}.`,
      approved_for_session: `You approved ${what} for this session.`,
      denied: `You denied ${what}.`,
      abort: `You denied ${what} and stopped the turn.`,
    }[decision];
    this.transcript.add({ kind: 'decision', text, approved: decision.startsWith('approved') });
    this.submit({
      type: approval.kind === 'exec' ? 'exec_approval' : 'patch_approval',
      id: callId,
      decision,
    });
    this.changed();
  }

  /** Ctrl+C on an empty prompt: interrupts a turn; otherwise the second press in a row quits. */
  ctrlC(): void {
    if (this.interrupt()) {
      this.quitArmed = true;
      this.hint = 'Interrupted. Press Ctrl+C again to quit.';
      this.changed();
      return;
    }
    if (this.quitArmed) {
      void this.quit();
      return;
    }
    this.quitArmed = true;
    this.hint = 'Press Ctrl+C again to quit.';
    this.changed();
  }

  /** Any other key disarms the quit and clears the hint. */
  keyPressed(): void {
    if (!this.quitArmed && !this.hint) return;
    this.quitArmed = false;
    if (this.hint && !this.hint.startsWith('Interrupting')) this.hint = '';
    this.changed();
  }

  async quit(): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    this.userCommand?.abort();
    this.hint = 'Saving the session…';
    this.changed();
    this.submit({ type: 'shutdown' });
    await this.pumping;
    this.exitResolve();
  }

  openPicker(picker: Picker): void {
    this.picker = picker;
    this.changed();
  }

  closePicker(): void {
    this.picker = undefined;
    this.changed();
  }
}
