// `conduit runner serve` (the job tools as an MCP server over stdio or streamable HTTP) and `conduit runner
// worker` (a BullMQ worker process). The runner itself lives in src/runner/; this only wires flags to it.

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig, UserError } from '../index.js';
import {
  createRunnerServer,
  openBackend,
  type RunnerFlags,
  resolveRunnerSettings,
  runWorker,
} from '../runner/index.js';
import { parseListenAddress, serveHttp } from './mcp-server/http.js';
import type { GlobalOptions } from './options.js';
import { VERSION } from './version.js';

interface ServeOptions extends GlobalOptions, RunnerFlags {
  http?: string;
  bearerTokenEnvVar?: string;
}

async function settingsFrom(options: GlobalOptions & RunnerFlags) {
  const { config, warnings } = await loadConfig({
    env: process.env,
    cliOverrides: options.config,
    profile: options.profile,
  });
  for (const warning of warnings) process.stderr.write(`conduit runner: ${warning}\n`);
  return resolveRunnerSettings(options, config.runner, config.conduitHome, process.env);
}

export async function runRunnerServe(options: ServeOptions): Promise<void> {
  const address = options.http !== undefined ? parseListenAddress(options.http) : undefined;
  let token: string | undefined;
  if (options.bearerTokenEnvVar !== undefined) {
    token = process.env[options.bearerTokenEnvVar]?.trim();
    if (!token)
      throw new UserError(
        `--bearer-token-env-var ${options.bearerTokenEnvVar}: ${options.bearerTokenEnvVar} is not set or empty`,
      );
  }
  const settings = await settingsFrom(options);
  const { backend, blobs } = await openBackend(settings);
  let stopTransport: () => Promise<void> = async () => {};
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stopTransport();
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (address) {
    const http = await serveHttp({
      address,
      token,
      createMcpServer: () => createRunnerServer(backend, blobs, VERSION).server,
    });
    stopTransport = http.close;
    process.stderr.write(
      `conduit runner: ${settings.backend} backend, listening on ${http.url}${token ? ' (bearer token required)' : ''}\n`,
    );
    return;
  }
  const server = createRunnerServer(backend, blobs, VERSION);
  stopTransport = () => server.close();
  // The stdio transport does not notice its client going away; the end of stdin is that signal.
  process.stdin.once('end', stop);
  await server.connect(new StdioServerTransport());
}

export async function runRunnerWorker(
  options: GlobalOptions & RunnerFlags & { lockDurationMs?: string; stalledIntervalMs?: string },
): Promise<void> {
  const settings = await settingsFrom({ ...options, backend: 'bullmq' });
  await runWorker(settings, {
    lockDurationMs: options.lockDurationMs ? Number(options.lockDurationMs) : undefined,
    stalledIntervalMs: options.stalledIntervalMs ? Number(options.stalledIntervalMs) : undefined,
  });
}
