// One task of a session, run to its end: a turn (model request → tool calls → model request … until the
// model answers without calling tools) or a compaction. Tools get one context per call, their approval
// requests go through the session's ApprovalBridge, and every call gets an output in history even when
// the turn is interrupted (the next request would be refused otherwise).

import type { Config } from '../config/types.js';
import type { EventMsg } from '../protocol/events.js';
import type { JsonSchema, ResponseItem } from '../protocol/models.js';
import type { UserInputItem } from '../protocol/ops.js';
import type { ModelClient } from '../providers/types.js';
import type { TurnDiffTracker } from '../tools/apply-patch/turn-diff-tracker.js';
import { TurnAbortedError } from '../tools/approval/errors.js';
import type { ToolRegistry } from '../tools/registry.js';
import { runToolCalls } from '../tools/router.js';
import type { ToolCall, ToolContext, ToolOutput, TurnContext } from '../tools/types.js';
import { type ApprovalBridge, NON_INTERACTIVE_DENIAL } from './approvals.js';
import { compactConversation } from './compact.js';
import { buildPrompt, instructionsFor, userInputItem, userInputText } from './prompt.js';
import type { SessionRecord } from './record.js';
import { assistantText, eventsForItem, sampleResponse, toolCallOf, truncationWarning } from './sampling.js';
import type { TurnSettings } from './turn-context.js';

export interface RunningTask {
  subId: string;
  controller: AbortController;
  /** What apply_patch changed in this turn; shown as turn_diff after each batch of tool calls. */
  turnDiff: TurnDiffTracker;
  lastDiff?: string;
  /** User input that arrived while the task ran; it joins the history before the next model request. */
  pendingInput: Promise<ResponseItem>[];
}

/** What a task needs of its session. */
export interface TurnHost {
  readonly record: SessionRecord;
  readonly config: Config;
  readonly approvals: ApprovalBridge;
  emit(subId: string, msg: EventMsg): void;
  clientFor(s: TurnSettings): ModelClient;
  registryFor(s: TurnSettings): Promise<ToolRegistry>;
}

function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new TurnAbortedError());
    signal.addEventListener('abort', () => reject(new TurnAbortedError()), { once: true });
  });
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Emits the event and records it in the rollout. */
function emitRecorded(host: TurnHost, subId: string, msg: EventMsg): void {
  host.emit(subId, msg);
  host.record.recordEventMsg(msg);
}

export async function runTurn(
  host: TurnHost,
  task: RunningTask,
  s: TurnSettings,
  input: UserInputItem[],
  outputSchema?: JsonSchema,
): Promise<void> {
  const { subId, controller } = task;
  // What the tools run under, computed once for the whole turn.
  const turn: TurnContext = {
    turnId: subId,
    cwd: s.cwd,
    approvalPolicy: s.approvalPolicy,
    sandboxPolicy: s.sandboxPolicy,
    shellEnvironmentPolicy: host.config.shellEnvironmentPolicy,
  };
  host.emit(subId, { type: 'task_started', model_context_window: s.family.contextWindow });
  let lastAgentMessage: string | undefined;
  try {
    host.record.recordEnvironmentChange(s);
    await recordUserInput(host, subId, input);
    for (;;) {
      for (const pending of task.pendingInput.splice(0)) host.record.recordItem(await pending);
      const result = await sampleAndRunTools(host, task, s, turn, outputSchema);
      lastAgentMessage = result.lastAgentMessage ?? lastAgentMessage;
      if (contextLimitReached(host, s)) {
        await compact(host, subId, s, controller.signal, true);
        // Compacting again would summarise the summary forever; better to stop and say why.
        if (contextLimitReached(host, s)) {
          throw new Error(
            `the conversation is still over model_auto_compact_token_limit (${s.autoCompactTokenLimit} tokens) after compaction`,
          );
        }
      }
      if (!result.needsFollowUp && task.pendingInput.length === 0) break;
    }
    host.emit(subId, { type: 'task_complete', last_agent_message: lastAgentMessage });
  } catch (err) {
    endFailedTask(host, subId, controller.signal, err);
  }
}

export async function runCompactTask(host: TurnHost, task: RunningTask, s: TurnSettings): Promise<void> {
  host.emit(task.subId, { type: 'task_started', model_context_window: s.family.contextWindow });
  try {
    await compact(host, task.subId, s, task.controller.signal, false);
    host.emit(task.subId, { type: 'task_complete' });
  } catch (err) {
    endFailedTask(host, task.subId, task.controller.signal, err);
  }
}

async function compact(
  host: TurnHost,
  subId: string,
  s: TurnSettings,
  signal: AbortSignal,
  auto: boolean,
): Promise<void> {
  await compactConversation(host.record, host.clientFor(s), host.config, s, signal);
  emitRecorded(host, subId, { type: 'context_compacted', auto });
}

async function recordUserInput(host: TurnHost, subId: string, input: UserInputItem[]): Promise<void> {
  host.record.recordItem(await userInputItem(input));
  const images = input.flatMap((part) =>
    part.type === 'image' ? [part.image_url] : part.type === 'local_image' ? [part.path] : [],
  );
  emitRecorded(host, subId, {
    type: 'user_message',
    message: userInputText(input),
    images: images.length ? images : undefined,
  });
}

function endFailedTask(host: TurnHost, subId: string, signal: AbortSignal, err: unknown): void {
  if (signal.aborted || err instanceof TurnAbortedError) {
    emitRecorded(host, subId, { type: 'turn_aborted', reason: 'interrupted' });
    return;
  }
  host.emit(subId, { type: 'error', message: errorMessage(err) });
  host.emit(subId, { type: 'task_complete' });
}

function contextLimitReached(host: TurnHost, s: TurnSettings): boolean {
  if (s.autoCompactTokenLimit === undefined) return false;
  return host.record.contextTokens() >= s.autoCompactTokenLimit;
}

/** One model request and the tools it called. */
async function sampleAndRunTools(
  host: TurnHost,
  task: RunningTask,
  s: TurnSettings,
  turn: TurnContext,
  outputSchema: JsonSchema | undefined,
): Promise<{ needsFollowUp: boolean; lastAgentMessage?: string }> {
  const { subId, controller } = task;
  const { record } = host;
  const registry = await host.registryFor(s);
  record.recordTurnContext(s);
  const prompt = buildPrompt({
    instructions: instructionsFor(host.config.baseInstructionsOverride),
    history: record.history,
    tools: registry.specs(),
    parallelToolCalls: s.family.supportsParallelToolCalls,
    outputSchema,
  });
  const response = await sampleResponse(
    host.clientFor(s),
    prompt,
    { model: s.model, reasoningEffort: s.effort, reasoningSummary: s.summary, verbosity: s.verbosity },
    controller.signal,
    (msg) => host.emit(subId, msg),
  );
  let lastAgentMessage: string | undefined;
  const calls: ToolCall[] = [];
  // A cut answer keeps its text; a tool call in it may be cut mid-arguments and must not run.
  const items = response.incomplete
    ? response.items.filter((item) => toolCallOf(item) === undefined)
    : response.items;
  for (const item of items) {
    record.recordItem(item);
    for (const msg of eventsForItem(item)) record.recordEventMsg(msg);
    lastAgentMessage = assistantText(item) ?? lastAgentMessage;
    const call = toolCallOf(item);
    if (call) calls.push(call);
  }
  const info = record.recordUsage(response.usage, s.family.contextWindow);
  if (info) emitRecorded(host, subId, { type: 'token_count', info });
  if (response.incomplete) {
    emitRecorded(host, subId, { type: 'warning', message: truncationWarning(response.incomplete.reason) });
    return { needsFollowUp: false, lastAgentMessage };
  }
  if (calls.length === 0) return { needsFollowUp: false, lastAgentMessage };
  await runTools(host, task, turn, registry, calls);
  const diff = await task.turnDiff.unifiedDiff();
  if (diff && diff !== task.lastDiff) {
    task.lastDiff = diff;
    host.emit(subId, { type: 'turn_diff', unified_diff: diff });
  }
  return { needsFollowUp: true, lastAgentMessage };
}

async function runTools(
  host: TurnHost,
  task: RunningTask,
  turn: TurnContext,
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
    host.record.recordItem(outputItem(call, payload));
  };
  const emit = (msg: EventMsg) => host.emit(task.subId, msg);
  const contextFor = (call: ToolCall): ToolContext => ({
    ...turn,
    callId: call.callId,
    signal,
    emit,
    requestApproval: (request) =>
      host.approvals.request(request, emit, () => deniedUnattended.add(call.callId)),
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

function outputItem(call: ToolCall, output: ToolOutput['output']): ResponseItem {
  if (call.kind === 'custom') {
    const text =
      typeof output === 'string'
        ? output
        : output.map((p) => (p.type === 'input_text' ? p.text : '')).join('');
    return { type: 'custom_tool_call_output', call_id: call.callId, output: text };
  }
  return { type: 'function_call_output', call_id: call.callId, output };
}
