// `conduit mcp list` (what is configured) and `conduit mcp tools [NAME]` (start the servers and show the
// tools the model would get, with their schemas): the quickest way to debug a server. Values that may
// be secrets (env values, header values) are never printed, only their names.

import {
  type AuthKind,
  createMcpManager,
  loadConfig,
  type McpServerConfig,
  type McpToolEntry,
  mcpAuthStatus,
  mcpLogin,
  mcpLogout,
  type SignInStatus,
  stopServersOnExit,
  UserError,
} from '../index.js';
import type { GlobalOptions } from './options.js';
import { VERSION } from './version.js';

interface McpCommandOptions extends GlobalOptions {
  json: boolean;
}

async function loadServers(opts: GlobalOptions) {
  const { config } = await loadConfig({
    cliOverrides: opts.config,
    profile: opts.profile,
    overrides: { model: opts.model },
  });
  return { config, servers: Object.values(config.mcpServers).sort((a, b) => a.name.localeCompare(b.name)) };
}

export function describeServer(server: McpServerConfig, auth: AuthKind | undefined) {
  const t = server.transport;
  return {
    name: server.name,
    enabled: server.enabled,
    transport: t.type,
    ...(t.type === 'stdio'
      ? {
          command: [t.command, ...t.args].join(' '),
          cwd: t.cwd,
          env: Object.keys(t.env),
          env_vars: t.envVars,
        }
      : {
          url: t.url,
          bearer_token_env_var: t.bearerTokenEnvVar,
          http_headers: Object.keys(t.httpHeaders),
          env_http_headers: t.envHttpHeaders,
          auth:
            auth?.kind === 'oauth'
              ? { type: 'oauth', grant: auth.grant, ...auth.status }
              : auth?.kind === 'bearer'
                ? { type: 'bearer', env_var: auth.envVar }
                : undefined,
        }),
    enabled_tools: server.enabledTools,
    disabled_tools: server.disabledTools,
    startup_timeout_sec: server.startupTimeoutSec,
    tool_timeout_sec: server.toolTimeoutSec,
  };
}

export async function runMcpList(opts: McpCommandOptions): Promise<void> {
  const { config, servers } = await loadServers(opts);
  const auth = await mcpAuthStatus(config.conduitHome, servers);
  if (opts.json) {
    const described = servers.map((s) => describeServer(s, auth.get(s.name)));
    process.stdout.write(`${JSON.stringify({ servers: described }, null, 2)}\n`);
    return;
  }
  if (servers.length === 0) {
    process.stdout.write('No MCP servers configured. Add a [mcp_servers.<name>] table to config.toml.\n');
    return;
  }
  for (const server of servers) {
    const t = server.transport;
    const lines = [`${server.name}${server.enabled ? '' : '  (disabled)'}`];
    if (t.type === 'stdio') {
      lines.push(`  stdio: ${[t.command, ...t.args].join(' ')}`);
      if (t.cwd) lines.push(`  cwd: ${t.cwd}`);
      const env = [...Object.keys(t.env), ...t.envVars.map((v) => `${v} (from environment)`)];
      if (env.length) lines.push(`  env: ${env.join(', ')}`);
    } else {
      lines.push(`  http: ${t.url}`);
      const kind = auth.get(server.name);
      if (kind) lines.push(`  auth: ${describeAuth(kind, server.name)}`);
    }
    if (server.enabledTools) lines.push(`  enabled tools: ${server.enabledTools.join(', ') || '(none)'}`);
    if (server.disabledTools?.length) lines.push(`  disabled tools: ${server.disabledTools.join(', ')}`);
    lines.push(`  timeouts: start-up ${server.startupTimeoutSec} s, calls ${server.toolTimeoutSec} s`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

export async function runMcpTools(name: string | undefined, opts: McpCommandOptions): Promise<void> {
  const { config, servers } = await loadServers(opts);
  let selected = servers.filter((s) => s.enabled);
  if (name !== undefined) {
    const server = servers.find((s) => s.name === name);
    if (!server) {
      const known = servers.map((s) => s.name).join(', ') || 'none';
      throw new UserError(`no MCP server named '${name}' in the configuration (configured: ${known})`);
    }
    if (!server.enabled)
      process.stderr.write(`note: '${name}' is disabled (enabled = false); starting it anyway\n`);
    selected = [{ ...server, enabled: true }];
  }
  if (selected.length === 0) {
    process.stdout.write('No enabled MCP servers configured.\n');
    return;
  }
  const manager = await createMcpManager({
    cwd: config.cwd,
    clientVersion: VERSION,
    oauth: { conduitHome: config.conduitHome, interactive: false },
  });
  const removeHandlers = stopServersOnExit(manager);
  try {
    const report = await manager.start(selected);
    const tools = manager.listTools();
    if (opts.json) {
      const result = selected.map((s) => {
        const error = report.errors.find((e) => e.server === s.name)?.message;
        return {
          name: s.name,
          status: error ? 'failed' : 'ok',
          error,
          tools: tools.filter((t) => t.server === s.name).map(toolJson),
        };
      });
      process.stdout.write(`${JSON.stringify({ servers: result, warnings: report.warnings }, null, 2)}\n`);
    } else {
      for (const w of report.warnings) process.stderr.write(`warning: ${w.message}\n`);
      for (const e of report.errors) process.stderr.write(`error: ${e.message}\n`);
      for (const server of manager.serverNames()) {
        const own = tools.filter((t) => t.server === server);
        process.stdout.write(`${server}: ${own.length} tool${own.length === 1 ? '' : 's'}\n`);
        for (const t of own) process.stdout.write(formatTool(t));
      }
    }
    if (report.errors.length > 0) process.exitCode = 1;
  } finally {
    await manager.close();
    removeHandlers();
  }
}

function toolJson(t: McpToolEntry) {
  return { name: t.qualifiedName, tool: t.tool, description: t.description, parameters: t.parameters };
}

function formatTool(t: McpToolEntry): string {
  const description = t.description.split('\n')[0];
  const renamed = t.qualifiedName === `${t.server}__${t.tool}` ? '' : `  (MCP name: ${t.tool})`;
  return `  ${t.qualifiedName}${renamed}\n${description ? `    ${description}\n` : ''}    parameters: ${JSON.stringify(t.parameters)}\n`;
}

function findServer(servers: McpServerConfig[], name: string): McpServerConfig {
  const server = servers.find((s) => s.name === name);
  if (server) return server;
  const known = servers.map((s) => s.name).join(', ') || 'none';
  throw new UserError(`no MCP server named '${name}' in the configuration (configured: ${known})`);
}

export async function runMcpLogin(name: string, opts: GlobalOptions): Promise<void> {
  const { config, servers } = await loadServers(opts);
  const server = findServer(servers, name);
  const stderr = (text: string) => process.stderr.write(`${text}\n`);
  try {
    const result = await mcpLogin(server, {
      conduitHome: config.conduitHome,
      cwd: config.cwd,
      clientVersion: VERSION,
      onAuthorizationUrl: (url) =>
        stderr(`Opening the browser to sign in to '${name}'. If it does not open, visit:\n\n  ${url}\n`),
    });
    if (!result.signedIn) {
      process.stdout.write(
        `MCP server '${name}' answered without asking for a sign-in; nothing was stored.\n`,
      );
      return;
    }
    process.stdout.write(
      `Signed in to MCP server '${name}' (${describeSignIn(result.status)}); it offers ${result.tools} tool${result.tools === 1 ? '' : 's'}.\n`,
    );
  } catch (error) {
    throw new UserError(`login to MCP server '${name}' failed: ${(error as Error).message}`);
  }
}

export async function runMcpLogout(name: string, opts: GlobalOptions): Promise<void> {
  const { config } = await loadServers(opts);
  // A server removed from the config may still have a stored sign-in: logging out of it is allowed.
  let removed: boolean;
  try {
    removed = await mcpLogout(config.conduitHome, name);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  process.stdout.write(
    removed ? `Signed out of MCP server '${name}'.\n` : `No stored sign-in for MCP server '${name}'.\n`,
  );
}

function describeSignIn(status: SignInStatus): string {
  if (status.state === 'not-signed-in') return 'not signed in';
  if (status.state === 'expired') return 'sign-in expired';
  const parts = ['signed in'];
  if (status.expiresAt !== undefined) {
    const minutes = Math.round((status.expiresAt - Date.now()) / 60_000);
    parts.push(minutes >= 0 ? `token valid for ${minutes} min` : 'token expired');
  }
  if (status.refreshable) parts.push('renews itself');
  if (status.scope) parts.push(`scope "${status.scope}"`);
  return parts.join(', ');
}

/** One line on how `server` authenticates, for `mcp list`. */
function describeAuth(kind: AuthKind, name: string): string | undefined {
  if (kind.kind === 'stdio') return undefined;
  if (kind.kind === 'bearer') return `bearer token from $${kind.envVar}`;
  if (kind.grant === 'client_credentials') {
    return `OAuth client credentials (${kind.status.state === 'not-signed-in' ? 'no token yet' : describeSignIn(kind.status)})`;
  }
  if (kind.status.state === 'not-signed-in')
    return `OAuth: not signed in (if the server asks: conduit mcp login ${name})`;
  if (kind.status.state === 'expired') return `OAuth: sign-in expired (conduit mcp login ${name})`;
  return `OAuth: ${describeSignIn(kind.status)}`;
}
