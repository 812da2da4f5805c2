// Opening an ACP session: the configuration for the editor's directory (with the same -c, --profile and
// --model as every other command), the API key check (auth_required naming the variable), and a core
// session that starts config.toml's MCP servers plus the editor's, and whose patches and unsandboxed
// commands go through the editor when it offers fs/terminal.

import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { AgentContext, ClientCapabilities, McpServer } from '@agentclientprotocol/sdk';
import { RequestError } from '@agentclientprotocol/sdk';
import {
  type Config,
  ConfigError,
  createSession,
  type LoadedConfig,
  loadConfig,
  runSandboxed,
} from '../../index.js';
import type { GlobalOptions } from '../options.js';
import { VERSION } from '../version.js';
import { checkApiKey } from './auth.js';
import { clientFileAccess } from './client-files.js';
import { clientTerminalRunner } from './client-terminal.js';
import { canElicit } from './elicitation.js';
import { clientMcpServers } from './mcp-servers.js';
import { CONFIGURED_MODEL, effortValue, type ModelChoice, presetIdFor } from './modes.js';
import { AcpSession } from './session.js';

export interface AgentEnvironment {
  globals: GlobalOptions;
  env: NodeJS.ProcessEnv;
  client: AgentContext;
  capabilities: ClientCapabilities | undefined;
}

export interface OpenRequest {
  cwd: string;
  mcpServers: McpServer[];
  /** Resume the session recorded in this rollout file. */
  resumePath?: string;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function loadConfigFor(
  agent: AgentEnvironment,
  cwd: string,
  profile?: string,
): Promise<LoadedConfig> {
  const { globals, env } = agent;
  return loadConfig({
    env,
    cwd,
    cliOverrides: globals.config,
    profile: profile ?? globals.profile,
    overrides: { model: globals.model },
  });
}

function checkCwd(cwd: string): void {
  if (!isAbsolute(cwd)) throw RequestError.invalidParams({ cwd }, `cwd "${cwd}" is not an absolute path`);
  if (!existsSync(cwd) || !statSync(cwd).isDirectory())
    throw RequestError.invalidParams({ cwd }, `cwd "${cwd}" is not a directory`);
}

/** The configuration as loaded, then each profile of config.toml, as model choices. */
async function modelChoices(
  agent: AgentEnvironment,
  loaded: LoadedConfig,
  cwd: string,
): Promise<ModelChoice[]> {
  const { config } = loaded;
  const choices: ModelChoice[] = [
    {
      value: CONFIGURED_MODEL,
      name: config.profile ? `${config.model} (profile ${config.profile})` : config.model,
      model: config.model,
      provider: config.modelProviderId,
      effort: config.modelReasoningEffort,
    },
  ];
  for (const profile of loaded.profiles) {
    try {
      const { config: p } = await loadConfigFor(agent, cwd, profile);
      choices.push({
        value: `profile:${profile}`,
        name: `${profile}: ${p.model}`,
        model: p.model,
        provider: p.modelProviderId,
        effort: p.modelReasoningEffort,
      });
    } catch {
      // A profile that does not load is not offered; `conduit config show -p NAME` says why.
    }
  }
  return choices;
}

export async function openSession(
  agent: AgentEnvironment,
  request: OpenRequest,
): Promise<{ session: AcpSession; warnings: string[] }> {
  checkCwd(request.cwd);
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfigFor(agent, request.cwd);
  } catch (err) {
    if (err instanceof ConfigError) throw RequestError.internalError({ message: err.message }, err.message);
    throw err;
  }
  const { config } = loaded;
  checkApiKey(config, agent.env);
  const extra = clientMcpServers(request.mcpServers, config.mcpServers);
  const sessionConfig: Config = { ...config, mcpServers: { ...config.mcpServers, ...extra.servers } };
  const models = await modelChoices(agent, loaded, request.cwd);
  const acp = new AcpSession({
    client: agent.client,
    capabilities: agent.capabilities,
    config,
    models,
    choices: {
      mode: presetIdFor(config.approvalPolicy, config.sandboxMode),
      model: CONFIGURED_MODEL,
      effort: effortValue(config.modelReasoningEffort),
    },
  });
  try {
    // The session starts the MCP servers (config.toml's and the editor's); a failure is a warning event.
    const core = await createSession(sessionConfig, {
      resumePath: request.resumePath,
      interactiveApprovals: true,
      elicitation: canElicit(agent.capabilities),
      originator: 'conduit_acp',
      source: 'acp',
      cliVersion: VERSION,
      patchFiles: clientFileAccess({
        client: agent.client,
        sessionId: () => acp.id,
        capabilities: agent.capabilities,
        onWritten: (callId, files) => acp.recordWritten(callId, files),
      }),
      runSandboxed: clientTerminalRunner({
        client: agent.client,
        sessionId: () => acp.id,
        capabilities: agent.capabilities,
        fallback: runSandboxed,
        onTerminal: (callId, terminalId) => acp.showTerminal(callId, terminalId),
      }),
    });
    acp.attach(core);
  } catch (err) {
    throw RequestError.internalError({ message: message(err) }, message(err));
  }
  return { session: acp, warnings: [...loaded.warnings, ...extra.warnings] };
}
