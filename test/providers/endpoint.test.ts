// URL, header, auth and Azure construction (pure), plus the same headers as a server sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import {
  buildRequestHeaders,
  buildRequestUrl,
  isAzureProvider,
  resolveBearerToken,
} from '../../src/providers/endpoint.js';
import { detectQuirkProfile, resolveChatQuirks } from '../../src/providers/quirks.js';
import { type FakeModelServer, startFakeModelServer } from '../fake-model/server.js';
import { client, makePrompt, makeProvider, run } from './helpers.js';

const ctx = { sessionId: 's', originator: 'conduit', version: '1.0.0', wire: 'chat' as const };

describe('buildRequestUrl', () => {
  it('joins base_url and path, trimming slashes', () => {
    expect(buildRequestUrl(makeProvider({ baseUrl: 'http://h:1/v1/' }), '/chat/completions')).toBe(
      'http://h:1/v1/chat/completions',
    );
  });
  it('URL-encodes query_params in map order and keeps an existing query', () => {
    const p = makeProvider({
      baseUrl: 'https://x.openai.azure.com/openai?deployment=a',
      queryParams: { 'api-version': '2025-04-01-preview', note: 'a b&c=d' },
    });
    expect(buildRequestUrl(p, '/responses')).toBe(
      'https://x.openai.azure.com/openai/responses?deployment=a&api-version=2025-04-01-preview&note=a+b%26c%3Dd',
    );
  });
  it('names the provider when base_url is not a URL', () => {
    expect(() => buildRequestUrl(makeProvider({ baseUrl: 'localhost:8000' }), '/responses')).toThrow(
      /model provider "fake": base_url "localhost:8000" is not a valid http\(s\) URL/,
    );
  });
});

describe('auth and headers', () => {
  it('prefers experimental_bearer_token, then env_key, read from the env given', () => {
    expect(
      resolveBearerToken(makeProvider({ experimentalBearerToken: 'lit', envKey: 'K' }), { K: 'env' }),
    ).toBe('lit');
    expect(resolveBearerToken(makeProvider({ envKey: 'K' }), { K: ' env \n' })).toBe('env');
    expect(resolveBearerToken(makeProvider(), {})).toBeUndefined();
  });
  it('fails with an env_var error naming the variable and the instructions', () => {
    const p = makeProvider({ envKey: 'MY_KEY', envKeyInstructions: 'Get one at example.com' });
    expect(() => resolveBearerToken(p, { MY_KEY: '  ' })).toThrow(/MY_KEY[\s\S]*Get one at example\.com/);
    try {
      resolveBearerToken(p, {});
    } catch (err) {
      expect(err).toMatchObject({ kind: 'env_var', exitCode: 2 });
    }
  });
  it('adds static headers, non-blank env headers and Authorization', () => {
    const p = makeProvider({
      envKey: 'K',
      httpHeaders: { 'X-Static': 'one' },
      envHttpHeaders: { 'X-Org': 'ORG', 'X-Blank': 'BLANK', 'X-Unset': 'UNSET' },
    });
    const headers = buildRequestHeaders(p, ctx, { K: 'secret', ORG: 'acme', BLANK: ' ' });
    expect(headers).toMatchObject({
      'x-static': 'one',
      'x-org': 'acme',
      authorization: 'Bearer secret',
      originator: 'conduit',
    });
    expect(headers).not.toHaveProperty('x-blank');
    expect(headers).not.toHaveProperty('x-unset');
    expect(headers).not.toHaveProperty('session_id');
    expect(buildRequestHeaders(p, { ...ctx, wire: 'responses' }, { K: 'k' })).toMatchObject({
      session_id: 's',
      conversation_id: 's',
    });
  });
});

describe('Azure and quirk detection', () => {
  it.each([
    ['https://foo.openai.azure.com/openai', 'x', true],
    ['https://foo.cognitiveservices.azure.com', 'x', true],
    ['https://gw.azure-api.net/v1', 'x', true],
    ['http://localhost:8000/v1', 'AZURE', true],
    ['https://api.openai.com/v1', 'OpenAI', false],
  ])('%s named %s → %s', (baseUrl, name, azure) => {
    expect(isAzureProvider(makeProvider({ baseUrl, name }))).toBe(azure);
  });
  it.each([
    ['https://api.deepseek.com/v1', 'deepseek'],
    ['http://localhost:11434/v1', 'ollama'],
    ['http://127.0.0.1:1234/v1', 'lmstudio'],
    ['https://openrouter.ai/api/v1', 'openrouter'],
    ['https://api.openai.com/v1', 'openai'],
    ['http://10.0.0.5:8000/v1', 'generic'],
  ])('%s → %s', (url, id) => {
    expect(detectQuirkProfile(url)).toBe(id);
  });
  it('rejects an unknown quirk profile naming the key', () => {
    expect(() => resolveChatQuirks(makeProvider({ quirks: 'nope' }))).toThrow(ConfigError);
    expect(() => resolveChatQuirks(makeProvider({ quirks: 'nope' }))).toThrow(
      /model_providers\.fake\.quirks/,
    );
    expect(resolveChatQuirks(makeProvider({ quirks: 'deepseek' })).reasoningField).toBe('reasoning_content');
  });
});

describe('headers over the wire', () => {
  let fake: FakeModelServer;
  beforeAll(async () => {
    fake = await startFakeModelServer({ onEmpty: 'auto' });
  });
  afterAll(() => fake.close());

  it('reads the key from the environment at request time and sends query params', async () => {
    const env: NodeJS.ProcessEnv = {};
    const c = client(
      makeProvider({
        baseUrl: fake.url,
        envKey: 'FAKE_KEY',
        queryParams: { 'api-version': '1 2' },
        httpHeaders: { 'X-A': 'b' },
      }),
      { env },
    );
    const missing = await run(c.stream(makePrompt(), { model: 'm' }, new AbortController().signal));
    expect(missing.error).toMatchObject({ kind: 'env_var' });
    expect(fake.requests.length).toBe(0);
    env.FAKE_KEY = 'late-key';
    const ok = await run(c.stream(makePrompt(), { model: 'm' }, new AbortController().signal));
    expect(ok.error).toBeUndefined();
    expect(fake.requests[0].headers.authorization).toBe('Bearer late-key');
    expect(fake.requests[0].headers['x-a']).toBe('b');
    expect(fake.requests[0].query).toEqual({ 'api-version': '1 2' });
  });

  it('lets CONDUIT_INTERNAL_ORIGINATOR_OVERRIDE win over the originator option', async () => {
    fake.requests.length = 0;
    const c = client(makeProvider({ baseUrl: fake.url }), {
      originator: 'conduit_exec',
      env: { CONDUIT_INTERNAL_ORIGINATOR_OVERRIDE: 'custom_host' },
    });
    await run(c.stream(makePrompt(), { model: 'm' }, new AbortController().signal));
    expect(fake.requests[0].headers.originator).toBe('custom_host');
  });
});
