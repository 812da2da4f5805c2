// Where a request goes and what it carries: the URL (base_url + path + encoded query_params), the auth and
// provider headers (environment read at request time, so a key exported mid-session is picked up), and
// Azure detection.
import { arch, type as osType, release } from 'node:os';
import { resolveApiKey } from '../config/auth.js';
import { ConfigError } from '../config/errors.js';
import type { ModelProviderInfo } from '../config/types.js';
import { ModelError } from './errors.js';

export type Endpoint = '/responses' | '/chat/completions' | '/models';

/**
 * `{base_url}{path}?{query_params}`. Parameters are URL-encoded (Codex appends them raw, which breaks on
 * `&` or spaces) and merged with any query string already in base_url.
 */
export function buildRequestUrl(provider: ModelProviderInfo, path: Endpoint): string {
  let url: URL | undefined;
  try {
    url = new URL(provider.baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError(
      `model provider "${provider.id}": base_url ${JSON.stringify(provider.baseUrl)} is not a valid http(s) URL`,
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  for (const [key, value] of Object.entries(provider.queryParams)) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * The bearer token, by config/auth's priority (`experimental_bearer_token` > the `env_key` variable > the
 * session key for OpenAI-auth providers). A missing key becomes an `env_var` ModelError naming the
 * variable; a provider with no key configured (a local server) sends no Authorization header.
 */
export function resolveBearerToken(
  provider: ModelProviderInfo,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  try {
    return resolveApiKey(provider, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new ModelError('env_var', err.message, { cause: err });
    throw err;
  }
}

export interface HeaderContext {
  sessionId: string;
  originator: string;
  version: string;
  wire: 'responses' | 'chat';
}

export function buildRequestHeaders(
  provider: ModelProviderInfo,
  ctx: HeaderContext,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'text/event-stream',
    originator: ctx.originator,
    'user-agent': userAgent(ctx.originator, ctx.version),
  };
  // Codex sends the conversation ids on the Responses wire only (they key OpenAI's prompt cache routing).
  if (ctx.wire === 'responses') {
    headers.conversation_id = ctx.sessionId;
    headers.session_id = ctx.sessionId;
  }
  for (const [name, value] of Object.entries(provider.httpHeaders)) headers[name.toLowerCase()] = value;
  for (const [name, variable] of Object.entries(provider.envHttpHeaders)) {
    const value = env[variable]?.trim();
    if (value) headers[name.toLowerCase()] = value;
  }
  const token = resolveBearerToken(provider, env);
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

export function userAgent(originator: string, version: string): string {
  return `${originator}/${version} (${osType()} ${release()}; ${arch()}) node/${process.versions.node}`;
}

const AZURE_HOST_MARKERS = [
  'openai.azure.',
  'cognitiveservices.azure.',
  'aoai.azure.',
  'azure-api.',
  'azurefd.',
];

/** Azure's Responses endpoint needs `store: true` and the original item ids. */
export function isAzureProvider(provider: ModelProviderInfo): boolean {
  if (provider.name.toLowerCase() === 'azure') return true;
  const base = provider.baseUrl.toLowerCase();
  return AZURE_HOST_MARKERS.some((marker) => base.includes(marker));
}
