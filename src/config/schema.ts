// The config.toml schema (Codex's, so an existing Codex config works unchanged), as zod schemas: the single
// source of truth for what a key may hold. Objects are strict so that unknown keys surface; the loader turns
// those into warnings (forward compatibility) and every other issue into an error with file:line:col.

import * as z from './zod-mini.js';

const stringMap = z.record(z.string(), z.string());

export const wireApiSchema = z.enum(['responses', 'chat']);
export const approvalPolicySchema = z.enum(['untrusted', 'on-failure', 'on-request', 'never']);
export const sandboxModeSchema = z.enum(['read-only', 'workspace-write', 'danger-full-access']);
export const reasoningEffortSchema = z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
export const reasoningSummarySchema = z.enum(['auto', 'concise', 'detailed', 'none']);
export const verbositySchema = z.enum(['low', 'medium', 'high']);

const nonNegativeInt = z.number().check(z.int(), z.nonnegative());

export const modelProviderSchema = z.strictObject({
  /** Display name; the provider's id when absent. */
  name: z.optional(z.string()),
  base_url: z.optional(z.string()),
  wire_api: z.optional(wireApiSchema),
  env_key: z.optional(z.string()),
  env_key_instructions: z.optional(z.string()),
  experimental_bearer_token: z.optional(z.string()),
  http_headers: z.optional(stringMap),
  env_http_headers: z.optional(stringMap),
  query_params: z.optional(stringMap),
  request_max_retries: z.optional(nonNegativeInt.check(z.lte(100))),
  stream_max_retries: z.optional(nonNegativeInt.check(z.lte(100))),
  stream_idle_timeout_ms: z.optional(z.number().check(z.int(), z.positive())),
  requires_openai_auth: z.optional(z.boolean()),
  /** Conduit extension: the backend quirk profile for Chat Completions servers (see providers/). */
  quirks: z.optional(z.string()),
});

export const MCP_SERVER_NAME = /^[a-zA-Z0-9_-]+$/;

const mcpCommon = {
  enabled: z.optional(z.boolean()),
  startup_timeout_sec: z.optional(z.number().check(z.positive())),
  startup_timeout_ms: z.optional(z.number().check(z.int(), z.positive())),
  tool_timeout_sec: z.optional(z.number().check(z.positive())),
  enabled_tools: z.optional(z.array(z.string())),
  disabled_tools: z.optional(z.array(z.string())),
};

/** How Conduit signs in to an OAuth-protected streamable HTTP server (see src/mcp/auth/). */
export const mcpOAuthSchema = z.strictObject({
  /** A client registered with the authorization server beforehand; without one, CIMD or dynamic registration. */
  client_id: z.optional(z.string().check(z.minLength(1))),
  /** The environment variable holding the pre-registered client's secret (never the secret itself). */
  client_secret_env: z.optional(z.string().check(z.minLength(1))),
  /** An https URL of a client ID metadata document, used as client_id where the server supports it. */
  client_metadata_url: z.optional(z.string().check(z.url())),
  scopes: z.optional(z.array(z.string())),
  grant: z.optional(z.enum(['authorization_code', 'client_credentials'])),
  /** client_credentials with private_key_jwt: the variable holding the PEM private key. */
  private_key_env: z.optional(z.string().check(z.minLength(1))),
  signing_algorithm: z.optional(z.enum(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256'])),
  /** A fixed loopback port for the sign-in redirect (for clients registered with an exact redirect URI). */
  callback_port: z.optional(z.number().check(z.int(), z.gte(1), z.lte(65535))),
});

export const mcpServerSchema = z.strictObject({
  ...mcpCommon,
  command: z.optional(z.string().check(z.minLength(1))),
  args: z.optional(z.array(z.string())),
  env: z.optional(stringMap),
  env_vars: z.optional(z.array(z.string())),
  cwd: z.optional(z.string()),
  url: z.optional(z.string().check(z.url())),
  bearer_token_env_var: z.optional(z.string()),
  http_headers: z.optional(stringMap),
  env_http_headers: z.optional(stringMap),
  oauth: z.optional(mcpOAuthSchema),
});

export const sandboxWorkspaceWriteSchema = z.strictObject({
  writable_roots: z.optional(z.array(z.string())),
  network_access: z.optional(z.boolean()),
  exclude_tmpdir_env_var: z.optional(z.boolean()),
  exclude_slash_tmp: z.optional(z.boolean()),
});

export const shellEnvironmentPolicySchema = z.strictObject({
  inherit: z.optional(z.enum(['all', 'core', 'none'])),
  ignore_default_excludes: z.optional(z.boolean()),
  exclude: z.optional(z.array(z.string())),
  set: z.optional(stringMap),
  include_only: z.optional(z.array(z.string())),
  experimental_use_profile: z.optional(z.boolean()),
});

/** Keys a `[profiles.<name>]` table may hold: each overrides the top-level key of the same name. */
export const profileSchema = z.strictObject({
  model: z.optional(z.string()),
  model_provider: z.optional(z.string()),
  approval_policy: z.optional(approvalPolicySchema),
  sandbox_mode: z.optional(sandboxModeSchema),
  model_reasoning_effort: z.optional(reasoningEffortSchema),
  model_reasoning_summary: z.optional(reasoningSummarySchema),
  model_verbosity: z.optional(verbositySchema),
  chatgpt_base_url: z.optional(z.string()),
  experimental_instructions_file: z.optional(z.string()),
  experimental_compact_prompt_file: z.optional(z.string()),
  include_apply_patch_tool: z.optional(z.boolean()),
  tools_web_search: z.optional(z.boolean()),
  tools_view_image: z.optional(z.boolean()),
  features: z.optional(z.record(z.string(), z.boolean())),
});

export const PROFILE_KEYS = Object.keys(profileSchema.shape) as (keyof z.infer<typeof profileSchema>)[];

/** `[runner]`: defaults for `conduit runner serve` / `conduit runner worker` (flags override them). */
export const runnerSchema = z.strictObject({
  backend: z.optional(z.enum(['embedded', 'bullmq'])),
  data_dir: z.optional(z.string()),
  blob_dir: z.optional(z.string()),
  work_dir: z.optional(z.string()),
  concurrency: z.optional(z.number().check(z.int(), z.positive(), z.lte(1024))),
  tenant: z.optional(z.string().check(z.minLength(1))),
  redis_url: z.optional(z.string()),
  queue: z.optional(z.string().check(z.minLength(1))),
  key_file: z.optional(z.string()),
});

export const configFileSchema = z.strictObject({
  ...profileSchema.shape,
  profile: z.optional(z.string()),
  profiles: z.optional(z.record(z.string(), profileSchema)),
  model_providers: z.optional(z.record(z.string(), modelProviderSchema)),
  mcp_servers: z.optional(z.record(z.string(), mcpServerSchema)),
  sandbox_workspace_write: z.optional(sandboxWorkspaceWriteSchema),
  shell_environment_policy: z.optional(shellEnvironmentPolicySchema),
  model_supports_reasoning_summaries: z.optional(z.boolean()),
  model_reasoning_summary_format: z.optional(z.enum(['none', 'experimental'])),
  model_context_window: z.optional(z.number().check(z.int(), z.positive())),
  model_max_output_tokens: z.optional(z.number().check(z.int(), z.positive())),
  model_auto_compact_token_limit: z.optional(z.number().check(z.int(), z.positive())),
  project_doc_max_bytes: z.optional(nonNegativeInt),
  project_doc_fallback_filenames: z.optional(z.array(z.string())),
  developer_instructions: z.optional(z.string()),
  compact_prompt: z.optional(z.string()),
  instructions: z.optional(z.string()),
  history: z.optional(
    z.strictObject({
      persistence: z.optional(z.enum(['save-all', 'none'])),
      max_bytes: z.optional(nonNegativeInt),
    }),
  ),
  openai_base_url: z.optional(z.string()),
  tool_output_token_limit: z.optional(z.number().check(z.int(), z.positive())),
  projects: z.optional(
    z.record(z.string(), z.strictObject({ trust_level: z.optional(z.enum(['trusted', 'untrusted'])) })),
  ),
  hide_agent_reasoning: z.optional(z.boolean()),
  show_raw_agent_reasoning: z.optional(z.boolean()),
  notify: z.optional(z.array(z.string())),
  file_opener: z.optional(z.string()),
  // Tables other tools (the Codex TUI, OpenTelemetry export) read: accepted as-is so a Codex config loads cleanly.
  tui: z.optional(z.record(z.string(), z.unknown())),
  otel: z.optional(z.record(z.string(), z.unknown())),
  tools: z.optional(z.record(z.string(), z.unknown())),
  cli_auth_credentials_store: z.optional(z.string()),
  runner: z.optional(runnerSchema),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ProfileFile = z.infer<typeof profileSchema>;
export type ModelProviderFile = z.infer<typeof modelProviderSchema>;
export type McpServerFile = z.infer<typeof mcpServerSchema>;
export type RunnerFile = z.infer<typeof runnerSchema>;
export type McpOAuthFile = z.infer<typeof mcpOAuthSchema>;
