// The client under test for @modelcontextprotocol/conformance (scripts/conformance.sh runs it): the suite
// starts a scenario's server and runs `node scripts/conformance-client.mjs <server-url>` with
// MCP_CONFORMANCE_SCENARIO and, for pre-registered clients, MCP_CONFORMANCE_CONTEXT. It writes the
// config.toml a user would write for that server into a temporary $CONDUIT_HOME, loads it with Conduit's
// config loader, and uses Conduit's MCP client as a session does: start (signing in through the browser
// when the server asks: $BROWSER is test/fixtures/mcp/browser.mjs, which follows the redirect back to the
// loopback callback), list the tools, call each one, answer elicitations by accepting the form.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMcpManager, loadConfig } from '../dist/index.js';

const url = process.argv[2];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}');
const root = fileURLToPath(new URL('..', import.meta.url));

/** Arguments for the tools the scenarios offer; any other tool is called without arguments. */
const ARGUMENTS = { add_numbers: { a: 2, b: 3 } };

function oauthTable(env) {
  const lines = [];
  if (context.client_id) lines.push(`client_id = ${JSON.stringify(context.client_id)}`);
  if (context.client_secret) {
    env.CONFORMANCE_CLIENT_SECRET = context.client_secret;
    lines.push('client_secret_env = "CONFORMANCE_CLIENT_SECRET"');
  }
  if (context.private_key_pem) {
    env.CONFORMANCE_PRIVATE_KEY = context.private_key_pem;
    lines.push('private_key_env = "CONFORMANCE_PRIVATE_KEY"');
    lines.push(`signing_algorithm = ${JSON.stringify(context.signing_algorithm ?? 'ES256')}`);
  }
  if (scenario.startsWith('auth/client-credentials')) lines.push('grant = "client_credentials"');
  // A client without a pre-registration publishes a client ID metadata document (the suite's example URL);
  // authorization servers that do not support them get a dynamic registration instead.
  if (!context.client_id) {
    lines.push('client_metadata_url = "https://conformance-test.local/client-metadata.json"');
  }
  return lines.length ? `\n[mcp_servers.test.oauth]\n${lines.join('\n')}\n` : '';
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'conduit-conformance-'));
  const env = {
    ...process.env,
    CONDUIT_HOME: home,
    BROWSER: `${process.execPath} ${join(root, 'test/fixtures/mcp/browser.mjs')}`,
  };
  try {
    writeFileSync(
      join(home, 'config.toml'),
      `[mcp_servers.test]\nurl = ${JSON.stringify(url)}\nstartup_timeout_sec = 20\n${oauthTable(env)}`,
    );
    Object.assign(process.env, env);
    const { config } = await loadConfig({ cwd: home });
    const manager = await createMcpManager({
      cwd: home,
      env,
      clientVersion: '0.1.0',
      oauth: {
        conduitHome: config.conduitHome,
        interactive: true,
        onAuthorizationUrl: (_server, authorizationUrl) => console.error(`sign-in: ${authorizationUrl}`),
      },
      onLog: (entry) => console.error(`[${entry.server}] ${entry.level}: ${entry.message}`),
      // Accept every form as it comes: Conduit fills in the defaults the form declares.
      onElicitation: async () => ({ action: 'accept', content: {} }),
    });
    let failed = false;
    try {
      const report = await manager.start(config.mcpServers);
      for (const error of report.errors) {
        console.error(`start: ${error.message}`);
        failed = true;
      }
      for (const tool of manager.listTools()) {
        try {
          const result = await manager.callTool('test', tool.tool, ARGUMENTS[tool.tool] ?? {});
          console.log(`${tool.tool}: ${JSON.stringify(result.content)}`);
        } catch (error) {
          console.error(`${tool.tool}: ${error.message}`);
          failed = true;
        }
      }
    } finally {
      await manager.close();
    }
    process.exitCode = failed ? 1 : 0;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
