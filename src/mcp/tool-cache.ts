// Remembered `tools/list` answers, so the first model request need not wait for MCP servers to start.
// One file per server launch under `$CONDUIT_HOME/cache/mcp-tools/`, named by a hash of everything that
// decides what the server is: its transport (command, args, cwd, env, or url and headers), with the values
// of the variables it takes from the environment. Any change there is a different server, never a stale
// list. Only the hash names the file, so secrets in the env never reach the disk. A cache that cannot be
// read or written is no cache: start-up then waits for the servers, as without one.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { McpServerConfig } from '../config/types.js';

const FORMAT = 1;

export interface ToolListCache {
  /** The raw `tools/list` entries remembered for this server launch, if any. */
  read(config: McpServerConfig, env: Record<string, string | undefined>): unknown[] | undefined;
  /** Remembers a server's raw answer (written only when it differs from what was remembered). */
  write(config: McpServerConfig, env: Record<string, string | undefined>, tools: readonly unknown[]): void;
}

/** What identifies one server launch; the cache key is its hash. */
export function launchIdentity(
  config: McpServerConfig,
  env: Record<string, string | undefined>,
): Record<string, unknown> {
  const t = config.transport;
  if (t.type === 'stdio') {
    const passed = Object.fromEntries(t.envVars.map((name) => [name, env[name] ?? null]));
    return { type: 'stdio', command: t.command, args: t.args, cwd: t.cwd ?? null, env: t.env, passed };
  }
  const vars = [...(t.bearerTokenEnvVar ? [t.bearerTokenEnvVar] : []), ...Object.values(t.envHttpHeaders)];
  const passed = Object.fromEntries(vars.map((name) => [name, env[name] ?? null]));
  return { type: 'http', url: t.url, headers: t.httpHeaders, envHeaders: t.envHttpHeaders, passed };
}

export function toolCacheKey(config: McpServerConfig, env: Record<string, string | undefined>): string {
  return createHash('sha256')
    .update(JSON.stringify([FORMAT, launchIdentity(config, env)]))
    .digest('hex');
}

export function fileToolListCache(conduitHome: string): ToolListCache {
  const dir = join(conduitHome, 'cache', 'mcp-tools');
  const path = (config: McpServerConfig, env: Record<string, string | undefined>) =>
    join(dir, `${toolCacheKey(config, env)}.json`);
  const readRaw = (file: string): unknown[] | undefined => {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; tools?: unknown };
      return parsed.format === FORMAT && Array.isArray(parsed.tools) ? parsed.tools : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    read: (config, env) => readRaw(path(config, env)),
    write(config, env, tools) {
      const file = path(config, env);
      const text = JSON.stringify({ format: FORMAT, server: config.name, tools });
      try {
        if (JSON.stringify({ format: FORMAT, server: config.name, tools: readRaw(file) }) === text) return;
        mkdirSync(dir, { recursive: true });
        // Written aside and renamed: a concurrent session reads the old list or the new one, never half.
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, text);
        renameSync(tmp, file);
      } catch {
        // A read-only or full home: the next start waits for the server, which is correct, only slower.
      }
    },
  };
}
