// Starts the MCP servers a session's config enables, all at once, and stops them. A server that fails to
// start costs only its own tools: its failure (with its stderr tail, from mcp/start-errors.ts) becomes a
// warning for the front end, never a fatal error. No server outlives the process, however it ends
// (the end of a command, a second Ctrl-C, process.exit on EPIPE): one `exit` hook kills what is left.

import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../config/types.js';
import type { McpConnectionManager } from '../mcp/manager.js';
import { PrespawnedServers } from '../mcp/prespawn.js';
import type { ElicitationRequest, McpLogEntry, McpStartReport, McpToolsChange } from '../mcp/types.js';

/** Where a session takes what its servers say (log messages, new tool lists) and ask (elicitation). */
export interface McpEventTarget {
  log(entry: McpLogEntry): void;
  elicit(request: ElicitationRequest): Promise<ElicitResult>;
  toolsChanged(change: McpToolsChange): void;
  /** A step-up sign-in opened the browser ($BROWSER): the URL, for a user whose browser did not open. */
  authorizationUrl(server: string, url: string): void;
}

/** Most log messages kept from before the session exists (start-up chatter beyond it is dropped). */
const EARLY_LOG_LIMIT = 100;

/**
 * The servers start before their session exists (its first events report how they started): this relays
 * their log messages and elicitation requests to the session once it is attached.
 */
export class McpEventRelay {
  private target: McpEventTarget | undefined;
  private readonly early: McpLogEntry[] = [];

  readonly onLog = (entry: McpLogEntry): void => {
    // Stderr lines are diagnostics (a failed start shows their tail), not messages for the user.
    if (entry.level === 'stderr') return;
    if (this.target) this.target.log(entry);
    else if (this.early.length < EARLY_LOG_LIMIT) this.early.push(entry);
  };

  readonly onElicitation = (request: ElicitationRequest): Promise<ElicitResult> =>
    this.target ? this.target.elicit(request) : Promise.resolve({ action: 'decline' });

  readonly onToolsChanged = (change: McpToolsChange): void => this.target?.toolsChanged(change);

  readonly onAuthorizationUrl = (server: string, url: string): void =>
    this.target?.authorizationUrl(server, url);

  attach(target: McpEventTarget): void {
    this.target = target;
    for (const entry of this.early.splice(0)) target.log(entry);
  }
}

export interface StartedMcpServers {
  /** Undefined when the config enables no server. */
  manager?: McpConnectionManager;
  /** One line per failed server or dropped tool, naming the server. */
  warnings: string[];
  /** The same for servers that were not waited for (their tool list was remembered). */
  lateWarnings: Promise<string[]>;
}

export interface StartMcpOptions {
  clientVersion?: string;
  env?: Record<string, string | undefined>;
  /** Use remembered tool lists (default true); false waits for every server, as on a first run. */
  toolCache?: boolean;
  /** Servers already spawned by prespawnMcpServers. */
  prespawned?: PrespawnedServers;
  /** Where the servers' log messages and elicitation requests go. */
  relay: McpEventRelay;
}

const prespawnedSets = new Set<PrespawnedServers>();

/**
 * Spawns the config's stdio servers now, before the MCP client code is loaded, for createSession to
 * adopt: a front end calls this as soon as it has read the config. Those nobody adopts die at exit.
 */
export function prespawnMcpServers(
  config: Config,
  env: Record<string, string | undefined> = process.env,
): PrespawnedServers {
  const set = PrespawnedServers.start(config.mcpServers, env);
  prespawnedSets.add(set);
  installExitHook();
  return set;
}

/** Managers with live servers; one `exit` listener for all of them (a server may hold hundreds of sessions). */
const live = new Set<McpConnectionManager>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const m of live) m.killNow();
    for (const set of prespawnedSets) set.killUntaken();
  });
}

function killOnExit(manager: McpConnectionManager): void {
  live.add(manager);
  installExitHook();
}

const describe = (report: McpStartReport): string[] => [
  ...report.errors.map((error) => `MCP server ${error.server} failed to start: ${error.message}`),
  ...report.warnings.map((warning) => `MCP server ${warning.server}: ${warning.message}`),
];

/**
 * Starts the servers: spawned first, then the MCP client code is loaded while they boot. Servers whose
 * tool list is remembered (see docs/mcp.md) are not waited for; their problems arrive as `lateWarnings`.
 */
export async function startMcpServers(config: Config, options: StartMcpOptions): Promise<StartedMcpServers> {
  const none = { warnings: [], lateWarnings: Promise.resolve([]) };
  if (!Object.values(config.mcpServers).some((server) => server.enabled)) return none;
  const env = options.env ?? process.env;
  const prespawned = options.prespawned ?? prespawnMcpServers(config, env);
  // The MCP SDK costs tens of milliseconds and megabytes to load: only sessions with servers pay for it.
  const [{ McpConnectionManager }, { fileToolListCache }] = await Promise.all([
    import('../mcp/manager.js'),
    import('../mcp/tool-cache.js'),
  ]);
  const manager = new McpConnectionManager({
    cwd: config.cwd,
    clientVersion: options.clientVersion,
    env: options.env,
    onLog: options.relay.onLog,
    onElicitation: options.relay.onElicitation,
    prespawned,
    onToolsChanged: options.relay.onToolsChanged,
    // Sessions never wait for a browser at start-up: a missing sign-in is a warning naming the command.
    oauth: {
      conduitHome: config.conduitHome,
      interactive: false,
      onAuthorizationUrl: options.relay.onAuthorizationUrl,
    },
  });
  killOnExit(manager);
  let lateReport!: (report: McpStartReport) => void;
  const late = new Promise<McpStartReport>((resolve) => {
    lateReport = resolve;
  });
  const report = await manager.start(config.mcpServers, {
    toolCache: options.toolCache === false ? undefined : fileToolListCache(config.conduitHome),
    onLateReport: lateReport,
  });
  // Every server is adopted once it has started or failed (those not waited for load the client first).
  void manager.settled().then(() => {
    prespawned.killUntaken();
    prespawnedSets.delete(prespawned);
  });
  return { manager, warnings: describe(report), lateWarnings: late.then(describe) };
}

/** Stops the servers: closes their stdin and waits for them to exit, or (`kill`) kills their process groups first. */
export async function stopMcpServers(manager: McpConnectionManager, kill: boolean): Promise<void> {
  live.delete(manager);
  if (kill) manager.killNow();
  await manager.close();
}

/** One configured MCP server as a front end shows it (`/mcp`). */
export interface McpServerStatus {
  name: string;
  /** `starting`: not answered yet; its remembered tools are offered meanwhile. */
  state: 'running' | 'starting' | 'disabled' | 'failed';
  /** Qualified tool names (`server__tool`) with the first line of their description. */
  tools: { name: string; description: string }[];
}

/** The configured servers: which run (with their tools), which still start, which are disabled or failed. */
export function mcpServerStatus(
  config: Config,
  manager: McpConnectionManager | undefined,
): McpServerStatus[] {
  const running = new Set(manager?.serverNames() ?? []);
  const starting = new Set(manager?.startingServerNames() ?? []);
  const tools = manager?.listTools() ?? [];
  return Object.values(config.mcpServers)
    .map(
      (server): McpServerStatus => ({
        name: server.name,
        state: running.has(server.name)
          ? 'running'
          : starting.has(server.name)
            ? 'starting'
            : server.enabled
              ? 'failed'
              : 'disabled',
        tools: tools
          .filter((tool) => tool.server === server.name)
          .map((tool) => ({ name: tool.qualifiedName, description: tool.description.split('\n')[0] })),
      }),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}
