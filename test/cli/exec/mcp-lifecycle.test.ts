// `conduit exec` with a configured stdio MCP server, as processes: the built binary, the fake model server
// and test/fixtures/mcp/scripted-tools.mjs. Remembered tool lists: the server answers `initialize` only
// once a gate file exists, and the fake model opens the gate when the first request arrives, so a request
// that carries the server's tools before that was sent without waiting for it (a fact, not a timing).

import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { cleanEnv, gitDir, runConduit, tempDir } from './helpers.js';

const SERVER = join(import.meta.dirname, '../../fixtures/mcp/scripted-tools.mjs');

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer({ wires: ['responses'] });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

/** A home whose config.toml runs scripted-tools as server `s`, with the given extra env. */
function setup(serverEnv: Record<string, string>) {
  const home = tempDir('conduit-home-');
  const toolsFile = join(home, 'tools.txt');
  writeFileSync(toolsFile, 'alpha\n');
  const env = { TOOLS_FILE: toolsFile, ...serverEnv };
  writeFileSync(
    join(home, 'config.toml'),
    `model_provider = "fake"
model = "fake-model"

[model_providers.fake]
name = "fake"
base_url = "${fake.url}"
wire_api = "responses"

[mcp_servers.s]
command = ${JSON.stringify(process.execPath)}
args = [${JSON.stringify(SERVER)}]
env = ${JSON.stringify(env).replace(/":/g, '" =')}
`,
  );
  return { home, toolsFile, cwd: gitDir(), env: cleanEnv(home) };
}

type Body = { tools: { name?: string }[]; input: { type: string; output?: unknown }[] };
const bodies = () => fake.requests.filter((r) => r.wire === 'responses').map((r) => r.body as Body);
const mcpTools = (body: Body) => body.tools.map((t) => t.name ?? '').filter((n) => n.startsWith('s__'));
const outputs = (body: Body) =>
  body.input.filter((i) => i.type === 'function_call_output').map((i) => JSON.stringify(i.output));

/** A gated world with a remembered list: a first run with the gate open fills the cache. */
async function remembered(extraEnv: Record<string, string> = {}) {
  const dir = tempDir('conduit-gate-');
  const gate = join(dir, 'gate');
  const w = setup({ GATE_FILE: gate, ...extraEnv });
  writeFileSync(gate, '');
  fake.enqueue({ steps: [{ type: 'text', text: 'first run' }] });
  const first = await runConduit(['exec', '--json', 'hi'], { env: w.env, cwd: w.cwd });
  expect(first.code, first.stderr).toBe(0);
  expect(mcpTools(bodies()[0])).toEqual(['s__alpha']);
  expect(readdirSync(join(w.home, 'cache', 'mcp-tools'))).toHaveLength(1);
  rmSync(gate);
  fake.requests.length = 0;
  return { ...w, gate };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie waiting for its (new) parent to reap it is dead too.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  // Waits for the kernel to finish the kill, not for a deadline to matter: generous under load.
  for (let i = 0; i < 500 && alive(pid); i++) await sleep(20);
  return !alive(pid);
}

describe('conduit exec with an MCP server', () => {
  it('kills the server’s whole process group at exit, even a server that ignores SIGTERM and EOF', async () => {
    const pidFile = join(tempDir('conduit-pids-'), 'pids');
    const { cwd, env } = setup({ PID_FILE: pidFile });
    fake.enqueue({ steps: [{ type: 'text', text: 'done' }] });
    const result = await runConduit(['exec', '--json', 'hi'], { env, cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(pidFile)).toBe(true);
    const [server, child] = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    expect(await gone(server)).toBe(true);
    expect(await gone(child)).toBe(true);
  });

  it('sends the first request with the remembered tools, then refuses a vanished tool and offers the new list', async () => {
    const w = await remembered();
    writeFileSync(w.toolsFile, 'beta\n');
    let first = true;
    fake.setHandler(() => {
      if (!first) return { steps: [{ type: 'text', text: 'done' }] };
      first = false;
      writeFileSync(w.gate, '');
      return { steps: [{ type: 'tool_call', name: 's__alpha', arguments: {} }] };
    });
    try {
      const result = await runConduit(['exec', '--json', 'use alpha'], { env: w.env, cwd: w.cwd });
      expect(result.code, result.stderr).toBe(0);
    } finally {
      fake.setHandler(undefined);
    }
    const [one, two] = bodies();
    expect(mcpTools(one)).toEqual(['s__alpha']);
    expect(outputs(two).join()).toContain(
      "MCP server 's' does not offer tool 'alpha' any more (its tool list changed since it was remembered)",
    );
    expect(mcpTools(two)).toEqual(['s__beta']);
  });

  it('--no-tool-cache waits for the server and offers its live list', async () => {
    const w = await remembered();
    writeFileSync(w.toolsFile, 'beta\n');
    writeFileSync(w.gate, '');
    fake.enqueue({ steps: [{ type: 'text', text: 'done' }] });
    const result = await runConduit(['exec', '--json', '--no-tool-cache', 'hi'], { env: w.env, cwd: w.cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(mcpTools(bodies()[0])).toEqual(['s__beta']);
  });

  it('a remembered server that fails to start: its tools are withdrawn, calls say why, a warning names it', async () => {
    const crash = join(tempDir('conduit-crash-'), 'crash');
    const w = await remembered({ CRASH_FILE: crash });
    writeFileSync(crash, '');
    let first = true;
    fake.setHandler(() => {
      if (!first) return { steps: [{ type: 'text', text: 'done' }] };
      first = false;
      writeFileSync(w.gate, '');
      return { steps: [{ type: 'tool_call', name: 's__alpha', arguments: {} }] };
    });
    let result: Awaited<ReturnType<typeof runConduit>>;
    try {
      result = await runConduit(['exec', '--json', 'use alpha'], { env: w.env, cwd: w.cwd });
    } finally {
      fake.setHandler(undefined);
    }
    expect(result.code, result.stderr).toBe(0);
    const [one, two] = bodies();
    expect(mcpTools(one)).toEqual(['s__alpha']);
    expect(outputs(two).join()).toContain("MCP server 's' failed to start");
    expect(mcpTools(two)).toEqual([]);
    const warnings = result.events.filter(
      (e) => e.type === 'item.completed' && (e.item as { type: string }).type === 'error',
    );
    expect(JSON.stringify(warnings)).toContain('MCP server s failed to start');
  });
});
