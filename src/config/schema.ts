// The config.toml schema (Codex's, so an existing Codex config works unchanged), as zod schemas: the single
// source of truth for what a key may hold. Objects are strict so that unknown keys surface; the loader turns
// those into warnings (forward compatibility) and every other issue into an error with file:line:col.

import { z } from 'zod';

const stringMap = z.record(z.string(), z.string());

export const wireApiSchema = z.enum(['responses', 'chat']);
export const approvalPolicySchema = z.enum(['untrusted', 'on-failure', 'on-request', 'never']);
export const sandboxModeSchema = z.enum(['read-only', 'workspace-write', 'danger-full-access']);
export const reasoningEffortSchema = z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
export const reasoningSummarySchema = z.enum(['auto', 'concise', 'detailed', 'none']);
export const verbositySchema = z.enum(['low', 'medium', 'high']);

const nonNegativeInt = z.number().int().nonnegative();

export const modelProviderSchema = z.strictObject({
  name: z.string(),
  base_url: z.string().optional(),
  wire_api: wireApiSchema.optional(),
  env_key: z.string().optional(),
  env_key_instructions: z.string().optional(),
  experimental_bearer_token: z.string().optional(),
  http_headers: stringMap.optional(),
  env_http_headers: stringMap.optional(),
  query_params: stringMap.optional(),
  request_max_retries: nonNegativeInt.max(100).optional(),
  stream_max_retries: nonNegativeInt.max(100).optional(),
  stream_idle_timeout_ms: z.number().int().positive().optional(),
  requires_openai_auth: z.boolean().optional(),
  /** Conduit extension: the backend quirk profile for Chat Completions servers (see providers/). */
  quirks: z.string().optional(),
});

export const MCP_SERVER_NAME = /^[a-zA-Z0-9_-]+$/;

const mcpCommon = {
  enabled: z.boolean().optional(),
  startup_timeout_sec: z.number().positive().optional(),
  startup_timeout_ms: z.number().int().positive().optional(),
  tool_timeout_sec: z.number().positive().optional(),
  enabled_tools: z.array(z.string()).optional(),
  disabled_tools: z.array(z.string()).optional(),
};

export const mcpServerSchema = z.strictObject({
  ...mcpCommon,
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  env: stringMap.optional(),
  env_vars: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  url: z.string().url().optional(),
  bearer_token_env_var: z.string().optional(),
  http_headers: stringMap.optional(),
  env_http_headers: stringMap.optional(),
});

export const sandboxWorkspaceWriteSchema = z.strictObject({
  writable_roots: z.array(z.string()).optional(),
  network_access: z.boolean().optional(),
  exclude_tmpdir_env_var: z.boolean().optional(),
  exclude_slash_tmp: z.boolean().optional(),
});

export const shellEnvironmentPolicySchema = z.strictObject({
  inherit: z.enum(['all', 'core', 'none']).optional(),
  ignore_default_excludes: z.boolean().optional(),
  exclude: z.array(z.string()).optional(),
  set: stringMap.optional(),
  include_only: z.array(z.string()).optional(),
  experimental_use_profile: z.boolean().optional(),
});

/** Keys a `[profiles.<name>]` table may hold: each overrides the top-level key of the same name. */
export const profileSchema = z.strictObject({
  model: z.string().optional(),
  model_provider: z.string().optional(),
  approval_policy: approvalPolicySchema.optional(),
  sandbox_mode: sandboxModeSchema.optional(),
  model_reasoning_effort: reasoningEffortSchema.optional(),
  model_reasoning_summary: reasoningSummarySchema.optional(),
  model_verbosity: verbositySchema.optional(),
  chatgpt_base_url: z.string().optional(),
  experimental_instructions_file: z.string().optional(),
  experimental_compact_prompt_file: z.string().optional(),
  include_apply_patch_tool: z.boolean().optional(),
  tools_web_search: z.boolean().optional(),
  tools_view_image: z.boolean().optional(),
  features: z.record(z.string(), z.boolean()).optional(),
});

export const PROFILE_KEYS = Object.keys(profileSchema.shape) as (keyof z.infer<typeof profileSchema>)[];

export const configFileSchema = z.strictObject({
  ...profileSchema.shape,
  profile: z.string().optional(),
  profiles: z.record(z.string(), profileSchema).optional(),
  model_providers: z.record(z.string(), modelProviderSchema).optional(),
  mcp_servers: z.record(z.string(), mcpServerSchema).optional(),
  sandbox_workspace_write: sandboxWorkspaceWriteSchema.optional(),
  shell_environment_policy: shellEnvironmentPolicySchema.optional(),
  model_supports_reasoning_summaries: z.boolean().optional(),
  model_reasoning_summary_format: z.enum(['none', 'experimental']).optional(),
  model_context_window: z.number().int().positive().optional(),
  model_max_output_tokens: z.number().int().positive().optional(),
  model_auto_compact_token_limit: z.number().int().positive().optional(),
  project_doc_max_bytes: nonNegativeInt.optional(),
  project_doc_fallback_filenames: z.array(z.string()).optional(),
  developer_instructions: z.string().optional(),
  compact_prompt: z.string().optional(),
  instructions: z.string().optional(),
  history: z
    .strictObject({
      persistence: z.enum(['save-all', 'none']).optional(),
      max_bytes: nonNegativeInt.optional(),
    })
    .optional(),
  openai_base_url: z.string().optional(),
  tool_output_token_limit: z.number().int().positive().optional(),
  projects: z
    .record(z.string(), z.strictObject({ trust_level: z.enum(['trusted', 'untrusted']).optional() }))
    .optional(),
  hide_agent_reasoning: z.boolean().optional(),
  show_raw_agent_reasoning: z.boolean().optional(),
  notify: z.array(z.string()).optional(),
  file_opener: z.string().optional(),
  // Tables other tools (the Codex TUI, OpenTelemetry export) read: accepted as-is so a Codex config loads cleanly.
  tui: z.record(z.string(), z.unknown()).optional(),
  otel: z.record(z.string(), z.unknown()).optional(),
  tools: z.record(z.string(), z.unknown()).optional(),
  cli_auth_credentials_store: z.string().optional(),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ProfileFile = z.infer<typeof profileSchema>;
export type ModelProviderFile = z.infer<typeof modelProviderSchema>;
export type McpServerFile = z.infer<typeof mcpServerSchema>;
