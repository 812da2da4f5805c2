// A conversation with the agent: front ends submit ops and read one event stream. The session owns the
// history, the rollout file, token accounting and the turn settings; turns run one at a time, while
// interrupts, approvals and setting overrides are handled as soon as they arrive. Several sessions can live
// in one process (the MCP server runs one per conversation): nothing here is global.

import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { formatProjectDocsMessage, loadProjectDocs } from '../config/project-docs.js';
import type { Config } from '../config/types.js';
import type { Event, EventMsg, InitialMessage, TokenUsageInfo } from '../protocol/events.js';
import type { JsonSchema, ResponseItem, TokenUsage } from '../protocol/models.js';
import type { Op, Submission, TurnContextOverrides, UserInputItem } from '../protocol/ops.js';
import type { ReviewDecision } from '../protocol/policy.js';
import type { ModelClient } from '../providers/types.js';
import { addTokenUsage, emptyTokenUsage } from '../providers/usage.js';
import { TurnDiffTracker } from '../tools/apply-patch/turn-diff-tracker.js';
import { ToolRegistry } from '../tools/registry.js';
import { runToolCalls } from '../tools/router.js';
import type { ApprovalRequest, ToolCall, ToolContext, ToolHandler, ToolOutput } from '../tools/types.js';
import { ApprovalBridge } from './approvals.js';
import {
  buildCompactedHistory,
  collectUserMessages,
  compactionRequest,
  DEFAULT_COMPACT_PROMPT,
} from './compact.js';
import {
  diffEnvironmentContext,
  type EnvironmentContext,
  environmentContextFor,
  environmentContextItem,
} from './environment-context.js';
import { AsyncQueue } from './event-queue.js';
import type { McpServerStatus } from './mcp-servers.js';
import { buildPrompt, initialContextItems, instructionsFor, userInputItem, userInputText } from './prompt.js';
import { collectSecrets, createRedactor } from './redact.js';
import { readRollout } from './resume.js';
import { RolloutRecorder, rolloutPathFor, type TurnContextRecord } from './rollout.js';
import { assistantText, eventsForItem, sampleResponse, toolCallOf, truncationWarning } from './sampling.js';
import { estimateTokens } from './tokens.js';
import { applyOverrides, configForTurn, settingsFromConfig, type TurnSettings } from './turn-context.js';

export const NON_INTERACTIVE_DENIAL = 'denied: no one to approve in non-interactive mode';

export type ClientFactory = (settings: TurnSettings, sessionId: string) => ModelClient;
export type ToolFactory = (settings: TurnSettings, config: Config) => ToolHandler[] | Promise<ToolHandler[]>;

export interface SessionOptions {
  config: Config;
  createClient: ClientFactory;
  /** The tools offered to the model for given settings (rebuilt when the settings change). */
  createTools: ToolFactory;
  /** Resume the session recorded in this rollout file instead of starting a new one. */
  resumePath?: string;
  /** False when nobody can answer approval requests (exec): they are denied at once, with a warning. */
  interactiveApprovals?: boolean;
  /** Recorded in the rollout: who started the session and from where. */
  originator?: string;
  source?: string;
  cliVersion?: string;
  /** Releases what the tools hold (PTY sessions…); awaited on shutdown, before `shutdown_complete`. */
  dispose?: () => Promise<void>;
  /** Problems starting the session's world (an MCP server that failed), emitted after `session_configured`. */
  startupWarnings?: string[];
  /** The session's MCP servers and their tools, for front ends to show. */
  mcpServers?: () => McpServerStatus[];
}

interface RunningTask {
  subId: string;
  controller: AbortController;
  /** What apply_patch changed in this turn; shown as turn_diff after each batch of tool calls. */
  turnDiff: TurnDiffTracker;
  lastDiff?: string;
  /** User input that arrived while the task ran; it joins the history before the next model request. */
  pendingInput: Promise<ResponseItem>[];
}

class TurnAborted extends Error {}

function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new TurnAborted());
    signal.addEventListener('abort', () => reject(new TurnAborted()), { once: true });
  });
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class Session {
  readonly id: string;
  readonly rolloutPath: string;
  private readonly events = new AsyncQueue<Event>();
  private readonly approvals = new ApprovalBridge();
  private readonly rollout: RolloutRecorder;
  private readonly shell = basename(process.env.SHELL || 'bash');
  private history: ResponseItem[];
  private settings: TurnSettings;
  /** The environment as the model last heard it; only changes to it are appended. */
  private lastEnvironment: EnvironmentContext;
  private totalUsage: TokenUsage;
  private lastUsage: TokenUsage | undefined;
  private clientCache: { key: string; client: ModelClient } | undefined;
  private registryCache: { key: string; registry: ToolRegistry } | undefined;
  private running: RunningTask | undefined;
  private queue: Promise<void> = Promise.resolve();
  private nextSubmissionId = 0;
  private shuttingDown = false;

  private constructor(private readonly options: SessionOptions) {
    const { config } = options;
    this.settings = settingsFromConfig(config);
    const redact = createRedactor(collectSecrets(config));
    const environment = environmentContextFor(this.settings, this.shell);
    if (options.resumePath) {
      const resumed = readRollout(options.resumePath);
      this.id = resumed.meta.id;
      this.history = resumed.history;
      this.totalUsage = resumed.totalUsage ?? emptyTokenUsage();
      const last = resumed.lastTurnContext;
      this.lastEnvironment = last
        ? environmentContextFor(
            { cwd: last.cwd, approvalPolicy: last.approval_policy, sandboxPolicy: last.sandbox_policy },
            this.shell,
          )
        : {};
      this.rollout = RolloutRecorder.resume(options.resumePath, redact);
      this.emit('', this.configuredEvent(resumed.initialMessages));
      for (const warning of resumed.warnings) this.emit('', { type: 'warning', message: warning });
    } else {
      this.id = randomUUID();
      const now = new Date();
      this.rollout = RolloutRecorder.create(
        rolloutPathFor(config.conduitHome, this.id, now),
        {
          id: this.id,
          timestamp: now.toISOString(),
          cwd: config.cwd,
          originator: options.originator ?? 'conduit',
          cli_version: options.cliVersion ?? 'unknown',
          instructions: config.baseInstructionsOverride,
          source: options.source ?? 'library',
          model_provider: config.modelProviderId,
        },
        redact,
      );
      this.history = [];
      this.totalUsage = emptyTokenUsage();
      this.lastEnvironment = environment;
      const docs = loadProjectDocs({
        cwd: config.cwd,
        conduitHome: config.conduitHome,
        maxBytes: config.projectDocMaxBytes,
        fallbackFilenames: config.projectDocFallbackFilenames,
      });
      const initial = initialContextItems({
        developerInstructions: config.developerInstructions,
        projectDocMessage: docs ? formatProjectDocsMessage(config.cwd, docs) : undefined,
        environment,
      });
      for (const item of initial) this.recordItem(item);
      this.emit('', this.configuredEvent());
    }
    for (const message of options.startupWarnings ?? []) this.emit('', { type: 'warning', message });
    this.rolloutPath = this.rollout.path;
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
    return [...this.history];
  }

  /** The configured MCP servers: running (with their tools), disabled, or failed to start. */
  mcpServers(): McpServerStatus[] {
    return this.options.mcpServers?.() ?? [];
  }

  getSettings(): TurnSettings {
    return { ...this.settings };
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
      rollout_path: this.rollout?.path,
      initial_messages: initialMessages,
    };
  }

  private emit(id: string, msg: EventMsg): void {
    this.events.push({ id, msg });
  }

  private dispatch({ id, op }: Submission): void {
    if (this.shuttingDown) {
      this.emit(id, { type: 'error', message: `session ${this.id} is shutting down; ${op.type} ignored` });
      return;
    }
    switch (op.type) {
      case 'user_input':
        if (this.running) this.running.pendingInput.push(userInputItem(op.items));
        else this.enqueue(id, (task) => this.runTurn(task, op.items));
        break;
      case 'user_turn':
        this.enqueue(id, (task) => {
          this.override(id, op);
          return this.runTurn(task, op.items, op.final_output_json_schema);
        });
        break;
      case 'override_turn_context':
        this.override(id, op);
        break;
      case 'interrupt':
        this.running?.controller.abort();
        this.approvals.abortAll();
        break;
      case 'exec_approval':
      case 'patch_approval':
        if (!this.approvals.resolve(op.id, op.decision)) {
          this.emit(id, { type: 'error', message: `no approval request is waiting for id "${op.id}"` });
        }
        break;
      case 'compact':
        this.enqueue(id, (task) => this.runCompactTask(task));
        break;
      case 'shutdown':
        this.shuttingDown = true;
        this.running?.controller.abort();
        this.approvals.abortAll();
        this.queue = this.queue.then(async () => {
          await this.options.dispose?.().catch((err: unknown) => {
            this.emit(id, { type: 'warning', message: `cleanup at shutdown failed: ${errorMessage(err)}` });
          });
          this.rollout.close();
          this.emit(id, { type: 'shutdown_complete' });
          this.events.close();
        });
        break;
    }
  }

  private override(id: string, overrides: TurnContextOverrides): void {
    try {
      this.settings = applyOverrides(this.settings, overrides, this.options.config);
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
        this.rollout.sync();
      }
    });
  }

  // ---- recording ----

  private recordItem(item: ResponseItem): void {
    this.history.push(item);
    this.rollout.record({ type: 'response_item', payload: item });
  }

  private recordEventMsg(msg: EventMsg): void {
    this.rollout.record({ type: 'event_msg', payload: msg });
  }

  private recordTurnContext(s: TurnSettings): void {
    const payload: TurnContextRecord = {
      cwd: s.cwd,
      approval_policy: s.approvalPolicy,
      sandbox_policy: s.sandboxPolicy,
      model: s.model,
      model_provider: s.providerId,
      effort: s.effort,
      summary: s.summary,
    };
    this.rollout.record({ type: 'turn_context', payload });
  }

  private recordEnvironmentChange(s: TurnSettings): void {
    const next = environmentContextFor(s, this.shell);
    const changed = diffEnvironmentContext(this.lastEnvironment, next);
    if (changed) this.recordItem(environmentContextItem(changed));
    this.lastEnvironment = next;
  }

  private recordUsage(subId: string, s: TurnSettings, usage: TokenUsage | undefined): void {
    this.lastUsage = usage;
    if (!usage) return;
    this.totalUsage = addTokenUsage(this.totalUsage, usage);
    const info: TokenUsageInfo = {
      total_token_usage: this.totalUsage,
      last_token_usage: usage,
      model_context_window: s.family.contextWindow,
    };
    const msg: EventMsg = { type: 'token_count', info };
    this.emit(subId, msg);
    this.recordEventMsg(msg);
  }

  // ---- model and tools for the current settings ----

  private clientFor(s: TurnSettings): ModelClient {
    const key = `${s.providerId}\0${s.model}`;
    if (this.clientCache?.key !== key) {
      this.clientCache = { key, client: this.options.createClient(s, this.id) };
    }
    return this.clientCache.client;
  }

  private async registryFor(s: TurnSettings): Promise<ToolRegistry> {
    const key = JSON.stringify([s.model, s.providerId, s.cwd, s.approvalPolicy, s.sandboxPolicy]);
    if (this.registryCache?.key !== key) {
      const registry = new ToolRegistry(
        await this.options.createTools(s, configForTurn(this.options.config, s)),
      );
      this.registryCache = { key, registry };
    }
    return this.registryCache.registry;
  }

  // ---- turns ----

  private async runTurn(task: RunningTask, input: UserInputItem[], outputSchema?: JsonSchema): Promise<void> {
    const { subId, controller } = task;
    const s = this.settings;
    this.emit(subId, { type: 'task_started', model_context_window: s.family.contextWindow });
    let lastAgentMessage: string | undefined;
    try {
      this.recordEnvironmentChange(s);
      await this.recordUserInput(subId, input);
      for (;;) {
        for (const pending of task.pendingInput.splice(0)) this.recordItem(await pending);
        const result = await this.sampleAndRunTools(task, s, outputSchema);
        lastAgentMessage = result.lastAgentMessage ?? lastAgentMessage;
        if (this.contextLimitReached(s)) {
          await this.compact(subId, s, controller.signal, true);
          // Compacting again would summarise the summary forever; better to stop and say why.
          if (this.contextLimitReached(s)) {
            throw new Error(
              `the conversation is still over model_auto_compact_token_limit (${s.autoCompactTokenLimit} tokens) after compaction`,
            );
          }
        }
        if (!result.needsFollowUp && task.pendingInput.length === 0) break;
      }
      this.emit(subId, { type: 'task_complete', last_agent_message: lastAgentMessage });
    } catch (err) {
      this.endFailedTask(subId, controller.signal, err);
    }
  }

  private async recordUserInput(subId: string, input: UserInputItem[]): Promise<void> {
    this.recordItem(await userInputItem(input));
    const images = input.flatMap((part) =>
      part.type === 'image' ? [part.image_url] : part.type === 'local_image' ? [part.path] : [],
    );
    const msg: EventMsg = {
      type: 'user_message',
      message: userInputText(input),
      images: images.length ? images : undefined,
    };
    this.emit(subId, msg);
    this.recordEventMsg(msg);
  }

  private endFailedTask(subId: string, signal: AbortSignal, err: unknown): void {
    if (
      signal.aborted ||
      err instanceof TurnAborted ||
      (err instanceof Error && err.name === 'TurnAbortedError')
    ) {
      const msg: EventMsg = { type: 'turn_aborted', reason: 'interrupted' };
      this.emit(subId, msg);
      this.recordEventMsg(msg);
      return;
    }
    this.emit(subId, { type: 'error', message: errorMessage(err) });
    this.emit(subId, { type: 'task_complete' });
  }

  private contextLimitReached(s: TurnSettings): boolean {
    if (s.autoCompactTokenLimit === undefined) return false;
    const used = this.lastUsage?.total_tokens ?? estimateTokens(this.history);
    return used >= s.autoCompactTokenLimit;
  }

  /** One model request and the tools it called. */
  private async sampleAndRunTools(
    task: RunningTask,
    s: TurnSettings,
    outputSchema: JsonSchema | undefined,
  ): Promise<{ needsFollowUp: boolean; lastAgentMessage?: string }> {
    const { subId, controller } = task;
    const registry = await this.registryFor(s);
    this.recordTurnContext(s);
    const prompt = buildPrompt({
      instructions: instructionsFor(this.options.config.baseInstructionsOverride),
      history: this.history,
      tools: registry.specs(),
      parallelToolCalls: s.family.supportsParallelToolCalls,
      outputSchema,
    });
    const response = await sampleResponse(
      this.clientFor(s),
      prompt,
      { model: s.model, reasoningEffort: s.effort, reasoningSummary: s.summary, verbosity: s.verbosity },
      controller.signal,
      (msg) => this.emit(subId, msg),
    );
    let lastAgentMessage: string | undefined;
    const calls: ToolCall[] = [];
    // A cut answer keeps its text; a tool call in it may be cut mid-arguments and must not run.
    const items = response.incomplete
      ? response.items.filter((item) => toolCallOf(item) === undefined)
      : response.items;
    for (const item of items) {
      this.recordItem(item);
      for (const msg of eventsForItem(item)) this.recordEventMsg(msg);
      lastAgentMessage = assistantText(item) ?? lastAgentMessage;
      const call = toolCallOf(item);
      if (call) calls.push(call);
    }
    this.recordUsage(subId, s, response.usage);
    if (response.incomplete) {
      const msg: EventMsg = { type: 'warning', message: truncationWarning(response.incomplete.reason) };
      this.emit(subId, msg);
      this.recordEventMsg(msg);
      return { needsFollowUp: false, lastAgentMessage };
    }
    if (calls.length === 0) return { needsFollowUp: false, lastAgentMessage };
    await this.runTools(task, s, registry, calls);
    const diff = await task.turnDiff.unifiedDiff();
    if (diff && diff !== task.lastDiff) {
      task.lastDiff = diff;
      this.emit(subId, { type: 'turn_diff', unified_diff: diff });
    }
    return { needsFollowUp: true, lastAgentMessage };
  }

  private async runTools(
    task: RunningTask,
    s: TurnSettings,
    registry: ToolRegistry,
    calls: ToolCall[],
  ): Promise<void> {
    const { signal } = task.controller;
    const unanswered = new Map(calls.map((call) => [call.callId, call]));
    const deniedUnattended = new Set<string>();
    const record = (call: ToolCall, output: ToolOutput) => {
      if (!unanswered.delete(call.callId)) return;
      let payload = output.output;
      if (deniedUnattended.has(call.callId) && typeof payload === 'string')
        payload = `${NON_INTERACTIVE_DENIAL}\n${payload}`;
      this.recordItem(this.outputItem(call, payload));
    };
    const contextFor = (call: ToolCall): ToolContext => ({
      callId: call.callId,
      turnId: task.subId,
      cwd: s.cwd,
      config: configForTurn(this.options.config, s),
      approvalPolicy: s.approvalPolicy,
      sandboxPolicy: s.sandboxPolicy,
      shellEnvironmentPolicy: this.options.config.shellEnvironmentPolicy,
      signal,
      emit: (event) => this.emit(task.subId, event),
      requestApproval: (request) =>
        this.requestApproval(task.subId, request, () => deniedUnattended.add(call.callId)),
      turnDiff: task.turnDiff,
    });
    try {
      await Promise.race([
        runToolCalls(registry, calls, contextFor, (call, output) => {
          if (!signal.aborted) record(call, output);
        }),
        abortPromise(signal),
      ]);
    } finally {
      // Every call needs an output in history, or the next request is refused by the server.
      for (const call of [...unanswered.values()])
        record(call, { output: 'aborted: the user interrupted the turn', success: false });
    }
  }

  private outputItem(call: ToolCall, output: ToolOutput['output']): ResponseItem {
    if (call.kind === 'custom') {
      const text =
        typeof output === 'string'
          ? output
          : output.map((p) => (p.type === 'input_text' ? p.text : '')).join('');
      return { type: 'custom_tool_call_output', call_id: call.callId, output: text };
    }
    return { type: 'function_call_output', call_id: call.callId, output };
  }

  private requestApproval(
    subId: string,
    request: ApprovalRequest,
    onUnattended: () => void,
  ): Promise<ReviewDecision> {
    if (this.options.interactiveApprovals === false) {
      onUnattended();
      const what = request.kind === 'exec' ? `command ${request.command.join(' ')}` : 'patch';
      this.emit(subId, { type: 'warning', message: `${NON_INTERACTIVE_DENIAL} (${what})` });
      return Promise.resolve('denied');
    }
    if (request.kind === 'exec') {
      this.emit(subId, {
        type: 'exec_approval_request',
        call_id: request.callId,
        command: request.command,
        cwd: request.cwd,
        reason: request.reason,
        session_scope: request.sessionScope,
      });
    } else {
      this.emit(subId, {
        type: 'apply_patch_approval_request',
        call_id: request.callId,
        changes: request.changes,
        reason: request.reason,
        grant_root: request.grantRoot,
      });
    }
    return this.approvals.wait(request.callId);
  }

  // ---- compaction ----

  private async runCompactTask(task: RunningTask): Promise<void> {
    const s = this.settings;
    this.emit(task.subId, { type: 'task_started', model_context_window: s.family.contextWindow });
    try {
      await this.compact(task.subId, s, task.controller.signal, false);
      this.emit(task.subId, { type: 'task_complete' });
    } catch (err) {
      this.endFailedTask(task.subId, task.controller.signal, err);
    }
  }

  /** Asks the model for a summary and replaces the history with the initial context, recent user messages and it. */
  private async compact(subId: string, s: TurnSettings, signal: AbortSignal, auto: boolean): Promise<void> {
    const request = compactionRequest(
      this.history,
      this.options.config.compactPrompt ?? DEFAULT_COMPACT_PROMPT,
    );
    const prompt = buildPrompt({
      instructions: instructionsFor(this.options.config.baseInstructionsOverride),
      history: request,
      tools: [],
      parallelToolCalls: false,
    });
    // The summary is internal: its deltas and items are not shown as agent messages.
    const response = await sampleResponse(
      this.clientFor(s),
      prompt,
      { model: s.model, reasoningEffort: s.effort, reasoningSummary: s.summary, verbosity: s.verbosity },
      signal,
      () => {},
    );
    const summary = response.items
      .map((item) => assistantText(item) ?? '')
      .join('')
      .trim();
    if (!summary) throw new Error('compaction failed: the model returned no summary');
    if (response.usage) this.totalUsage = addTokenUsage(this.totalUsage, response.usage);
    const environment = environmentContextFor(s, this.shell);
    const initial = this.history
      .filter((item) => item.type === 'message' && item.role === 'developer')
      .slice(0, 1);
    const replacement = buildCompactedHistory(
      [...initial, ...this.projectDocItems(), environmentContextItem(environment)],
      collectUserMessages(this.history),
      summary,
    );
    this.history = replacement;
    this.lastEnvironment = environment;
    this.lastUsage = undefined;
    this.rollout.record({
      type: 'compacted',
      payload: { message: summary, replacement_history: replacement },
    });
    const msg: EventMsg = { type: 'context_compacted', auto };
    this.emit(subId, msg);
    this.recordEventMsg(msg);
  }

  /** The AGENTS.md message from the current history, kept through compaction. */
  private projectDocItems(): ResponseItem[] {
    return this.history
      .filter(
        (item) =>
          item.type === 'message' &&
          item.role === 'user' &&
          item.content.some(
            (part) => part.type === 'input_text' && part.text.startsWith('# AGENTS.md instructions for '),
          ),
      )
      .slice(0, 1);
  }
}
