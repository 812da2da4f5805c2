// Every MCP tool as a ToolHandler: parse the model's arguments, forward the call to its server, and turn
// whatever happens (a result, an isError result, a timeout, an interrupt, a dead server) into output the
// model can read. Nothing here throws at the model or waits forever.

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpConnectionManager } from '../../mcp/manager.js';
import { callResultToOutput } from '../../mcp/result.js';
import type { McpToolEntry } from '../../mcp/types.js';
import type { McpInvocation } from '../../protocol/tool-events.js';
import { parseJsonArguments, ToolInputError } from '../arguments.js';
import type { ToolHandler, ToolOutput } from '../types.js';
import { createMcpResourceHandlers } from './mcp-resources.js';

/** The three resource tools first (their fixed place in the tool order), then MCP tools by qualified name. */
export function createMcpToolHandlers(manager: McpConnectionManager): ToolHandler[] {
  return [
    ...createMcpResourceHandlers(manager),
    ...manager.listTools().map((t) => createMcpToolHandler(manager, t)),
  ];
}

export function createMcpToolHandler(manager: McpConnectionManager, entry: McpToolEntry): ToolHandler {
  return {
    name: entry.qualifiedName,
    spec: {
      type: 'function',
      name: entry.qualifiedName,
      description: entry.description,
      strict: false,
      parameters: entry.parameters,
    },
    parallelSafe: false,
    async handle(call, ctx): Promise<ToolOutput> {
      let args: Record<string, unknown> | undefined;
      try {
        args = call.input.trim() === '' ? undefined : parseJsonArguments(call);
      } catch (err) {
        if (err instanceof ToolInputError) return { output: `err: ${err.message}`, success: false };
        throw err;
      }
      const invocation: McpInvocation = { server: entry.server, tool: entry.tool, arguments: args };
      ctx.emit({ type: 'mcp_tool_call_begin', call_id: call.callId, invocation });
      const started = performance.now();
      const end = (result: { ok: CallToolResult } | { err: string }) =>
        ctx.emit({
          type: 'mcp_tool_call_end',
          call_id: call.callId,
          invocation,
          duration_ms: Math.round(performance.now() - started),
          result,
        });
      try {
        const result = await manager.callTool(entry.server, entry.tool, args, { signal: ctx.signal });
        end({ ok: result });
        return callResultToOutput(result);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        end({ err: message });
        return { output: `err: ${message}`, success: false };
      }
    },
  };
}
