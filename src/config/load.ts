// Loads the effective configuration. Layering, as in Codex: config.toml < each `-c` override (applied to the
// TOML tree, so before profile selection) < the active profile < dedicated CLI flags < built-in defaults for
// what is still unset. Every resolved value remembers where it came from, for `conduit config show`.

import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { ApprovalPolicy, SandboxMode, SandboxPolicy } from '../protocol/policy.js';
import { BUILTIN_PROVIDER_IDS, builtinProviders } from './builtin-providers.js';
import { ConfigError } from './errors.js';
import { defaultAutoCompactLimit, findModelFamily } from './model-family.js';
import { applyOverride, type CliOverride, parseCliOverride, type TomlTable } from './overrides.js';
import { resolveMcpServers } from './resolve-mcp.js';
import { resolveUserProvider } from './resolve-provider.js';
import type { ConfigFile, ProfileFile } from './schema.js';
import { closestKey } from './suggest.js';
import type { Config, ModelProviderInfo } from './types.js';
import { type ConfigSource, validateConfigTree, whereIs } from './validate.js';

export const DEFAULT_MODEL = 'gpt-5-codex';
export const DEFAULT_MODEL_PROVIDER = 'openai';
export const DEFAULT_PROJECT_DOC_MAX_BYTES = 32 * 1024;

/** Dedicated CLI flags (and MCP-server tool arguments): the highest-precedence layer. */
export interface ConfigOverrides {
  model?: string;
  modelProvider?: string;
  approvalPolicy?: ApprovalPolicy;
  sandboxMode?: SandboxMode;
  /** Extra writable roots (`--add-dir`), made absolute against the cwd. */
  addDirs?: string[];
  baseInstructions?: string;
  developerInstructions?: string;
  compactPrompt?: string;
}

export interface LoadConfigOptions {
  /** `-c key=value` texts, in order. */
  cliOverrides?: string[];
  /** `--profile`; beats `profile = …` in the file. */
  profile?: string;
  cwd?: string;
  conduitHome?: string;
  env?: Record<string, string | undefined>;
  overrides?: ConfigOverrides;
}

export interface LoadedConfig {
  config: Config;
  warnings: string[];
  /** Effective key → where its value came from (`config.toml:3:9`, `-c model=x`, `profile fast`, `--model`, `default`). */
  sources: Record<string, string>;
  configPath: string;
  configFileExists: boolean;
  /** The `[profiles.<name>]` tables config.toml defines, for front ends that offer them as choices. */
  profiles: string[];
}

export function resolveConduitHome(env: Record<string, string | undefined>): string {
  const fromEnv = env.CONDUIT_HOME?.trim();
  if (!fromEnv) return join(homedir(), '.conduit');
  if (!existsSync(fromEnv) || !statSync(fromEnv).isDirectory()) {
    throw new ConfigError(
      `CONDUIT_HOME=${fromEnv}: no such directory (create it, or unset CONDUIT_HOME to use ~/.conduit)`,
    );
  }
  return realpathSync(fromEnv);
}

function readConfigFile(path: string): { tree: TomlTable; source?: ConfigSource } {
  if (!existsSync(path)) return { tree: {} };
  const text = readFileSync(path, 'utf8');
  try {
    return { tree: parseToml(text) as TomlTable, source: { file: path, text } };
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
      throw new ConfigError(`${path}:${err.line}:${err.column}: invalid TOML: ${reason}`);
    }
    throw err;
  }
}

interface Layers {
  file: ConfigFile;
  profile?: { name: string; values: ProfileFile };
  flags: ConfigOverrides;
  source?: ConfigSource;
  cli: CliOverride[];
}

/** Resolves one profile-scoped key through flag > profile > top level, recording where the value came from. */
function makePicker(layers: Layers, sources: Record<string, string>) {
  return <K extends keyof ProfileFile>(
    key: K,
    flag?: { value: ProfileFile[K] | undefined; name: string },
  ) => {
    if (flag?.value !== undefined) {
      sources[key] = flag.name;
      return flag.value;
    }
    const fromProfile = layers.profile?.values[key];
    if (fromProfile !== undefined) {
      sources[key] =
        `profile ${layers.profile!.name} (${whereIs(['profiles', layers.profile!.name, key], layers.source, layers.cli)})`;
      return fromProfile;
    }
    const top = layers.file[key];
    if (top !== undefined) sources[key] = whereIs([key], layers.source, layers.cli);
    return top;
  };
}

function topLevel<K extends keyof ConfigFile>(
  layers: Layers,
  sources: Record<string, string>,
  key: K,
): ConfigFile[K] {
  const value = layers.file[key];
  if (value !== undefined) sources[key] = whereIs([key], layers.source, layers.cli);
  return value;
}

function isTrusted(file: ConfigFile, cwd: string): 'trusted' | 'untrusted' | undefined {
  const projects = file.projects ?? {};
  let dir = cwd;
  for (;;) {
    const level = projects[dir]?.trust_level;
    if (level) return level;
    const parent = resolve(dir, '..');
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function sandboxPolicyFor(
  mode: SandboxMode,
  file: ConfigFile,
  cwd: string,
  addDirs: string[],
): SandboxPolicy {
  if (mode === 'danger-full-access') return { type: 'danger-full-access' };
  if (mode === 'read-only') return { type: 'read-only' };
  const ws = file.sandbox_workspace_write ?? {};
  const roots: string[] = [];
  for (const root of [...(ws.writable_roots ?? []), ...addDirs]) {
    const abs = resolve(cwd, root);
    const real = existsSync(abs) ? realpathSync(abs) : abs;
    if (!roots.includes(real)) roots.push(real);
  }
  return {
    type: 'workspace-write',
    writableRoots: roots,
    networkAccess: ws.network_access ?? false,
    excludeTmpdirEnvVar: ws.exclude_tmpdir_env_var ?? false,
    excludeSlashTmp: ws.exclude_slash_tmp ?? false,
  };
}

function readInstructionsFile(path: string, cwd: string, where: string): string {
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `${where}: experimental_instructions_file: cannot read ${abs}: ${(err as Error).message}`,
    );
  }
  if (!text.trim()) throw new ConfigError(`${where}: experimental_instructions_file: ${abs} is empty`);
  return text;
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const conduitHome = options.conduitHome ?? resolveConduitHome(env);
  const cwdInput = resolve(options.cwd ?? process.cwd());
  if (!existsSync(cwdInput) || !statSync(cwdInput).isDirectory()) {
    throw new ConfigError(`working directory ${cwdInput} does not exist or is not a directory`);
  }
  const cwd = realpathSync(cwdInput);
  const configPath = join(conduitHome, 'config.toml');

  const { tree, source } = readConfigFile(configPath);
  const cli = (options.cliOverrides ?? []).map(parseCliOverride);
  for (const override of cli) applyOverride(tree, override);

  const validated = validateConfigTree(tree, source, cli);
  if (!validated.value) throw new ConfigError(validated.errors.join('\n'));
  const file = validated.value;
  const warnings = [...validated.warnings];
  const sources: Record<string, string> = {};

  const profileName = options.profile ?? file.profile;
  let profile: Layers['profile'];
  if (profileName !== undefined) {
    const values = file.profiles?.[profileName];
    if (!values) {
      const known = Object.keys(file.profiles ?? {});
      const where =
        options.profile !== undefined ? `--profile ${profileName}` : whereIs(['profile'], source, cli);
      const guess = closestKey(profileName, known);
      const listed = known.length
        ? ` (profiles: ${known.join(', ')}${guess ? `; did you mean ${guess}?` : ''})`
        : ' (it has no [profiles.<name>] tables)';
      const declaring = source ? `${source.file}${listed}` : `${configPath}, which does not exist`;
      throw new ConfigError(`${where}: no profile "${profileName}" in ${declaring}`);
    }
    profile = { name: profileName, values };
  }
  const flags = options.overrides ?? {};
  const layers: Layers = { file, profile, flags, source, cli };
  const pick = makePicker(layers, sources);

  // Providers: built-ins first; user entries only extend.
  const openaiBaseUrl = topLevel(layers, sources, 'openai_base_url');
  const modelProviders: Record<string, ModelProviderInfo> = builtinProviders(env, openaiBaseUrl);
  for (const [id, entry] of Object.entries(file.model_providers ?? {})) {
    const where = whereIs(['model_providers', id], source, cli);
    if ((BUILTIN_PROVIDER_IDS as readonly string[]).includes(id)) {
      warnings.push(
        `${where}: model_providers.${id}: "${id}" is a built-in provider and cannot be redefined; this entry is ignored (give it another id, e.g. "${id}-custom")`,
      );
      continue;
    }
    const provider = resolveUserProvider(
      id,
      entry,
      whereIs(['model_providers', id, 'base_url'], source, cli),
    );
    if (provider.envKey) provider.envKeySource = whereIs(['model_providers', id, 'env_key'], source, cli);
    modelProviders[id] = provider;
  }

  const model = pick('model', { value: flags.model, name: '--model' }) ?? DEFAULT_MODEL;
  sources.model ??= 'default';
  const modelProviderId =
    pick('model_provider', { value: flags.modelProvider, name: '--oss' }) ?? DEFAULT_MODEL_PROVIDER;
  sources.model_provider ??= 'default';
  const modelProvider = modelProviders[modelProviderId];
  if (!modelProvider) {
    throw new ConfigError(
      `${sources.model_provider}: model provider "${modelProviderId}" not found (known: ${Object.keys(modelProviders).join(', ')}; define it under [model_providers.${modelProviderId}])`,
    );
  }

  const trust = isTrusted(file, cwd);
  const sandboxMode =
    pick('sandbox_mode', { value: flags.sandboxMode, name: '--sandbox' }) ??
    (trust ? 'workspace-write' : 'read-only');
  sources.sandbox_mode ??= trust ? `default (project ${trust})` : 'default';
  const approvalPolicy =
    pick('approval_policy', { value: flags.approvalPolicy, name: '--ask-for-approval' }) ??
    (trust === 'untrusted' ? 'untrusted' : 'on-request');
  sources.approval_policy ??= trust ? `default (project ${trust})` : 'default';

  const supportsSummaries = topLevel(layers, sources, 'model_supports_reasoning_summaries');
  const contextWindow = topLevel(layers, sources, 'model_context_window');
  const maxOutput = topLevel(layers, sources, 'model_max_output_tokens');
  const toolOutputTokenLimit = topLevel(layers, sources, 'tool_output_token_limit');
  const modelFamily = findModelFamily(model, {
    supportsReasoningSummaries: supportsSummaries,
    contextWindow,
    maxOutputTokens: maxOutput,
    toolOutputTokenLimit,
  });

  const instructionsFile = pick('experimental_instructions_file');
  const baseInstructionsOverride =
    flags.baseInstructions ??
    (instructionsFile
      ? readInstructionsFile(instructionsFile, cwd, sources.experimental_instructions_file)
      : undefined);
  if (file.instructions !== undefined) {
    warnings.push(
      `${whereIs(['instructions'], source, cli)}: instructions is ignored; use experimental_instructions_file`,
    );
  }
  const compactPromptFile = pick('experimental_compact_prompt_file');
  const compactPrompt =
    flags.compactPrompt ??
    (compactPromptFile
      ? readInstructionsFile(compactPromptFile, cwd, sources.experimental_compact_prompt_file)
      : undefined) ??
    topLevel(layers, sources, 'compact_prompt');

  const sp = file.shell_environment_policy ?? {};
  const config: Config = {
    conduitHome,
    cwd,
    model,
    modelProviderId,
    modelProvider,
    modelProviders,
    modelFamily,
    profile: profile?.name,
    approvalPolicy,
    sandboxMode,
    sandboxPolicy: sandboxPolicyFor(sandboxMode, file, cwd, flags.addDirs ?? []),
    shellEnvironmentPolicy: {
      inherit: sp.inherit ?? 'all',
      ignoreDefaultExcludes: sp.ignore_default_excludes ?? false,
      exclude: sp.exclude ?? [],
      set: sp.set ?? {},
      includeOnly: sp.include_only ?? [],
    },
    mcpServers: resolveMcpServers(file.mcp_servers ?? {}),
    modelReasoningEffort: pick('model_reasoning_effort') ?? modelFamily.defaultReasoningEffort,
    modelReasoningSummary: pick('model_reasoning_summary') ?? 'auto',
    modelVerbosity: pick('model_verbosity'),
    modelContextWindow: modelFamily.contextWindow,
    modelMaxOutputTokens: modelFamily.maxOutputTokens,
    modelAutoCompactTokenLimit:
      topLevel(layers, sources, 'model_auto_compact_token_limit') ?? defaultAutoCompactLimit(modelFamily),
    projectDocMaxBytes: topLevel(layers, sources, 'project_doc_max_bytes') ?? DEFAULT_PROJECT_DOC_MAX_BYTES,
    projectDocFallbackFilenames: (file.project_doc_fallback_filenames ?? [])
      .map((f) => f.trim())
      .filter(Boolean),
    developerInstructions: flags.developerInstructions ?? topLevel(layers, sources, 'developer_instructions'),
    baseInstructionsOverride,
    compactPrompt,
    history: { persistence: file.history?.persistence ?? 'save-all' },
    toolOutputTokenLimit,
    features: { ...(file.features ?? {}), ...(pick('features') ?? {}) },
    runner: file.runner ?? {},
  };
  if (flags.developerInstructions !== undefined) sources.developer_instructions = '--developer-instructions';
  sources.model_reasoning_summary ??= 'default';
  const familySource = `model family ${modelFamily.family}`;
  for (const key of [
    'model_context_window',
    'model_max_output_tokens',
    'model_supports_reasoning_summaries',
  ]) {
    sources[key] ??= familySource;
  }
  sources.model_auto_compact_token_limit ??= `90% of model_context_window`;
  return {
    config,
    warnings,
    sources,
    configPath,
    configFileExists: source !== undefined,
    profiles: Object.keys(file.profiles ?? {}),
  };
}
