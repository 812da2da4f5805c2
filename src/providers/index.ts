// Model providers: one ModelClient for both wires. `createModelClient` picks the wire from the provider's
// `wire_api`; the agent loop only sees ResponseEvents.
import type { ModelFamily, ModelProviderInfo } from '../config/types.js';
import { ChatWire } from './chat/wire.js';
import { HttpModelClient } from './client.js';
import { isAzureProvider } from './endpoint.js';
import { resolveChatQuirks } from './quirks.js';
import { ResponsesWire } from './responses/wire.js';

export interface ModelClientOptions {
  /** The session (conversation) UUID: prompt_cache_key and the session_id / conversation_id headers. */
  sessionId: string;
  family: ModelFamily;
  /** `originator` header (`conduit_exec`, `conduit_mcp`…); CONDUIT_INTERNAL_ORIGINATOR_OVERRIDE wins. */
  originator?: string;
  /** Conduit's version, for the User-Agent. */
  version?: string;
  /** Environment read at each request for API keys and env_http_headers (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export function createModelClient(provider: ModelProviderInfo, options: ModelClientOptions): HttpModelClient {
  const env = options.env ?? process.env;
  const wire =
    provider.wireApi === 'responses'
      ? new ResponsesWire({
          family: options.family,
          sessionId: options.sessionId,
          azure: isAzureProvider(provider),
        })
      : new ChatWire(resolveChatQuirks(provider), options.family);
  return new HttpModelClient(provider, wire, {
    sessionId: options.sessionId,
    originator: env.CONDUIT_INTERNAL_ORIGINATOR_OVERRIDE?.trim() || options.originator || 'conduit',
    version: options.version ?? '0.0.0',
    env,
  });
}

export { HttpModelClient, type StreamInfo } from './client.js';
export { buildRequestHeaders, buildRequestUrl, isAzureProvider } from './endpoint.js';
export { isModelError, ModelError, type ModelErrorKind } from './errors.js';
export { type ChatQuirks, detectQuirkProfile, QUIRK_PROFILE_IDS, resolveChatQuirks } from './quirks.js';
export { addTokenUsage, emptyTokenUsage, SessionTokenUsage } from './usage.js';
