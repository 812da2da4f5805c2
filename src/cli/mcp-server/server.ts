// One MCP connection: the SDK's low-level Server (we need custom `codex/event` notifications, raw
// elicitation requests and our own cancellation handling), the codex / codex-reply tools over the shared
// thread registry, and an answer for every request a client may send. Unknown methods get the SDK's
// JSON-RPC -32601; the listings we have nothing for are answered empty rather than refused.

import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  CancelledNotificationSchema,
  ErrorCode,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  type Notification,
  type Request,
  type RequestId,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { type LoadConfigOptions, type LoadedConfig, loadConfig } from '../../index.js';
import type { GlobalOptions } from '../options.js';
import { VERSION } from '../version.js';
import type { CallChannel } from './call-channel.js';
import { configToOverrides } from './config-overrides.js';
import { runTurn, textResult, whenCancelled } from './run-turn.js';
import { type Thread, type ThreadRegistry, UnknownThreadError } from './threads.js';

type Claimed = { thread: Thread; release: () => void };

import {
  CODEX_REPLY_TOOL,
  CODEX_TOOL,
  type CodexArgs,
  codexArgs,
  codexReplyArgs,
  describeIssues,
  toolDefinitions,
} from './tool-schemas.js';

export interface McpServerContext {
  threads: ThreadRegistry;
  /** The command line's -c / -p / -m, under each call's own arguments. */
  globals: GlobalOptions;
  approvalTimeoutMs: number;
  /** The environment config is loaded with (CONDUIT_HOME, API keys). */
  env: Record<string, string | undefined>;
}

// The Server's default generics: any request and notification besides the standard ones (elicitation with
// codex_* fields, `codex/event`).
type Extra = RequestHandlerExtra<ServerRequest | Request, ServerNotification | Notification>;

const anyReply = z.unknown();

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function loadOptionsForCall(args: CodexArgs, ctx: McpServerContext): LoadConfigOptions {
  return {
    env: ctx.env,
    cliOverrides: [...ctx.globals.config, ...configToOverrides(args.config)],
    profile: args.profile ?? ctx.globals.profile,
    cwd: args.cwd,
    overrides: {
      model: args.model ?? ctx.globals.model,
      approvalPolicy: args['approval-policy'],
      sandboxMode: args.sandbox,
      baseInstructions: args['base-instructions'],
      developerInstructions: args['developer-instructions'],
      compactPrompt: args['compact-prompt'],
    },
  };
}

export function createMcpServer(ctx: McpServerContext): Server {
  const server = new Server(
    { name: 'conduit-mcp-server', title: 'Conduit', version: VERSION },
    { capabilities: { tools: {}, resources: {}, prompts: {}, logging: {} } },
  );
  /** Running tools/call requests by JSON-RPC id, so a cancellation reaches its turn. */
  const running = new Map<RequestId, AbortController>();

  // Replaces the SDK's handler, which would abort the request and drop its response: we interrupt the
  // turn instead and still answer the call.
  server.setNotificationHandler(CancelledNotificationSchema, (notification) => {
    const { requestId, reason } = notification.params;
    if (requestId !== undefined) running.get(requestId)?.abort(reason);
  });
  // A client that goes away cannot see its calls' results: stop their turns rather than run them unattended.
  server.onclose = () => {
    for (const cancel of running.values()) cancel.abort('the client disconnected');
  };
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolDefinitions() }));
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [] }));
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: [] }));

  function channelFor(extra: Extra, cancelled: AbortSignal): CallChannel {
    const elicitation = server.getClientCapabilities()?.elicitation;
    return {
      requestId: extra.requestId,
      progressToken: extra._meta?.progressToken,
      // `elicitation: {}` (older clients) means form; a client declaring only `url` cannot show our form.
      canElicit:
        elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined),
      approvalTimeoutMs: ctx.approvalTimeoutMs,
      cancelled,
      notify: (method, params) =>
        server.notification({ method, params }, { relatedRequestId: extra.requestId }).catch(() => {}),
      elicit: (params, { timeoutMs, signal }) =>
        extra.sendRequest({ method: 'elicitation/create', params }, anyReply, { timeout: timeoutMs, signal }),
      log: (level, message) =>
        server
          .sendLoggingMessage({ level, logger: 'conduit', data: message }, extra.sessionId)
          .catch(() => {}),
    };
  }

  /**
   * Waits for the thread (another call may be using it) unless the client cancels first, then runs the
   * turn on it. `opening` failures (a session that cannot start, an unknown thread) become error results.
   */
  async function runOn(
    opening: () => Promise<Claimed>,
    prompt: string,
    extra: Extra,
    cancelled: AbortSignal,
    failure: { prefix: string; threadId?: string },
  ): Promise<CallToolResult> {
    const pending = opening();
    let claimed: Claimed | undefined;
    try {
      claimed = await Promise.race([pending, whenCancelled(cancelled).then(() => undefined)]);
    } catch (err) {
      if (err instanceof UnknownThreadError) return textResult(err.message, undefined, true);
      return textResult(`${failure.prefix}: ${errorText(err)}`, failure.threadId, true);
    }
    if (!claimed) {
      // The thread is handed over later; give it straight back so the next call can have it.
      pending.then(({ release }) => release()).catch(() => {});
      return textResult('the client cancelled the call before it started', failure.threadId, true);
    }
    try {
      return await runTurn(claimed.thread, prompt, channelFor(extra, cancelled));
    } finally {
      claimed.release();
    }
  }

  async function callCodex(raw: unknown, extra: Extra, cancelled: AbortSignal): Promise<CallToolResult> {
    const parsed = codexArgs.safeParse(raw ?? {});
    if (!parsed.success) return textResult(describeIssues(CODEX_TOOL, parsed.error), undefined, true);
    const prefix = 'Failed to start Conduit session';
    let loaded: LoadedConfig;
    try {
      loaded = await loadConfig(loadOptionsForCall(parsed.data, ctx));
    } catch (err) {
      return textResult(`${prefix}: ${errorText(err)}`, undefined, true);
    }
    const opening = async () => {
      const claimed = await ctx.threads.start(loaded.config);
      claimed.thread.pending.warnings.unshift(...loaded.warnings);
      return claimed;
    };
    return runOn(opening, parsed.data.prompt, extra, cancelled, { prefix });
  }

  async function callCodexReply(raw: unknown, extra: Extra, cancelled: AbortSignal): Promise<CallToolResult> {
    const parsed = codexReplyArgs.safeParse(raw ?? {});
    if (!parsed.success) return textResult(describeIssues(CODEX_REPLY_TOOL, parsed.error), undefined, true);
    const threadId = (parsed.data.threadId ?? parsed.data.conversationId)!;
    const load = async (cwd?: string) => {
      const { globals, env } = ctx;
      const options = { env, cliOverrides: globals.config, profile: globals.profile, cwd };
      return (await loadConfig({ ...options, overrides: { model: globals.model } })).config;
    };
    return runOn(() => ctx.threads.reply(threadId, load), parsed.data.prompt, extra, cancelled, {
      prefix: `Failed to resume thread ${threadId}`,
      threadId,
    });
  }

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    if (name !== CODEX_TOOL && name !== CODEX_REPLY_TOOL) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `unknown tool "${name}" (tools: ${CODEX_TOOL}, ${CODEX_REPLY_TOOL})`,
      );
    }
    const cancel = new AbortController();
    running.set(extra.requestId, cancel);
    try {
      return name === CODEX_TOOL
        ? await callCodex(args, extra, cancel.signal)
        : await callCodexReply(args, extra, cancel.signal);
    } catch (err) {
      return textResult(`Conduit runtime error: ${errorText(err)}`, undefined, true);
    } finally {
      running.delete(extra.requestId);
    }
  });

  return server;
}
