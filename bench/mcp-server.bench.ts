// 50 concurrent sessions through a real `conduit mcp-server` (stdio) against the fake model: each `codex`
// call applies a patch and answers; then each thread gets a `codex-reply`. Prints throughput and the server
// process's memory per session (peak RSS over the idle baseline / sessions). Fails on any error result.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startFakeModelServer } from '../test/fake-model/server.js';

const SESSIONS = 50;
const ROUNDS = 3;

function memoryKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
}

const fake = await startFakeModelServer({ wires: ['responses'] });
const usage = { type: 'usage', input: 100, output: 10 } as const;
fake.setHandler((request) => {
  const input = (request.body as { input: { type: string }[] }).input;
  const last = input.at(-1)?.type;
  if (last === 'function_call_output') return { steps: [{ type: 'text', text: 'patched and done' }, usage] };
  const n = input.length;
  const patch = `*** Begin Patch\n*** Add File: f-${n}-${Math.random().toString(36).slice(2)}.txt\n+x\n*** End Patch\n`;
  return { steps: [{ type: 'tool_call', name: 'apply_patch', arguments: { input: patch } }, usage] };
});

const root = mkdtempSync(join(tmpdir(), 'conduit-mcp-bench-'));
const home = join(root, 'home');
const cwd = join(root, 'work');
mkdirSync(home);
mkdirSync(cwd);
writeFileSync(
  join(home, 'config.toml'),
  `model = "fake-model"\nmodel_provider = "fake"\napproval_policy = "never"\nsandbox_mode = "workspace-write"\n[model_providers.fake]\nname = "Fake"\nbase_url = "${fake.url}"\nwire_api = "responses"\n`,
);

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [join(process.cwd(), 'bin', 'conduit.js'), 'mcp-server'],
  cwd,
  env: { ...(process.env as Record<string, string>), CONDUIT_HOME: home },
});
const client = new Client({ name: 'bench', version: '1' });
await client.connect(transport);
const pid = transport.pid!;
await client.listTools();
const baseline = memoryKiB(pid, 'VmRSS');
console.log(`server pid ${pid}, idle RSS ${(baseline / 1024).toFixed(1)} MiB`);

let errors = 0;
type CallResult = Awaited<ReturnType<Client['callTool']>>;

async function round(label: string, call: (i: number) => Promise<CallResult>) {
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: SESSIONS }, (_, i) => call(i)));
  const seconds = (performance.now() - t0) / 1000;
  const failed = results.filter(
    (r) =>
      r.isError || (r.structuredContent as { content?: string } | undefined)?.content !== 'patched and done',
  ).length;
  errors += failed;
  const peak = memoryKiB(pid, 'VmHWM');
  console.log(
    `${label}: ${SESSIONS} concurrent calls in ${seconds.toFixed(2)} s = ${(SESSIONS / seconds).toFixed(1)} calls/s; errors ${failed}; peak RSS ${(peak / 1024).toFixed(1)} MiB = ${((peak - baseline) / SESSIONS).toFixed(0)} KiB/session over idle`,
  );
  return results;
}

for (let r = 1; r <= ROUNDS; r++) {
  const started = await round(`round ${r} codex`, () =>
    client.callTool({ name: 'codex', arguments: { prompt: 'add a file' } }),
  );
  const threads = started.map((res) => (res.structuredContent as { threadId: string }).threadId);
  await round(`round ${r} codex-reply`, (i) =>
    client.callTool({ name: 'codex-reply', arguments: { threadId: threads[i], prompt: 'and another' } }),
  );
}
const files = readdirSync(cwd).length;
console.log(
  `model requests served: ${fake.requests.length}; files patched in: ${files}; RSS now ${(memoryKiB(pid, 'VmRSS') / 1024).toFixed(1)} MiB`,
);
// Every call applied one patch adding one file: anything else means a call did less than it claimed.
if (files !== ROUNDS * 2 * SESSIONS) errors++;
await client.close();
await fake.close();
if (errors > 0) {
  console.error(`${errors} calls failed`);
  process.exit(1);
}
