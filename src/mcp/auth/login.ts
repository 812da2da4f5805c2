// `conduit mcp login / logout / list`: signing in to one server with the browser (by starting it the way
// a session does, with a browser allowed), forgetting a sign-in, and reading what is stored.

import { MCP_SERVER_NAME } from '../../config/schema.js';
import type { McpServerConfig } from '../../config/types.js';
import { McpConnectionManager } from '../manager.js';
import { describeStatus, type SignInStatus } from './provider.js';
import { CredentialStore } from './store.js';

export interface LoginOptions {
  conduitHome: string;
  cwd: string;
  env?: Record<string, string | undefined>;
  clientVersion?: string;
  /** Each authorization URL (print it: the machine may have no browser). */
  onAuthorizationUrl: (url: string) => void;
}

export interface LoginResult {
  /** False when the server answered without asking for a sign-in. */
  signedIn: boolean;
  status: SignInStatus;
  tools: number;
}

export type AuthKind =
  | { kind: 'stdio' }
  | { kind: 'bearer'; envVar: string }
  | { kind: 'oauth'; grant: 'authorization_code' | 'client_credentials'; status: SignInStatus };

/** How a server authenticates, and for OAuth what is stored. */
export function authStatus(conduitHome: string, server: McpServerConfig): AuthKind {
  const t = server.transport;
  if (t.type === 'stdio') return { kind: 'stdio' };
  if (t.bearerTokenEnvVar) return { kind: 'bearer', envVar: t.bearerTokenEnvVar };
  const grant = t.oauth?.grant ?? 'authorization_code';
  const record = new CredentialStore(conduitHome).read(server.name, t.url);
  return { kind: 'oauth', grant, status: describeStatus(record, grant === 'client_credentials') };
}

export async function login(server: McpServerConfig, options: LoginOptions): Promise<LoginResult> {
  const t = server.transport;
  if (t.type !== 'http') {
    throw new Error(`MCP server '${server.name}' runs over stdio: only streamable HTTP servers sign in`);
  }
  if (t.bearerTokenEnvVar) {
    throw new Error(
      `MCP server '${server.name}' uses a static token (bearer_token_env_var = "${t.bearerTokenEnvVar}"); remove that key to sign in with OAuth instead`,
    );
  }
  const store = new CredentialStore(options.conduitHome);
  // A login asks again even when a sign-in is stored (another account, more access): drop the tokens, keep
  // the client registration and what discovery learnt.
  const previous = store.read(server.name, t.url);
  if (previous?.tokens) store.write(server.name, { ...previous, tokens: undefined, expiresAt: undefined });
  const manager = new McpConnectionManager({
    cwd: options.cwd,
    env: options.env,
    clientVersion: options.clientVersion,
    oauth: {
      conduitHome: options.conduitHome,
      interactive: true,
      onAuthorizationUrl: (_server, url) => options.onAuthorizationUrl(url),
    },
  });
  try {
    const report = await manager.start([{ ...server, enabled: true }]);
    const failure = report.errors[0];
    if (failure) {
      // Nothing is lost to a failed login: the earlier sign-in comes back if no new one was stored.
      const now = store.read(server.name, t.url);
      if (previous?.tokens && !now?.tokens) store.write(server.name, { ...(now ?? previous), ...previous });
      throw new Error(failure.message);
    }
    const record = store.read(server.name, t.url);
    return {
      signedIn: Boolean(record?.tokens),
      status: describeStatus(record, t.oauth?.grant === 'client_credentials'),
      tools: manager.listTools().length,
    };
  } finally {
    await manager.close();
  }
}

/** Forgets the stored sign-in; false when there was none. */
export function logout(conduitHome: string, server: string): boolean {
  // The name becomes a file name: only what a configured server may be called.
  if (!MCP_SERVER_NAME.test(server)) throw new Error(`"${server}" is not a valid MCP server name`);
  return new CredentialStore(conduitHome).remove(server);
}
