// The MCP servers an editor passes in `session/new` / `session/load`, as Conduit server configs started
// next to those of config.toml. A name already used by config.toml keeps the config.toml server; the
// editor's one is renamed (`name_editor`) rather than silently dropped.

import type { McpServer } from '@agentclientprotocol/sdk';
import { RequestError } from '@agentclientprotocol/sdk';
import type { McpServerConfig } from '../../index.js';

/** Editors often launch servers through npx, which can take a while the first time. */
const CLIENT_SERVER_STARTUP_TIMEOUT_SEC = 30;
const CLIENT_SERVER_TOOL_TIMEOUT_SEC = 60;

function safeName(name: string): string {
  const cleaned = name.trim().replace(/[^A-Za-z0-9_-]+/g, '_');
  return cleaned || 'server';
}

export function clientMcpServers(
  servers: readonly McpServer[],
  configured: Record<string, McpServerConfig>,
): { servers: Record<string, McpServerConfig>; warnings: string[] } {
  const out: Record<string, McpServerConfig> = {};
  const warnings: string[] = [];
  servers.forEach((server, index) => {
    let name = safeName(server.name);
    if (configured[name] || out[name]) {
      const renamed = `${name}_editor`;
      warnings.push(
        `MCP server "${server.name}" from the editor has the name of another server; its tools are named ${renamed}__<tool>`,
      );
      name = renamed;
    }
    const common = {
      name,
      enabled: true,
      startupTimeoutSec: CLIENT_SERVER_STARTUP_TIMEOUT_SEC,
      toolTimeoutSec: CLIENT_SERVER_TOOL_TIMEOUT_SEC,
    };
    if ('type' in server && server.type === 'sse') {
      throw RequestError.invalidParams(
        { index },
        `mcpServers[${index}] "${server.name}": SSE transport is not supported (mcpCapabilities.sse is false); use type "http"`,
      );
    }
    if ('type' in server && server.type === 'http') {
      out[name] = {
        ...common,
        transport: {
          type: 'http',
          url: server.url,
          httpHeaders: Object.fromEntries(server.headers.map((h) => [h.name, h.value])),
          envHttpHeaders: {},
        },
      };
      return;
    }
    const stdio = server as Extract<McpServer, { command: string }>;
    out[name] = {
      ...common,
      transport: {
        type: 'stdio',
        command: stdio.command,
        args: stdio.args,
        env: Object.fromEntries(stdio.env.map((e) => [e.name, e.value])),
        envVars: [],
      },
    };
  });
  return { servers: out, warnings };
}
