// `conduit exec` with a configured stdio MCP server, as processes: the built binary, the fake model server
// and test/fixtures/mcp/scripted-tools.mjs.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../fake-model/server.js';
import { cleanEnv, gitDir, runConduit, tempDir } from './helpers.js';

const SERVER = join(import.meta.dirname, '../fixtures/mcp/scripted-tools.mjs');

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
});
