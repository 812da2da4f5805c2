// `conduit mcp list` and `conduit mcp tools` against a real config.toml and real servers.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome } from '../config/helpers.js';
import { fixture, SERVERS } from '../mcp/helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'conduit.js');
const node = JSON.stringify(process.execPath);

const TOML = `
[mcp_servers.memory]
command = ${node}
args = [${JSON.stringify(SERVERS.memory)}]
env = { MEMORY_FILE_PATH = "/tmp/conduit-cli-test-memory.jsonl", SECRET_VALUE = "hunter2" }
disabled_tools = ["delete_entities"]

[mcp_servers.broken]
command = ${node}
args = [${JSON.stringify(fixture('exits-at-once.mjs'))}]

[mcp_servers.remote]
url = "http://127.0.0.1:9/mcp"
bearer_token_env_var = "REMOTE_TOKEN"
enabled = false
`;

function conduit(args: string[]) {
  const { home, cwd } = makeHome(TOML);
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, CONDUIT_HOME: home },
    encoding: 'utf8',
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('conduit mcp', () => {
  it('lists configured servers without printing secret values', () => {
    const res = conduit(['mcp', 'list']);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('remote  (disabled)');
    expect(res.stdout).toContain('http: http://127.0.0.1:9/mcp');
    expect(res.stdout).toContain('auth: bearer token from $REMOTE_TOKEN');
    expect(res.stdout).toContain('disabled tools: delete_entities');
    expect(res.stdout).toContain('env: MEMORY_FILE_PATH, SECRET_VALUE');
    expect(res.stdout).not.toContain('hunter2');
    const json = JSON.parse(conduit(['mcp', 'list', '--json']).stdout);
    expect(json.servers.map((s: { name: string }) => s.name)).toEqual(['broken', 'memory', 'remote']);
  });

  it('shows one server’s qualified tools with schemas, honouring its filters', () => {
    const res = conduit(['mcp', 'tools', 'memory']);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^memory: 8 tools\n/);
    expect(res.stdout).toContain('  memory__create_entities\n');
    expect(res.stdout).toContain('parameters: {"type":"object"');
    expect(res.stdout).not.toContain('memory__delete_entities');
    const json = JSON.parse(conduit(['mcp', 'tools', 'memory', '--json']).stdout);
    expect(json.servers[0]).toMatchObject({ name: 'memory', status: 'ok' });
    expect(json.servers[0].tools[0]).toMatchObject({
      name: expect.stringMatching(/^memory__/),
      parameters: { type: 'object' },
    });
  });

  it('exits non-zero with the reason when a server fails, still listing the others', () => {
    const named = conduit(['mcp', 'tools', 'broken']);
    expect(named.status).toBe(1);
    expect(named.stderr).toContain("error: MCP server 'broken' exited with code 3 during initialize");
    expect(named.stderr).toContain('fatal: FIXTURE_TOKEN is not set');
    const all = conduit(['mcp', 'tools']);
    expect(all.status).toBe(1);
    expect(all.stdout).toContain('memory: 8 tools');
  });

  it('explains a disabled or unknown server name', () => {
    const disabled = conduit(['mcp', 'tools', 'remote']);
    expect(disabled.stderr).toContain("note: 'remote' is disabled");
    expect(disabled.stderr).toContain(
      'REMOTE_TOKEN (bearer_token_env_var of [mcp_servers.remote]) is not set',
    );
    expect(disabled.status).toBe(1);
    const unknown = conduit(['mcp', 'tools', 'nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(
      "no MCP server named 'nope' in the configuration (configured: broken, memory, remote)\n",
    );
  });
});
