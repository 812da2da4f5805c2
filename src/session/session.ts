// A conversation with the agent: front ends submit ops and read one event stream. The session owns the
// turn settings, the queue of tasks and the caches of model client and tools; turns run one at a time
// (turn.ts), while interrupts, approvals and setting overrides are handled as soon as they arrive. What
// it remembers lives in its SessionRecord (record.ts). Several sessions can live in one process (the MCP
// server runs one per conversation): nothing here is global.

import type { Config } from '../config/types.js';
import type { Event, EventMsg, InitialMessage } from '../protocol/events.js';
import type { ResponseItem } from '../protocol/models.js';
import type { Op, Submission, TurnContextOverrides } from '../protocol/ops.js';
import type { ModelClient } from '../providers/types.js';
import { TurnDiffTracker } from '../tools/apply-patch/turn-diff-tracker.js';
import { ToolRegistry } from '../tools/registry.js';
import type { ToolHandler } from '../tools/types.js';
import { ApprovalBridge } from './approvals.js';
import { ElicitationBridge } from './elicitations.js';
import { AsyncQueue } from './event-queue.js';
import type { McpEventTarget, McpServerStatus } from './mcp-servers.js';
import { userInputItem } from './prompt.js';
import type { SessionRecord } from './record.js';
import { type StartOptions, startSession } from './start.js';
import { type RunningTask, runCompactTask, runTurn, type TurnHost } from './turn.js';
import { applyOverrides, configForTurn, settingsFromConfig, type TurnSettings } from './turn-context.js';

export { NON_INTERACTIVE_DENIAL } from './approvals.js';

export type ClientFactory = (settings: TurnSettings, sessionId: string) => ModelClient;
export type ToolFactory = (settings: TurnSettings, config: Config) => ToolHandler[] | Promise<ToolHandler[]>;

export interface SessionOptions extends StartOptions {
  createClient: ClientFactory;
  /** The tools offered to the model for given settings (rebuilt when the settings change). */
  createTools: ToolFactory;
  /** False when nobody can answer approval requests (exec): they are denied at once, with a warning. */
  interactiveApprovals?: boolean;
  /** Releases what the tools hold (PTY sessions…); awaited on shutdown, before `shutdown_complete`. */
  dispose?: () => Promise<void>;
  /** Problems starting the session's world (an MCP server that failed), emitted after `session_configured`. */
  startupWarnings?: string[];
  /** The session's MCP servers and their tools, for front ends to show. */
  mcpServers?: () => McpServerStatus[];
  /** Called when a turn moves the cwd (MCP servers are told their root changed). */
  onCwdChange?: (cwd: string) => void;
  /** The session's MCP servers' log messages and elicitation requests, relayed as events. */
  mcpEvents?: { attach(target: McpEventTarget): void };
  /** True when the front end answers `elicitation_request` events; otherwise they are declined. */
  elicitation?: boolean;
  /** Start-up problems found later (a server started in the background failed), emitted when they resolve. */
  lateStartupWarnings?: Promise<string[]>;
  /** Changes when the tools `createTools` would return change (an MCP server answered): rebuilt then. */
  toolsVersion?: () => number;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class Session {
  readonly id: string;
  readonly rolloutPath: string;
  private readonly record: SessionRecord;
  private readonly config: Config;
  private readonly approvals: ApprovalBridge;
  private readonly elicitations: ElicitationBridge;
  /** What the running task sees of this session. */
  private readonly host: TurnHost;
  private readonly events = new AsyncQueue<Event>();
  private settings: TurnSettings;
  private clientCache: { key: string; client: ModelClient } | undefined;
  private registryCache: { key: string; registry: ToolRegistry } | undefined;
  private running: RunningTask | undefined;
  private queue: Promise<void> = Promise.resolve();
  private nextSubmissionId = 0;
  private shuttingDown = false;

  private constructor(private readonly options: SessionOptions) {
    this.config = options.config;
    this.settings = settingsFromConfig(options.config);
    this.approvals = new ApprovalBridge(options.interactiveApprovals !== false);
    this.elicitations = new ElicitationBridge(options.elicitation === true);
    const started = startSession(options, this.settings);
    this.id = started.id;
    this.record = started.record;
    this.rolloutPath = started.record.rollout.path;
    this.emit('', this.configuredEvent(started.initialMessages));
    for (const message of [...started.warnings, ...(options.startupWarnings ?? [])])
      this.emit('', { type: 'warning', message });
    // What servers say or ask belongs to the running task, if any.
    const emitNow = (msg: EventMsg) => this.emit(this.running?.subId ?? '', msg);
    void options.lateStartupWarnings?.then((warnings) => {
      for (const message of warnings) emitNow({ type: 'warning', message });
    });
    options.mcpEvents?.attach({
      log: ({ server, level, message }) =>
        level !== 'stderr' && emitNow({ type: 'mcp_log', server, level, message }),
      elicit: (request) => this.elicitations.request(request, emitNow),
      toolsChanged: ({ server, tools }) => emitNow({ type: 'mcp_tools_changed', server, tools }),
      authorizationUrl: (server, url) =>
        emitNow({
          type: 'warning',
          message: `MCP server '${server}' asks for more access; the browser was opened to sign in (or visit ${url})`,
        }),
    });
    this.host = {
      record: this.record,
      config: this.config,
      approvals: this.approvals,
      emit: (subId, msg) => this.emit(subId, msg),
      clientFor: (s) => this.clientFor(s),
      registryFor: (s) => this.registryFor(s),
    };
  }

  /** Starts (or resumes) a session; the first event is `session_configured`. */
  static create(options: SessionOptions): Session {
    return new Session(options);
  }

  /** Queues an op and returns its submission id, which the events it causes carry. */
  submit(op: Op): string {
    const id = String(++this.nextSubmissionId);
    this.dispatch({ id, op });
    return id;
  }

  /** The next event, or undefined once the session has shut down and every event was read. */
  nextEvent(): Promise<Event | undefined> {
    return this.events.next();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Event> {
    for (;;) {
      const event = await this.events.next();
      if (!event) return;
      yield event;
    }
  }

  /** A copy of the history as the model will see it on the next request. */
  getHistory(): ResponseItem[] {
    return [...this.record.history];
  }

  /** The configured MCP servers: running (with their tools), disabled, or failed to start. */
  mcpServers(): McpServerStatus[] {
    return this.options.mcpServers?.() ?? [];
  }

  getSettings(): TurnSettings {
    return { ...this.settings };
  }

  private emit(id: string, msg: EventMsg): void {
    this.events.push({ id, msg });
  }

  private clientFor(s: TurnSettings): ModelClient {
    const key = `${s.providerId}\0${s.model}`;
    if (this.clientCache?.key !== key) {
      this.clientCache = { key, client: this.options.createClient(s, this.id) };
    }
    return this.clientCache.client;
  }

  private async registryFor(s: TurnSettings): Promise<ToolRegistry> {
    const key = JSON.stringify([
      s.model,
      s.providerId,
      s.cwd,
      s.approvalPolicy,
      s.sandboxPolicy,
      this.options.toolsVersion?.(),
    ]);
    if (this.registryCache?.key !== key) {
      const registry = new ToolRegistry(await this.options.createTools(s, configForTurn(this.config, s)));
      this.registryCache = { key, registry };
    }
    return this.registryCache.registry;
  }

  private configuredEvent(initialMessages?: InitialMessage[]): EventMsg {
    return {
      type: 'session_configured',
      session_id: this.id,
      model: this.settings.model,
      model_provider_id: this.settings.providerId,
      approval_policy: this.settings.approvalPolicy,
      sandbox_policy: this.settings.sandboxPolicy,
      cwd: this.settings.cwd,
      reasoning_effort: this.settings.effort,
      rollout_path: this.rolloutPath,
      initial_messages: initialMessages,
    };
  }

  private dispatch({ id, op }: Submission): void {
    if (this.shuttingDown) {
      this.emit(id, { type: 'error', message: `session ${this.id} is shutting down; ${op.type} ignored` });
      return;
    }
    switch (op.type) {
      case 'user_input':
        if (this.running) this.running.pendingInput.push(userInputItem(op.items));
        else this.enqueue(id, (task) => runTurn(this.host, task, this.settings, op.items));
        break;
      case 'user_turn':
        this.enqueue(id, (task) => {
          this.override(id, op);
          return runTurn(this.host, task, this.settings, op.items, op.final_output_json_schema);
        });
        break;
      case 'override_turn_context':
        this.override(id, op);
        break;
      case 'interrupt':
        this.running?.controller.abort();
        this.approvals.abortAll();
        this.elicitations.cancelAll();
        break;
      case 'elicitation_response':
        if (!this.elicitations.resolve(op.id, op.action, op.content)) {
          this.emit(id, { type: 'error', message: `no elicitation request is waiting for id "${op.id}"` });
        }
        break;
      case 'exec_approval':
      case 'patch_approval':
        if (!this.approvals.resolve(op.id, op.decision)) {
          this.emit(id, { type: 'error', message: `no approval request is waiting for id "${op.id}"` });
        }
        break;
      case 'compact':
        this.enqueue(id, (task) => runCompactTask(this.host, task, this.settings));
        break;
      case 'shutdown':
        this.shuttingDown = true;
        this.running?.controller.abort();
        this.approvals.abortAll();
        this.elicitations.cancelAll();
        this.queue = this.queue.then(async () => {
          await this.options.dispose?.().catch((err: unknown) => {
            this.emit(id, { type: 'warning', message: `cleanup at shutdown failed: ${errorMessage(err)}` });
          });
          this.record.rollout.close();
          this.emit(id, { type: 'shutdown_complete' });
          this.events.close();
        });
        break;
    }
  }

  private override(id: string, overrides: TurnContextOverrides): void {
    try {
      const previousCwd = this.settings.cwd;
      this.settings = applyOverrides(this.settings, overrides, this.config);
      if (this.settings.cwd !== previousCwd) this.options.onCwdChange?.(this.settings.cwd);
    } catch (err) {
      this.emit(id, { type: 'error', message: errorMessage(err) });
    }
  }

  /** Runs tasks one after another; a task queued before a shutdown is skipped. */
  private enqueue(subId: string, body: (task: RunningTask) => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.shuttingDown) return;
      const task: RunningTask = {
        subId,
        controller: new AbortController(),
        turnDiff: new TurnDiffTracker(this.settings.cwd),
        pendingInput: [],
      };
      this.running = task;
      try {
        await body(task);
      } finally {
        this.running = undefined;
        this.record.rollout.sync();
      }
    });
  }
}
