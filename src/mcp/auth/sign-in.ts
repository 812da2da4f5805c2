// Glue between a connection and its OAuth provider: which servers get one, and finishing a browser
// sign-in after the SDK's transport reported it sent the user away (UnauthorizedError after 'REDIRECT').

import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpServerConfig } from '../../config/types.js';
import type { McpClientOptions } from '../types.js';
import { ConduitOAuthProvider } from './provider.js';
import { CredentialStore } from './store.js';

/** A server gets a sign-in when it is streamable HTTP and not given a static bearer token. */
export function createAuthProvider(
  config: McpServerConfig,
  options: McpClientOptions,
): ConduitOAuthProvider | undefined {
  const t = config.transport;
  if (t.type !== 'http' || t.bearerTokenEnvVar || !options.oauth) return undefined;
  const { conduitHome, interactive, onAuthorizationUrl } = options.oauth;
  return new ConduitOAuthProvider({
    server: config.name,
    url: t.url,
    oauth: t.oauth,
    store: new CredentialStore(conduitHome),
    env: options.env ?? process.env,
    interactive,
    clientVersion: options.clientVersion,
    onAuthorizationUrl: onAuthorizationUrl && ((url) => onAuthorizationUrl(config.name, url)),
  });
}

/** Waits for the browser to come back with the code and trades it for tokens. */
export async function completeSignIn(
  auth: ConduitOAuthProvider,
  transport: StreamableHTTPClientTransport,
  signal?: AbortSignal,
): Promise<void> {
  try {
    const code = await auth.waitForCode(signal);
    await transport.finishAuth(code);
  } finally {
    auth.endSignIn();
  }
}
