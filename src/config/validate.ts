// Validates the merged TOML tree against the schema and turns zod issues into messages a user can act on:
// `config.toml:12:12: model_providers.bad.wire_api: expected "responses" or "chat", got "chatt"`.
// Unknown keys become warnings; everything else is an error.

import type { z } from 'zod';
import { type CliOverride, isTable, type TomlTable } from './overrides.js';
import { type ConfigFile, configFileSchema, MCP_SERVER_NAME } from './schema.js';
import { closestKey } from './suggest.js';
import { locateKey } from './toml-locate.js';

export interface ConfigSource {
  /** Path of config.toml as shown in messages. */
  file: string;
  text: string;
}

export interface ValidationResult {
  value?: ConfigFile;
  errors: string[];
  warnings: string[];
}

type Path = readonly PropertyKey[];

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (isTable(value)) return 'a table';
  return JSON.stringify(value);
}

function valueAt(tree: unknown, path: Path): unknown {
  let node = tree;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}

function joinPath(path: Path): string {
  return path
    .map((seg) => (typeof seg === 'number' ? `[${seg}]` : String(seg)))
    .join('.')
    .replace(/\.\[/g, '[');
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a table',
  record: 'a table',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

function explain(issue: z.core.$ZodIssue, found: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describe(found)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describe(found)}`;
    case 'too_small':
      return `expected a value >= ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}, got ${describe(found)}`;
    case 'too_big':
      return `expected a value <= ${String(issue.maximum)}, got ${describe(found)}`;
    case 'invalid_format':
      return `expected a valid ${issue.format}, got ${describe(found)}`;
    default:
      return `${issue.message}, got ${describe(found)}`;
  }
}

/**
 * Where a path came from: the `-c` that last wrote it or a parent of it; else the file's line and column
 * when the file holds that exact key; else a `-c` that wrote inside it (a table a `-c` created or filled);
 * else the nearest enclosing table in the file.
 */
export function whereIs(
  path: Path,
  source: ConfigSource | undefined,
  overrides: readonly CliOverride[],
): string {
  const strPath = path.map(String);
  const latest = (matches: (o: CliOverride) => boolean) => [...overrides].reverse().find(matches);
  const wrote = latest((o) => o.path.every((seg, j) => strPath[j] === seg));
  if (wrote) return `-c ${wrote.text}`;
  const pos = source ? locateKey(source.text, strPath) : undefined;
  if (source && pos?.exact) return `${source.file}:${pos.line}:${pos.column}`;
  const inside = latest((o) => strPath.every((seg, j) => o.path[j] === seg));
  if (inside) return `-c ${inside.text}`;
  if (!source) return 'config';
  return pos ? `${source.file}:${pos.line}:${pos.column}` : source.file;
}

/** The keys the schema allows in the table at `path` (for "did you mean"). */
function knownKeysAt(schema: unknown, path: Path): string[] {
  type Def = {
    type: string;
    shape?: Record<string, unknown>;
    innerType?: unknown;
    valueType?: unknown;
    element?: unknown;
  };
  const defOf = (s: unknown) => (s as { _zod?: { def?: Def } })?._zod?.def;
  const unwrap = (s: unknown): Def | undefined => {
    let def = defOf(s);
    while (def && (def.type === 'optional' || def.type === 'nullable' || def.type === 'default'))
      def = defOf(def.innerType);
    return def;
  };
  let def = unwrap(schema);
  for (const seg of path) {
    if (!def) return [];
    if (def.type === 'object') def = unwrap(def.shape?.[String(seg)]);
    else if (def.type === 'record') def = unwrap(def.valueType);
    else if (def.type === 'array') def = unwrap(def.element);
    else return [];
  }
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** Rules a per-key schema cannot express: server names and the stdio/HTTP transport split. */
function checkMcpServers(tree: TomlTable, report: (path: Path, message: string) => void): void {
  const servers = tree.mcp_servers;
  if (!isTable(servers)) return;
  for (const [name, entry] of Object.entries(servers)) {
    const at = ['mcp_servers', name];
    if (!MCP_SERVER_NAME.test(name)) {
      report(at, `server name "${name}" is invalid: use only letters, digits, "_" and "-"`);
    }
    if (!isTable(entry)) continue;
    if ('bearer_token' in entry) {
      report(
        [...at, 'bearer_token'],
        'inline bearer tokens are not allowed: put the token in an environment variable and name it in bearer_token_env_var',
      );
    }
    const hasCommand = 'command' in entry;
    const hasUrl = 'url' in entry;
    if (hasCommand && hasUrl) report(at, 'set either command (stdio) or url (streamable HTTP), not both');
    else if (!hasCommand && !hasUrl)
      report(at, 'invalid transport: set command (stdio) or url (streamable HTTP)');
    const foreign = hasCommand
      ? ['bearer_token_env_var', 'http_headers', 'env_http_headers', 'oauth']
      : hasUrl
        ? ['args', 'env', 'env_vars', 'cwd']
        : [];
    for (const key of foreign) {
      if (key in entry)
        report(
          [...at, key],
          `"${key}" does not apply to a ${hasCommand ? 'stdio' : 'streamable HTTP'} server`,
        );
    }
    if (isTable(entry.oauth))
      checkOAuth(entry.oauth, [...at, 'oauth'], 'bearer_token_env_var' in entry, report);
  }
}

/** The `oauth` keys that only make sense together (the schema checks each key's own type). */
function checkOAuth(
  oauth: TomlTable,
  at: Path,
  hasBearer: boolean,
  report: (path: Path, message: string) => void,
): void {
  if (hasBearer)
    report(at, 'set either bearer_token_env_var (a static token) or an oauth table (sign-in), not both');
  const credentials = oauth.grant === 'client_credentials';
  if (credentials && !('client_id' in oauth))
    report(at, 'grant = "client_credentials" needs the client_id registered with the authorization server');
  if (credentials && !('client_secret_env' in oauth) && !('private_key_env' in oauth))
    report(at, 'grant = "client_credentials" needs client_secret_env or private_key_env');
  if ('private_key_env' in oauth && !credentials)
    report(
      [...at, 'private_key_env'],
      'a private key (JWT assertion) is only used with grant = "client_credentials"',
    );
  if ('private_key_env' in oauth && 'client_secret_env' in oauth)
    report(at, 'set either client_secret_env or private_key_env, not both');
  if ('signing_algorithm' in oauth && !('private_key_env' in oauth))
    report([...at, 'signing_algorithm'], 'signing_algorithm applies only with private_key_env');
  if ('client_secret_env' in oauth && !('client_id' in oauth))
    report([...at, 'client_secret_env'], 'a client secret needs the client_id it belongs to');
  if ('client_secret' in oauth)
    report(
      [...at, 'client_secret'],
      'secrets are not allowed in the config: put it in an environment variable and name it in client_secret_env',
    );
}

function deletePath(tree: unknown, path: Path): void {
  const parent = valueAt(tree, path.slice(0, -1));
  if (parent && typeof parent === 'object')
    delete (parent as Record<PropertyKey, unknown>)[path[path.length - 1]];
}

export function validateConfigTree(
  tree: TomlTable,
  source: ConfigSource | undefined,
  overrides: readonly CliOverride[],
): ValidationResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const report = (path: Path, message: string) =>
    errors.push(`${whereIs(path, source, overrides)}: ${joinPath(path)}: ${message}`);

  checkMcpServers(tree, report);
  const working = structuredClone(tree);
  // bearer_token already has its own error; keep it out of the unknown-key warnings.
  for (const entry of Object.values(isTable(working.mcp_servers) ? working.mcp_servers : {})) {
    if (!isTable(entry)) continue;
    delete entry.bearer_token;
    if (isTable(entry.oauth)) delete entry.oauth.client_secret;
  }

  let result = configFileSchema.safeParse(working);
  if (!result.success) {
    const unknown = result.error.issues.filter((i) => i.code === 'unrecognized_keys');
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeysAt(configFileSchema, issue.path);
        for (const key of issue.keys) {
          const path = [...issue.path, key];
          const guess = closestKey(key, known);
          const hint = guess ? `; did you mean ${guess}?` : '';
          warnings.push(
            `${whereIs(path, source, overrides)}: unknown key ${joinPath(path)} (ignored${hint})`,
          );
        }
      } else {
        report(issue.path, explain(issue, valueAt(working, issue.path)));
      }
    }
    if (unknown.length > 0) {
      for (const issue of unknown) for (const key of issue.keys) deletePath(working, [...issue.path, key]);
      result = configFileSchema.safeParse(working);
    }
  }
  return { value: result.success && errors.length === 0 ? result.data : undefined, errors, warnings };
}
