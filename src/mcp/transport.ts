// The SDK transport for one `[mcp_servers.<name>]` entry.

import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from '../config/types.js';
import type { ConduitOAuthProvider } from './auth/provider.js';
import { buildHttpHeaders } from './env.js';
import { type PrespawnedServers, stdioParams } from './prespawn.js';
import { DiagnosticStdioTransport, type StdioTransportHooks } from './stdio-transport.js';

export interface CreatedTransport {
  transport: Transport;
  /** Present for stdio servers: exit code, stderr tail, stdout noise, and a synchronous kill. */
  stdio?: DiagnosticStdioTransport;
  /** Present for streamable HTTP servers (finishAuth after a browser sign-in). */
  http?: StreamableHTTPClientTransport;
}

export function createTransport(
  config: McpServerConfig,
  env: Record<string, string | undefined>,
  hooks: StdioTransportHooks,
  prespawned?: PrespawnedServers,
  auth?: ConduitOAuthProvider,
): CreatedTransport {
  const t = config.transport;
  const params = stdioParams(config, env);
  if (params) {
    const stdio = new DiagnosticStdioTransport(params, hooks, prespawned?.take(config.name, params));
    return { transport: stdio, stdio };
  }
  if (t.type !== 'http') throw new Error(`unknown transport for MCP server '${config.name}'`);
  const headers = buildHttpHeaders(config.name, t, env);
  let url: URL;
  try {
    url = new URL(t.url);
  } catch {
    throw new Error(`its url ${JSON.stringify(t.url)} is not a valid URL`);
  }
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers },
    ...(auth ? { authProvider: auth, fetch: auth.fetch } : {}),
  });
  return { transport, http: transport };
}
