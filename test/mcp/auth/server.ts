// A real OAuth-protected MCP server on 127.0.0.1 for the tests: the MCP SDK's authorization-server router
// (mcpAuthRouter: metadata, dynamic registration, /authorize, /token with PKCE checks) over a small
// in-memory provider of our own, its bearer-auth middleware in front of a stateful streamable HTTP MCP
// server, and a step-up rule: the tool `admin_action` needs the scope `admin` (403 insufficient_scope).

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidGrantError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type {
  AuthorizationParams,
  OAuthServerProvider,
} from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import express from 'express';
import { z } from 'zod';

type ExpressResponse = ServerResponse & {
  status(code: number): ExpressResponse;
  set(name: string, value: string): ExpressResponse;
  json(body: unknown): void;
};

interface Grant {
  clientId: string;
  scopes: string[];
  resource?: string;
}

export interface OAuthTestServer {
  url: string;
  origin: string;
  /** Seconds each new access token lives (the test decides how soon a refresh is due). */
  expiresIn: number;
  /** What the authorization server saw. */
  seen: {
    registrations: number;
    authorizations: { scope?: string; resource?: string; redirectUri: string }[];
    tokenGrants: string[];
    resources: (string | undefined)[];
    bearerTokens: string[];
  };
  /** Every access and refresh token issued so far. */
  issued: string[];
  /** While true, admin_action answers 403 insufficient_scope whatever the token holds. */
  refuseAdmin: boolean;
  /** Makes every access token issued so far invalid (the server "forgets" them). */
  revokeAccessTokens(): void;
  close(): Promise<void>;
}

export async function startOAuthServer(): Promise<OAuthTestServer> {
  const clients = new Map<string, OAuthClientInformationFull>();
  const codes = new Map<string, Grant & { challenge: string; redirectUri: string }>();
  const access = new Map<string, Grant & { expiresAt: number }>();
  const refresh = new Map<string, Grant>();
  const state: OAuthTestServer = {
    url: '',
    origin: '',
    expiresIn: 3600,
    seen: { registrations: 0, authorizations: [], tokenGrants: [], resources: [], bearerTokens: [] },
    issued: [],
    refuseAdmin: false,
    revokeAccessTokens: () => access.clear(),
    close: async () => undefined,
  };

  const issue = (grant: Grant): OAuthTokens => {
    const accessToken = `at-${randomUUID()}`;
    const refreshToken = `rt-${randomUUID()}`;
    access.set(accessToken, { ...grant, expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    refresh.set(refreshToken, grant);
    state.issued.push(accessToken, refreshToken);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: state.expiresIn,
      refresh_token: refreshToken,
      scope: grant.scopes.join(' '),
    };
  };

  const provider: OAuthServerProvider = {
    clientsStore: {
      getClient: (id) => clients.get(id),
      registerClient: (client) => {
        state.seen.registrations++;
        const full = {
          ...client,
          client_id: `client-${randomUUID()}`,
          client_id_issued_at: Math.floor(Date.now() / 1000),
        };
        clients.set(full.client_id, full);
        return full;
      },
    },
    async authorize(client, params: AuthorizationParams, res) {
      state.seen.authorizations.push({
        scope: params.scopes?.join(' '),
        resource: params.resource?.href,
        redirectUri: params.redirectUri,
      });
      const code = randomUUID();
      codes.set(code, {
        clientId: client.client_id,
        scopes: params.scopes ?? [],
        resource: params.resource?.href,
        challenge: params.codeChallenge,
        redirectUri: params.redirectUri,
      });
      const target = new URL(params.redirectUri);
      target.searchParams.set('code', code);
      if (params.state) target.searchParams.set('state', params.state);
      (res as unknown as { redirect(url: string): void }).redirect(target.href);
    },
    async challengeForAuthorizationCode(_client, code) {
      const grant = codes.get(code);
      if (!grant) throw new InvalidGrantError('unknown authorization code');
      return grant.challenge;
    },
    async exchangeAuthorizationCode(client, code, _verifier, redirectUri, resource) {
      const grant = codes.get(code);
      codes.delete(code);
      if (!grant || grant.clientId !== client.client_id) throw new InvalidGrantError('bad code');
      if (redirectUri !== grant.redirectUri) throw new InvalidGrantError('redirect_uri mismatch');
      state.seen.tokenGrants.push('authorization_code');
      state.seen.resources.push(resource?.href);
      return issue(grant);
    },
    async exchangeRefreshToken(client, token, _scopes, resource) {
      const grant = refresh.get(token);
      if (!grant || grant.clientId !== client.client_id) throw new InvalidGrantError('bad refresh token');
      refresh.delete(token);
      state.seen.tokenGrants.push('refresh_token');
      state.seen.resources.push(resource?.href);
      return issue(grant);
    },
    async verifyAccessToken(token): Promise<AuthInfo> {
      const grant = access.get(token);
      if (!grant) throw new InvalidTokenError('unknown or revoked token');
      return {
        token,
        clientId: grant.clientId,
        scopes: grant.scopes,
        expiresAt: grant.expiresAt,
        resource: grant.resource ? new URL(grant.resource) : undefined,
      };
    },
  };

  const app = express();
  const http: Server = await new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const mcpUrl = new URL(`${origin}/mcp`);
  state.origin = origin;
  state.url = mcpUrl.href;

  // The SDK's token handler knows only the user-facing grants; unattended clients use client_credentials
  // with a pre-registered id and secret (client_secret_basic or _post, as the metadata offers).
  app.post(
    '/token',
    express.urlencoded({ extended: false }),
    (req: IncomingMessage & { body?: Record<string, string> }, res: ExpressResponse, next: () => void) => {
      if (req.body?.grant_type !== 'client_credentials') return next();
      const basic = Buffer.from(
        String(req.headers.authorization ?? '').replace(/^Basic /, ''),
        'base64',
      ).toString();
      const body = req.body ?? {};
      const post = `${body.client_id}:${body.client_secret}`;
      if (basic !== 'robot:robot-secret' && post !== 'robot:robot-secret') {
        res.status(401).json({ error: 'invalid_client' });
        return;
      }
      state.seen.tokenGrants.push('client_credentials');
      state.seen.resources.push(body.resource);
      const { refresh_token: _unused, ...tokens } = issue({
        clientId: 'robot',
        scopes: (body.scope ?? 'mcp').split(' '),
        resource: body.resource,
      });
      res.json(tokens);
    },
  );

  const noRateLimit = { rateLimit: false } as const;
  app.use(
    mcpAuthRouter({
      provider,
      issuerUrl: new URL(origin),
      resourceServerUrl: mcpUrl,
      // `admin` is not advertised: a client only asks for it when a step-up names it.
      scopesSupported: ['mcp', 'offline_access'],
      authorizationOptions: noRateLimit,
      tokenOptions: noRateLimit,
      clientRegistrationOptions: noRateLimit,
    }),
  );
  const resourceMetadataUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;
  const bearer = requireBearerAuth({ verifier: provider, resourceMetadataUrl });

  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const servers: McpServer[] = [];
  app.all(
    '/mcp',
    express.json(),
    bearer,
    async (req: IncomingMessage & { body?: unknown }, res: ExpressResponse) => {
      const auth = (req as { auth?: AuthInfo }).auth;
      if (auth) state.seen.bearerTokens.push(auth.token);
      const body = req.body as { method?: string; params?: { name?: string } } | undefined;
      if (
        body?.method === 'tools/call' &&
        body.params?.name === 'admin_action' &&
        (state.refuseAdmin || !auth?.scopes.includes('admin'))
      ) {
        res
          .status(403)
          .set(
            'WWW-Authenticate',
            `Bearer error="insufficient_scope", scope="mcp admin", resource_metadata="${resourceMetadataUrl}"`,
          )
          .json({ error: 'insufficient_scope' });
        return;
      }
      const id = req.headers['mcp-session-id'];
      let transport = typeof id === 'string' ? sessions.get(id) : undefined;
      if (!transport) {
        const server = newMcpServer();
        servers.push(server);
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (sid) => {
            sessions.set(sid, created);
          },
        });
        await server.connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res, req.body);
    },
  );

  state.close = async () => {
    await Promise.all(servers.map((s) => s.close().catch(() => undefined)));
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  };
  return state;
}

function newMcpServer(): McpServer {
  const server = new McpServer({ name: 'oauth-test', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: 'Says which client and scopes the token carries' },
    async (extra) => ({
      content: [
        {
          type: 'text',
          text: `client ${extra.authInfo?.clientId} with scopes ${extra.authInfo?.scopes.join(' ')}`,
        },
      ],
    }),
  );
  server.registerTool('admin_action', { description: 'Needs the admin scope' }, async (extra) => ({
    content: [{ type: 'text', text: `admin done with scopes ${extra.authInfo?.scopes.join(' ')}` }],
  }));
  server.registerTool(
    'add_tool',
    {
      description: 'Adds a tool named NAME (the server then sends tools/list_changed)',
      inputSchema: { name: z.string() },
    },
    async ({ name }) => {
      server.registerTool(name, { description: `added at run time` }, async () => ({
        content: [{ type: 'text', text: `${name} ran` }],
      }));
      return { content: [{ type: 'text', text: `added ${name}` }] };
    },
  );
  return server;
}
