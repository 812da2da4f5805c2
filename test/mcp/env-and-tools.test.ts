import { describe, expect, it } from 'vitest';
import { buildHttpHeaders, buildStdioEnv } from '../../src/mcp/env.js';
import { isToolEnabled } from '../../src/mcp/filters.js';
import { prepareTools } from '../../src/mcp/tool-list.js';

const stdio = (env: Record<string, string> = {}, envVars: string[] = []) => ({
  type: 'stdio' as const,
  command: 'x',
  args: [],
  env,
  envVars,
});
const http = (extra: object = {}) =>
  ({ type: 'http', url: 'http://127.0.0.1:1/mcp', httpHeaders: {}, envHttpHeaders: {}, ...extra }) as const;

describe('stdio server environment', () => {
  it('passes the whitelist, then env_vars, then literal env; nothing else', () => {
    const parent = {
      HOME: '/h',
      PATH: '/bin',
      OPENAI_API_KEY: 'sk-secret',
      TZ: 'UTC',
      XDG_CONFIG_HOME: '/x',
      FN: '() { :; }',
    };
    expect(
      buildStdioEnv(stdio({ TZ: 'Europe/Paris', EXTRA: '1' }, ['XDG_CONFIG_HOME', 'FN', 'UNSET']), parent),
    ).toEqual({
      HOME: '/h',
      PATH: '/bin',
      TZ: 'Europe/Paris',
      XDG_CONFIG_HOME: '/x',
      EXTRA: '1',
    });
  });
});

describe('http server headers', () => {
  it('adds static headers, non-blank env headers and the bearer token', () => {
    const headers = buildHttpHeaders(
      'docs',
      http({
        httpHeaders: { 'X-Static': 'a' },
        envHttpHeaders: { 'X-Org': 'ORG', 'X-Blank': 'BLANK' },
        bearerTokenEnvVar: 'TOK',
      }),
      { ORG: 'acme', BLANK: '  ', TOK: 't0k' },
    );
    expect(headers).toEqual({ 'X-Static': 'a', 'X-Org': 'acme', Authorization: 'Bearer t0k' });
  });

  it('names the variable when the bearer token is unset or empty', () => {
    expect(() => buildHttpHeaders('docs', http({ bearerTokenEnvVar: 'DOCS_TOKEN' }), {})).toThrow(
      'environment variable DOCS_TOKEN (bearer_token_env_var of [mcp_servers.docs]) is not set',
    );
    expect(() =>
      buildHttpHeaders('docs', http({ bearerTokenEnvVar: 'DOCS_TOKEN' }), { DOCS_TOKEN: '' }),
    ).toThrow(/is empty/);
  });
});

describe('tool filters and listing', () => {
  it('applies the allow-list, then the deny-list', () => {
    expect(isToolEnabled({}, 'a')).toBe(true);
    expect(isToolEnabled({ enabledTools: ['a', 'b'], disabledTools: ['b'] }, 'a')).toBe(true);
    expect(isToolEnabled({ enabledTools: ['a', 'b'], disabledTools: ['b'] }, 'b')).toBe(false);
    expect(isToolEnabled({ enabledTools: ['a'] }, 'c')).toBe(false);
  });

  it('drops only the tools it cannot use, with a warning naming each', () => {
    const { tools, warnings } = prepareTools({ name: 'srv', disabledTools: ['hidden'] }, [
      { name: 'ok', description: 'fine', inputSchema: { type: 'object' } },
      { name: 'hidden', inputSchema: { type: 'object' } },
      { name: 'bad', inputSchema: { type: 'string' } },
      { name: 'ok', inputSchema: { type: 'object' } },
      { name: 'task', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } },
      { title: 'no name' },
      { name: 'titled', title: 'Titled tool' },
    ]);
    expect(tools).toEqual([
      {
        name: 'ok',
        description: 'fine',
        parameters: { type: 'object', properties: {} },
        annotations: undefined,
      },
      {
        name: 'titled',
        description: 'Titled tool',
        parameters: { type: 'object', properties: {} },
        annotations: undefined,
      },
    ]);
    expect(warnings.map((w) => w.message)).toEqual([
      `MCP tool 'bad' of server 'srv' was skipped: the input schema's type is "string"; tool parameters must be an object`,
      `MCP server 'srv' listed tool 'ok' twice; the first one is used`,
      `MCP tool 'task' of server 'srv' was skipped: it can only run as a task, which Conduit does not support`,
      `MCP server 'srv' listed a tool without a name (entry 5); skipped`,
    ]);
  });
});
