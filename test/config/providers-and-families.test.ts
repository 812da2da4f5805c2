import { describe, expect, it } from 'vitest';
import { findModelFamily } from '../../src/config/model-family.js';
import { load } from './helpers.js';

describe('built-in providers', () => {
  it('has openai, oss, ollama and lmstudio', async () => {
    const { config } = await load(undefined);
    expect(config.modelProviders.openai).toMatchObject({
      wireApi: 'responses',
      envKey: 'OPENAI_API_KEY',
      baseUrl: 'https://api.openai.com/v1',
    });
    expect(config.modelProviders.oss).toMatchObject({
      wireApi: 'chat',
      baseUrl: 'http://localhost:11434/v1',
    });
    expect(config.modelProviders.ollama).toMatchObject({
      wireApi: 'chat',
      baseUrl: 'http://localhost:11434/v1',
    });
    expect(config.modelProviders.lmstudio).toMatchObject({ baseUrl: 'http://localhost:1234/v1' });
  });

  it('openai_base_url and OPENAI_BASE_URL move the OpenAI provider', async () => {
    expect(
      (await load(undefined, { env: { OPENAI_BASE_URL: 'http://e/v1' } })).config.modelProvider.baseUrl,
    ).toBe('http://e/v1');
    const viaKey = await load(undefined, {
      env: { OPENAI_BASE_URL: 'http://e/v1' },
      cliOverrides: ['openai_base_url=http://c/v1'],
    });
    expect(viaKey.config.modelProvider.baseUrl).toBe('http://c/v1');
  });

  it('a user entry with a built-in id does not replace it, and says so', async () => {
    const { config, warnings } = await load(
      '[model_providers.openai]\nname = "Mine"\nbase_url = "http://x/v1"\n',
    );
    expect(config.modelProviders.openai.name).toBe('OpenAI');
    expect(warnings.join('\n')).toMatch(
      /config\.toml:1:1: model_providers\.openai: "openai" is a built-in provider and cannot be redefined/,
    );
  });

  it('user providers default to wire_api chat and Codex retry settings', async () => {
    const { config } = await load(
      '[model_providers.v]\nname = "vLLM"\nbase_url = "http://127.0.0.1:8000/v1/"\nhttp_headers = { X-A = "1" }\nquery_params = { api-version = "2025-01-01" }\nstream_idle_timeout_ms = 1000\n',
    );
    expect(config.modelProviders.v).toEqual({
      id: 'v',
      name: 'vLLM',
      baseUrl: 'http://127.0.0.1:8000/v1',
      wireApi: 'chat',
      envKey: undefined,
      envKeyInstructions: undefined,
      experimentalBearerToken: undefined,
      httpHeaders: { 'X-A': '1' },
      envHttpHeaders: {},
      queryParams: { 'api-version': '2025-01-01' },
      requestMaxRetries: 4,
      streamMaxRetries: 5,
      streamIdleTimeoutMs: 1000,
      requiresOpenaiAuth: false,
      quirks: undefined,
    });
  });
});

describe('model families', () => {
  it('knows the OpenAI families', () => {
    expect(findModelFamily('gpt-5-codex')).toMatchObject({
      contextWindow: 272000,
      maxOutputTokens: 128000,
      applyPatchToolType: 'freeform',
      supportsReasoningSummaries: true,
    });
    expect(findModelFamily('gpt-5.1-codex-max').family).toBe('gpt-5.1-codex');
    expect(findModelFamily('o3')).toMatchObject({ contextWindow: 200000, maxOutputTokens: 100000 });
    expect(findModelFamily('openai/gpt-oss-120b')).toMatchObject({
      family: 'gpt-oss',
      applyPatchToolType: 'function',
    });
  });

  it('passes unknown slugs through with conservative defaults', () => {
    const f = findModelFamily('qwen3-coder-30b');
    expect(f).toMatchObject({
      slug: 'qwen3-coder-30b',
      family: 'unknown',
      supportsReasoningSummaries: false,
      applyPatchToolType: 'function',
      supportsParallelToolCalls: false,
      truncationPolicy: { mode: 'bytes', limit: 10000 },
    });
    expect(f.contextWindow).toBeUndefined();
  });

  it('config keys override the family', async () => {
    const { config } = await load(
      'model = "qwen3"\nmodel_supports_reasoning_summaries = true\nmodel_context_window = 32000\ntool_output_token_limit = 2000\n',
    );
    expect(config.modelFamily.supportsReasoningSummaries).toBe(true);
    expect(config.modelContextWindow).toBe(32000);
    expect(config.modelAutoCompactTokenLimit).toBe(28800);
    expect(config.modelFamily.truncationPolicy).toEqual({ mode: 'tokens', limit: 2000 });
    const explicit = await load(
      'model = "qwen3"\nmodel_context_window = 32000\nmodel_auto_compact_token_limit = 1000\n',
    );
    expect(explicit.config.modelAutoCompactTokenLimit).toBe(1000);
    expect((await load('model = "qwen3"')).config.modelAutoCompactTokenLimit).toBeUndefined();
  });
});
