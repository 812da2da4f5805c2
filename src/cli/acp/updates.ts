// Conduit's event stream as ACP `session/update`s: answer and reasoning chunks, the plan, and one tool call
// per command, patch and MCP call (created once, then updated: never an update before its `tool_call`,
// agentclientprotocol/codex-acp#188). Pure apart from the per-turn state it keeps; the session layer
// supplies what needs I/O (the diffs of a patch).

import type { SessionUpdate, ToolCallContent, ToolKind } from '@agentclientprotocol/sdk';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { EventMsg, FileChange } from '../../index.js';
import { commandKind, commandLocations, commandTitle } from './command-kind.js';
import { changeLocations } from './diffs.js';

/** Live command output kept per call: the tail, so a chatty command cannot grow messages without bound. */
export const MAX_LIVE_OUTPUT_CHARS = 64 * 1024;

interface CallState {
  output: string;
  decoder?: TextDecoder;
  /** The editor terminal the command runs in (its output shows there, not as text). */
  terminalId?: string;
}

export interface UpdateMapperOptions {
  /** The client advertised `session.notices`: warnings go out as notices, else as thought chunks. */
  notices: boolean;
}

export function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${fence}`;
}

function text(value: string): ToolCallContent {
  return { type: 'content', content: { type: 'text', text: value } };
}

function tail(value: string): string {
  return value.length > MAX_LIVE_OUTPUT_CHARS
    ? `[…]\n${value.slice(value.length - MAX_LIVE_OUTPUT_CHARS)}`
    : value;
}

/** MCP result content as tool call content: text and images pass through, anything else as JSON text. */
export function mcpContent(result: CallToolResult): ToolCallContent[] {
  const out: ToolCallContent[] = [];
  for (const block of result.content ?? []) {
    if (block.type === 'text') out.push(text(block.text));
    else if (block.type === 'image')
      out.push({ type: 'content', content: { type: 'image', data: block.data, mimeType: block.mimeType } });
    else out.push(text(fenced(JSON.stringify(block, null, 2), 'json')));
  }
  if (out.length === 0 && result.structuredContent !== undefined)
    out.push(text(fenced(JSON.stringify(result.structuredContent, null, 2), 'json')));
  return out;
}

export function patchTitle(changes: Record<string, FileChange>): string {
  const paths = Object.keys(changes);
  const names = paths.map((path) => path.slice(path.lastIndexOf('/') + 1));
  return paths.length === 1 ? `Edit ${names[0]}` : `Edit ${paths.length} files (${names.join(', ')})`;
}

function patchKind(changes: Record<string, FileChange>): ToolKind {
  const all = Object.values(changes);
  if (all.length > 0 && all.every((c) => c.type === 'delete')) return 'delete';
  if (all.length > 0 && all.every((c) => c.type === 'update' && c.move_path && c.unified_diff === ''))
    return 'move';
  return 'edit';
}

export class UpdateMapper {
  private readonly calls = new Map<string, CallState>();
  private streamedMessage = false;
  private streamedReasoning = false;

  constructor(private readonly options: UpdateMapperOptions) {}

  /** True once a `tool_call` went out for this id (later news about it is a `tool_call_update`). */
  announced(callId: string): boolean {
    return this.calls.has(callId);
  }

  /** Shows a command's editor terminal in its tool call (the call was announced by exec_command_begin). */
  attachTerminal(callId: string, terminalId: string): SessionUpdate {
    const call = this.calls.get(callId);
    if (call) call.terminalId = terminalId;
    return this.update(callId, { content: [{ type: 'terminal', terminalId }] });
  }

  /** The updates for one event; `diffs` are the patch diffs for patch events (computed by the caller). */
  map(msg: EventMsg, diffs?: ToolCallContent[]): SessionUpdate[] {
    switch (msg.type) {
      case 'agent_message_delta':
        this.streamedMessage = true;
        return [{ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: msg.delta } }];
      case 'agent_message': {
        const streamed = this.streamedMessage;
        this.streamedMessage = false;
        return streamed
          ? []
          : [{ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: msg.message } }];
      }
      case 'agent_reasoning_delta':
        this.streamedReasoning = true;
        return [{ sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: msg.delta } }];
      case 'agent_reasoning': {
        const streamed = this.streamedReasoning;
        this.streamedReasoning = false;
        return streamed
          ? []
          : [{ sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: msg.text } }];
      }
      case 'plan_update':
        return [
          {
            sessionUpdate: 'plan',
            entries: msg.plan.map((item) => ({
              content: item.step,
              priority: 'medium',
              status: item.status,
            })),
          },
        ];
      case 'exec_approval_request':
        return this.start(msg.call_id, 'pending', {
          title: commandTitle(msg.command),
          kind: commandKind(msg.command),
          locations: commandLocations(msg.command, msg.cwd),
          rawInput: { command: msg.command, cwd: msg.cwd },
          content: msg.reason ? [text(msg.reason)] : undefined,
        });
      case 'exec_command_begin':
        return this.start(msg.call_id, 'in_progress', {
          title: commandTitle(msg.command),
          kind: commandKind(msg.command),
          locations: commandLocations(msg.command, msg.cwd),
          rawInput: { command: msg.command, cwd: msg.cwd },
        });
      case 'exec_command_output_delta': {
        const call = this.calls.get(msg.call_id);
        if (!call || call.terminalId) return [];
        call.decoder ??= new TextDecoder();
        call.output = tail(
          call.output + call.decoder.decode(Buffer.from(msg.chunk, 'base64'), { stream: true }),
        );
        return [this.update(msg.call_id, { content: [text(fenced(call.output))] })];
      }
      case 'exec_command_end': {
        const output = msg.aggregated_output || msg.formatted_output;
        const terminalId = this.calls.get(msg.call_id)?.terminalId;
        return [
          ...this.ensure(msg.call_id, 'Command', 'execute'),
          this.update(msg.call_id, {
            status: msg.exit_code === 0 ? 'completed' : 'failed',
            content: terminalId ? [{ type: 'terminal', terminalId }] : [text(fenced(tail(output)))],
            rawOutput: { exit_code: msg.exit_code, duration_ms: msg.duration_ms },
          }),
        ];
      }
      case 'apply_patch_approval_request':
        return this.start(msg.call_id, 'pending', {
          title: patchTitle(msg.changes),
          kind: patchKind(msg.changes),
          locations: changeLocations(msg.changes),
          content: [...(diffs ?? []), ...(msg.reason ? [text(msg.reason)] : [])],
        });
      case 'patch_apply_begin':
        return this.start(msg.call_id, 'in_progress', {
          title: patchTitle(msg.changes),
          kind: patchKind(msg.changes),
          locations: changeLocations(msg.changes),
        });
      case 'patch_apply_end':
        return [
          ...this.ensure(msg.call_id, 'Edit files', 'edit'),
          this.update(msg.call_id, {
            status: msg.success ? 'completed' : 'failed',
            content: [...(diffs ?? []), ...(msg.success ? [] : [text(msg.stderr || 'the patch failed')])],
            rawOutput: { stdout: msg.stdout, stderr: msg.stderr },
          }),
        ];
      case 'mcp_tool_call_begin':
        return this.start(msg.call_id, 'in_progress', {
          title: `Tool: ${msg.invocation.server}/${msg.invocation.tool}`,
          kind: 'other',
          rawInput: msg.invocation.arguments,
        });
      case 'mcp_tool_call_end': {
        const failed = 'err' in msg.result || msg.result.ok.isError === true;
        return [
          ...this.ensure(msg.call_id, `Tool: ${msg.invocation.server}/${msg.invocation.tool}`, 'other'),
          this.update(msg.call_id, {
            status: failed ? 'failed' : 'completed',
            content: 'err' in msg.result ? [text(msg.result.err)] : mcpContent(msg.result.ok),
            rawOutput: msg.result,
          }),
        ];
      }
      case 'warning':
        return [this.notice('warning', msg.message)];
      case 'stream_error':
        return [this.notice('info', msg.message)];
      case 'context_compacted':
        return [this.notice('info', 'The conversation was compacted to fit the context window.')];
      case 'token_count': {
        const size = msg.info.model_context_window;
        if (!size) return [];
        return [{ sessionUpdate: 'usage_update', used: msg.info.last_token_usage.total_tokens, size }];
      }
      default:
        return [];
    }
  }

  private notice(severity: 'info' | 'warning', message: string): SessionUpdate {
    if (this.options.notices) return { sessionUpdate: 'notice', severity, title: message };
    return { sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: `\n⚠ ${message}\n` } };
  }

  private start(
    callId: string,
    status: 'pending' | 'in_progress',
    fields: Omit<Extract<SessionUpdate, { sessionUpdate: 'tool_call' }>, 'sessionUpdate' | 'toolCallId'>,
  ): SessionUpdate[] {
    if (this.calls.has(callId)) return [this.update(callId, { status })];
    this.calls.set(callId, { output: '' });
    return [{ sessionUpdate: 'tool_call', toolCallId: callId, status, ...fields }];
  }

  /** A `tool_call` for an end whose beginning was never seen (so the update has something to update). */
  private ensure(callId: string, title: string, kind: ToolKind): SessionUpdate[] {
    if (this.calls.has(callId)) return [];
    this.calls.set(callId, { output: '' });
    return [{ sessionUpdate: 'tool_call', toolCallId: callId, title, kind, status: 'in_progress' }];
  }

  private update(
    callId: string,
    fields: Omit<
      Extract<SessionUpdate, { sessionUpdate: 'tool_call_update' }>,
      'sessionUpdate' | 'toolCallId'
    >,
  ): SessionUpdate {
    return { sessionUpdate: 'tool_call_update', toolCallId: callId, ...fields };
  }
}
