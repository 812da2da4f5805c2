// `conduit config show`: the effective configuration, where each value came from, and the URL requests
// will go to. Secrets (bearer tokens, auth-like header values) are never printed.

import { buildRequestUrl, type Config, loadConfig, type ModelProviderInfo } from '../index.js';
import { execApprovalPolicy } from './exec-policy.js';
import type { GlobalOptions } from './options.js';

const SECRET_HEADER = /auth|key|token|secret|cookie/i;

function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, SECRET_HEADER.test(k) ? '<redacted>' : v]),
  );
}

export function providerSummary(provider: ModelProviderInfo, env: Record<string, string | undefined>) {
  const url = buildRequestUrl(provider, provider.wireApi === 'chat' ? '/chat/completions' : '/responses');
  return {
    id: provider.id,
    name: provider.name,
    wire_api: provider.wireApi,
    url,
    env_key: provider.envKey
      ? `${provider.envKey} (${env[provider.envKey]?.trim() ? 'set' : 'not set'})`
      : undefined,
    bearer_token: provider.experimentalBearerToken ? '<redacted>' : undefined,
    http_headers: redactHeaders(provider.httpHeaders),
    env_http_headers: provider.envHttpHeaders,
    query_params: provider.queryParams,
    request_max_retries: provider.requestMaxRetries,
    stream_max_retries: provider.streamMaxRetries,
    stream_idle_timeout_ms: provider.streamIdleTimeoutMs,
  };
}

function effectiveValues(config: Config): Record<string, unknown> {
  return {
    model: config.model,
    model_provider: config.modelProviderId,
    approval_policy: config.approvalPolicy,
    exec_approval_policy: undefined,
    sandbox_mode: config.sandboxMode,
    model_reasoning_effort: config.modelReasoningEffort,
    model_reasoning_summary: config.modelReasoningSummary,
    model_verbosity: config.modelVerbosity,
    model_context_window: config.modelContextWindow,
    model_max_output_tokens: config.modelMaxOutputTokens,
    model_auto_compact_token_limit: config.modelAutoCompactTokenLimit,
    model_supports_reasoning_summaries: config.modelFamily.supportsReasoningSummaries,
    tool_output_token_limit: config.toolOutputTokenLimit,
    project_doc_max_bytes: config.projectDocMaxBytes,
    developer_instructions: config.developerInstructions,
  };
}

export async function runConfigShow(opts: GlobalOptions & { json: boolean }): Promise<void> {
  const loaded = await loadConfig({
    cliOverrides: opts.config,
    profile: opts.profile,
    overrides: { model: opts.model },
  });
  const { config, sources, warnings } = loaded;
  const values = effectiveValues(config);
  // Shown next to approval_policy: exec overrides the default, and the user should see it here.
  const exec = execApprovalPolicy(loaded);
  values.exec_approval_policy = exec.policy;
  sources.exec_approval_policy = exec.source;
  const provider = providerSummary(config.modelProvider, process.env);
  const report = {
    config_file: loaded.configPath,
    config_file_exists: loaded.configFileExists,
    profile: config.profile ?? null,
    cwd: config.cwd,
    values: Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        key,
        { value: value ?? null, source: sources[key] ?? (value === undefined ? 'unset' : 'default') },
      ]),
    ),
    model_family: config.modelFamily,
    provider,
    sandbox_policy: config.sandboxPolicy,
    mcp_servers: Object.values(config.mcpServers).map((s) => ({
      name: s.name,
      enabled: s.enabled,
      transport: s.transport.type,
      target:
        s.transport.type === 'stdio' ? [s.transport.command, ...s.transport.args].join(' ') : s.transport.url,
    })),
    warnings,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  out.push(
    `config file: ${loaded.configPath}${loaded.configFileExists ? '' : ' (not found: built-in defaults)'}`,
  );
  out.push(`profile:     ${config.profile ?? '(none)'}`);
  out.push(`cwd:         ${config.cwd}`, '');
  const width = Math.max(...Object.keys(report.values).map((k) => k.length)) + 2;
  for (const [key, { value, source }] of Object.entries(report.values)) {
    if (value === null && source === 'unset') continue;
    const shown =
      typeof value === 'string' && value.includes('\n')
        ? `${JSON.stringify(value.slice(0, 60))}…`
        : String(value);
    out.push(`${key.padEnd(width)}${shown.padEnd(28)} ${source}`);
  }
  out.push('', `provider ${provider.id} (${provider.name})`);
  out.push(`  wire_api   ${provider.wire_api}`, `  url        ${provider.url}`);
  if (provider.env_key) out.push(`  env_key    ${provider.env_key}`);
  if (provider.bearer_token) out.push('  bearer     <redacted> (experimental_bearer_token)');
  for (const [k, v] of Object.entries(provider.http_headers)) out.push(`  header     ${k}: ${v}`);
  for (const [k, v] of Object.entries(provider.env_http_headers)) out.push(`  header     ${k}: $${v}`);
  out.push(
    `  retries    request ${provider.request_max_retries}, stream ${provider.stream_max_retries}; idle timeout ${provider.stream_idle_timeout_ms} ms`,
  );
  out.push('', `sandbox ${JSON.stringify(config.sandboxPolicy)}`);
  if (report.mcp_servers.length) {
    out.push('', 'mcp servers');
    for (const s of report.mcp_servers)
      out.push(`  ${s.name}${s.enabled ? '' : ' (disabled)'}  ${s.transport}  ${s.target}`);
  }
  if (warnings.length) out.push('', 'warnings', ...warnings.map((w) => `  ${w}`));
  process.stdout.write(`${out.join('\n')}\n`);
}
