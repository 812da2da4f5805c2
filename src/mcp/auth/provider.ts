// Conduit's OAuthClientProvider: the SDK's auth() and its streamable HTTP transport run the protocol
// (protected-resource and authorization-server discovery with the 2025-03-26 fallbacks, client ID metadata
// documents, dynamic registration, PKCE, the resource indicator, refresh, step-up on 403); this class
// keeps their state in the credential store and decides when a browser may be used: always for
// `conduit mcp login`, and in a session only for a step-up when $BROWSER is set. Otherwise a sign-in that
// needs the user fails at once with LoginRequiredError, naming the command to run.

import { randomBytes } from 'node:crypto';
import {
  type AddClientAuthentication,
  auth,
  extractWWWAuthenticateParams,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { createPrivateKeyJwtAuth } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpOAuthConfig } from '../../config/types.js';
import { openBrowser } from './browser.js';
import { AuthorizationCallback } from './callback.js';
import { LoginRequiredError } from './errors.js';
import { clientSecret, privateKey } from './secrets.js';
import type { CredentialStore, StoredCredentials } from './store.js';

type Env = Record<string, string | undefined>;

/** A token this close to expiry is renewed before it is used. */
export const REFRESH_MARGIN_MS = 60_000;
/** How long a sign-in waits for the browser to come back. */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface OAuthProviderOptions {
  server: string;
  url: string;
  oauth?: McpOAuthConfig;
  store: CredentialStore;
  env: Env;
  /** True for `conduit mcp login` (a browser may always be opened); false in sessions. */
  interactive: boolean;
  clientVersion?: string;
  /** Told every authorization URL, so it can be printed for a machine without a browser. */
  onAuthorizationUrl?: (url: string) => void;
}

export class ConduitOAuthProvider implements OAuthClientProvider {
  readonly addClientAuthentication?: AddClientAuthentication;
  private record: StoredCredentials;
  private callback: AuthorizationCallback | undefined;
  private verifier: string | undefined;
  private authorizationStarted = false;
  /** Set from a 403 insufficient_scope until the new token arrives. */
  private stepUpScope: string | undefined;

  constructor(private readonly opts: OAuthProviderOptions) {
    this.record = opts.store.read(opts.server, opts.url) ?? { url: opts.url };
    const key = privateKey(opts.server, opts.oauth, opts.env);
    if (key && opts.oauth?.clientId) {
      this.addClientAuthentication = createPrivateKeyJwtAuth({
        issuer: opts.oauth.clientId,
        subject: opts.oauth.clientId,
        privateKey: key,
        alg: opts.oauth.signingAlgorithm ?? 'RS256',
      });
    }
  }

  private get clientCredentials(): boolean {
    return this.opts.oauth?.grant === 'client_credentials';
  }

  get redirectUrl(): string | undefined {
    if (this.clientCredentials) return undefined;
    // Before a browser sign-in starts, only refreshes happen, and they send no redirect URI.
    return (
      this.callback?.redirectUrl ?? registeredRedirect(this.record.client) ?? 'http://127.0.0.1/callback'
    );
  }

  get clientMetadataUrl(): string | undefined {
    return this.opts.oauth?.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    const scope = this.opts.oauth?.scopes?.join(' ') || undefined;
    if (this.clientCredentials) {
      return {
        client_name: 'Conduit',
        redirect_uris: [],
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: this.addClientAuthentication ? 'private_key_jwt' : 'client_secret_basic',
        scope,
      };
    }
    return {
      client_name: 'Conduit',
      software_id: 'conduit',
      software_version: this.opts.clientVersion,
      redirect_uris: [this.redirectUrl as string],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope,
    };
  }

  state(): string {
    return randomBytes(24).toString('base64url');
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    const configured = this.opts.oauth?.clientId;
    if (configured) {
      const secret = clientSecret(this.opts.server, this.opts.oauth, this.opts.env);
      return { client_id: configured, ...(secret ? { client_secret: secret } : {}) };
    }
    return this.record.client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    // A configured client (and its secret) stays in the config and the environment.
    if (this.opts.oauth?.clientId) return;
    this.update({ client: info });
  }

  tokens(): OAuthTokens | undefined {
    const tokens = this.record.tokens;
    // A refresh keeps the old scope: during a step-up, auth() must ask the user instead.
    if (tokens && this.stepUpScope !== undefined) return { ...tokens, refresh_token: undefined };
    return tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    // Some servers omit refresh_token on refresh, meaning "keep the one you have".
    const refresh = tokens.refresh_token ?? this.record.tokens?.refresh_token;
    this.update({
      tokens: { ...tokens, ...(refresh ? { refresh_token: refresh } : {}) },
      expiresAt: tokens.expires_in !== undefined ? Date.now() + tokens.expires_in * 1000 : undefined,
      pendingScope: undefined,
    });
    this.stepUpScope = undefined;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error(`no sign-in to MCP server '${this.opts.server}' is in progress`);
    return this.verifier;
  }

  prepareTokenRequest(scope?: string): URLSearchParams | undefined {
    if (!this.clientCredentials) return undefined;
    const params = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) params.set('scope', scope);
    return params;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.update({ discovery: state });
  }

  /**
   * auth() asks for the cached discovery state first thing in every attempt, before it registers a client
   * or builds an authorization URL: the moment to decide whether this attempt may involve the user, and
   * to open the loopback listener whose address goes into the registration and the URL.
   */
  async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    if (!this.clientCredentials) await this.prepareForBrowser();
    return this.record.discovery;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const callback = this.callback;
    if (!callback) throw this.loginRequired();
    const url = withExtraScopes(authorizationUrl, [
      ...(this.record.pendingScope?.split(' ') ?? []),
      ...(this.offersOfflineAccess() ? ['offline_access'] : []),
    ]);
    const state = url.searchParams.get('state');
    if (state) callback.expectState(state);
    this.authorizationStarted = true;
    this.opts.onAuthorizationUrl?.(url.href);
    await openBrowser(url.href, this.opts.env);
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'verifier') {
      this.verifier = undefined;
      return;
    }
    const all = scope === 'all';
    this.update({
      ...(all || scope === 'tokens' ? { tokens: undefined, expiresAt: undefined } : {}),
      ...(all || scope === 'client' ? { client: undefined } : {}),
      ...(all || scope === 'discovery' ? { discovery: undefined } : {}),
    });
  }

  /** fetch for the transport: notes a 403 insufficient_scope so the following auth() asks for the new scope. */
  readonly fetch: FetchLike = async (url, init) => {
    const response = await fetch(url, init);
    if (response.status === 403) {
      const { error, scope } = extractWWWAuthenticateParams(response);
      if (error === 'insufficient_scope') this.stepUpScope = scope ?? '';
    }
    return response;
  };

  /** True once an authorization URL went to the browser and its code has not been collected yet. */
  get authorizationPending(): boolean {
    return this.authorizationStarted;
  }

  /** The authorization code from the browser (for transport.finishAuth). */
  async waitForCode(signal?: AbortSignal): Promise<string> {
    const callback = this.callback;
    if (!callback || !this.authorizationStarted) throw this.loginRequired();
    try {
      return await callback.waitForCode(SIGN_IN_TIMEOUT_MS, signal);
    } catch (error) {
      throw new Error(
        `sign-in to MCP server '${this.opts.server}' did not complete: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.authorizationStarted = false;
    }
  }

  /** Renews a token that expires within REFRESH_MARGIN_MS (or fetches a client_credentials one). */
  async ensureFresh(): Promise<void> {
    const { tokens, expiresAt } = this.record;
    const expiring = expiresAt !== undefined && expiresAt - Date.now() < REFRESH_MARGIN_MS;
    const canRenew = this.clientCredentials || Boolean(tokens?.refresh_token);
    if (!tokens || !expiring || !canRenew) return;
    await auth(this, { serverUrl: this.opts.url, fetchFn: this.fetch });
  }

  /** What `conduit mcp list` shows. */
  status(): SignInStatus {
    return describeStatus(this.record, this.clientCredentials);
  }

  /** Stops the loopback listener once the code was traded (or the sign-in failed). */
  endSignIn(): void {
    this.callback?.close();
    this.callback = undefined;
    this.authorizationStarted = false;
  }

  private async prepareForBrowser(): Promise<void> {
    const browserAllowed =
      this.opts.interactive || (this.stepUpScope !== undefined && Boolean(this.opts.env.BROWSER?.trim()));
    if (!browserAllowed) {
      // A refresh may still work; anything that needs the user fails now rather than waiting for one.
      if (this.stepUpScope !== undefined || !this.record.tokens?.refresh_token) throw this.loginRequired();
      return;
    }
    if (this.callback) return;
    const configured = this.opts.oauth?.callbackPort;
    const registered = portOf(registeredRedirect(this.record.client));
    try {
      this.callback = await AuthorizationCallback.listen(this.opts.server, configured ?? registered ?? 0);
    } catch (error) {
      if (configured !== undefined || registered === undefined) {
        throw new Error(
          `cannot listen on 127.0.0.1:${configured ?? 0} for the sign-in redirect of MCP server '${this.opts.server}': ${(error as Error).message}`,
        );
      }
      // The port this client was registered with is taken: register again with a new one.
      this.invalidateCredentials('client');
      this.callback = await AuthorizationCallback.listen(this.opts.server, 0);
    }
  }

  private loginRequired(): LoginRequiredError {
    if (this.stepUpScope !== undefined) {
      const scope = this.stepUpScope || undefined;
      this.update({ pendingScope: scope });
      this.stepUpScope = undefined;
      return new LoginRequiredError(this.opts.server, 'step-up', scope);
    }
    return new LoginRequiredError(this.opts.server, this.record.tokens ? 'expired' : 'missing');
  }

  private offersOfflineAccess(): boolean {
    return Boolean(
      this.record.discovery?.authorizationServerMetadata?.scopes_supported?.includes('offline_access'),
    );
  }

  private update(patch: Partial<StoredCredentials>): void {
    this.record = { ...this.record, ...patch, url: this.opts.url };
    this.opts.store.write(this.opts.server, this.record);
  }
}

export interface SignInStatus {
  state: 'signed-in' | 'expired' | 'not-signed-in';
  /** Epoch ms. */
  expiresAt?: number;
  refreshable: boolean;
  scope?: string;
}

export function describeStatus(
  record: StoredCredentials | undefined,
  clientCredentials = false,
): SignInStatus {
  const tokens = record?.tokens;
  const refreshable = clientCredentials || Boolean(tokens?.refresh_token);
  if (!tokens) return { state: 'not-signed-in', refreshable };
  const expired = record?.expiresAt !== undefined && record.expiresAt <= Date.now();
  return {
    state: expired && !refreshable ? 'expired' : 'signed-in',
    expiresAt: record?.expiresAt,
    refreshable,
    scope: tokens.scope,
  };
}

function registeredRedirect(client: OAuthClientInformationMixed | undefined): string | undefined {
  const uris = (client as { redirect_uris?: unknown } | undefined)?.redirect_uris;
  return Array.isArray(uris) && typeof uris[0] === 'string' ? uris[0] : undefined;
}

function portOf(url: string | undefined): number | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.hostname === '127.0.0.1' && parsed.port ? Number(parsed.port) : undefined;
  } catch {
    return undefined;
  }
}

/** The URL with `extra` scopes added to its scope parameter (when there is a scope to add to, or extras). */
function withExtraScopes(url: URL, extra: string[]): URL {
  const current = url.searchParams.get('scope')?.split(' ').filter(Boolean) ?? [];
  const wanted = [...new Set([...current, ...extra.filter(Boolean)])];
  if (wanted.length === current.length) return url;
  const copy = new URL(url);
  copy.searchParams.set('scope', wanted.join(' '));
  return copy;
}
