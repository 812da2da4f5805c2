// The PTY sessions of one agent session (`exec_command` starts one, `write_stdin` talks to it). Sessions
// are numbered, capped in number (the least recently used is killed to make room, exited ones first), and
// all killed when the manager is closed or the agent process exits.

import { UnknownPtySessionError } from './errors.js';
import { type PtyRead, PtySession, type PtySpawnOptions } from './session.js';

export { UnknownPtySessionError } from './errors.js';

export const DEFAULT_MAX_PTY_SESSIONS = 64;
export const MIN_YIELD_MS = 250;
export const MAX_YIELD_MS = 30_000;

/** `yield_time_ms` as the model sent it, clamped to 250–30 000 ms. */
export function clampYieldMs(ms: number): number {
  return Math.min(MAX_YIELD_MS, Math.max(MIN_YIELD_MS, ms));
}

export interface PtyResult extends PtyRead {
  /** Set while the program still runs: the id to pass to `write`. */
  sessionId?: number;
  wallTimeMs: number;
  /** A session killed to stay under the cap when this one started. */
  prunedSessionId?: number;
}

interface Entry {
  session: PtySession;
  lastUsed: number;
}

export class PtySessionManager {
  private readonly sessions = new Map<number, Entry>();
  private nextId = 1;
  private useCounter = 0;
  private readonly maxSessions: number;
  private readonly killAllOnExit = () => {
    for (const { session } of this.sessions.values()) session.killNow();
  };

  constructor(options: { maxSessions?: number } = {}) {
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_PTY_SESSIONS;
  }

  get openSessions(): number {
    return this.sessions.size;
  }

  /** Starts a program and collects its output for up to `yieldMs` (clamped). */
  async start(options: PtySpawnOptions, yieldMs: number, signal?: AbortSignal): Promise<PtyResult> {
    const prunedSessionId = this.sessions.size >= this.maxSessions ? await this.pruneOne() : undefined;
    const session = new PtySession(options);
    const id = this.nextId++;
    if (this.sessions.size === 0) process.on('exit', this.killAllOnExit);
    this.sessions.set(id, { session, lastUsed: ++this.useCounter });
    const result = await this.collect(id, session, yieldMs, signal);
    return prunedSessionId === undefined ? result : { ...result, prunedSessionId };
  }

  /** Writes `chars` (may be empty: a poll) and collects output for up to `yieldMs` (clamped). */
  async write(sessionId: number, chars: string, yieldMs: number, signal?: AbortSignal): Promise<PtyResult> {
    const entry = this.sessions.get(sessionId);
    if (!entry) throw new UnknownPtySessionError(sessionId);
    entry.lastUsed = ++this.useCounter;
    if (chars) entry.session.write(chars);
    return this.collect(sessionId, entry.session, yieldMs, signal);
  }

  /** Kills every session; the manager stays usable. */
  async closeAll(): Promise<void> {
    const sessions = [...this.sessions.values()].map((entry) => entry.session);
    this.sessions.clear();
    process.off('exit', this.killAllOnExit);
    await Promise.all(sessions.map((session) => session.kill()));
  }

  private async collect(
    id: number,
    session: PtySession,
    yieldMs: number,
    signal?: AbortSignal,
  ): Promise<PtyResult> {
    const started = performance.now();
    const read = await session.collect(clampYieldMs(yieldMs), signal);
    const wallTimeMs = performance.now() - started;
    if (read.exitCode === undefined) return { ...read, sessionId: id, wallTimeMs };
    // The last output of an exited program has been read: the session is over.
    this.forget(id);
    return { ...read, wallTimeMs };
  }

  private forget(id: number): void {
    this.sessions.delete(id);
    if (this.sessions.size === 0) process.off('exit', this.killAllOnExit);
  }

  private async pruneOne(): Promise<number | undefined> {
    let victim: [number, Entry] | undefined;
    for (const candidate of this.sessions) {
      const [, entry] = candidate;
      if (!victim) victim = candidate;
      else if (entry.session.hasExited !== victim[1].session.hasExited) {
        if (entry.session.hasExited) victim = candidate;
      } else if (entry.lastUsed < victim[1].lastUsed) victim = candidate;
    }
    if (!victim) return undefined;
    this.forget(victim[0]);
    await victim[1].session.kill();
    return victim[0];
  }
}
