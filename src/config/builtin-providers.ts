// The providers every install has. A user `[model_providers.<id>]` with one of these ids does not replace
// it (model_providers only extends, as in Codex); the loader warns instead of ignoring it silently.

import type { ModelProviderInfo } from './types.js';

export const DEFAULT_REQUEST_MAX_RETRIES = 4;
export const DEFAULT_STREAM_MAX_RETRIES = 5;
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

type Env = Record<string, string | undefined>;

function nonBlank(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}

function provider(
  fields: Partial<ModelProviderInfo> & Pick<ModelProviderInfo, 'id' | 'name' | 'baseUrl' | 'wireApi'>,
) {
  return {
    httpHeaders: {},
    envHttpHeaders: {},
    queryParams: {},
    requestMaxRetries: DEFAULT_REQUEST_MAX_RETRIES,
    streamMaxRetries: DEFAULT_STREAM_MAX_RETRIES,
    streamIdleTimeoutMs: DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    requiresOpenaiAuth: false,
    ...fields,
  } satisfies ModelProviderInfo;
}

/** Local servers need no key; the OSS port and URL follow Codex's environment variables. */
export function builtinProviders(env: Env, openaiBaseUrl?: string): Record<string, ModelProviderInfo> {
  const ossPort = nonBlank(env.CONDUIT_OSS_PORT) ?? nonBlank(env.CODEX_OSS_PORT) ?? '11434';
  const ossBaseUrl =
    nonBlank(env.CONDUIT_OSS_BASE_URL) ??
    nonBlank(env.CODEX_OSS_BASE_URL) ??
    `http://localhost:${ossPort}/v1`;
  return {
    openai: provider({
      id: 'openai',
      name: 'OpenAI',
      baseUrl: nonBlank(openaiBaseUrl) ?? nonBlank(env.OPENAI_BASE_URL) ?? OPENAI_DEFAULT_BASE_URL,
      wireApi: 'responses',
      envKey: 'OPENAI_API_KEY',
      envKeyInstructions:
        'No model is configured: export OPENAI_API_KEY (a key from https://platform.openai.com/api-keys), ' +
        'or use your own server: add a [model_providers.<id>] table (base_url, wire_api) and model_provider = "<id>" ' +
        'to $CONDUIT_HOME/config.toml (default ~/.conduit/config.toml), or pass --oss for a local Ollama. ' +
        '`conduit config show` prints the effective setup; the README has a complete example.',
      envHttpHeaders: { 'OpenAI-Organization': 'OPENAI_ORGANIZATION', 'OpenAI-Project': 'OPENAI_PROJECT' },
      requiresOpenaiAuth: true,
    }),
    oss: provider({ id: 'oss', name: 'gpt-oss', baseUrl: ossBaseUrl, wireApi: 'chat', quirks: 'ollama' }),
    ollama: provider({
      id: 'ollama',
      name: 'Ollama',
      baseUrl: 'http://localhost:11434/v1',
      wireApi: 'chat',
      quirks: 'ollama',
    }),
    lmstudio: provider({
      id: 'lmstudio',
      name: 'LM Studio',
      baseUrl: 'http://localhost:1234/v1',
      wireApi: 'responses',
    }),
  };
}

export const BUILTIN_PROVIDER_IDS = ['openai', 'oss', 'ollama', 'lmstudio'] as const;
