// The `config` argument of the codex tool (JSON) as `-c key=value` texts, so it goes through exactly the
// path `-c` takes (parsed, validated and reported with the same messages). Nested objects are flattened to
// their leaves, so `{"model_providers": {"x": {"base_url": …}}}` changes one key instead of replacing the
// whole table from config.toml. A top-level key may itself be dotted (`"sandbox_workspace_write.network_access"`).
// smol-toml has no value-only serialiser, hence the small TOML writer below.

import { UserError } from '../../index.js';

const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const DOTTED_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function keySegment(key: string): string {
  // A JSON string literal is a valid TOML basic string (same escapes), so it quotes any key safely.
  return BARE_KEY.test(key) ? key : JSON.stringify(key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One JSON value as TOML value text; `where` names it in errors. */
export function tomlValue(value: unknown, where: string): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UserError(`config.${where}: ${value} is not a TOML number`);
    // JavaScript's number text (`3`, `0.5`, `1e-7`) is also TOML's.
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => tomlValue(v, `${where}[${i}]`)).join(', ')}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(
      ([k, v]) => `${keySegment(k)} = ${tomlValue(v, `${where}.${k}`)}`,
    );
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  throw new UserError(`config.${where}: ${value === null ? 'null' : typeof value} has no TOML equivalent`);
}

function flatten(prefix: string, value: unknown, where: string, out: string[]): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value))
      flatten(`${prefix}.${keySegment(k)}`, v, `${where}.${k}`, out);
    return;
  }
  out.push(`${prefix}=${tomlValue(value, where)}`);
}

/** `-c` texts for a codex tool call's `config` object, in key order. */
export function configToOverrides(config: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(config ?? {})) {
    if (!key.trim()) throw new UserError('config: an override has an empty key');
    flatten(DOTTED_KEY.test(key) ? key : keySegment(key), value, key, out);
  }
  return out;
}
