// Shapes the MCP client hands to the layers above: start reports, tool listings, and the hooks a session
// provides for what servers ask of us (elicitation) or tell us (logs).

import type { ElicitRequest, ElicitResult, LoggingLevel, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { JsonSchema } from '../protocol/models.js';
import type { PrespawnedServers } from './prespawn.js';

export interface McpStartError {
  server: string;
  message: string;
}

export interface McpWarning {
  server: string;
  message: string;
}

export interface McpStartReport {
  /** Servers that failed to start; the others run normally. */
  errors: McpStartError[];
  /** Non-fatal problems: dropped tools, noise on stdout. */
  warnings: McpWarning[];
}

/** One tool as the model sees it. */
export interface McpToolEntry {
  qualifiedName: string;
  server: string;
  tool: string;
  description: string;
  parameters: JsonSchema;
  annotations?: Tool['annotations'];
}

export interface ElicitationRequest {
  server: string;
  params: ElicitRequest['params'];
  /** Aborted when the server cancels the request or the connection closes. */
  signal: AbortSignal;
}

export type ElicitationHandler = (request: ElicitationRequest) => Promise<ElicitResult>;

export interface McpLogEntry {
  server: string;
  /** `stderr` for a line the process wrote to stderr; otherwise the level of a `notifications/message`. */
  level: LoggingLevel | 'stderr';
  message: string;
}

export interface McpClientOptions {
  /** The session's working directory, answered to `roots/list`. */
  cwd: string;
  /** Elicitation requests from servers. Without one, they are declined (and logged). */
  onElicitation?: ElicitationHandler;
  /** Server stderr lines, server log notifications, runtime warnings. */
  onLog?: (entry: McpLogEntry) => void;
  /** The environment servers' variables are read from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Sent as `clientInfo.version` (the front end knows the package version; this layer does not). */
  clientVersion?: string;
  /** Server processes spawned ahead of the client code (prespawn.ts), adopted instead of spawning anew. */
  prespawned?: PrespawnedServers;
  /** OAuth for streamable HTTP servers; without it, a server that asks for a sign-in fails to start. */
  oauth?: McpOAuthOptions;
  /** A server's tool list changed (notifications/tools/list_changed) and was listed again. */
  onToolsChanged?: (change: McpToolsChange) => void;
}

export interface McpOAuthOptions {
  /** $CONDUIT_HOME: sign-ins are kept in its mcp-auth/ folder. */
  conduitHome: string;
  /**
   * True where a person is at hand to sign in (`conduit mcp login`): a browser may be opened whenever a
   * server asks. False in sessions: a missing or expired sign-in fails with the login command to run, and
   * only a step-up (403 insufficient_scope) opens a browser, and only when $BROWSER is set.
   */
  interactive: boolean;
  /** Every authorization URL, to print for machines without a browser. */
  onAuthorizationUrl?: (server: string, url: string) => void;
}

export interface McpToolsChange {
  server: string;
  /** The server's tools as the model now sees them (qualified names). */
  tools: string[];
}

export interface McpCallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}
