import { describe, expect, it } from 'vitest';
import { resolveApiKey } from '../../src/config/auth.js';
import { ConfigError } from '../../src/config/errors.js';
import { errorOf, load } from './helpers.js';

describe('configuration errors name file, line, column, key, expectation and value', () => {
  it('an enum value', async () => {
    const toml = [
      'model = "m"',
      '',
      '[model_providers.bad]',
      'name = "Bad"',
      'base_url = "http://127.0.0.1:9/v1"',
      'wire_api = "chatt"',
    ].join('\n');
    const msg = await errorOf(load(toml));
    expect(msg).toMatch(
      /config\.toml:6:12: model_providers\.bad\.wire_api: expected "responses" or "chat", got "chatt"$/,
    );
  });

  it('a wrong type, and several errors at once', async () => {
    const msg = await errorOf(load('model = 5\nproject_doc_max_bytes = "big"\n'));
    const lines = msg.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/config\.toml:1:9: model: expected a string, got 5$/);
    expect(lines[1]).toMatch(/config\.toml:2:25: project_doc_max_bytes: expected a number, got "big"$/);
  });

  it('a key inside an inline table', async () => {
    const msg = await errorOf(load('[model_providers.x]\nname = "X"\nhttp_headers = { a = "1", b = 2 }\n'));
    expect(msg).toMatch(/config\.toml:3:31: model_providers\.x\.http_headers\.b: expected a string, got 2$/);
  });

  it('invalid TOML syntax', async () => {
    const msg = await errorOf(load('model = "unterminated\n'));
    expect(msg).toMatch(/config\.toml:1:\d+: invalid TOML: /);
  });

  it('a provider without a name is named by its id', async () => {
    const { config } = await load('[model_providers.x]\nbase_url = "http://h/v1"\n');
    expect(config.modelProviders.x.name).toBe('x');
  });

  it('an unknown key is a warning with a "did you mean", at its line', async () => {
    const { warnings } = await load(
      '[model_providers.x]\nbase_ur = "http://h/v1"\n\n[mcp_servers.m]\ncomand = "x"\ncommand = "y"\n',
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /config\.toml:2:11: unknown key model_providers\.x\.base_ur \(ignored; did you mean base_url\?\)$/,
      ),
      expect.stringMatching(
        /config\.toml:5:10: unknown key mcp_servers\.m\.comand \(ignored; did you mean command\?\)$/,
      ),
    ]);
    const far = await load('zzzzzz = 1\n');
    expect(far.warnings).toEqual([expect.stringMatching(/unknown key zzzzzz \(ignored\)$/)]);
  });

  it('an error in a -c override names the -c argument, not the table in config.toml', async () => {
    const toml = 'model = "m"\n\n[model_providers.loc]\nbase_url = "http://127.0.0.1:1/v1"\n';
    const url = await errorOf(load(toml, { cliOverrides: ['model_providers.loc.base_url="localhost:1"'] }));
    expect(url).toMatch(
      /^-c model_providers\.loc\.base_url="localhost:1": model_providers\.loc\.base_url: expected an http\(s\) URL/,
    );
    const mcp = await errorOf(load(toml, { cliOverrides: ['mcp_servers.new.args=["a"]'] }));
    expect(mcp).toMatch(/^-c mcp_servers\.new\.args=\["a"\]: mcp_servers\.new: invalid transport/);
  });

  it('an unset env_key of a -c provider names the -c argument', async () => {
    const { config } = await load(undefined, {
      cliOverrides: ['model_providers.q={ base_url = "http://h/v1", env_key = "Q_KEY" }'],
    });
    expect(() => resolveApiKey(config.modelProviders.q, {})).toThrow(
      /Q_KEY is not set or empty \(env_key set at -c model_providers\.q=\{/,
    );
  });

  it('a base_url that is not a URL', async () => {
    const msg = await errorOf(load('[model_providers.x]\nname = "X"\nbase_url = "localhost:8000"\n'));
    expect(msg).toMatch(/model_providers\.x\.base_url: expected an http\(s\) URL, got "localhost:8000"$/);
  });

  it('an unknown provider id', async () => {
    const msg = await errorOf(load('model_provider = "nowhere"\n'));
    expect(msg).toMatch(
      /config\.toml:1:18: model provider "nowhere" not found \(known: openai, oss, ollama, lmstudio; /,
    );
  });

  it('mcp server rules: name, transport, foreign keys, inline bearer tokens', async () => {
    const msg = await errorOf(
      load(
        [
          '[mcp_servers."bad name"]',
          'command = "x"',
          '[mcp_servers.both]',
          'command = "x"',
          'url = "http://127.0.0.1:1/mcp"',
          '[mcp_servers.neither]',
          'enabled = true',
          '[mcp_servers.http]',
          'url = "http://127.0.0.1:1/mcp"',
          'args = ["a"]',
          'bearer_token = "sekrit"',
        ].join('\n'),
      ),
    );
    expect(msg).toContain('mcp_servers.bad name: server name "bad name" is invalid');
    expect(msg).toContain(
      'config.toml:3:1: mcp_servers.both: set either command (stdio) or url (streamable HTTP), not both',
    );
    expect(msg).toContain('config.toml:6:1: mcp_servers.neither: invalid transport');
    expect(msg).toContain(
      'config.toml:10:8: mcp_servers.http.args: "args" does not apply to a streamable HTTP server',
    );
    expect(msg).toContain('mcp_servers.http.bearer_token: inline bearer tokens are not allowed');
    expect(msg).not.toContain('sekrit');
  });

  it('mcp oauth tables: each key checked and located, secrets refused, combinations explained', async () => {
    const msg = await errorOf(
      load(
        [
          '[mcp_servers.a]',
          'url = "http://127.0.0.1:1/mcp"',
          'bearer_token_env_var = "A_TOKEN"',
          '[mcp_servers.a.oauth]',
          'grant = "device_code"',
          'client_secret = "sekrit"',
          '[mcp_servers.b]',
          'url = "http://127.0.0.1:1/mcp"',
          '[mcp_servers.b.oauth]',
          'grant = "client_credentials"',
          'signing_algorithm = "ES256"',
          'callback_port = 70000',
          '[mcp_servers.c]',
          'command = "x"',
          'oauth = { scopes = ["read"] }',
          '[mcp_servers.d]',
          'url = "http://127.0.0.1:1/mcp"',
          'oauth = { private_key_env = "KEY", scopes = "read" }',
        ].join('\n'),
      ),
    );
    expect(msg).toContain(
      'config.toml:4:1: mcp_servers.a.oauth: set either bearer_token_env_var (a static token) or an oauth table (sign-in), not both',
    );
    expect(msg).toContain(
      'config.toml:5:9: mcp_servers.a.oauth.grant: expected "authorization_code" or "client_credentials", got "device_code"',
    );
    expect(msg).toContain(
      'config.toml:6:17: mcp_servers.a.oauth.client_secret: secrets are not allowed in the config',
    );
    expect(msg).not.toContain('sekrit');
    expect(msg).toContain('mcp_servers.b.oauth: grant = "client_credentials" needs the client_id');
    expect(msg).toContain(
      'mcp_servers.b.oauth: grant = "client_credentials" needs client_secret_env or private_key_env',
    );
    expect(msg).toContain(
      'config.toml:11:21: mcp_servers.b.oauth.signing_algorithm: signing_algorithm applies only with private_key_env',
    );
    expect(msg).toContain(
      'config.toml:12:17: mcp_servers.b.oauth.callback_port: expected a value <= 65535, got 70000',
    );
    expect(msg).toContain('mcp_servers.c.oauth: "oauth" does not apply to a stdio server');
    expect(msg).toContain(
      'mcp_servers.d.oauth.private_key_env: a private key (JWT assertion) is only used with grant = "client_credentials"',
    );
    expect(msg).toMatch(/mcp_servers\.d\.oauth\.scopes: expected an array/);
  });

  it('a valid oauth table resolves with its defaults', async () => {
    const { config } = await load(
      [
        '[mcp_servers.linear]',
        'url = "https://mcp.example.com/mcp"',
        '[mcp_servers.linear.oauth]',
        'client_id = "conduit"',
        'client_secret_env = "LINEAR_SECRET"',
        'scopes = ["read", "write"]',
        '[mcp_servers.robot]',
        'url = "https://mcp.example.com/mcp"',
        'oauth = { grant = "client_credentials", client_id = "bot", private_key_env = "BOT_KEY" }',
      ].join('\n'),
    );
    const linear = config.mcpServers.linear.transport;
    expect(linear.type === 'http' && linear.oauth).toEqual({
      grant: 'authorization_code',
      clientId: 'conduit',
      clientSecretEnv: 'LINEAR_SECRET',
      scopes: ['read', 'write'],
    });
    const robot = config.mcpServers.robot.transport;
    expect(robot.type === 'http' && robot.oauth).toMatchObject({
      grant: 'client_credentials',
      privateKeyEnv: 'BOT_KEY',
      signingAlgorithm: 'RS256',
    });
  });

  it('unknown keys are warnings, not errors', async () => {
    const { config, warnings } = await load('model = "m"\nfuture_key = 1\n[history]\nkeep = 3\n');
    expect(config.model).toBe('m');
    expect(warnings).toHaveLength(2);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/config\.toml:2:14: unknown key future_key \(ignored\)$/),
        expect.stringMatching(/config\.toml:4:8: unknown key history\.keep \(ignored\)$/),
      ]),
    );
  });

  it('errors are ConfigErrors with exit code 2', async () => {
    try {
      await load('model = 5');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).exitCode).toBe(2);
    }
  });

  it('a missing env_key variable names the variable and the instructions', async () => {
    const { config } = await load(
      '[model_providers.p]\nname = "P"\nbase_url = "http://127.0.0.1:1/v1"\nenv_key = "P_KEY"\nenv_key_instructions = "Get one at p.example."\n',
    );
    const provider = config.modelProviders.p;
    expect(() => resolveApiKey(provider, {})).toThrow(
      /^model provider "p" needs an API key: environment variable P_KEY is not set or empty \(env_key set at \/.*config\.toml:4:11\)\. Get one at p\.example\.$/,
    );
    expect(resolveApiKey(provider, { P_KEY: ' k ' })).toBe('k');
    expect(resolveApiKey({ ...provider, experimentalBearerToken: 'lit' }, { P_KEY: 'k' })).toBe('lit');
  });

  it('the OpenAI provider also takes CODEX_API_KEY / CONDUIT_API_KEY', async () => {
    const { config } = await load(undefined);
    expect(resolveApiKey(config.modelProvider, { CODEX_API_KEY: 'c' })).toBe('c');
    expect(resolveApiKey(config.modelProvider, { OPENAI_API_KEY: 'o', CODEX_API_KEY: 'c' })).toBe('o');
    expect(() => resolveApiKey(config.modelProvider, {})).toThrow(
      /OPENAI_API_KEY \(or CONDUIT_API_KEY \/ CODEX_API_KEY\)/,
    );
  });
});
