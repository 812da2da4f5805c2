// Authentication: Conduit's providers take their API key from an environment variable, so the auth
// method tells the user which variable to set (in the editor's agent settings, `env`). `authenticate`
// checks that it is there now; session/new without it fails with auth_required (-32000) naming it.

import type { AuthMethod } from '@agentclientprotocol/sdk';
import { RequestError } from '@agentclientprotocol/sdk';
import { type Config, resolveApiKey } from '../../index.js';

export function authMethodId(config: Config): string | undefined {
  const { modelProvider } = config;
  return modelProvider.envKey ? `env:${modelProvider.envKey}` : undefined;
}

/** One method per key the configured provider needs; none when it needs no key (a local server). */
export function authMethods(config: Config): AuthMethod[] {
  const { modelProvider } = config;
  const id = authMethodId(config);
  if (!id || !modelProvider.envKey) return [];
  const how = modelProvider.envKeyInstructions ? ` ${modelProvider.envKeyInstructions}` : '';
  return [
    {
      id,
      name: `API key in ${modelProvider.envKey}`,
      description: `Set the environment variable ${modelProvider.envKey} for the agent (in Zed: "env" of the agent_servers entry) to the API key of model provider "${modelProvider.id}", then restart the agent.${how}`,
    },
  ];
}

/** Throws auth_required, naming the variable, when the configured provider's key is missing. */
export function checkApiKey(config: Config, env: NodeJS.ProcessEnv): void {
  try {
    resolveApiKey(config.modelProvider, env);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw RequestError.authRequired({ message }, message);
  }
}
