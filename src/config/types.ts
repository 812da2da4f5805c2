// The resolved configuration: what every layer above `config/` reads. The raw TOML shape (snake_case,
// everything optional) lives in `schema.ts`; `load.ts` turns it into these camelCase, fully defaulted values.

import type {
  ApprovalPolicy,
  ReasoningEffort,
  ReasoningSummary,
  SandboxMode,
  SandboxPolicy,
  Verbosity,
} from '../protocol/policy.js';

export type WireApi = 'responses' | 'chat';
export interface ModelProviderInfo {
  /** The key under `[model_providers.<id>]`, or a built-in id. */
  id: string;
  name: string;
  baseUrl: string;
  wireApi: WireApi;
  envKey?: string;
  /** Where env_key was set (`config.toml:4:11`, `-c …`), for the error when the variable is unset. */
  envKeySource?: string;
  envKeyInstructions?: string;
  experimentalBearerToken?: string;
  httpHeaders: Record<string, string>;
  /** header name → environment variable name, read at request time. */
  envHttpHeaders: Record<string, string>;
  queryParams: Record<string, string>;
  requestMaxRetries: number;
  streamMaxRetries: number;
  streamIdleTimeoutMs: number;
  requiresOpenaiAuth: boolean;
  /** Backend quirk profile for Chat Completions servers (`auto` = detect). See providers/quirks. */
  quirks?: string;
}

export interface ShellEnvironmentPolicy {
  inherit: 'all' | 'core' | 'none';
  ignoreDefaultExcludes: boolean;
  exclude: string[];
  set: Record<string, string>;
  includeOnly: string[];
}

export type McpTransportConfig =
  | {
      type: 'stdio';
      command: string;
      args: string[];
      env: Record<string, string>;
      envVars: string[];
      cwd?: string;
    }
  | {
      type: 'http';
      url: string;
      bearerTokenEnvVar?: string;
      httpHeaders: Record<string, string>;
      envHttpHeaders: Record<string, string>;
      oauth?: McpOAuthConfig;
    };

/** `[mcp_servers.<name>.oauth]`: secrets are named by environment variable, never held in the config. */
export interface McpOAuthConfig {
  grant: 'authorization_code' | 'client_credentials';
  clientId?: string;
  clientSecretEnv?: string;
  clientMetadataUrl?: string;
  scopes?: string[];
  privateKeyEnv?: string;
  signingAlgorithm?: string;
  callbackPort?: number;
}

export interface McpServerConfig {
  name: string;
  enabled: boolean;
  startupTimeoutSec: number;
  toolTimeoutSec: number;
  enabledTools?: string[];
  disabledTools?: string[];
  transport: McpTransportConfig;
}

export type TruncationPolicy = { mode: 'bytes'; limit: number } | { mode: 'tokens'; limit: number };

export interface ModelFamily {
  slug: string;
  /** The family the slug was matched to (`gpt-5-codex`, `gpt-oss`, …), or `unknown`. */
  family: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  supportsReasoningSummaries: boolean;
  supportsVerbosity: boolean;
  defaultReasoningEffort?: ReasoningEffort;
  /** How the model gets apply_patch: a JSON function tool, a freeform Lark-grammar tool, or none. */
  applyPatchToolType: 'function' | 'freeform';
  supportsParallelToolCalls: boolean;
  truncationPolicy: TruncationPolicy;
}

export interface HistoryConfig {
  persistence: 'save-all' | 'none';
}

export interface Config {
  conduitHome: string;
  cwd: string;
  model: string;
  modelProviderId: string;
  modelProvider: ModelProviderInfo;
  modelProviders: Record<string, ModelProviderInfo>;
  modelFamily: ModelFamily;
  profile?: string;
  approvalPolicy: ApprovalPolicy;
  sandboxMode: SandboxMode;
  sandboxPolicy: SandboxPolicy;
  shellEnvironmentPolicy: ShellEnvironmentPolicy;
  mcpServers: Record<string, McpServerConfig>;
  modelReasoningEffort?: ReasoningEffort;
  modelReasoningSummary: ReasoningSummary;
  modelVerbosity?: Verbosity;
  modelContextWindow?: number;
  modelMaxOutputTokens?: number;
  modelAutoCompactTokenLimit?: number;
  projectDocMaxBytes: number;
  projectDocFallbackFilenames: string[];
  developerInstructions?: string;
  /** Contents of `experimental_instructions_file`, replacing our base instructions. */
  baseInstructionsOverride?: string;
  compactPrompt?: string;
  history: HistoryConfig;
  toolOutputTokenLimit?: number;
  /** Feature flags from `[features]` (unknown names kept for forward compatibility). */
  features: Record<string, boolean>;
  /** `[runner]` as written (paths unresolved); `conduit runner` resolves them against the config's directory. */
  runner: RunnerConfig;
}

/** The `[runner]` table (see config/schema.ts). */
export interface RunnerConfig {
  backend?: 'embedded' | 'bullmq';
  data_dir?: string;
  blob_dir?: string;
  work_dir?: string;
  concurrency?: number;
  tenant?: string;
  redis_url?: string;
  queue?: string;
  key_file?: string;
}
