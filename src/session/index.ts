// The session layer's entry. `createSession` gives a front end a session that owns its world: it starts
// the MCP servers the config enables, builds the tools, talks to the configured model, and releases all
// of it on `shutdown`. Tests and embedders with their own model client or tools can use `Session.create`.

import type { Config } from '../config/types.js';
import type { RunSandboxed } from '../exec/types.js';
import type { PrespawnedServers } from '../mcp/prespawn.js';
import { createModelClient } from '../providers/index.js';
import type { PatchFileAccess } from '../tools/handlers/apply-patch.js';
import type { ToolHandler } from '../tools/types.js';
import { builtinTools } from './builtin-tools.js';
import { McpEventRelay, mcpServerStatus, startMcpServers, stopMcpServers } from './mcp-servers.js';
import { Session } from './session.js';

export interface CreateSessionOptions {
  /** Resume the session recorded in this rollout file instead of starting a new one. */
  resumePath?: string;
  /** False when nobody can answer approval requests (exec): they are denied at once, with a warning. */
  interactiveApprovals?: boolean;
  /** Recorded in the rollout and sent to the provider: which front end started the session. */
  originator?: string;
  /** Recorded in the rollout: `exec`, `mcp`, `cli`… */
  source?: string;
  /** The front end's version, for the rollout, the provider and MCP servers' `clientInfo`. */
  cliVersion?: string;
  /** More tools besides the built-in ones and the MCP servers' (an embedding application's own). */
  extraTools?: ToolHandler[];
  /** Where apply_patch reads and writes files (the disk by default; an editor's buffers for ACP). */
  patchFiles?: PatchFileAccess;
  /** How the shell tools run a command (the platform sandbox by default; an editor's terminal for ACP). */
  runSandboxed?: RunSandboxed;
  /** The environment MCP servers' variables are read from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /**
   * True when the front end answers `elicitation_request` events (MCP servers asking the user for input);
   * otherwise the session declines them, with a warning.
   */
  elicitation?: boolean;
  /**
   * On shutdown, kill the MCP servers' process groups at once instead of giving each up to 500 ms to exit
   * after its stdin closes: for a front end that exits right after (exec).
   */
  killServersOnShutdown?: boolean;
  /**
   * Send the first model request with the MCP servers' remembered tool lists instead of waiting for the
   * servers (default true; see docs/mcp.md for when a list is remembered).
   */
  toolCache?: boolean;
  /** MCP servers the front end spawned early with prespawnMcpServers(config). */
  prespawnedMcpServers?: PrespawnedServers;
}

/**
 * Starts (or resumes) a session for `config`. Resolves once its MCP servers are up or have failed, except
 * those whose tool list is remembered (they finish starting in the background). The first events are
 * `session_configured`, then a `warning` for each server that failed to start (later for the others).
 */
export async function createSession(config: Config, options: CreateSessionOptions = {}): Promise<Session> {
  const relay = new McpEventRelay();
  const mcp = await startMcpServers(config, {
    clientVersion: options.cliVersion,
    env: options.env,
    relay,
    toolCache: options.toolCache,
    prespawned: options.prespawnedMcpServers,
  });
  const tools = builtinTools({
    mcp: mcp.manager,
    extraTools: options.extraTools,
    patchFiles: options.patchFiles,
    runSandboxed: options.runSandboxed,
  });
  const dispose = async () => {
    await Promise.all([
      tools.dispose(),
      mcp.manager && stopMcpServers(mcp.manager, options.killServersOnShutdown === true),
    ]);
  };
  try {
    return Session.create({
      config,
      resumePath: options.resumePath,
      interactiveApprovals: options.interactiveApprovals,
      originator: options.originator,
      source: options.source,
      cliVersion: options.cliVersion,
      startupWarnings: mcp.warnings,
      mcpServers: () => mcpServerStatus(config, mcp.manager),
      mcpEvents: relay,
      elicitation: options.elicitation,
      lateStartupWarnings: mcp.lateWarnings,
      toolsVersion: mcp.manager && (() => mcp.manager?.toolsVersion ?? 0),
      createClient: (settings, sessionId) =>
        createModelClient(settings.provider, {
          sessionId,
          family: settings.family,
          originator: options.originator,
          version: options.cliVersion,
        }),
      createTools: tools.createTools,
      dispose,
      // The servers' one root is the session's cwd: tell them when a turn moves it.
      onCwdChange: (cwd) => void mcp.manager?.rootsChanged(cwd).catch(() => {}),
    });
  } catch (err) {
    await dispose();
    throw err;
  }
}
