// Events tools emit while they run; the Event union (events.ts) includes them as-is. Field names are
// snake_case: they are wire shapes (JSONL, `codex/event` notifications).

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export type FileChange =
  | { type: 'add'; content: string }
  | { type: 'delete'; content: string }
  | { type: 'update'; unified_diff: string; move_path?: string };

export interface PlanItem {
  step: string;
  status: 'pending' | 'in_progress' | 'completed';
}

export interface McpInvocation {
  server: string;
  tool: string;
  arguments?: unknown;
}

export type ToolEvent =
  | { type: 'exec_command_begin'; call_id: string; command: string[]; cwd: string }
  | {
      type: 'exec_command_output_delta';
      call_id: string;
      stream: 'stdout' | 'stderr';
      /** Base64 of the raw bytes: output need not be UTF-8 and a chunk may split a character. */
      chunk: string;
    }
  | {
      type: 'exec_command_end';
      call_id: string;
      stdout: string;
      stderr: string;
      aggregated_output: string;
      exit_code: number;
      duration_ms: number;
      /** What the model was sent (after truncation). */
      formatted_output: string;
    }
  | {
      type: 'patch_apply_begin';
      call_id: string;
      auto_approved: boolean;
      changes: Record<string, FileChange>;
    }
  | {
      type: 'patch_apply_end';
      call_id: string;
      stdout: string;
      stderr: string;
      success: boolean;
      /** Set when no patch_apply_begin came first (a patch refused or not understood): what it would have changed. */
      changes?: Record<string, FileChange>;
    }
  | { type: 'mcp_tool_call_begin'; call_id: string; invocation: McpInvocation }
  | {
      type: 'mcp_tool_call_end';
      call_id: string;
      invocation: McpInvocation;
      duration_ms: number;
      result: { ok: CallToolResult } | { err: string };
    }
  | { type: 'plan_update'; explanation?: string; plan: PlanItem[] }
  /** Something the user should know that is not fatal (e.g. a refused approval in exec mode). */
  | { type: 'warning'; message: string };
