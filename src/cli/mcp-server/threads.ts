// The server's conversations ("threads"): live sessions by id, each used by one tool call at a time, and
// resumed from its rollout file when a codex-reply names a thread this process does not hold (one started
// before a restart, or one evicted while idle). Idle sessions beyond a limit are shut down, oldest first, so
// a long-running server does not keep a file and a model client open for every conversation it ever had.

import { existsSync, statSync } from 'node:fs';
import {
  type Config,
  findRolloutById,
  readRollout,
  runSubmission,
  type Session,
  type TurnContextOverrides,
} from '../../index.js';

/** Loads the config a session runs with; `cwd` is the resumed thread's directory, when it still exists. */
export type ConfigLoader = (cwd?: string) => Promise<Config>;
/** Starts a session for `config` (with its MCP servers), or resumes the one recorded at `resumePath`. */
export type SessionOpener = (config: Config, resumePath?: string) => Promise<Session>;

export interface Thread {
  id: string;
  session: Session;
  /** For the next call to deliver: turn settings to restore (a resumed thread) and warnings to show. */
  pending: { overrides?: TurnContextOverrides; warnings: string[] };
}

interface Entry {
  thread: Thread;
  /** Resolves when the call using the thread releases it; calls queue behind it. */
  tail: Promise<void>;
  busy: number;
  lastUsed: number;
}

export class UnknownThreadError extends Error {}

export class ThreadRegistry {
  private readonly live = new Map<string, Entry>();
  /** Resumes in progress, so two replies to the same stored thread share one session. */
  private readonly resuming = new Map<string, Promise<Entry>>();
  private clock = 0;

  constructor(
    private readonly conduitHome: string,
    private readonly open: SessionOpener,
    private readonly maxIdle: number,
  ) {}

  /** Starts a new thread and holds it for the caller; `release` lets the next call (or eviction) have it. */
  async start(config: Config): Promise<{ thread: Thread; release: () => void }> {
    const session = await this.open(config);
    const entry = newEntry({ id: session.id, session, pending: { warnings: [] } });
    this.live.set(session.id, entry);
    return this.acquire(entry);
  }

  /** Waits for the thread to be free, resuming it from disk if this process does not hold it. */
  async reply(threadId: string, loadConfig: ConfigLoader): Promise<{ thread: Thread; release: () => void }> {
    const entry = this.live.get(threadId) ?? (await this.resume(threadId, loadConfig));
    return this.acquire(entry);
  }

  /** Shuts every session down (the server is stopping); running turns are interrupted. */
  async closeAll(): Promise<void> {
    const entries = [...this.live.values()];
    this.live.clear();
    await Promise.all(entries.map((entry) => shutdown(entry.thread)));
  }

  private async acquire(entry: Entry): Promise<{ thread: Thread; release: () => void }> {
    entry.busy++;
    const previous = entry.tail;
    let release!: () => void;
    entry.tail = new Promise<void>((resolve) => {
      release = () => {
        entry.busy--;
        entry.lastUsed = ++this.clock;
        resolve();
        this.evictIdle();
      };
    });
    await previous;
    return { thread: entry.thread, release };
  }

  private resume(threadId: string, loadConfig: ConfigLoader): Promise<Entry> {
    let pending = this.resuming.get(threadId);
    if (!pending) {
      pending = this.resumeFromDisk(threadId, loadConfig).finally(() => this.resuming.delete(threadId));
      this.resuming.set(threadId, pending);
    }
    return pending;
  }

  private async resumeFromDisk(threadId: string, loadConfig: ConfigLoader): Promise<Entry> {
    const path = findRolloutById(this.conduitHome, threadId);
    if (!path) {
      throw new UnknownThreadError(
        `unknown threadId "${threadId}": no conversation with that id is running or recorded under ${this.conduitHome}/sessions`,
      );
    }
    const stored = readRollout(path);
    const cwd =
      existsSync(stored.meta.cwd) && statSync(stored.meta.cwd).isDirectory() ? stored.meta.cwd : undefined;
    const config = await loadConfig(cwd);
    const session = await this.open(config, path);
    const restore = restoredSettings(stored.lastTurnContext, config);
    const warnings = cwd
      ? restore.warnings
      : [
          `the thread's directory ${stored.meta.cwd} no longer exists; using ${config.cwd}`,
          ...restore.warnings,
        ];
    const entry = newEntry({ id: session.id, session, pending: { overrides: restore.overrides, warnings } });
    this.live.set(session.id, entry);
    return entry;
  }

  private evictIdle(): void {
    const idle = [...this.live.values()].filter((entry) => entry.busy === 0);
    if (idle.length <= this.maxIdle) return;
    idle.sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of idle.slice(0, idle.length - this.maxIdle)) {
      this.live.delete(entry.thread.id);
      void shutdown(entry.thread);
    }
  }
}

/** The turn settings a stored thread last ran with, as far as the current config can honour them. */
export function restoredSettings(
  last: ReturnType<typeof readRollout>['lastTurnContext'],
  config: Config,
): { overrides: TurnContextOverrides; warnings: string[] } {
  if (!last) return { overrides: {}, warnings: [] };
  const overrides: TurnContextOverrides = {
    approval_policy: last.approval_policy,
    sandbox_policy: last.sandbox_policy,
  };
  const warnings: string[] = [];
  if (existsSync(last.cwd)) overrides.cwd = last.cwd;
  if (config.modelProviders[last.model_provider]) {
    overrides.model_provider = last.model_provider;
    overrides.model = last.model;
    if (last.effort !== undefined) overrides.effort = last.effort;
    overrides.summary = last.summary;
  } else {
    warnings.push(
      `the thread last used model provider "${last.model_provider}", which the server's config does not define; continuing with ${config.modelProviderId}/${config.model}`,
    );
  }
  return { overrides, warnings };
}

function newEntry(thread: Thread): Entry {
  return { thread, tail: Promise.resolve(), busy: 0, lastUsed: 0 };
}

/** Stops the thread's turn and its MCP servers; the events of its shutdown have no one to go to. */
async function shutdown(thread: Thread): Promise<void> {
  for await (const _ of runSubmission(thread.session, { type: 'shutdown' })) {
    // drained: the session closes its rollout, servers and event stream once the running turn has stopped
  }
}
