// The environment a tool command gets: `[shell_environment_policy]` applied to the agent's own environment,
// plus the variables that tell scripts the network is off. Pure: the base environment is a parameter.

import type { ShellEnvironmentPolicy } from '../config/types.js';
import type { SandboxPolicy } from '../protocol/policy.js';

/** Variables kept by `inherit = "core"`. */
export const CORE_ENV_VARS = [
  'HOME',
  'LOGNAME',
  'PATH',
  'SHELL',
  'USER',
  'USERNAME',
  'TMPDIR',
  'TEMP',
  'TMP',
];
/** Dropped unless `ignore_default_excludes`: names that usually hold credentials. */
export const DEFAULT_EXCLUDES = ['*KEY*', '*SECRET*', '*TOKEN*'];
export const NETWORK_DISABLED_ENV_VARS = [
  'CONDUIT_SANDBOX_NETWORK_DISABLED',
  'CODEX_SANDBOX_NETWORK_DISABLED',
];

export const DEFAULT_SHELL_ENVIRONMENT_POLICY: ShellEnvironmentPolicy = {
  inherit: 'all',
  ignoreDefaultExcludes: false,
  exclude: [],
  set: {},
  includeOnly: [],
};

/**
 * A case-insensitive matcher for `*` and `?` globs over variable names. Written by hand: path-glob libraries
 * treat `/` and dots specially, which is wrong for environment variable names.
 */
export function envGlob(pattern: string): (name: string) => boolean {
  const source = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`, 'is');
  return (name) => re.test(name);
}

function matchesAny(patterns: string[]): (name: string) => boolean {
  const matchers = patterns.map(envGlob);
  return (name) => matchers.some((m) => m(name));
}

/** True when commands run under `policy` must not reach the network. */
export function networkDisabled(policy: SandboxPolicy): boolean {
  return policy.type === 'read-only' || (policy.type === 'workspace-write' && !policy.networkAccess);
}

/** Applies the policy in the reference's order: inherit, default excludes, exclude, set, include_only. */
export function createEnv(
  policy: ShellEnvironmentPolicy,
  sandboxPolicy: SandboxPolicy,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  const core = new Set(CORE_ENV_VARS);
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (policy.inherit === 'all' || (policy.inherit === 'core' && core.has(name))) env[name] = value;
  }
  const drop = (isExcluded: (name: string) => boolean) => {
    for (const name of Object.keys(env)) if (isExcluded(name)) delete env[name];
  };
  if (!policy.ignoreDefaultExcludes) drop(matchesAny(DEFAULT_EXCLUDES));
  if (policy.exclude.length > 0) drop(matchesAny(policy.exclude));
  Object.assign(env, policy.set);
  if (policy.includeOnly.length > 0) {
    const keep = matchesAny(policy.includeOnly);
    drop((name) => !keep(name));
  }
  if (networkDisabled(sandboxPolicy)) for (const name of NETWORK_DISABLED_ENV_VARS) env[name] = '1';
  return env;
}
