import { describe, expect, it } from 'vitest';
import { JsonlEventMapper } from '../../../src/cli/exec-jsonl.js';
import { shellJoin } from '../../../src/cli/shell-quote.js';
import type { EventMsg } from '../../../src/protocol/events.js';

const usage = (input: number, cached: number, output: number) => ({
  input_tokens: input,
  cached_input_tokens: cached,
  output_tokens: output,
  reasoning_output_tokens: 0,
  total_tokens: input + output,
});

function mapAll(msgs: EventMsg[]) {
  const mapper = new JsonlEventMapper();
  return msgs.flatMap((msg) => mapper.map({ id: '1', msg }));
}

describe('exec JSONL mapping', () => {
  it('maps a turn to thread/turn/item events with item_<n> ids and cumulative usage', () => {
    const out = mapAll([
      {
        type: 'session_configured',
        session_id: 'abc',
        model: 'm',
        model_provider_id: 'p',
        approval_policy: 'never',
        sandbox_policy: { type: 'read-only' },
        cwd: '/r',
      },
      { type: 'task_started' },
      { type: 'agent_reasoning', text: 'thinking' },
      { type: 'exec_command_begin', call_id: 'c', command: ['bash', '-lc', "echo 'hi'"], cwd: '/r' },
      {
        type: 'exec_command_end',
        call_id: 'c',
        stdout: 'hi\n',
        stderr: '',
        aggregated_output: 'hi\n',
        exit_code: 0,
        duration_ms: 3,
        formatted_output: 'hi\n',
      },
      { type: 'plan_update', plan: [{ step: 'a', status: 'in_progress' }] },
      { type: 'plan_update', plan: [{ step: 'a', status: 'completed' }] },
      {
        type: 'patch_apply_begin',
        call_id: 'p',
        auto_approved: true,
        changes: { 'x.txt': { type: 'add', content: 'x' } },
      },
      { type: 'patch_apply_end', call_id: 'p', stdout: '', stderr: '', success: true },
      { type: 'warning', message: 'denied: no one to approve in non-interactive mode' },
      {
        type: 'token_count',
        info: { total_token_usage: usage(10, 2, 3), last_token_usage: usage(10, 2, 3) },
      },
      {
        type: 'token_count',
        info: { total_token_usage: usage(30, 4, 5), last_token_usage: usage(20, 2, 2) },
      },
      { type: 'agent_message', message: 'done' },
      { type: 'task_complete', last_agent_message: 'done' },
    ]);
    expect(out).toEqual([
      { type: 'thread.started', thread_id: 'abc' },
      { type: 'turn.started' },
      { type: 'item.completed', item: { id: 'item_0', type: 'reasoning', text: 'thinking' } },
      {
        type: 'item.started',
        item: {
          id: 'item_1',
          type: 'command_execution',
          command: `bash -lc 'echo '"'"'hi'"'"''`,
          aggregated_output: '',
          exit_code: null,
          status: 'in_progress',
        },
      },
      {
        type: 'item.completed',
        item: {
          id: 'item_1',
          type: 'command_execution',
          command: `bash -lc 'echo '"'"'hi'"'"''`,
          aggregated_output: 'hi\n',
          exit_code: 0,
          status: 'completed',
        },
      },
      {
        type: 'item.started',
        item: { id: 'item_2', type: 'todo_list', items: [{ text: 'a', completed: false }] },
      },
      {
        type: 'item.updated',
        item: { id: 'item_2', type: 'todo_list', items: [{ text: 'a', completed: true }] },
      },
      {
        type: 'item.completed',
        item: {
          id: 'item_3',
          type: 'file_change',
          changes: [{ path: 'x.txt', kind: 'add' }],
          status: 'completed',
        },
      },
      {
        type: 'item.completed',
        item: { id: 'item_4', type: 'error', message: 'denied: no one to approve in non-interactive mode' },
      },
      { type: 'item.completed', item: { id: 'item_5', type: 'agent_message', text: 'done' } },
      {
        type: 'item.completed',
        item: { id: 'item_2', type: 'todo_list', items: [{ text: 'a', completed: true }] },
      },
      { type: 'turn.completed', usage: { input_tokens: 30, cached_input_tokens: 4, output_tokens: 5 } },
    ]);
  });

  it('turns an error into an error event and turn.failed, and a failed command into status failed', () => {
    const out = mapAll([
      { type: 'task_started' },
      { type: 'stream_error', message: 'Reconnecting… 1/5 (cut)' },
      { type: 'exec_command_begin', call_id: 'c', command: ['false'], cwd: '/r' },
      {
        type: 'exec_command_end',
        call_id: 'c',
        stdout: '',
        stderr: '',
        aggregated_output: '',
        exit_code: 1,
        duration_ms: 1,
        formatted_output: '',
      },
      { type: 'error', message: 'model said no' },
      { type: 'task_complete' },
    ]);
    expect(out).toEqual([
      { type: 'turn.started' },
      { type: 'error', message: 'Reconnecting… 1/5 (cut)' },
      {
        type: 'item.started',
        item: {
          id: 'item_0',
          type: 'command_execution',
          command: 'false',
          aggregated_output: '',
          exit_code: null,
          status: 'in_progress',
        },
      },
      {
        type: 'item.completed',
        item: {
          id: 'item_0',
          type: 'command_execution',
          command: 'false',
          aggregated_output: '',
          exit_code: 1,
          status: 'failed',
        },
      },
      { type: 'error', message: 'model said no' },
      { type: 'turn.failed', error: { message: 'model said no' } },
    ]);
  });

  it('maps MCP tool calls with null for absent fields', () => {
    const invocation = { server: 'mem', tool: 'read_graph' };
    const out = mapAll([
      { type: 'mcp_tool_call_begin', call_id: 'm', invocation },
      {
        type: 'mcp_tool_call_end',
        call_id: 'm',
        invocation,
        duration_ms: 5,
        result: { ok: { content: [{ type: 'text', text: '{}' }] } },
      },
    ]);
    expect(out[1]).toEqual({
      type: 'item.completed',
      item: {
        id: 'item_0',
        type: 'mcp_tool_call',
        server: 'mem',
        tool: 'read_graph',
        arguments: null,
        result: { content: [{ type: 'text', text: '{}' }], structured_content: null },
        error: null,
        status: 'completed',
      },
    });
  });

  it('quotes only what the shell needs', () => {
    expect(shellJoin(['ls', '-la', '/tmp/a.txt'])).toBe('ls -la /tmp/a.txt');
    expect(shellJoin(['echo', 'two words', "it's"])).toBe(`echo 'two words' 'it'"'"'s'`);
  });
});
