// What a session event says as a standard `notifications/progress` message. Only milestones count as
// progress (a started command, an applied patch, a message); deltas and token counts would flood a client
// that shows progress lines, and they are in the `codex/event` stream for clients that want them.

import type { EventMsg } from '../../index.js';
import { shellJoin } from '../shell-quote.js';

const MAX_TEXT = 200;

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)}…` : line;
}

export function progressMessage(msg: EventMsg): string | undefined {
  switch (msg.type) {
    case 'task_started':
      return 'working';
    case 'exec_command_begin':
      return `running ${clip(shellJoin(msg.command))}`;
    case 'exec_command_end':
      return `command exited with code ${msg.exit_code}`;
    case 'patch_apply_begin':
      return `applying a patch to ${Object.keys(msg.changes).length} file(s)`;
    case 'patch_apply_end':
      return msg.success ? 'patch applied' : 'patch failed';
    case 'mcp_tool_call_begin':
      return `calling ${msg.invocation.server}/${msg.invocation.tool}`;
    case 'exec_approval_request':
      return `waiting for approval to run ${clip(shellJoin(msg.command))}`;
    case 'apply_patch_approval_request':
      return 'waiting for approval to apply a patch';
    case 'agent_message':
      return clip(msg.message);
    case 'plan_update':
      return `plan: ${msg.plan.filter((item) => item.status === 'completed').length}/${msg.plan.length} steps done`;
    case 'context_compacted':
      return 'conversation compacted';
    case 'warning':
      return `warning: ${clip(msg.message)}`;
    case 'stream_error':
      return clip(msg.message);
    case 'error':
      return `error: ${clip(msg.message)}`;
    case 'turn_aborted':
      return 'turn interrupted';
    case 'task_complete':
      return 'done';
    default:
      return undefined;
  }
}
