// The ACP agent: the SDK's agent app (it does the JSON-RPC, the schema checks of every request and the
// error replies) with a handler per method. Sessions live in a map, several per process; each request
// names its session and an unknown one is a -32002 error, never a crash.

import {
  type AgentApp,
  type AgentContext,
  agent,
  type ClientCapabilities,
  type InitializeResponse,
  type McpServer,
  methods,
  PROTOCOL_VERSION,
  RequestError,
} from '@agentclientprotocol/sdk';
import { type Config, findRolloutById, listSavedSessions, readRollout } from '../../index.js';
import type { GlobalOptions } from '../options.js';
import { VERSION } from '../version.js';
import { authMethods, checkApiKey } from './auth.js';
import { type AgentEnvironment, openSession } from './open.js';
import { promptToInput, slashCommandOf } from './prompt-input.js';
import type { AcpSession } from './session.js';
import { AVAILABLE_COMMANDS, isKnownCommand } from './slash-commands.js';

/** Saved sessions per `session/list` page. */
const LIST_PAGE_SIZE = 50;

export interface AcpAgentOptions {
  globals: GlobalOptions;
  env: NodeJS.ProcessEnv;
  /** The configuration loaded at start: its home holds saved sessions, its provider decides auth. */
  config: Config;
}

export class AcpAgent {
  readonly sessions = new Map<string, AcpSession>();
  private capabilities: ClientCapabilities | undefined;
  private client: AgentContext | undefined;

  constructor(private readonly options: AcpAgentOptions) {}

  app(): AgentApp {
    return agent({ name: 'conduit' })
      .onConnect((connection) => {
        this.client = connection.client;
      })
      .onRequest(methods.agent.initialize, ({ params }) => this.initialize(params.clientCapabilities))
      .onRequest(methods.agent.authenticate, ({ params }) => {
        const { config } = this.options;
        if (!authMethods(config).some((m) => m.id === params.methodId))
          throw RequestError.invalidParams(
            { methodId: params.methodId },
            `unknown auth method "${params.methodId}"`,
          );
        // The key comes from the environment Conduit was started with: authenticating is checking it.
        checkApiKey(config, this.options.env);
        return {};
      })
      .onRequest(methods.agent.session.new, async ({ params }) => {
        const { session, warnings } = await openSession(this.environment(), params);
        this.sessions.set(session.id, session);
        this.afterReply(session, warnings);
        return { sessionId: session.id, modes: session.modes(), configOptions: session.configOptions() };
      })
      .onRequest(methods.agent.session.load, async ({ params }) => {
        const { session, stored, warnings } = await this.reopen(params);
        // The client knows this session already: its replay (and the core's first events) go before the reply.
        session.opened();
        session.replay(stored.initialMessages);
        await session.flush();
        this.afterReply(session, warnings);
        return { modes: session.modes(), configOptions: session.configOptions() };
      })
      .onRequest(methods.agent.session.resume, async ({ params }) => {
        const { session, warnings } = await this.reopen({ ...params, mcpServers: params.mcpServers ?? [] });
        this.afterReply(session, warnings);
        return { modes: session.modes(), configOptions: session.configOptions() };
      })
      .onRequest(methods.agent.session.list, ({ params }) => {
        const { sessions, more } = listSavedSessions(this.options.config.conduitHome, {
          cwd: params.cwd ?? undefined,
          after: params.cursor ?? undefined,
          limit: LIST_PAGE_SIZE,
        });
        return {
          sessions: sessions.map((s) => ({
            sessionId: s.id,
            cwd: s.cwd,
            updatedAt: s.updatedAt,
            ...(s.title !== undefined && { title: s.title }),
          })),
          ...(more && { nextCursor: sessions[sessions.length - 1].id }),
        };
      })
      .onRequest(methods.agent.session.close, async ({ params }) => {
        await this.session(params.sessionId).close();
        this.sessions.delete(params.sessionId);
        return {};
      })
      .onRequest(methods.agent.session.setMode, ({ params }) => {
        const session = this.session(params.sessionId);
        session.setMode(params.modeId);
        session.send({ sessionUpdate: 'config_option_update', configOptions: session.configOptions() });
        return {};
      })
      .onRequest(methods.agent.session.setConfigOption, ({ params }) => {
        if (!('value' in params) || typeof params.value !== 'string')
          throw RequestError.invalidParams(
            { configId: params.configId },
            'every Conduit config option takes a value id',
          );
        return {
          configOptions: this.session(params.sessionId).setConfigOption(params.configId, params.value),
        };
      })
      .onRequest(methods.agent.session.prompt, ({ params, signal }) => {
        const session = this.session(params.sessionId);
        const command = slashCommandOf(params.prompt);
        if (command && isKnownCommand(command.name)) return session.prompt({ command: command.name }, signal);
        return session.prompt(promptToInput(params.prompt), signal);
      })
      .onNotification(methods.agent.session.cancel, ({ params }) => {
        this.sessions.get(params.sessionId)?.cancel();
      });
  }

  async closeAll(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map((session) => session.close().catch(() => {})));
  }

  /** Opens a saved session again (load and resume), in place of a live one with the same id. */
  private async reopen(params: { sessionId: string; cwd: string; mcpServers: McpServer[] }) {
    const path = findRolloutById(this.options.config.conduitHome, params.sessionId);
    if (!path) throw RequestError.sessionNotFound(params.sessionId);
    const stored = readRollout(path);
    await this.sessions.get(params.sessionId)?.close();
    this.sessions.delete(params.sessionId);
    const { session, warnings } = await openSession(this.environment(), { ...params, resumePath: path });
    this.sessions.set(session.id, session);
    if (stored.lastTurnContext) session.restore(stored.lastTurnContext);
    return { session, stored, warnings: [...stored.warnings, ...warnings] };
  }

  private initialize(capabilities: ClientCapabilities | undefined): InitializeResponse {
    this.capabilities = capabilities;
    return {
      protocolVersion: PROTOCOL_VERSION,
      agentCapabilities: {
        loadSession: true,
        promptCapabilities: { image: true, audio: false, embeddedContext: true },
        mcpCapabilities: { http: true, sse: false },
        sessionCapabilities: { close: {}, resume: {}, list: {} },
      },
      authMethods: authMethods(this.options.config),
      agentInfo: { name: 'conduit', title: 'Conduit', version: VERSION },
    };
  }

  private environment(): AgentEnvironment {
    if (!this.client) throw RequestError.internalError(undefined, 'not connected');
    return {
      globals: this.options.globals,
      env: this.options.env,
      client: this.client,
      capabilities: this.capabilities,
    };
  }

  private session(sessionId: string): AcpSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw RequestError.sessionNotFound(sessionId);
    return session;
  }

  /** Updates that must follow the session/new (or load) reply (gptme/gptme#1422). */
  private afterReply(session: AcpSession, warnings: string[]): void {
    setImmediate(() => {
      session.opened();
      session.send({ sessionUpdate: 'available_commands_update', availableCommands: AVAILABLE_COMMANDS });
      for (const warning of warnings)
        session.send({
          sessionUpdate: 'agent_thought_chunk',
          content: { type: 'text', text: `⚠ ${warning}\n` },
        });
    });
  }
}
