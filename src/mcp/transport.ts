// The SDK transport for one `[mcp_servers.<name>]` entry.

import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from '../config/types.js';
import { buildHttpHeaders, buildStdioEnv } from './env.js';
import { DiagnosticStdioTransport, type StdioTransportHooks } from './stdio-transport.js';

export interface CreatedTransport {
  transport: Transport;
  /** Present for stdio servers: exit code, stderr tail, stdout noise, and a synchronous kill. */
  stdio?: DiagnosticStdioTransport;
}

export function createTransport(
  config: McpServerConfig,
  env: Record<string, string | undefined>,
  hooks: StdioTransportHooks,
): CreatedTransport {
  const t = config.transport;
  if (t.type === 'stdio') {
    const stdio = new DiagnosticStdioTransport(
      { command: t.command, args: t.args, env: buildStdioEnv(t, env), cwd: t.cwd },
      hooks,
    );
    return { transport: stdio, stdio };
  }
  const headers = buildHttpHeaders(config.name, t, env);
  let url: URL;
  try {
    url = new URL(t.url);
  } catch {
    throw new Error(`its url ${JSON.stringify(t.url)} is not a valid URL`);
  }
  return { transport: new StreamableHTTPClientTransport(url, { requestInit: { headers } }) };
}
