// Client secrets and private keys named by `[mcp_servers.<name>.oauth]`, read from the environment when
// they are needed (never stored in the config, the token files or logs).

import type { McpOAuthConfig } from '../../config/types.js';

type Env = Record<string, string | undefined>;

function required(server: string, key: string, variable: string, env: Env): string {
  const value = env[variable];
  if (value === undefined || value.trim() === '') {
    throw new Error(
      `environment variable ${variable} (${key} of [mcp_servers.${server}.oauth]) is ${value === undefined ? 'not set' : 'empty'}`,
    );
  }
  return value;
}

export function clientSecret(
  server: string,
  oauth: McpOAuthConfig | undefined,
  env: Env,
): string | undefined {
  if (!oauth?.clientSecretEnv) return undefined;
  return required(server, 'client_secret_env', oauth.clientSecretEnv, env).trim();
}

export function privateKey(server: string, oauth: McpOAuthConfig | undefined, env: Env): string | undefined {
  if (!oauth?.privateKeyEnv) return undefined;
  // A PEM pasted into a single-line variable often has literal "\n"s.
  return required(server, 'private_key_env', oauth.privateKeyEnv, env).replaceAll('\\n', '\n');
}
