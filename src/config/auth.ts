// Which credential a provider request carries. Priority, as in Codex: experimental_bearer_token > the env_key
// variable > a session-wide key (`CODEX_API_KEY` / `CONDUIT_API_KEY`, which `conduit exec` honours for the
// OpenAI provider). A provider that names an env_key it cannot find is a configuration error that says
// which variable to set and how.

import { ConfigError } from './errors.js';
import type { ModelProviderInfo } from './types.js';

type Env = Record<string, string | undefined>;

/** Session-wide key variables, checked after the provider's own env_key (OpenAI provider only). */
export const SESSION_API_KEY_VARS = ['CONDUIT_API_KEY', 'CODEX_API_KEY'] as const;

export function resolveApiKey(provider: ModelProviderInfo, env: Env = process.env): string | undefined {
  if (provider.experimentalBearerToken) return provider.experimentalBearerToken;
  const fromKey = provider.envKey ? env[provider.envKey]?.trim() : undefined;
  if (fromKey) return fromKey;
  if (provider.requiresOpenaiAuth) {
    for (const name of SESSION_API_KEY_VARS) {
      const value = env[name]?.trim();
      if (value) return value;
    }
  }
  if (provider.envKey) {
    const how = provider.envKeyInstructions ? ` ${provider.envKeyInstructions}` : '';
    const alt = provider.requiresOpenaiAuth ? ` (or ${SESSION_API_KEY_VARS.join(' / ')})` : '';
    const declared = provider.envKeySource
      ? ` (env_key set at ${provider.envKeySource})`
      : ` (built-in provider ${provider.id})`;
    throw new ConfigError(
      `model provider "${provider.id}" needs an API key: environment variable ${provider.envKey}${alt} is not set or empty${declared}.${how}`,
    );
  }
  return undefined;
}
