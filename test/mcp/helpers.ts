// Builds McpServerConfig objects by hand (the TOML loader is tested elsewhere) and locates the real
// servers installed as devDependencies and our own broken fixtures.

import { fileURLToPath } from 'node:url';
import type { McpServerConfig } from '../../src/config/types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const SERVERS = {
  everything: `${root}node_modules/@modelcontextprotocol/server-everything/dist/index.js`,
  filesystem: `${root}node_modules/@modelcontextprotocol/server-filesystem/dist/index.js`,
  memory: `${root}node_modules/@modelcontextprotocol/server-memory/dist/index.js`,
};

export function fixture(name: string): string {
  return `${root}test/fixtures/mcp/${name}`;
}

export function stdioServer(
  name: string,
  args: string[],
  extra: Partial<Omit<McpServerConfig, 'transport'>> & {
    env?: Record<string, string>;
    command?: string;
  } = {},
): McpServerConfig {
  const { env, command, ...rest } = extra;
  return {
    name,
    enabled: true,
    startupTimeoutSec: 20,
    toolTimeoutSec: 30,
    ...rest,
    transport: { type: 'stdio', command: command ?? process.execPath, args, env: env ?? {}, envVars: [] },
  };
}

/** Whether a process id is still alive (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
