// Signing in to a real OAuth-protected MCP server (test/mcp/auth/server.ts) with a scripted browser:
// login, calls with the token, refresh before expiry and after a 401, step-up, logout, the token file.

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { McpServerConfig } from '../../../src/config/types.js';
import { login, logout } from '../../../src/mcp/auth/login.js';
import { McpConnectionManager } from '../../../src/mcp/manager.js';
import type { McpToolsChange } from '../../../src/mcp/types.js';
import { fixture } from '../helpers.js';
import { type OAuthTestServer, startOAuthServer } from './server.js';

let server: OAuthTestServer;
let home: string;
const managers: McpConnectionManager[] = [];
const browser = `${process.execPath} ${fixture('browser.mjs')}`;

beforeAll(async () => {
  server = await startOAuthServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  if (home) rmSync(home, { recursive: true, force: true });
});

function remote(): McpServerConfig {
  return {
    name: 'remote',
    enabled: true,
    startupTimeoutSec: 20,
    toolTimeoutSec: 30,
    transport: { type: 'http', url: server.url, httpHeaders: {}, envHttpHeaders: {} },
  };
}

function newHome(): string {
  home = mkdtempSync(join(tmpdir(), 'conduit-oauth-'));
  return home;
}

async function signIn(conduitHome: string): Promise<string[]> {
  const urls: string[] = [];
  const result = await login(remote(), {
    conduitHome,
    cwd: conduitHome,
    env: { ...process.env, BROWSER: browser },
    onAuthorizationUrl: (url) => urls.push(url),
  });
  expect(result.signedIn).toBe(true);
  expect(result.tools).toBe(3);
  return urls;
}

async function session(
  conduitHome: string,
  env: Record<string, string | undefined> = {},
  onToolsChanged?: (change: McpToolsChange) => void,
) {
  const manager = new McpConnectionManager({
    cwd: conduitHome,
    env: { PATH: process.env.PATH, ...env },
    oauth: { conduitHome, interactive: false },
    onToolsChanged,
  });
  managers.push(manager);
  const report = await manager.start([remote()]);
  const call = async (tool: string, args: Record<string, unknown> = {}) => {
    const result = await manager.callTool('remote', tool, args);
    return (result.content[0] as { text: string }).text;
  };
  return { manager, report, call };
}

describe('OAuth sign-in to a streamable HTTP MCP server', () => {
  it('logs in through the browser, stores the token 0600, and calls tools with it', async () => {
    const conduitHome = newHome();
    const before = server.seen.registrations;
    const urls = await signIn(conduitHome);

    // One authorization URL, printed: PKCE S256, the loopback redirect, the resource indicator, scopes.
    expect(urls).toHaveLength(1);
    const url = new URL(urls[0]);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(url.searchParams.get('resource')).toBe(server.url);
    expect(url.searchParams.get('scope')).toBe('mcp offline_access');
    expect(server.seen.registrations).toBe(before + 1);

    const file = join(conduitHome, 'mcp-auth', 'remote.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(conduitHome, 'mcp-auth')).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.url).toBe(server.url);
    expect(stored.tokens.access_token).toMatch(/^at-/);

    const { report, call } = await session(conduitHome);
    expect(report.errors).toEqual([]);
    expect(await call('whoami')).toMatch(/^client client-.* with scopes mcp offline_access$/);
    expect(server.seen.bearerTokens.at(-1)).toBe(stored.tokens.access_token);
  });

  it('refreshes a token before it expires, and again after the server rejects it', async () => {
    const conduitHome = newHome();
    server.expiresIn = 1; // well inside the refresh margin: the next use renews it
    try {
      await signIn(conduitHome);
    } finally {
      server.expiresIn = 3600;
    }
    const grants = server.seen.tokenGrants.length;
    const { report, call } = await session(conduitHome);
    expect(report.errors).toEqual([]);
    expect(server.seen.tokenGrants.slice(grants)).toEqual(['refresh_token']);
    expect(server.seen.resources.at(-1)).toBe(server.url);
    expect(await call('whoami')).toMatch(/^client /);

    // The server forgets every access token: the 401 leads to a refresh and the call goes through.
    server.revokeAccessTokens();
    expect(await call('whoami')).toMatch(/^client /);
    expect(server.seen.tokenGrants.slice(grants)).toEqual(['refresh_token', 'refresh_token']);
  });

  it('never waits for a browser in a session: a missing sign-in names the login command', async () => {
    const conduitHome = newHome();
    const marker = join(conduitHome, 'browser-opened');
    const { report } = await session(conduitHome, { BROWSER: `/bin/sh -c "touch ${marker}"` });
    expect(report.errors).toEqual([
      { server: 'remote', message: "MCP server 'remote' needs a sign-in: run `conduit mcp login remote`" },
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it('steps up on 403 insufficient_scope through $BROWSER, and fails with the login command without it', async () => {
    const conduitHome = newHome();
    const file = join(conduitHome, 'mcp-auth', 'remote.json');
    await signIn(conduitHome);

    const without = await session(conduitHome);
    expect(without.report.errors).toEqual([]);
    await expect(without.call('admin_action')).rejects.toThrow(
      "tool 'admin_action' on MCP server 'remote' failed: MCP server 'remote' asks for more access " +
        '(scope "mcp admin"): run `conduit mcp login remote`, or set $BROWSER to sign in during the run',
    );
    expect(JSON.parse(readFileSync(file, 'utf8')).pendingScope).toBe('mcp admin');
    // The other tools keep working with the token the session has.
    expect(await without.call('whoami')).toMatch(/with scopes mcp offline_access$/);

    const withBrowser = await session(conduitHome, { BROWSER: browser });
    expect(await withBrowser.call('admin_action')).toBe('admin done with scopes mcp admin offline_access');
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.pendingScope).toBeUndefined();
    expect(stored.tokens.scope).toBe('mcp admin offline_access');
  });

  it('asks a server that keeps refusing only a bounded number of times', async () => {
    const conduitHome = newHome();
    await signIn(conduitHome);
    const { call } = await session(conduitHome, { BROWSER: browser });
    const before = server.seen.authorizations.length;
    server.refuseAdmin = true;
    try {
      await expect(call('admin_action')).rejects.toThrow(/403/);
    } finally {
      server.refuseAdmin = false;
    }
    expect(server.seen.authorizations.length - before).toBeLessThanOrEqual(2);
    expect(server.seen.authorizations.length - before).toBeGreaterThanOrEqual(1);
  });
});

describe('logout', () => {
  it('forgets the sign-in', async () => {
    const conduitHome = newHome();
    await signIn(conduitHome);
    expect(logout(conduitHome, 'remote')).toBe(true);
    expect(existsSync(join(conduitHome, 'mcp-auth', 'remote.json'))).toBe(false);
    expect(logout(conduitHome, 'remote')).toBe(false);
    const { report } = await session(conduitHome);
    expect(report.errors[0].message).toContain('needs a sign-in');
  });
});

describe('tools/list_changed', () => {
  it('lists the tools again and reports the new set', async () => {
    const conduitHome = newHome();
    await signIn(conduitHome);
    const changes: McpToolsChange[] = [];
    let changed!: () => void;
    const seen = new Promise<void>((resolve) => {
      changed = resolve;
    });
    const { manager, call } = await session(conduitHome, {}, (change) => {
      changes.push(change);
      if (change.tools.includes('remote__extra')) changed();
    });
    const version = manager.toolsVersion;
    expect(await call('add_tool', { name: 'extra' })).toBe('added extra');
    await seen;
    expect(manager.toolsVersion).toBeGreaterThan(version);
    expect(manager.listTools().map((t) => t.qualifiedName)).toContain('remote__extra');
    expect(await call('extra')).toBe('extra ran');
  });
});

describe('client_credentials', () => {
  it('gets a token without a browser from the configured client id and secret, and calls tools', async () => {
    const conduitHome = newHome();
    const config = remote();
    config.transport = {
      ...(config.transport as Extract<McpServerConfig['transport'], { type: 'http' }>),
      oauth: {
        grant: 'client_credentials',
        clientId: 'robot',
        clientSecretEnv: 'ROBOT_SECRET',
        scopes: ['mcp'],
      },
    };
    const manager = new McpConnectionManager({
      cwd: conduitHome,
      env: { ROBOT_SECRET: 'robot-secret' },
      oauth: { conduitHome, interactive: false },
    });
    managers.push(manager);
    const grants = server.seen.tokenGrants.length;
    const report = await manager.start([config]);
    expect(report.errors).toEqual([]);
    expect(server.seen.tokenGrants.slice(grants)).toEqual(['client_credentials']);
    expect(server.seen.resources.at(-1)).toBe(server.url);
    const result = await manager.callTool('remote', 'whoami', {});
    expect(result.content).toEqual([{ type: 'text', text: 'client robot with scopes mcp' }]);
    // The secret stays in the environment: the stored file holds the token only.
    expect(readFileSync(join(conduitHome, 'mcp-auth', 'remote.json'), 'utf8')).not.toContain('robot-secret');

    const unset = new McpConnectionManager({
      cwd: conduitHome,
      env: {},
      oauth: { conduitHome, interactive: false },
    });
    managers.push(unset);
    rmSync(join(conduitHome, 'mcp-auth'), { recursive: true });
    const failed = await unset.start([config]);
    expect(failed.errors[0].message).toContain(
      'environment variable ROBOT_SECRET (client_secret_env of [mcp_servers.remote.oauth]) is not set',
    );
  });
});
