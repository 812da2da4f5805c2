// `-c key=value` overrides: parsed like Codex does (the value as a TOML value, else a bare string), applied
// to the raw TOML tree before validation and before profile selection.

import { parse as parseToml } from 'smol-toml';
import { ConfigError } from './errors.js';

export type TomlTable = { [key: string]: unknown };

export interface CliOverride {
  /** The text as the user typed it, for messages and provenance. */
  text: string;
  path: string[];
  value: unknown;
}

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Walks a single-key chain (`{a:{b:{c:0}}}` → `[a,b,c]`): how a parsed `a.b.c = 0` reveals its key path. */
function keyPath(tree: TomlTable): string[] {
  const path: string[] = [];
  let node: unknown = tree;
  while (isTable(node)) {
    const keys = Object.keys(node);
    if (keys.length !== 1) break;
    path.push(keys[0]);
    node = node[keys[0]];
  }
  return path;
}

function stripQuotes(s: string): string {
  const q = s[0];
  return s.length >= 2 && (q === '"' || q === "'") && s.endsWith(q) ? s.slice(1, -1) : s;
}

export function parseCliOverride(text: string): CliOverride {
  const eq = text.indexOf('=');
  if (eq < 0) throw new ConfigError(`-c ${text}: expected key=value`);
  const rawKey = text.slice(0, eq).trim();
  const rawValue = text.slice(eq + 1).trim();
  if (!rawKey) throw new ConfigError(`-c ${text}: the key is empty`);
  let path: string[];
  try {
    // TOML itself parses the key, so dotted and quoted keys (`projects."/a b".trust_level`) work.
    path = keyPath(parseToml(`${rawKey} = 0`));
  } catch {
    throw new ConfigError(
      `-c ${text}: "${rawKey}" is not a valid key (use dotted keys, quote segments with spaces)`,
    );
  }
  let value: unknown;
  try {
    value = parseToml(`value = ${rawValue}`).value;
  } catch {
    value = stripQuotes(rawValue);
  }
  return { text, path, value };
}

/** Sets `path` in `tree`, creating tables and replacing non-tables met on the way. */
export function applyOverride(tree: TomlTable, override: CliOverride): void {
  let node = tree;
  for (const seg of override.path.slice(0, -1)) {
    const next = node[seg];
    if (!isTable(next)) node[seg] = {};
    node = node[seg] as TomlTable;
  }
  node[override.path[override.path.length - 1]] = override.value;
}
