// `conduit exec --json`: maps the session's event stream to the JSONL events of `codex exec
// --experimental-json` (what @openai/codex-sdk parses). Stateful but pure: events in, JSON objects out.

import type { Event, FileChange } from '../index.js';
import { shellJoin } from './shell-quote.js';

export interface Usage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
}

export type ThreadItem = { id: string; type: string; [field: string]: unknown };

export type ThreadEvent =
  | { type: 'thread.started'; thread_id: string }
  | { type: 'turn.started' }
  | { type: 'item.started' | 'item.updated' | 'item.completed'; item: ThreadItem }
  | { type: 'turn.completed'; usage: Usage }
  | { type: 'turn.failed'; error: { message: string } }
  | { type: 'error'; message: string };

function changeKind(change: FileChange): 'add' | 'delete' | 'update' {
  return change.type;
}

export class JsonlEventMapper {
  private nextItem = 0;
  private readonly running = new Map<string, ThreadItem>();
  private patches = new Map<string, Record<string, FileChange>>();
  private todo: ThreadItem | undefined;
  private turnError: string | undefined;
  private usage: Usage = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0 };

  /** True when the last turn ended in turn.failed. */
  failed = false;

  private item(type: string, fields: Record<string, unknown>): ThreadItem {
    return { id: `item_${this.nextItem++}`, type, ...fields };
  }

  map(event: Event): ThreadEvent[] {
    const msg = event.msg;
    switch (msg.type) {
      case 'session_configured':
        return [{ type: 'thread.started', thread_id: msg.session_id }];
      case 'task_started':
        this.turnError = undefined;
        this.todo = undefined;
        return [{ type: 'turn.started' }];
      case 'agent_message':
        return [{ type: 'item.completed', item: this.item('agent_message', { text: msg.message }) }];
      case 'agent_reasoning':
        return [{ type: 'item.completed', item: this.item('reasoning', { text: msg.text }) }];
      case 'exec_command_begin': {
        const item = this.item('command_execution', {
          command: shellJoin(msg.command),
          aggregated_output: '',
          exit_code: null,
          status: 'in_progress',
        });
        this.running.set(msg.call_id, item);
        return [{ type: 'item.started', item }];
      }
      case 'exec_command_end': {
        const started = this.running.get(msg.call_id) ?? this.item('command_execution', { command: '' });
        this.running.delete(msg.call_id);
        const item = {
          ...started,
          aggregated_output: msg.aggregated_output,
          exit_code: msg.exit_code,
          status: msg.exit_code === 0 ? 'completed' : 'failed',
        };
        return [{ type: 'item.completed', item }];
      }
      case 'patch_apply_begin':
        this.patches.set(msg.call_id, msg.changes);
        return [];
      case 'patch_apply_end': {
        const planned = this.patches.get(msg.call_id) ?? msg.changes ?? {};
        const changes = Object.entries(planned).map(([path, change]) => ({
          path,
          kind: changeKind(change),
        }));
        this.patches.delete(msg.call_id);
        const item = this.item('file_change', { changes, status: msg.success ? 'completed' : 'failed' });
        return [{ type: 'item.completed', item }];
      }
      case 'mcp_tool_call_begin': {
        const item = this.item('mcp_tool_call', {
          server: msg.invocation.server,
          tool: msg.invocation.tool,
          arguments: msg.invocation.arguments ?? null,
          result: null,
          error: null,
          status: 'in_progress',
        });
        this.running.set(msg.call_id, item);
        return [{ type: 'item.started', item }];
      }
      case 'mcp_tool_call_end': {
        const started = this.running.get(msg.call_id) ?? this.item('mcp_tool_call', {});
        this.running.delete(msg.call_id);
        const ok = 'ok' in msg.result ? msg.result.ok : undefined;
        const failed = !ok || ok.isError === true;
        const item = {
          ...started,
          result: ok ? { content: ok.content, structured_content: ok.structuredContent ?? null } : null,
          error: 'err' in msg.result ? { message: msg.result.err } : null,
          status: failed ? 'failed' : 'completed',
        };
        return [{ type: 'item.completed', item }];
      }
      case 'plan_update': {
        const items = msg.plan.map((p) => ({ text: p.step, completed: p.status === 'completed' }));
        if (!this.todo) {
          this.todo = this.item('todo_list', { items });
          return [{ type: 'item.started', item: this.todo }];
        }
        this.todo = { ...this.todo, items };
        return [{ type: 'item.updated', item: this.todo }];
      }
      case 'warning':
        return [{ type: 'item.completed', item: this.item('error', { message: msg.message }) }];
      case 'token_count':
        this.usage = {
          input_tokens: msg.info.total_token_usage.input_tokens,
          cached_input_tokens: msg.info.total_token_usage.cached_input_tokens,
          output_tokens: msg.info.total_token_usage.output_tokens,
        };
        return [];
      case 'stream_error':
        return [{ type: 'error', message: msg.message }];
      case 'error':
        this.turnError = msg.message;
        return [{ type: 'error', message: msg.message }];
      case 'turn_aborted':
        return this.endTurn('turn interrupted');
      case 'task_complete':
        return this.endTurn(this.turnError);
      default:
        return [];
    }
  }

  private endTurn(error: string | undefined): ThreadEvent[] {
    const out: ThreadEvent[] = [];
    if (this.todo) out.push({ type: 'item.completed', item: this.todo });
    this.todo = undefined;
    this.failed = error !== undefined;
    out.push(
      error !== undefined
        ? { type: 'turn.failed', error: { message: error } }
        : { type: 'turn.completed', usage: this.usage },
    );
    return out;
  }
}
