// All configured MCP servers of a session: started concurrently (a failing or slow server only delays or
// loses its own tools), their tools merged under stable qualified names, calls routed back by name, and
// every server process stopped on close.

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../config/types.js';
import { McpServerConnection, McpStartFailure } from './connection.js';
import { SERVER_NAME_PATTERN } from './filters.js';
import { qualifyToolNames } from './names.js';
import { errorText } from './start-errors.js';
import type { DiagnosticStdioTransport } from './stdio-transport.js';
import type { McpCallOptions, McpClientOptions, McpStartReport, McpToolEntry } from './types.js';

export class McpConnectionManager {
  private readonly connections = new Map<string, McpServerConnection>();
  /** Every process started, including those still starting, so shutdown can reach all of them. */
  private readonly processes = new Set<DiagnosticStdioTransport>();
  private readonly closing = new AbortController();
  private tools: McpToolEntry[] = [];

  constructor(private readonly options: McpClientOptions) {}

  /** Starts every enabled server at once and waits for all of them to be ready or to fail. */
  async start(
    servers: Record<string, McpServerConfig> | readonly McpServerConfig[],
  ): Promise<McpStartReport> {
    const list = Array.isArray(servers) ? servers : Object.values(servers);
    const report: McpStartReport = { errors: [], warnings: [] };
    const track = (t: DiagnosticStdioTransport) => this.processes.add(t);
    const attempts = list
      .filter((config) => config.enabled)
      .map(async (config) => {
        if (!SERVER_NAME_PATTERN.test(config.name)) {
          throw new McpStartFailure(
            config.name,
            `MCP server name ${JSON.stringify(config.name)} is invalid: use only letters, digits, '_' and '-'`,
          );
        }
        if (this.connections.has(config.name)) {
          throw new McpStartFailure(config.name, `MCP server '${config.name}' is already running`);
        }
        return McpServerConnection.start(config, this.options, this.closing.signal, track);
      });
    const results = await Promise.allSettled(attempts);
    for (const result of results) {
      if (result.status === 'fulfilled') {
        const connection = result.value;
        if (this.closing.signal.aborted) await connection.close();
        else this.connections.set(connection.name, connection);
        report.warnings.push(...connection.warnings);
      } else {
        const err = result.reason;
        const server = err instanceof McpStartFailure ? err.server : 'unknown';
        report.errors.push({ server, message: err instanceof Error ? err.message : errorText(err) });
      }
    }
    report.warnings.push(...this.rebuildToolIndex());
    return report;
  }

  /** The tools to offer the model, sorted by qualified name. */
  listTools(): readonly McpToolEntry[] {
    return this.tools;
  }

  /** Names of the servers that started. */
  serverNames(): string[] {
    return [...this.connections.keys()].sort();
  }

  getServer(name: string): McpServerConnection | undefined {
    return this.connections.get(name);
  }

  /** Rejects with a readable message on timeout, interrupt, a stopped server or a protocol error. */
  async callTool(
    server: string,
    tool: string,
    args: Record<string, unknown> | undefined,
    opts: McpCallOptions = {},
  ): Promise<CallToolResult> {
    const connection = this.connections.get(server);
    if (!connection) throw new Error(`no running MCP server named '${server}'`);
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

  private rebuildToolIndex(): McpStartReport['warnings'] {
    const entries = new Map<string, Omit<McpToolEntry, 'qualifiedName'>>();
    const key = (server: string, tool: string) => JSON.stringify([server, tool]);
    for (const connection of this.connections.values()) {
      for (const t of connection.tools) {
        entries.set(key(connection.name, t.name), {
          server: connection.name,
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
