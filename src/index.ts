// The public API and the only door into the core: every front end (cli/exec, cli/mcp-server, the terminal
// UI, ACP, the runner server) and every embedder imports from here, never from a module behind it
// (test/architecture/layers.test.ts enforces it). Keep it small: what a front end needs, no internals.
//
// Everything this file imports statically is loaded by every `conduit` command, because esbuild splits
// chunks by file, not by export. The heavy parts (the agent loop and its tools, the MCP SDK, the model
// clients) are therefore behind async functions that load them on first use.

import type { Config, McpServerConfig, ModelProviderInfo } from './config/types.js';
import type { AuthKind, LoginOptions, LoginResult } from './mcp/auth/login.js';
import type { McpConnectionManager } from './mcp/manager.js';
import type { McpClientOptions } from './mcp/types.js';
import type { DoctorReport, ProbeOptions } from './providers/doctor.js';
import type { CreateSessionOptions } from './session/index.js';
import type { Session } from './session/session.js';

// Configuration: load config.toml with its overrides; errors that name the file, key or flag.
export { resolveApiKey } from './config/auth.js';
export { ConfigError, UserError } from './config/errors.js';
export {
  type ConfigOverrides,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
} from './config/load.js';
export { findModelFamily } from './config/model-family.js';
export type * from './config/types.js';

// The protocol: ops a front end submits, the one event stream it reads, and the shapes both carry.
export type * from './protocol/events.js';
export type * from './protocol/models.js';
export type * from './protocol/ops.js';
export type * from './protocol/policy.js';
export { APPROVAL_POLICIES, SANDBOX_MODES } from './protocol/policy.js';
export type * from './protocol/tool-events.js';
export {
  findLatestRollout,
  findRolloutById,
  findRolloutsByIdPrefix,
  listSessions,
  readRollout,
  type SessionSummary,
} from './session/resume.js';
export type { TurnContextRecord } from './session/rollout.js';
export { listSavedSessions, type SavedSessionSummary } from './session/rollout-list.js';
export {
  type RunnableOp,
  runSubmission,
  type SubmissionOutcome,
  type SubmissionRun,
} from './session/run-submission.js';
export type { TurnSettings } from './session/turn-context.js';
// Sessions: create or resume one, run a submission to its end, find saved sessions.
export type { CreateSessionOptions, Session };

/**
 * Starts (or resumes) a session for `config`: its MCP servers, its tools, its model client. Resolves once
 * the servers are up or have failed; the first events are `session_configured`, then a `warning` for each
 * server that failed to start. `shutdown` releases everything.
 */
export async function createSession(config: Config, options?: CreateSessionOptions): Promise<Session> {
  const session = await import('./session/index.js');
  return session.createSession(config, options);
}

export type { PrespawnedServers } from './mcp/prespawn.js';
export { stopServersOnExit } from './mcp/shutdown.js';
export type { McpStartReport, McpToolEntry } from './mcp/types.js';
export type { McpServerStatus } from './session/mcp-servers.js';
/** Spawns the config's stdio MCP servers now (before the session code loads), for createSession to adopt. */
export { prespawnMcpServers } from './session/mcp-servers.js';
// Tools: the contract for an embedder's own tools (`extraTools`), and the hooks a front end can give the
// built-in ones (an editor's buffers for apply_patch, its terminal for commands).
export { commitPlan } from './tools/apply-patch/commit.js';
export type { PlannedFile } from './tools/apply-patch/plan.js';
export { APPROVAL_PRESETS, type ApprovalPreset, findApprovalPreset } from './tools/approval/presets.js';
export type { PatchFileAccess } from './tools/handlers/apply-patch.js';
export type * from './tools/types.js';
// MCP servers outside a session (`conduit mcp tools`); sessions start their own.
export type { McpClientOptions, McpConnectionManager };

/** A manager for MCP servers; `start` them, list their tools, `close` it. */
export async function createMcpManager(options: McpClientOptions): Promise<McpConnectionManager> {
  const { McpConnectionManager } = await import('./mcp/manager.js');
  return new McpConnectionManager(options);
}

// Signing in to OAuth-protected MCP servers (`conduit mcp login|logout|list`).
export type { AuthKind, LoginOptions, LoginResult } from './mcp/auth/login.js';
export type { SignInStatus } from './mcp/auth/provider.js';

/** Signs in to `server` in the browser (printing the URL through `options`), then lists its tools. */
export async function mcpLogin(server: McpServerConfig, options: LoginOptions): Promise<LoginResult> {
  const auth = await import('./mcp/auth/login.js');
  return auth.login(server, options);
}

/** Forgets the stored sign-in of the server named `name`; false when there was none. */
export async function mcpLogout(conduitHome: string, name: string): Promise<boolean> {
  const auth = await import('./mcp/auth/login.js');
  return auth.logout(conduitHome, name);
}

/** How each server authenticates and, for OAuth, what is stored; by server name. */
export async function mcpAuthStatus(
  conduitHome: string,
  servers: readonly McpServerConfig[],
): Promise<Map<string, AuthKind>> {
  const auth = await import('./mcp/auth/login.js');
  return new Map(servers.map((server) => [server.name, auth.authStatus(conduitHome, server)]));
}

// Model providers: their errors, the request URL a provider resolves to, the probe behind `conduit doctor`.
export type { DoctorReport, Finding, ProbeOptions } from './providers/doctor.js';
export { buildRequestUrl } from './providers/endpoint.js';
export { isModelError, ModelError } from './providers/errors.js';

/** Probes what the provider's endpoint supports (`conduit doctor`). */
export async function probeProvider(
  provider: ModelProviderInfo,
  options: ProbeOptions,
): Promise<DoctorReport> {
  const doctor = await import('./providers/doctor.js');
  return doctor.probeProvider(provider, options);
}

// The sandbox and the command environment (`conduit sandbox`, `conduit doctor`).
export { createEnv, DEFAULT_SHELL_ENVIRONMENT_POLICY } from './exec/env.js';
export type {
  CapturedOutput,
  RunSandboxed,
  SandboxedExecRequest,
  SandboxedExecResult,
} from './exec/types.js';
export {
  explainUnavailable,
  findExecutable,
  probeSandbox,
  type SandboxProbe,
} from './sandbox/probe.js';
export { prepareSandboxedCommand, runSandboxed } from './sandbox/run.js';
