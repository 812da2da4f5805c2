// All configured MCP servers of a session: started concurrently (a failing or slow server only delays or
// loses its own tools), their tools merged under stable qualified names, calls routed back by name, and
// every server process stopped on close. With a tool-list cache, a server whose `tools/list` answer is
// remembered is not waited for: its remembered tools are offered until it answers (see docs/mcp.md).

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../config/types.js';
import type { McpServerConnection } from './connection.js';
import { isToolEnabled, SERVER_NAME_PATTERN } from './filters.js';
import { qualifyToolNames } from './names.js';
import { McpStartFailure } from './start-failure.js';
import type { DiagnosticStdioTransport } from './stdio-transport.js';
import type { ToolListCache } from './tool-cache.js';
import { type ListedTool, prepareTools } from './tool-list.js';
import type { McpCallOptions, McpClientOptions, McpStartReport, McpToolEntry } from './types.js';

export interface McpStartOptions {
  /**
   * Remembered `tools/list` answers. A server with one is started without being waited for; the answers
   * of servers that start are remembered for next time.
   */
  toolCache?: ToolListCache;
  /**
   * Called once, when every server that was not waited for has started or failed, with their errors and
   * warnings (not called when every server was waited for).
   */
  onLateReport?: (report: McpStartReport) => void;
}

/** A server started in the background, offering its remembered tools meanwhile. */
interface PendingServer {
  tools: ListedTool[];
  /** Settles when the server has started (or failed to). */
  settled: Promise<void>;
  error?: string;
}

export class McpConnectionManager {
  private readonly connections = new Map<string, McpServerConnection>();
  /** Every process started, including those still starting, so shutdown can reach all of them. */
  private readonly processes = new Set<DiagnosticStdioTransport>();
  private readonly closing = new AbortController();
  private readonly pending = new Map<string, PendingServer>();
  private tools: McpToolEntry[] = [];
  private version = 0;

  constructor(private readonly options: McpClientOptions) {}

  /**
   * Starts every enabled server at once and waits for all of them to be ready or to fail, except those
   * whose tool list `options.toolCache` remembers (they finish in the background).
   */
  async start(
    servers: Record<string, McpServerConfig> | readonly McpServerConfig[],
    options: McpStartOptions = {},
  ): Promise<McpStartReport> {
    const list = Array.isArray(servers) ? servers : Object.values(servers);
    const report: McpStartReport = { errors: [], warnings: [] };
    const late: McpStartReport = { errors: [], warnings: [] };
    const env = this.options.env ?? process.env;
    const track = (t: DiagnosticStdioTransport) => this.processes.add(t);
    const waited: Promise<void>[] = [];
    const background: Promise<void>[] = [];
    for (const config of list.filter((c) => c.enabled)) {
      const attempt = (async () => {
        if (!SERVER_NAME_PATTERN.test(config.name)) {
          throw new McpStartFailure(
            config.name,
            `MCP server name ${JSON.stringify(config.name)} is invalid: use only letters, digits, '_' and '-'`,
          );
        }
        if (this.connections.has(config.name) || this.pending.has(config.name)) {
          throw new McpStartFailure(config.name, `MCP server '${config.name}' is already running`);
        }
        // The connection code brings the MCP SDK: loaded here, so a session whose servers' tool lists are
        // remembered sends its first request while it loads.
        const { McpServerConnection } = await import('./connection.js');
        return McpServerConnection.start(config, this.options, this.closing.signal, track);
      })();
      const remembered = SERVER_NAME_PATTERN.test(config.name)
        ? options.toolCache?.read(config, env)
        : undefined;
      const into = remembered ? late : report;
      const settled = attempt.then(
        async (connection) => {
          if (this.closing.signal.aborted) {
            await connection.close();
            return;
          }
          this.connections.set(connection.name, connection);
          connection.onToolsChanged = () => this.toolsChanged(connection.name);
          options.toolCache?.write(config, env, connection.rawTools);
          into.warnings.push(...connection.warnings);
        },
        (err: unknown) => {
          const server = err instanceof McpStartFailure ? err.server : config.name;
          const message = err instanceof Error ? err.message : String(err);
          into.errors.push({ server, message });
          const pending = this.pending.get(config.name);
          if (pending) pending.error = message;
        },
      );
      if (remembered && !this.pending.has(config.name)) {
        const prepared = prepareTools(config, remembered);
        this.pending.set(config.name, { tools: prepared.tools, settled });
        background.push(
          settled.then(() => {
            this.pending.delete(config.name);
            if (!this.closing.signal.aborted) late.warnings.push(...this.rebuildToolIndex());
          }),
        );
      } else {
        waited.push(settled);
      }
    }
    if (background.length > 0) {
      void Promise.all(background).then(() => {
        if (!this.closing.signal.aborted) options.onLateReport?.(late);
      });
    }
    await Promise.all(waited);
    report.warnings.push(...this.rebuildToolIndex());
    return report;
  }

  /** Bumped whenever the tool list changes (a server that was not waited for answered or failed). */
  get toolsVersion(): number {
    return this.version;
  }

  /** Resolves when no server is starting in the background any more. */
  async settled(): Promise<void> {
    await Promise.all([...this.pending.values()].map((p) => p.settled));
  }

  /** The tools to offer the model, sorted by qualified name. */
  listTools(): readonly McpToolEntry[] {
    return this.tools;
  }

  /** Names of the servers still starting in the background (offering their remembered tools). */
  startingServerNames(): string[] {
    return [...this.pending.keys()].sort();
  }

  /** Names of the servers that started. */
  serverNames(): string[] {
    return [...this.connections.keys()].sort();
  }

  getServer(name: string): McpServerConnection | undefined {
    return this.connections.get(name);
  }

  /**
   * Rejects with a readable message on timeout, interrupt, a stopped server or a protocol error. A call to
   * a server still starting waits for it; a tool it no longer offers is refused with a reason the model
   * can act on.
   */
  async callTool(
    server: string,
    tool: string,
    args: Record<string, unknown> | undefined,
    opts: McpCallOptions = {},
  ): Promise<CallToolResult> {
    const pending = this.pending.get(server);
    if (pending) {
      await pending.settled;
      if (pending.error) throw new Error(`MCP server '${server}' failed to start: ${pending.error}`);
    }
    const connection = this.connections.get(server);
    if (!connection) throw new Error(`no running MCP server named '${server}'`);
    // Only a remembered list can offer a tool the running server lacks (disabled tools get their own message).
    if (isToolEnabled(connection.config, tool) && !connection.tools.some((t) => t.name === tool)) {
      throw new Error(
        `MCP server '${server}' does not offer tool '${tool}' any more (its tool list changed since it was remembered); the next model request has the current list`,
      );
    }
    return connection.callTool(tool, args, opts);
  }

  /** The session's cwd (its only root) moved: tell the servers to ask again. */
  async rootsChanged(cwd: string): Promise<void> {
    this.options.cwd = cwd;
    await Promise.all([...this.connections.values()].map((c) => c.notifyRootsChanged()));
  }

  /** Stops every server (including ones still starting) and waits until their processes are gone. */
  async close(): Promise<void> {
    this.closing.abort();
    const connections = [...this.connections.values()];
    this.connections.clear();
    this.pending.clear();
    this.tools = [];
    await Promise.all([
      ...connections.map((c) => c.close()),
      ...[...this.processes].map((p) => p.close().catch(() => undefined)),
    ]);
    this.processes.clear();
  }

  /** Synchronous SIGKILL of every server process group, for `process.on('exit')`. */
  killNow(): void {
    for (const p of this.processes) p.killNow();
  }

  private toolsChanged(server: string): void {
    for (const w of this.rebuildToolIndex()) {
      this.options.onLog?.({ server: w.server, level: 'warning', message: w.message });
    }
    this.options.onToolsChanged?.({
      server,
      tools: this.tools.filter((t) => t.server === server).map((t) => t.qualifiedName),
    });
  }

  private rebuildToolIndex(): McpStartReport['warnings'] {
    this.version++;
    const entries = new Map<string, Omit<McpToolEntry, 'qualifiedName'>>();
    const key = (server: string, tool: string) => JSON.stringify([server, tool]);
    const lists: [string, readonly ListedTool[]][] = [
      ...[...this.connections.values()].map((c): [string, readonly ListedTool[]] => [c.name, c.tools]),
      ...[...this.pending.entries()].map(([name, p]): [string, readonly ListedTool[]] => [name, p.tools]),
    ];
    for (const [server, tools] of lists) {
      for (const t of tools) {
        entries.set(key(server, t.name), {
          server,
          tool: t.name,
          description: t.description,
          parameters: t.parameters,
          annotations: t.annotations,
        });
      }
    }
    const qualified = qualifyToolNames([...entries.values()]);
    this.tools = qualified.tools.map((q) => ({
      ...entries.get(key(q.server, q.tool))!,
      qualifiedName: q.qualifiedName,
    }));
    return qualified.skipped.map(({ ref, reason }) => ({
      server: ref.server,
      message: `MCP tool '${ref.tool}' of server '${ref.server}' was skipped: ${reason}`,
    }));
  }
}
