// One ACP session over one core Session. A pump reads the core's events for the session's whole life and
// turns them into `session/update`s, sent strictly in order; approval requests become permission requests
// (after their pending `tool_call`, so editors show them, zed#52782); a prompt resolves when its task ends.
// Cancelling interrupts the turn, withdraws open permission requests and answers the prompt `cancelled`.

import { readFile } from 'node:fs/promises';
import type {
  AgentContext,
  ClientCapabilities,
  PromptResponse,
  SessionConfigOption,
  SessionModeState,
  SessionUpdate,
  StopReason,
  ToolCallContent,
} from '@agentclientprotocol/sdk';
import { RequestError } from '@agentclientprotocol/sdk';
import type {
  Config,
  Event,
  EventMsg,
  InitialMessage,
  PlannedFile,
  Session,
  TokenUsageInfo,
  TurnContextOverrides,
  TurnContextRecord,
  UserInputItem,
} from '../../index.js';
import { diffsForChanges, diffsForFiles, type FileReader } from './diffs.js';
import { askEditor } from './elicitation.js';
import {
  CONFIGURED_MODE,
  configOptions,
  EFFORT_OPTION,
  effortOverrides,
  MODE_OPTION,
  MODEL_OPTION,
  type ModelChoice,
  modeOverrides,
  modeState,
  presetIdFor,
  type SessionChoices,
} from './modes.js';
import { askPermission } from './permissions.js';
import { diffText, statusText } from './slash-commands.js';
import { truncationStopReason, turnErrorOutcome } from './turn-end.js';
import { UpdateMapper } from './updates.js';

interface ActiveTurn {
  subId: string;
  cancelled: boolean;
  error?: string;
  /** The answer was cut short by the server (max_tokens / refusal) but the turn ended normally. */
  cutShort?: StopReason;
  /** Aborted when the turn ends or is cancelled: open permission requests are withdrawn. */
  controller: AbortController;
  settle(outcome: { stopReason: StopReason } | { error: RequestError }): void;
}

export interface AcpSessionOptions {
  client: AgentContext;
  capabilities: ClientCapabilities | undefined;
  config: Config;
  models: ModelChoice[];
  choices: SessionChoices;
}

export class AcpSession {
  private core!: Session;
  private readonly mapper: UpdateMapper;
  private turn: ActiveTurn | undefined;
  /** Updates wait for `opened()`: the core's first events (MCP start-up warnings) precede the session/new reply. */
  private sending: Promise<void>;
  readonly opened: () => void;
  private pumpDone: Promise<void> = Promise.resolve();
  private readonly written = new Map<string, PlannedFile[]>();
  /** Calls whose `tool_call` is queued, for updates made outside the pump (an editor terminal). */
  private readonly announced = new Map<string, () => void>();
  private readonly announcedWaits = new Map<string, Promise<void>>();
  /** Each turn's diff (the last `turn_diff` of a turn covers all of it), for /diff. */
  private readonly turnDiffs = new Map<string, string>();
  private usage: TokenUsageInfo | undefined;
  private closed = false;

  constructor(private readonly options: AcpSessionOptions) {
    let opened!: () => void;
    this.sending = new Promise((resolve) => {
      opened = resolve;
    });
    this.opened = opened;
    this.mapper = new UpdateMapper({ notices: Boolean(options.capabilities?.session?.notices) });
  }

  /** Attaches the core session (made after this object, since its tools call back into it) and starts the pump. */
  attach(core: Session): void {
    this.core = core;
    this.pumpDone = this.pump();
  }

  get id(): string {
    return this.core.id;
  }

  /** Reads files for diffs the way patches read them: the editor's buffers when it offers them. */
  readonly readFile: FileReader = async (path) => {
    if (this.options.capabilities?.fs?.readTextFile) {
      const { content } = await this.options.client.request('fs/read_text_file', {
        sessionId: this.id,
        path,
      });
      return content;
    }
    return readFile(path, 'utf8');
  };

  /** The patch tool wrote these files for `callId` (their diffs go out with patch_apply_end). */
  recordWritten(callId: string, files: PlannedFile[]): void {
    this.written.set(callId, files);
  }

  /** Shows an editor terminal in its command's tool call, once that tool call is out. */
  async showTerminal(callId: string, terminalId: string): Promise<void> {
    await this.announcedWait(callId);
    this.send(this.mapper.attachTerminal(callId, terminalId));
  }

  modes(): SessionModeState {
    const { config } = this.options;
    return modeState(this.options.choices.mode, {
      policy: config.approvalPolicy,
      sandbox: config.sandboxMode,
    });
  }

  configOptions(): SessionConfigOption[] {
    return configOptions(this.options.choices, this.modes(), this.options.models);
  }

  send(update: SessionUpdate): void {
    const { client } = this.options;
    this.sending = this.sending.then(() =>
      client.notify('session/update', { sessionId: this.id, update }).catch(() => {
        // The client is gone: nothing more can be shown; the connection's end stops the session.
      }),
    );
  }

  /** Resolves once every update queued so far has been written. */
  flush(): Promise<void> {
    return this.sending;
  }

  /** Sends a resumed session's conversation as user/agent/thought chunks. */
  replay(messages: InitialMessage[]): void {
    for (const message of messages) {
      if (message.type === 'user_message')
        this.send({ sessionUpdate: 'user_message_chunk', content: { type: 'text', text: message.message } });
      else if (message.type === 'agent_message')
        this.send({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: message.message } });
      else this.send({ sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: message.text } });
    }
  }

  /** Applies settings without a turn (a mode, a model, restored settings of a loaded session). */
  override(overrides: TurnContextOverrides): void {
    this.core.submit({ type: 'override_turn_context', ...overrides });
  }

  /**
   * Re-applies the approval mode, sandbox and model a saved session last ran with (opencode#9828), as far
   * as the config allows. The directory is the one the editor loads it in.
   */
  restore(last: TurnContextRecord): void {
    const overrides: TurnContextOverrides = {
      approval_policy: last.approval_policy,
      sandbox_policy: last.sandbox_policy,
    };
    const model = this.options.models.find(
      (m) => m.model === last.model && m.provider === last.model_provider,
    );
    if (model) {
      overrides.model = model.model;
      overrides.model_provider = model.provider;
      this.options.choices.model = model.value;
    }
    this.override(overrides);
    this.options.choices.mode = presetIdFor(last.approval_policy, last.sandbox_policy.type);
  }

  setMode(modeId: string): void {
    const { config } = this.options;
    const overrides = modeOverrides(modeId, {
      policy: config.approvalPolicy,
      sandboxPolicy: config.sandboxPolicy,
    });
    if (
      !overrides ||
      (modeId === CONFIGURED_MODE && !this.modes().availableModes.some((m) => m.id === modeId))
    )
      throw RequestError.invalidParams({ modeId }, `unknown mode "${modeId}"`);
    this.override(overrides);
    this.options.choices.mode = modeId;
    this.send({ sessionUpdate: 'current_mode_update', currentModeId: modeId });
  }

  setConfigOption(configId: string, value: string): SessionConfigOption[] {
    if (configId === MODE_OPTION) {
      this.setMode(value);
    } else if (configId === MODEL_OPTION) {
      const choice = this.options.models.find((m) => m.value === value);
      if (!choice) throw RequestError.invalidParams({ value }, `unknown model choice "${value}"`);
      this.override({ model: choice.model, model_provider: choice.provider });
      this.options.choices.model = value;
    } else if (configId === EFFORT_OPTION) {
      const overrides = effortOverrides(value);
      if (!overrides) throw RequestError.invalidParams({ value }, `unknown reasoning effort "${value}"`);
      this.override(overrides);
      this.options.choices.effort = value;
    } else {
      throw RequestError.invalidParams({ configId }, `unknown config option "${configId}"`);
    }
    return this.configOptions();
  }

  /** Runs one prompt turn (or a slash command) to its end. */
  async prompt(items: UserInputItem[] | { command: string }, signal: AbortSignal): Promise<PromptResponse> {
    if (this.turn)
      throw RequestError.invalidRequest(
        { sessionId: this.id },
        'a prompt is already running in this session',
      );
    if (this.closed) throw RequestError.invalidRequest({ sessionId: this.id }, 'the session is closed');
    if (!Array.isArray(items) && items.command !== 'compact') return this.localCommand(items.command);
    const subId = this.core.submit(
      Array.isArray(items) ? { type: 'user_input', items } : { type: 'compact' },
    );
    let onAbort = () => {};
    const outcome = await new Promise<{ stopReason: StopReason } | { error: RequestError }>((settle) => {
      const turn: ActiveTurn = { subId, cancelled: false, controller: new AbortController(), settle };
      this.turn = turn;
      // `$/cancel_request` for this prompt (or the connection closing) cancels this turn, not a later one.
      onAbort = () => {
        if (this.turn === turn) this.cancel();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
    });
    signal.removeEventListener('abort', onAbort);
    await this.flush();
    if ('error' in outcome) throw outcome.error;
    const usage = this.usage?.total_token_usage;
    return { stopReason: outcome.stopReason, ...(usage && { _meta: { usage } }) };
  }

  cancel(): void {
    const turn = this.turn;
    if (!turn || turn.cancelled) return;
    turn.cancelled = true;
    turn.controller.abort();
    this.core.submit({ type: 'interrupt' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancel();
    this.core.submit({ type: 'shutdown' });
    await this.pumpDone;
  }

  private async localCommand(command: string): Promise<PromptResponse> {
    const text =
      command === 'status'
        ? statusText(this.core.id, this.core.getSettings(), this.options.choices.mode, this.usage)
        : diffText([...this.turnDiffs.values()]);
    this.send({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text } });
    await this.flush();
    return { stopReason: 'end_turn' };
  }

  private async pump(): Promise<void> {
    for (;;) {
      const event = await this.core.nextEvent();
      if (!event) break;
      try {
        await this.handle(event);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.send({
          sessionUpdate: 'agent_thought_chunk',
          content: { type: 'text', text: `\n⚠ ${message}\n` },
        });
      }
    }
    this.turn?.settle({ error: RequestError.internalError(undefined, 'the session shut down') });
    this.turn = undefined;
  }

  private async handle(event: Event): Promise<void> {
    const { msg } = event;
    if (msg.type === 'turn_diff') this.turnDiffs.set(event.id, msg.unified_diff);
    if (msg.type === 'token_count') this.usage = msg.info;
    let diffs: ToolCallContent[] | undefined;
    if (msg.type === 'apply_patch_approval_request')
      diffs = await diffsForChanges(msg.changes, this.readFile);
    if (msg.type === 'patch_apply_end') {
      diffs = diffsForFiles(this.written.get(msg.call_id) ?? []);
      this.written.delete(msg.call_id);
    }
    const updates = this.mapper.map(msg, diffs);
    for (const update of updates) this.send(update);
    const callId = 'call_id' in msg ? msg.call_id : undefined;
    if (callId && this.mapper.announced(callId)) this.markAnnounced(callId);
    if (msg.type === 'elicitation_request') void this.askElicitation(msg);
    if (msg.type === 'exec_approval_request' || msg.type === 'apply_patch_approval_request') {
      const call = updates.find((u) => u.sessionUpdate === 'tool_call');
      void this.askPermission(msg, call);
    }
    this.endTurnOn(event);
  }

  private endTurnOn({ id, msg }: Event): void {
    const turn = this.turn;
    if (!turn || id !== turn.subId) {
      if (msg.type === 'error') this.send(this.errorChunk(msg.message));
      return;
    }
    if (msg.type === 'error') turn.error = msg.message;
    if (msg.type === 'warning') turn.cutShort = truncationStopReason(msg.message) ?? turn.cutShort;
    if (msg.type !== 'task_complete' && msg.type !== 'turn_aborted') return;
    this.turn = undefined;
    turn.controller.abort();
    if (turn.cancelled || msg.type === 'turn_aborted') turn.settle({ stopReason: 'cancelled' });
    else if (turn.error !== undefined) turn.settle(turnErrorOutcome(turn.error));
    else turn.settle({ stopReason: turn.cutShort ?? 'end_turn' });
  }

  private errorChunk(message: string): SessionUpdate {
    return {
      sessionUpdate: 'agent_message_chunk',
      content: { type: 'text', text: `\n**Error:** ${message}\n` },
    };
  }

  private async askPermission(
    msg: Extract<EventMsg, { type: 'exec_approval_request' | 'apply_patch_approval_request' }>,
    call: SessionUpdate | undefined,
  ): Promise<void> {
    const turn = this.turn;
    const signal = turn?.controller.signal;
    const kind = msg.type === 'exec_approval_request' ? 'exec' : 'patch';
    const described = call?.sessionUpdate === 'tool_call' ? { title: call.title, kind: call.kind } : {};
    await this.flush();
    const toolCall = { toolCallId: msg.call_id, status: 'pending' as const, ...described };
    const answer = await askPermission(this.options.client, this.id, kind, toolCall, signal);
    // A withdrawn request (the turn was cancelled or ended) has nobody waiting for its answer.
    if (signal?.aborted) return;
    if (answer.problem) this.send(this.errorChunk(`${answer.problem}; treated as "${answer.decision}"`));
    this.core.submit({
      type: kind === 'exec' ? 'exec_approval' : 'patch_approval',
      id: msg.call_id,
      decision: answer.decision,
    });
  }

  private async askElicitation(msg: Extract<EventMsg, { type: 'elicitation_request' }>): Promise<void> {
    const { client, capabilities } = this.options;
    await this.flush();
    const signal = this.turn?.controller.signal;
    const { answer, problem } = await askEditor(client, msg, this.id, capabilities, signal);
    if (problem) this.send(this.errorChunk(`MCP server ${msg.server} asked for input: ${problem}; declined`));
    this.core.submit(answer);
  }

  private markAnnounced(callId: string): void {
    const resolve = this.announced.get(callId);
    if (resolve) {
      resolve();
      this.announced.delete(callId);
    } else if (!this.announcedWaits.has(callId)) {
      this.announcedWaits.set(callId, Promise.resolve());
    }
  }

  private announcedWait(callId: string): Promise<void> {
    let wait = this.announcedWaits.get(callId);
    if (!wait) {
      wait = new Promise<void>((resolve) => this.announced.set(callId, resolve));
      this.announcedWaits.set(callId, wait);
    }
    return wait;
  }
}
