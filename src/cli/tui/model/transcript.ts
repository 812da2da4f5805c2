// Folds the core's event stream into what the terminal shows: finished cells (appended, never edited) and
// the live state (the streaming answer's tail, running commands, waiting approvals, what the agent is
// doing). No I/O and no clock of its own: `now` comes with each event, so it is tested as a pure reducer.

import { StringDecoder } from 'node:string_decoder';
import type {
  ApprovalRequest,
  Event,
  EventMsg,
  FileChange,
  InitialMessage,
  TokenUsageInfo,
} from '../../../index.js';
import { foldLines } from '../render/fold.js';
import { splitLines, stripControls } from '../render/text.js';
import type { Cell, CellBody } from './cells.js';
import { cutStream } from './stream.js';

/** Lines of command output kept at each end of a finished command (Codex keeps 5). */
export const FOLD_HEAD = 5;
export const FOLD_TAIL = 5;
/** Lines of a running command's output kept for the live region. */
const LIVE_TAIL = 5;
/** Source lines of a streaming answer kept live before they are printed. */
const MAX_LIVE_ANSWER_LINES = 40;

/** A waiting approval, exactly as the core asks it. */
export type Approval = ApprovalRequest;

export interface RunningCommand {
  callId: string;
  command: string;
  startedAt: number;
  /** The last complete lines of output, and the line being written. */
  tail: string[];
  partial: string;
  lines: number;
  decoder: StringDecoder;
}

export interface SessionInfo {
  sessionId: string;
  model: string;
  providerId: string;
  cwd: string;
  approvalPolicy: string;
  sandbox: string;
  effort?: string;
  rolloutPath?: string;
}

export class Transcript {
  readonly cells: Cell[] = [];
  private nextId = 1;
  /** The answer being streamed: text already printed (`committed`) and the live tail. */
  streaming = '';
  private committed = '';
  reasoning = '';
  readonly running = new Map<string, RunningCommand>();
  readonly mcpRunning = new Map<string, { label: string; startedAt: number }>();
  readonly approvals: Approval[] = [];
  /** Set while a task (a turn or a compaction) runs. */
  busySince: number | undefined;
  activity = '';
  info: SessionInfo | undefined;
  usage: TokenUsageInfo | undefined;
  contextWindow: number | undefined;
  lastDiff = '';
  /** Bumped on every change, so a view can tell whether to re-render. */
  version = 0;

  constructor(private readonly version_ = '') {}

  add(body: CellBody): void {
    this.cells.push({ id: this.nextId++, ...body } as Cell);
    this.version++;
  }

  apply(event: Event, now: number): void {
    this.version++;
    this.applyMsg(event.msg, now);
  }

  private applyMsg(msg: EventMsg, now: number): void {
    switch (msg.type) {
      case 'session_configured':
        this.info = {
          sessionId: msg.session_id,
          model: msg.model,
          providerId: msg.model_provider_id,
          cwd: msg.cwd,
          approvalPolicy: msg.approval_policy,
          sandbox: msg.sandbox_policy.type,
          effort: msg.reasoning_effort,
          rolloutPath: msg.rollout_path,
        };
        this.add({
          kind: 'header',
          model: msg.model,
          cwd: msg.cwd,
          sessionId: msg.session_id,
          resumed: msg.initial_messages !== undefined,
          version: this.version_,
        });
        for (const m of msg.initial_messages ?? []) this.replay(m);
        break;
      case 'task_started':
        this.busySince = now;
        this.activity = 'Working';
        if (msg.model_context_window) this.contextWindow = msg.model_context_window;
        break;
      case 'task_complete':
      case 'turn_aborted':
        this.flushAnswer();
        this.flushReasoning();
        for (const run of this.running.values()) this.endCommand(run, undefined, now - run.startedAt);
        this.running.clear();
        this.mcpRunning.clear();
        this.approvals.length = 0;
        this.busySince = undefined;
        this.activity = '';
        if (msg.type === 'turn_aborted')
          this.add({
            kind: 'warning',
            text: msg.reason === 'interrupted' ? 'Interrupted.' : 'Turn replaced.',
          });
        break;
      case 'user_message':
        this.add({ kind: 'user', text: msg.message });
        break;
      case 'agent_message_delta':
        this.flushReasoning();
        this.streaming += msg.delta;
        this.activity = 'Answering';
        this.cutAnswer();
        break;
      case 'agent_message':
        this.finishAnswer(msg.message);
        break;
      case 'agent_reasoning_delta':
        this.reasoning += msg.delta;
        this.activity = 'Thinking';
        break;
      case 'agent_reasoning':
        this.reasoning = '';
        this.add({ kind: 'reasoning', text: msg.text });
        break;
      case 'token_count':
        this.usage = msg.info;
        if (msg.info.model_context_window) this.contextWindow = msg.info.model_context_window;
        break;
      case 'turn_diff':
        this.lastDiff = msg.unified_diff;
        break;
      case 'stream_error':
        // The attempt is replayed from the start: what was streamed live would repeat.
        this.streaming = '';
        this.activity = msg.message;
        break;
      case 'error':
        this.add({ kind: 'error', text: msg.message });
        break;
      case 'warning':
        this.add({ kind: 'warning', text: msg.message });
        break;
      case 'exec_approval_request':
        this.activity = 'Waiting for your approval';
        this.approvals.push({
          kind: 'exec',
          callId: msg.call_id,
          command: msg.command,
          cwd: msg.cwd,
          reason: msg.reason,
          sessionScope: msg.session_scope,
        });
        break;
      case 'apply_patch_approval_request':
        this.activity = 'Waiting for your approval';
        this.approvals.push({
          kind: 'patch',
          callId: msg.call_id,
          changes: msg.changes,
          reason: msg.reason,
          grantRoot: msg.grant_root,
        });
        break;
      case 'exec_command_begin': {
        this.flushAnswer();
        const command = displayCommand(msg.command);
        this.running.set(msg.call_id, {
          callId: msg.call_id,
          command,
          startedAt: now,
          tail: [],
          partial: '',
          lines: 0,
          decoder: new StringDecoder('utf8'),
        });
        this.activity = `Running ${command}`;
        break;
      }
      case 'exec_command_output_delta': {
        const run = this.running.get(msg.call_id);
        if (run) appendOutput(run, run.decoder.write(Buffer.from(msg.chunk, 'base64')));
        break;
      }
      case 'exec_command_end': {
        const run = this.running.get(msg.call_id);
        this.running.delete(msg.call_id);
        this.endCommand(
          run ?? {
            callId: msg.call_id,
            command: '(command)',
            startedAt: now,
            tail: [],
            partial: '',
            lines: 0,
            decoder: new StringDecoder(),
          },
          msg.exit_code,
          msg.duration_ms,
          msg.aggregated_output,
        );
        this.activity = 'Working';
        break;
      }
      case 'patch_apply_begin':
        this.flushAnswer();
        this.activity = 'Applying patch';
        this.pendingPatch.set(msg.call_id, { changes: msg.changes, autoApproved: msg.auto_approved });
        break;
      case 'patch_apply_end': {
        const begun = this.pendingPatch.get(msg.call_id);
        this.pendingPatch.delete(msg.call_id);
        this.add({
          kind: 'patch',
          changes: begun?.changes ?? {},
          success: msg.success,
          autoApproved: begun?.autoApproved ?? false,
          message: msg.success ? undefined : stripControls(msg.stderr || msg.stdout).trim(),
        });
        this.activity = 'Working';
        break;
      }
      case 'mcp_tool_call_begin': {
        this.flushAnswer();
        const label = `${msg.invocation.server}.${msg.invocation.tool}`;
        this.mcpRunning.set(msg.call_id, { label, startedAt: now });
        this.activity = `Calling ${label}`;
        break;
      }
      case 'mcp_tool_call_end': {
        this.mcpRunning.delete(msg.call_id);
        const ok = 'ok' in msg.result && !msg.result.ok.isError;
        this.add({
          kind: 'mcp',
          server: msg.invocation.server,
          tool: msg.invocation.tool,
          args: msg.invocation.arguments === undefined ? '' : JSON.stringify(msg.invocation.arguments),
          ok,
          result: mcpResultText(msg.result),
          durationMs: msg.duration_ms,
        });
        this.activity = 'Working';
        break;
      }
      case 'plan_update':
        this.add({ kind: 'plan', explanation: msg.explanation, plan: msg.plan });
        break;
      case 'context_compacted':
        this.add({
          kind: 'info',
          lines: [msg.auto ? 'Context compacted automatically.' : 'Context compacted.'],
        });
        break;
      case 'shutdown_complete':
        break;
    }
  }

  private readonly pendingPatch = new Map<
    string,
    { changes: Record<string, FileChange>; autoApproved: boolean }
  >();

  /** Removes the approval being answered (the view shows the next one, if any). */
  resolveApproval(callId: string): Approval | undefined {
    const index = this.approvals.findIndex((a) => a.callId === callId);
    if (index < 0) return undefined;
    this.version++;
    return this.approvals.splice(index, 1)[0];
  }

  private replay(m: InitialMessage): void {
    if (m.type === 'user_message') this.add({ kind: 'user', text: m.message });
    else if (m.type === 'agent_message') this.add({ kind: 'answer', markdown: m.message });
    else this.add({ kind: 'reasoning', text: m.text });
  }

  private cutAnswer(): void {
    const { commit, rest } = cutStream(this.streaming, MAX_LIVE_ANSWER_LINES);
    if (!commit) return;
    this.add({ kind: 'answer', markdown: commit });
    this.committed += commit;
    this.streaming = rest;
  }

  /** The final text of a message: print what was not printed while it streamed. */
  private finishAnswer(message: string): void {
    const tail = this.committed === '' ? message : this.streaming;
    if (tail.trim() !== '') this.add({ kind: 'answer', markdown: tail });
    this.streaming = '';
    this.committed = '';
  }

  private flushAnswer(): void {
    if (this.streaming.trim() !== '') this.add({ kind: 'answer', markdown: this.streaming });
    this.streaming = '';
    this.committed = '';
  }

  private flushReasoning(): void {
    this.reasoning = '';
  }

  private endCommand(
    run: RunningCommand,
    exitCode: number | undefined,
    durationMs: number,
    aggregated?: string,
  ): void {
    const text = aggregated ?? [...run.tail, run.partial].join('\n');
    const folded = foldLines(splitLines(stripControls(text)), FOLD_HEAD, FOLD_TAIL);
    // Without the aggregated text only the tail is known: what scrolled out of it counts as hidden.
    const hidden =
      aggregated === undefined ? folded.hidden + Math.max(0, run.lines - run.tail.length) : folded.hidden;
    this.add({
      kind: 'exec',
      command: run.command,
      exitCode,
      durationMs,
      output: folded.lines,
      hidden,
      hiddenAt: aggregated === undefined && hidden > 0 ? 0 : folded.at,
    });
  }
}

function appendOutput(run: RunningCommand, text: string): void {
  const parts = (run.partial + stripControls(text.replace(/\r\n/g, '\n'))).split('\n');
  run.partial = parts.pop() ?? '';
  for (const line of parts) {
    run.lines++;
    run.tail.push(line);
  }
  if (run.tail.length > LIVE_TAIL) run.tail.splice(0, run.tail.length - LIVE_TAIL);
}

/** `bash -lc "script"` shown as the script; other argv joined with quotes where needed. */
export function displayCommand(command: string[]): string {
  if (command.length === 3 && /(^|\/)(ba|z)?sh$/.test(command[0]) && /^-l?c$/.test(command[1]))
    return command[2];
  return command
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

function mcpResultText(result: { ok: { content?: unknown[]; isError?: boolean } } | { err: string }): string {
  if ('err' in result) return result.err;
  const parts = (result.ok.content ?? []) as { type: string; text?: string }[];
  return parts.map((p) => (p.type === 'text' ? (p.text ?? '') : `[${p.type}]`)).join('\n');
}
