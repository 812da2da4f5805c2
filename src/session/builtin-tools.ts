// The tools a session offers: the shell tool(s), MCP resource tools, update_plan, apply_patch, and the tools
// of the session's MCP servers. Per-session state the handlers share across turns (the approval cache, PTY
// sessions) lives in the closure, so rebuilding the tool list on a settings change keeps it.

import type { PtySessionManager } from '../exec/pty/manager.js';
import type { RunSandboxed } from '../exec/types.js';
import type { McpConnectionManager } from '../mcp/manager.js';
import { applyPatchToolTypeFor } from '../tools/apply-patch/spec.js';
import { ApprovalCache } from '../tools/approval/cache.js';
import { createApplyPatchToolHandler, type PatchFileAccess } from '../tools/handlers/apply-patch.js';
import { createMcpToolHandlers } from '../tools/handlers/mcp.js';
import { createPlanToolHandler } from '../tools/handlers/plan.js';
import { createShellToolHandlers } from '../tools/handlers/shell.js';
import type { ToolHandler } from '../tools/types.js';
import type { ToolFactory } from './session.js';

export interface BuiltinToolOptions {
  /** Started MCP servers whose tools the model may call. */
  mcp?: McpConnectionManager;
  /** More handlers (an embedding application's own tools). */
  extraTools?: ToolHandler[];
  /** Where apply_patch reads and writes files (the disk by default; an editor's buffers for ACP). */
  patchFiles?: PatchFileAccess;
  /** How the shell tools run a command (the platform sandbox by default; an editor's terminal for ACP). */
  runSandboxed?: RunSandboxed;
}

export interface BuiltinTools {
  createTools: ToolFactory;
  /** Kills the PTY sessions the tools started. */
  dispose(): Promise<void>;
}

export function builtinTools(options: BuiltinToolOptions = {}): BuiltinTools {
  const approvals = new ApprovalCache();
  let ptySessions: PtySessionManager | undefined;
  const createTools: ToolFactory = async (_settings, config) => {
    if (config.features.unified_exec && !ptySessions) {
      // node-pty is a native module: load it only for sessions that use PTY tools.
      const { PtySessionManager } = await import('../exec/pty/manager.js');
      ptySessions = new PtySessionManager();
    }
    return [
      ...createShellToolHandlers({
        config,
        approvals,
        ptySessions,
        patchFiles: options.patchFiles,
        runSandboxed: options.runSandboxed,
      }),
      createPlanToolHandler(),
      createApplyPatchToolHandler({
        toolType: applyPatchToolTypeFor(config),
        approvalCache: approvals,
        files: options.patchFiles,
      }),
      ...(options.extraTools ?? []),
      ...(options.mcp ? createMcpToolHandlers(options.mcp) : []),
    ];
  };
  return { createTools, dispose: async () => ptySessions?.closeAll() };
}
