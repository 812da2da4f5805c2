// `[mcp_servers.<name>]` entries (already validated: name, transport split) → McpServerConfig with defaults.

import type { McpServerFile } from './schema.js';
import type { McpServerConfig } from './types.js';

export const DEFAULT_MCP_STARTUP_TIMEOUT_SEC = 10;
export const DEFAULT_MCP_TOOL_TIMEOUT_SEC = 60;

export function resolveMcpServers(entries: Record<string, McpServerFile>): Record<string, McpServerConfig> {
  const servers: Record<string, McpServerConfig> = {};
  for (const [name, e] of Object.entries(entries)) {
    servers[name] = {
      name,
      enabled: e.enabled ?? true,
      startupTimeoutSec:
        e.startup_timeout_sec ??
        (e.startup_timeout_ms !== undefined ? e.startup_timeout_ms / 1000 : DEFAULT_MCP_STARTUP_TIMEOUT_SEC),
      toolTimeoutSec: e.tool_timeout_sec ?? DEFAULT_MCP_TOOL_TIMEOUT_SEC,
      enabledTools: e.enabled_tools,
      disabledTools: e.disabled_tools,
      transport: e.command
        ? {
            type: 'stdio',
            command: e.command,
            args: e.args ?? [],
            env: e.env ?? {},
            envVars: e.env_vars ?? [],
            cwd: e.cwd,
          }
        : {
            type: 'http',
            url: e.url!,
            bearerTokenEnvVar: e.bearer_token_env_var,
            httpHeaders: e.http_headers ?? {},
            envHttpHeaders: e.env_http_headers ?? {},
            oauth: e.oauth && {
              grant: e.oauth.grant ?? 'authorization_code',
              clientId: e.oauth.client_id,
              clientSecretEnv: e.oauth.client_secret_env,
              clientMetadataUrl: e.oauth.client_metadata_url,
              scopes: e.oauth.scopes,
              privateKeyEnv: e.oauth.private_key_env,
              signingAlgorithm: e.oauth.private_key_env ? (e.oauth.signing_algorithm ?? 'RS256') : undefined,
              callbackPort: e.oauth.callback_port,
            },
          },
    };
  }
  return servers;
}
