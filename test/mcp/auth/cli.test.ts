// `conduit mcp login / list / logout` as a user runs them, against the test OAuth server, with a scripted
// browser as $BROWSER; and `conduit exec` with an OAuth server: a missing sign-in is a named warning,
// a signed-in tool call works, and the token never reaches the rollout.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, gitDir, runConduit, tempDir } from '../../cli/exec/helpers.js';
import { makeHome } from '../../config/helpers.js';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { fixture } from '../helpers.js';
import { type OAuthTestServer, startOAuthServer } from './server.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'conduit.js');
let server: OAuthTestServer;
let dirs: { home: string; cwd: string };

beforeAll(async () => {
  server = await startOAuthServer();
  dirs = makeHome(`[mcp_servers.remote]\nurl = "${server.url}"\n`);
});
afterAll(async () => {
  await server.close();
  rmSync(join(dirs.home, '..'), { recursive: true, force: true });
});

/** Runs the CLI without blocking this process (the test server answers it from here). */
function conduit(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dirs.cwd,
      env: { PATH: process.env.PATH, CONDUIT_HOME: dirs.home, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('conduit mcp login / list / logout', () => {
  it('signs in with the browser, shows the state, and signs out', async () => {
    const before = await conduit(['mcp', 'list']);
    expect(before.status).toBe(0);
    expect(before.stdout).toContain(
      'auth: OAuth: not signed in (if the server asks: conduit mcp login remote)',
    );

    const login = await conduit(['mcp', 'login', 'remote'], {
      BROWSER: `${process.execPath} ${fixture('browser.mjs')}`,
    });
    expect(login.stderr).toMatch(/If it does not open, visit:\n\n {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?/);
    expect(login.stdout).toMatch(
      /^Signed in to MCP server 'remote' \(signed in, token valid for 60 min, renews itself, scope "mcp offline_access"\); it offers 3 tools\.\n$/,
    );
    expect(login.status).toBe(0);
    const file = join(dirs.home, 'mcp-auth', 'remote.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const after = await conduit(['mcp', 'list', '--json']);
    const auth = JSON.parse(after.stdout).servers[0].auth;
    expect(auth).toMatchObject({
      type: 'oauth',
      grant: 'authorization_code',
      state: 'signed-in',
      refreshable: true,
    });
    // The token itself is shown nowhere.
    const token = JSON.parse(readFileSync(file, 'utf8')).tokens.access_token;
    expect(after.stdout + login.stdout + login.stderr).not.toContain(token);

    const tools = await conduit(['mcp', 'tools', 'remote']);
    expect(tools.stdout).toContain('remote: 3 tools');

    const logout = await conduit(['mcp', 'logout', 'remote']);
    expect(logout.stdout).toBe("Signed out of MCP server 'remote'.\n");
    expect(readdirSync(join(dirs.home, 'mcp-auth'))).toEqual([]);
    const again = await conduit(['mcp', 'tools', 'remote']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(
      "error: MCP server 'remote' needs a sign-in: run `conduit mcp login remote`",
    );
  });

  it('names the server when it is not configured', async () => {
    const res = await conduit(['mcp', 'login', 'nope']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("no MCP server named 'nope' in the configuration (configured: remote)");
  });
});

describe('conduit exec with an OAuth-protected MCP server', () => {
  let fake: FakeModelServer;
  beforeAll(async () => {
    fake = await startFakeModelServer({ wires: ['responses'] });
  });
  afterAll(() => fake.close());

  function execHome(): string {
    const home = tempDir('conduit-oauth-exec-');
    writeFileSync(
      join(home, 'config.toml'),
      `model_provider = "fake"\nmodel = "fake-model"\n\n[model_providers.fake]\nname = "fake"\nbase_url = "${fake.url}"\nwire_api = "responses"\n\n[mcp_servers.remote]\nurl = "${server.url}"\n`,
    );
    return home;
  }

  it('warns with the login command when not signed in, without waiting for a browser', async () => {
    const home = execHome();
    fake.enqueue({ steps: [{ type: 'text', text: 'done' }] });
    const result = await runConduit(['exec', 'hi'], { env: cleanEnv(home), cwd: gitDir() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("MCP server 'remote' needs a sign-in: run `conduit mcp login remote`");
  });

  it('calls a tool with the stored sign-in and keeps the token out of the rollout', async () => {
    const home = execHome();
    const login = await runConduit(['mcp', 'login', 'remote'], {
      env: cleanEnv(home, { BROWSER: `${process.execPath} ${fixture('browser.mjs')}` }),
      cwd: gitDir(),
    });
    expect(login.code, login.stderr).toBe(0);
    const tokens = JSON.parse(readFileSync(join(home, 'mcp-auth', 'remote.json'), 'utf8')).tokens;
    fake.enqueue({ steps: [{ type: 'tool_call', name: 'remote__whoami', arguments: {}, callId: 'c1' }] });
    fake.enqueue({ steps: [{ type: 'text', text: 'done' }] });
    const result = await runConduit(['exec', '--json', 'who am i?'], { env: cleanEnv(home), cwd: gitDir() });
    expect(result.code, result.stderr).toBe(0);
    const end = result.events.find(
      (e) => e.type === 'item.completed' && JSON.stringify(e).includes('whoami'),
    );
    expect(JSON.stringify(end)).toMatch(/client client-.* with scopes mcp offline_access/);
    const rollouts: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.jsonl')) rollouts.push(readFileSync(path, 'utf8'));
      }
    };
    walk(join(home, 'sessions'));
    expect(rollouts.join('')).toContain('remote__whoami');
    for (const secret of [tokens.access_token, tokens.refresh_token]) {
      expect(rollouts.join('')).not.toContain(secret);
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });
});

describe('scripts/conformance-client.mjs (the client scripts/conformance.sh puts under test)', () => {
  it('signs in through the scripted browser and calls the server’s tools with Conduit’s client', async () => {
    const result = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [join(import.meta.dirname, '../../../scripts/conformance-client.mjs'), server.url],
        { env: { PATH: process.env.PATH, MCP_CONFORMANCE_SCENARIO: 'auth/metadata-default' } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', () => resolve({ stdout, stderr }));
    });
    expect(result.stderr).toMatch(/sign-in: http:\/\/127\.0\.0\.1:\d+\/authorize\?/);
    expect(result.stdout).toMatch(/^whoami: \[\{"type":"text","text":"client client-/m);
  });
});
