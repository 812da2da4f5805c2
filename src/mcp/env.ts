// What a server process or HTTP endpoint gets from our environment. Stdio servers start from a short
// whitelist, never our whole environment (API keys must not leak into third-party servers), plus what
// the config entry names. HTTP credentials are read from the environment at start time.

import { UserError } from '../config/errors.js';
import type { McpTransportConfig } from '../config/types.js';

export const STDIO_ENV_WHITELIST = [
  'HOME',
  'LOGNAME',
  'PATH',
  'SHELL',
  'USER',
  'LANG',
  'LC_ALL',
  'TERM',
  'TMPDIR',
  'TZ',
] as const;

type Env = Record<string, string | undefined>;
type StdioTransport = Extract<McpTransportConfig, { type: 'stdio' }>;
type HttpTransport = Extract<McpTransportConfig, { type: 'http' }>;

/** Whitelist, then the `env_vars` names (when set), then the literal `env` entries, later ones winning. */
export function buildStdioEnv(transport: StdioTransport, parentEnv: Env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...STDIO_ENV_WHITELIST, ...transport.envVars]) {
    const value = parentEnv[name];
    // A value starting with `()` is an exported bash function: code, not data.
    if (value !== undefined && !value.startsWith('()')) env[name] = value;
  }
  return { ...env, ...transport.env };
}

/** Static headers, env headers whose variable is non-blank, and the bearer token (which must be set). */
export function buildHttpHeaders(
  server: string,
  transport: HttpTransport,
  parentEnv: Env,
): Record<string, string> {
  const headers: Record<string, string> = { ...transport.httpHeaders };
  for (const [header, variable] of Object.entries(transport.envHttpHeaders)) {
    const value = parentEnv[variable];
    if (value !== undefined && value.trim() !== '') headers[header] = value;
  }
  if (transport.bearerTokenEnvVar) {
    const token = parentEnv[transport.bearerTokenEnvVar];
    if (token === undefined || token.trim() === '') {
      throw new UserError(
        `environment variable ${transport.bearerTokenEnvVar} (bearer_token_env_var of [mcp_servers.${server}]) is ${token === undefined ? 'not set' : 'empty'}`,
      );
    }
    headers.Authorization = `Bearer ${token.trim()}`;
  }
  return headers;
}
