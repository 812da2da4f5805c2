// `conduit mcp-server`: serves the codex / codex-reply tools over stdio (default) or streamable HTTP.
// The configuration is loaded once at start so a broken config.toml stops the server with its message
// instead of failing every call; each call then loads its own config with its arguments on top.

import { createSession, loadConfig, UserError } from '../../index.js';
import type { GlobalOptions } from '../options.js';
import { VERSION } from '../version.js';
import { DEFAULT_SESSION_TTL_MS, parseListenAddress, serveHttp } from './http.js';
import { createMcpServer, type McpServerContext } from './server.js';
import { GuardedStdioTransport } from './stdio-transport.js';
import { type SessionOpener, ThreadRegistry } from './threads.js';

export const DEFAULT_APPROVAL_TIMEOUT_S = 120;
/** Idle conversations kept in memory; older ones are closed and resumed from disk when replied to. */
const MAX_IDLE_THREADS = 32;

export interface McpServerCommandOptions extends GlobalOptions {
  http?: string;
  bearerTokenEnvVar?: string;
  /** Seconds (text from the command line). */
  approvalTimeout?: string;
  /** Seconds (text from the command line); HTTP only. */
  sessionTtl?: string;
}

/** A positive number of seconds from the command line, as milliseconds. */
export function parseSeconds(flag: string, text: string | undefined, defaultMs: number): number {
  if (text === undefined) return defaultMs;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UserError(`${flag} ${text}: expected a positive number of seconds`);
  }
  return Math.round(seconds * 1000);
}

export function parseApprovalTimeout(text: string | undefined): number {
  return parseSeconds('--approval-timeout', text, DEFAULT_APPROVAL_TIMEOUT_S * 1000);
}

function bearerToken(
  envVar: string | undefined,
  env: Record<string, string | undefined>,
): string | undefined {
  if (envVar === undefined) return undefined;
  const token = env[envVar]?.trim();
  if (!token) throw new UserError(`--bearer-token-env-var ${envVar}: ${envVar} is not set or empty`);
  return token;
}

/** Each conversation is its own session, with its own MCP server processes. */
const openSession: SessionOpener = (config, resumePath) =>
  createSession(config, {
    resumePath,
    interactiveApprovals: true,
    elicitation: true,
    originator: 'conduit_mcp_server',
    source: 'mcp',
    cliVersion: VERSION,
  });

export async function runMcpServer(options: McpServerCommandOptions): Promise<void> {
  const env = process.env;
  const approvalTimeoutMs = parseApprovalTimeout(options.approvalTimeout);
  const sessionTtlMs = parseSeconds('--session-ttl', options.sessionTtl, DEFAULT_SESSION_TTL_MS);
  const address = options.http !== undefined ? parseListenAddress(options.http) : undefined;
  const token = bearerToken(options.bearerTokenEnvVar, env);
  const { config, warnings } = await loadConfig({
    env,
    cliOverrides: options.config,
    profile: options.profile,
    overrides: { model: options.model },
  });
  for (const warning of warnings) process.stderr.write(`conduit mcp-server: ${warning}\n`);

  const threads = new ThreadRegistry(config.conduitHome, openSession, MAX_IDLE_THREADS);
  const ctx: McpServerContext = { threads, globals: options, approvalTimeoutMs, env };
  let stopping = false;
  let stopTransport: () => Promise<void> = async () => {};
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stopTransport();
    await threads.closeAll();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  if (address) {
    const http = await serveHttp({
      address,
      token,
      sessionTtlMs,
      createMcpServer: () => createMcpServer(ctx),
    });
    stopTransport = http.close;
    process.stderr.write(
      `conduit mcp-server: listening on ${http.url}${token ? ' (bearer token required)' : ''}\n`,
    );
    return;
  }
  const server = createMcpServer(ctx);
  stopTransport = () => server.close();
  // The stdio transport does not notice its client going away; the end of stdin is that signal.
  process.stdin.once('end', stop);
  await server.connect(new GuardedStdioTransport());
}
