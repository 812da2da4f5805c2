// One running MCP server: start-up (initialize + every page of tools/list under one deadline), calls
// with a timeout that progress resets, resource reads, and the requests the server sends us.

import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type CallToolResult,
  CallToolResultSchema,
  ElicitRequestSchema,
  ErrorCode,
  type ListResourcesResult,
  type ListResourceTemplatesResult,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  type ReadResourceResult,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { McpServerConfig } from '../config/types.js';
import type { ConduitOAuthProvider } from './auth/provider.js';
import { completeSignIn, createAuthProvider } from './auth/sign-in.js';
import { StartDeadline } from './deadline.js';
import { applyElicitationDefaults } from './elicitation.js';
import { isToolEnabled } from './filters.js';
import { describeExit, describeStartFailure, errorText, type StartPhase } from './start-errors.js';
import { McpStartFailure } from './start-failure.js';
import type { DiagnosticStdioTransport } from './stdio-transport.js';
import { type ListedTool, prepareTools } from './tool-list.js';
import { ToolListRefresher } from './tool-refresh.js';
import { createTransport } from './transport.js';
import type { McpCallOptions, McpClientOptions, McpWarning } from './types.js';

export { McpStartFailure };

/** Read tools/list leniently: the SDK's strict schema would reject the whole page for one odd tool. */
const ToolsPageSchema = z.object({ tools: z.array(z.unknown()), nextCursor: z.string().optional() });
/** A server that keeps returning cursors is broken; stop rather than loop forever. */
const MAX_TOOL_PAGES = 100;
/** Browser sign-ins for one start or one call: a server that keeps asking for more gets a failure. */
const MAX_SIGN_IN_ROUNDS = 2;

export class McpServerConnection {
  private stopped = false;
  /** Told when the tool list changed and was listed again (the manager re-indexes). */
  onToolsChanged?: () => void;
  private readonly toolList: ToolListRefresher;

  private constructor(
    readonly config: McpServerConfig,
    private readonly client: Client,
    private readonly transport: Transport,
    private readonly stdio: DiagnosticStdioTransport | undefined,
    /** The server's `tools/list` answer as it came (what the tool-list cache remembers). */
    readonly rawTools: unknown[],
    tools: ListedTool[],
    readonly warnings: McpWarning[],
    options: McpClientOptions,
    private readonly auth: ConduitOAuthProvider | undefined,
    private readonly http: StreamableHTTPClientTransport | undefined,
  ) {
    client.onclose = () => {
      this.stopped = true;
    };
    this.toolList = new ToolListRefresher(config, tools, {
      list: () => listAllTools(client, new AbortController().signal, config.toolTimeoutSec * 1000),
      onChanged: () => this.onToolsChanged?.(),
      onLog: (message) => options.onLog?.({ server: config.name, level: 'warning', message }),
    });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.toolList.refresh());
  }

  get tools(): readonly ListedTool[] {
    return this.toolList.tools;
  }

  get name(): string {
    return this.config.name;
  }

  get running(): boolean {
    return !this.stopped;
  }

  get offersResources(): boolean {
    return Boolean(this.client.getServerCapabilities()?.resources);
  }

  /**
   * `options` is read live (the session may move its cwd); `onStdioTransport` sees the process as soon as
   * it exists, so a shutdown during start-up can still kill it.
   */
  static async start(
    config: McpServerConfig,
    options: McpClientOptions,
    signal?: AbortSignal,
    onStdioTransport?: (transport: DiagnosticStdioTransport) => void,
  ): Promise<McpServerConnection> {
    const timeoutMs = config.startupTimeoutSec * 1000;
    // Paused while a person signs in in the browser: that wait is theirs, not the server's.
    const deadline = new StartDeadline(timeoutMs);
    const startSignal = signal ? AbortSignal.any([deadline.signal, signal]) : deadline.signal;
    const warnings: McpWarning[] = [];
    const log = options.onLog;
    let phase: StartPhase = 'connect';
    let starting = true;
    let created: ReturnType<typeof createTransport> | undefined;
    let client: Client | undefined;
    const auth = createAuthProvider(config, options);
    const signIn = async (error: unknown, round: number) => {
      if (!auth?.authorizationPending || !created?.http || round >= MAX_SIGN_IN_ROUNDS) throw error;
      deadline.pause();
      await completeSignIn(auth, created.http, signal);
      deadline.restart();
    };
    try {
      phase = 'sign-in';
      await auth?.ensureFresh();
      for (let round = 0; ; round++) {
        phase = 'connect';
        created = createTransport(
          config,
          options.env ?? process.env,
          {
            onStderrLine: (line) => log?.({ server: config.name, level: 'stderr', message: line }),
            onNonJsonLine: (line) => {
              const message = `MCP server '${config.name}' wrote non-JSON to stdout (ignored; servers must log to stderr): ${JSON.stringify(line)}`;
              // Reported once in the start report; later noise only goes to the log.
              if (starting) warnings.push({ server: config.name, message });
              log?.({ server: config.name, level: 'warning', message });
            },
          },
          options.prespawned,
          auth,
        );
        if (created.stdio) onStdioTransport?.(created.stdio);
        client = newClient(config.name, options);
        phase = 'initialize';
        try {
          await client.connect(created.transport, { signal: startSignal, timeout: timeoutMs });
          break;
        } catch (error) {
          // A failed initialize closes the client; the sign-in continues on a new one.
          await client.close().catch(() => undefined);
          await signIn(error, round);
        }
      }
      phase = 'tools/list';
      let rawTools: unknown[] | undefined;
      for (let round = 0; !rawTools; round++) {
        try {
          rawTools = await listAllTools(client, startSignal, timeoutMs);
        } catch (error) {
          await signIn(error, round);
        }
      }
      const prepared = prepareTools(config, rawTools);
      warnings.push(...prepared.warnings);
      return new McpServerConnection(
        config,
        client,
        created.transport,
        created.stdio,
        rawTools,
        prepared.tools,
        warnings,
        options,
        auth,
        created.http,
      );
    } catch (error) {
      auth?.endSignIn();
      if (created?.stdio && !startSignal.aborted) await created.stdio.waitForExit(1000);
      await (client ? client.close() : created?.transport.close())?.catch(() => undefined);
      if (signal?.aborted && !deadline.signal.aborted) {
        throw new McpStartFailure(config.name, `MCP server '${config.name}': start-up cancelled`);
      }
      const timedOut =
        deadline.signal.aborted || (error instanceof McpError && error.code === ErrorCode.RequestTimeout);
      const message = describeStartFailure({
        server: config.name,
        phase,
        error,
        timeoutSec: timedOut ? config.startupTimeoutSec : undefined,
        diagnostics: created?.stdio?.diagnostics,
      });
      throw new McpStartFailure(config.name, message);
    } finally {
      starting = false;
      deadline.pause();
    }
  }

  async callTool(
    tool: string,
    args: Record<string, unknown> | undefined,
    opts: McpCallOptions = {},
  ): Promise<CallToolResult> {
    if (!isToolEnabled(this.config, tool)) {
      throw new Error(
        `tool '${tool}' of MCP server '${this.name}' is disabled by enabled_tools/disabled_tools`,
      );
    }
    this.assertRunning();
    const timeoutSec = this.config.toolTimeoutSec;
    const scope = scopedSignal(opts.signal);
    try {
      await this.auth?.ensureFresh();
      for (let round = 0; ; round++) {
        try {
          const result = await this.client.callTool({ name: tool, arguments: args }, CallToolResultSchema, {
            signal: scope.signal,
            timeout: timeoutSec * 1000,
            // The SDK only asks for progress (and so only resets the timer) when a callback is given.
            onprogress: (p) => opts.onProgress?.(p),
            resetTimeoutOnProgress: true,
          });
          return result as CallToolResult;
        } catch (error) {
          // A step-up sent the user to the browser ($BROWSER set): finish it and try the call again.
          if (!this.auth?.authorizationPending || !this.http || round >= MAX_SIGN_IN_ROUNDS) throw error;
          await completeSignIn(this.auth, this.http, scope.signal);
        }
      }
    } catch (error) {
      throw this.explainRequestFailure(error, `tool '${tool}'`, opts.signal);
    } finally {
      scope.release();
    }
  }

  listResources(cursor: string | undefined, signal?: AbortSignal): Promise<ListResourcesResult> {
    return this.request('resources/list', signal, (o) =>
      this.client.listResources(cursor ? { cursor } : undefined, o),
    );
  }

  listResourceTemplates(
    cursor: string | undefined,
    signal?: AbortSignal,
  ): Promise<ListResourceTemplatesResult> {
    return this.request('resources/templates/list', signal, (o) =>
      this.client.listResourceTemplates(cursor ? { cursor } : undefined, o),
    );
  }

  readResource(uri: string, signal?: AbortSignal): Promise<ReadResourceResult> {
    return this.request(`resources/read of ${uri}`, signal, (o) => this.client.readResource({ uri }, o));
  }

  /** Tells the server our roots changed (the session's cwd moved). */
  async notifyRootsChanged(): Promise<void> {
    if (this.running) await this.client.sendRootsListChanged().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.auth?.endSignIn();
    await this.client.close().catch(() => undefined);
    await this.transport.close().catch(() => undefined);
  }

  killNow(): void {
    this.stdio?.killNow();
  }

  /** Runs one resource request under the call timeout and a per-request signal (see scopedSignal). */
  private async request<T>(
    what: string,
    signal: AbortSignal | undefined,
    send: (options: { signal: AbortSignal; timeout: number }) => Promise<T>,
  ): Promise<T> {
    this.assertRunning();
    const scope = scopedSignal(signal);
    try {
      return await send({ signal: scope.signal, timeout: this.config.toolTimeoutSec * 1000 });
    } catch (error) {
      throw this.explainRequestFailure(error, what, signal);
    } finally {
      scope.release();
    }
  }

  private assertRunning(): void {
    if (!this.stopped) return;
    throw new Error(`MCP server '${this.name}' is not running${this.exitNote()}`);
  }

  private exitNote(): string {
    const diag = this.stdio?.diagnostics;
    if (!diag?.exit) return '';
    const tail = diag.stderrTail.at(-1);
    return ` (it ${describeExit(diag.exit)}${tail ? `; last stderr line: ${tail}` : ''})`;
  }

  /** Says which of timeout, interrupt or dead server ended a request, in words the model can act on. */
  private explainRequestFailure(error: unknown, what: string, signal: AbortSignal | undefined): Error {
    if (signal?.aborted) return new Error(`${what} on MCP server '${this.name}' was interrupted`);
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      return new Error(
        `${what} on MCP server '${this.name}' timed out after ${this.config.toolTimeoutSec} s without progress ` +
          `(tool_timeout_sec in [mcp_servers.${this.name}])`,
      );
    }
    if (this.stopped) return new Error(`MCP server '${this.name}' stopped during ${what}${this.exitNote()}`);
    return new Error(`${what} on MCP server '${this.name}' failed: ${errorText(error)}`);
  }
}

/**
 * A signal for one request that follows `parent`. The SDK adds an abort listener to the signal of every
 * request and never removes it; given a turn's long-lived signal directly, listeners would pile up call
 * after call. The child signal dies with the request, and `release` unhooks it from the parent.
 */
function scopedSignal(parent: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  if (!parent) return { signal: controller.signal, release: () => {} };
  if (parent.aborted) controller.abort(parent.reason);
  const forward = () => controller.abort(parent.reason);
  parent.addEventListener('abort', forward, { once: true });
  return { signal: controller.signal, release: () => parent.removeEventListener('abort', forward) };
}

function newClient(server: string, hooks: McpClientOptions): Client {
  const client = new Client(
    { name: 'conduit-mcp-client', title: 'Conduit', version: hooks.clientVersion ?? '0.0.0' },
    { capabilities: { elicitation: {}, roots: { listChanged: true } } },
  );
  client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
    if (hooks.onElicitation) {
      const answer = await hooks.onElicitation({ server, params: request.params, signal: extra.signal });
      return applyElicitationDefaults(request.params, answer);
    }
    hooks.onLog?.({
      server,
      level: 'warning',
      message: `MCP server '${server}' asked for user input (${JSON.stringify(request.params.message)}); declined: nobody can answer here`,
    });
    return { action: 'decline' };
  });
  client.setRequestHandler(ListRootsRequestSchema, () => ({
    roots: [{ uri: pathToFileURL(hooks.cwd).href, name: basename(hooks.cwd) || hooks.cwd }],
  }));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    const { level, logger, data } = notification.params;
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    hooks.onLog?.({ server, level, message: logger ? `${logger}: ${text}` : text });
  });
  return client;
}

export async function listAllTools(
  client: Client,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<unknown[]> {
  const tools: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const result = await client.request(
      { method: 'tools/list', params: cursor ? { cursor } : {} },
      ToolsPageSchema,
      { signal, timeout: timeoutMs },
    );
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (!cursor) return tools;
  }
  throw new Error(`tools/list returned more than ${MAX_TOOL_PAGES} pages`);
}
