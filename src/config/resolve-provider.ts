// A user `[model_providers.<id>]` entry → ModelProviderInfo with Codex's defaults (wire_api `chat`,
// 4 request retries, 5 stream retries, 5-minute idle timeout).

import {
  DEFAULT_REQUEST_MAX_RETRIES,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  DEFAULT_STREAM_MAX_RETRIES,
  OPENAI_DEFAULT_BASE_URL,
} from './builtin-providers.js';
import { ConfigError } from './errors.js';
import type { ModelProviderFile } from './schema.js';
import type { ModelProviderInfo } from './types.js';

export function resolveUserProvider(id: string, entry: ModelProviderFile, where: string): ModelProviderInfo {
  const baseUrl = entry.base_url ?? OPENAI_DEFAULT_BASE_URL;
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new ConfigError(
      `${where}: model_providers.${id}.base_url: expected an http(s) URL, got ${JSON.stringify(baseUrl)}`,
    );
  }
  return {
    id,
    name: entry.name ?? id,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    wireApi: entry.wire_api ?? 'chat',
    envKey: entry.env_key,
    envKeyInstructions: entry.env_key_instructions,
    experimentalBearerToken: entry.experimental_bearer_token,
    httpHeaders: entry.http_headers ?? {},
    envHttpHeaders: entry.env_http_headers ?? {},
    queryParams: entry.query_params ?? {},
    requestMaxRetries: entry.request_max_retries ?? DEFAULT_REQUEST_MAX_RETRIES,
    streamMaxRetries: entry.stream_max_retries ?? DEFAULT_STREAM_MAX_RETRIES,
    streamIdleTimeoutMs: entry.stream_idle_timeout_ms ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    requiresOpenaiAuth: entry.requires_openai_auth ?? false,
    quirks: entry.quirks,
  };
}
