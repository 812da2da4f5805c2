// MCP client figures: start-up wall time with 1 and 5 stdio servers started concurrently (vs. the same
// five started one after another), and the per-call cost of a forwarded call (manager, and the full
// ToolHandler path) over a direct SDK client call to the same server.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { McpServerConfig } from '../src/config/types.js';
import { McpConnectionManager } from '../src/mcp/manager.js';
import { createMcpToolHandlers } from '../src/tools/handlers/mcp.js';
import type { ToolContext } from '../src/tools/types.js';

// bench/run.mjs runs every bench from the repository root.
const root = `${process.cwd()}/`;
const MEMORY = `${root}node_modules/@modelcontextprotocol/server-memory/dist/index.js`;
const EVERYTHING = `${root}node_modules/@modelcontextprotocol/server-everything/dist/index.js`;
const SLOW_START = `${root}test/fixtures/mcp/slow-start.mjs`;
const SLOW_DELAYS_MS = [200, 400, 600, 800, 1000];
const START_RUNS = 5;
const CALLS = 500;

function server(name: string, args: string[]): McpServerConfig {
  return {
    name,
    enabled: true,
    startupTimeoutSec: 60,
    toolTimeoutSec: 60,
    transport: {
      type: 'stdio',
      command: process.execPath,
      args,
      env: { MEMORY_FILE_PATH: `/tmp/conduit-bench-${name}.jsonl` },
      envVars: [],
    },
  };
}

async function timeStart(configs: McpServerConfig[]): Promise<number> {
  const manager = new McpConnectionManager({ cwd: process.cwd() });
  const t0 = performance.now();
  const report = await manager.start(configs);
  const ms = performance.now() - t0;
  await manager.close();
  if (report.errors.length) throw new Error(report.errors.map((e) => e.message).join('\n'));
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function startupBench() {
  const five = Array.from({ length: 5 }, (_, i) => server(`m${i}`, [MEMORY]));
  await timeStart([five[0]]); // warm the OS file cache
  const one: number[] = [];
  const concurrent: number[] = [];
  const sequential: number[] = [];
  for (let run = 0; run < START_RUNS; run++) {
    one.push(await timeStart([five[0]]));
    concurrent.push(await timeStart(five));
    let sum = 0;
    for (const config of five) sum += await timeStart([config]);
    sequential.push(sum);
  }
  console.log(`start-up, server-memory over stdio (median of ${START_RUNS})`);
  console.log(`  1 server:                         ${fmt(median(one))}`);
  console.log(`  5 servers, concurrently:          ${fmt(median(concurrent))}`);
  console.log(`  5 servers, one after another:     ${fmt(median(sequential))}`);
  console.log(`  concurrent / single:              ${(median(concurrent) / median(one)).toFixed(2)}x`);

  // Node start-up is CPU-bound, so on a 2-core machine five cold starts cannot fully overlap. Servers
  // that spend their start-up waiting (downloads, remote connections) show the concurrency directly.
  const slow = SLOW_DELAYS_MS.map((ms) => server(`slow${ms}`, [SLOW_START, String(ms)]));
  const slowest: number[] = [];
  const slowAll: number[] = [];
  for (let run = 0; run < START_RUNS; run++) {
    slowest.push(await timeStart([slow.at(-1)!]));
    slowAll.push(await timeStart(slow));
  }
  console.log(
    `\nstart-up, servers that wait ${SLOW_DELAYS_MS.join('/')} ms before answering (median of ${START_RUNS})`,
  );
  console.log(`  slowest alone (${SLOW_DELAYS_MS.at(-1)} ms wait):        ${fmt(median(slowest))}`);
  console.log(`  all 5 concurrently:               ${fmt(median(slowAll))}`);
  console.log(`  sum of the waits alone:           ${fmt(SLOW_DELAYS_MS.reduce((a, b) => a + b, 0))}`);
}

async function timeCalls(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await call();
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) await call();
  return ((performance.now() - t0) / CALLS) * 1000;
}

async function callBench() {
  const direct = new Client({ name: 'bench', version: '0' });
  await direct.connect(
    new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'ignore' }),
  );
  const manager = new McpConnectionManager({ cwd: process.cwd() });
  await manager.start([server('everything', [EVERYTHING, 'stdio'])]);
  const handler = createMcpToolHandlers(manager).find((h) => h.name === 'everything__echo')!;
  const ctx = { callId: 'c', signal: new AbortController().signal, emit: () => {} } as unknown as ToolContext;
  const args = { message: 'hello' };
  const input = JSON.stringify(args);

  const rounds = { direct: [] as number[], manager: [] as number[], handler: [] as number[] };
  for (let round = 0; round < 5; round++) {
    rounds.direct.push(await timeCalls(() => direct.callTool({ name: 'echo', arguments: args })));
    rounds.manager.push(await timeCalls(() => manager.callTool('everything', 'echo', args)));
    rounds.handler.push(
      await timeCalls(() =>
        handler.handle({ callId: 'c', name: handler.name, kind: 'function', input }, ctx),
      ),
    );
  }
  const [d, m, h] = [median(rounds.direct), median(rounds.manager), median(rounds.handler)];
  console.log(`\none echo call to server-everything over stdio (${CALLS} calls, median of 5 rounds)`);
  console.log(`  direct SDK Client + SDK stdio transport: ${d.toFixed(0)} µs/call`);
  console.log(
    `  McpConnectionManager.callTool:           ${m.toFixed(0)} µs/call (${(m - d).toFixed(0)} µs over direct)`,
  );
  console.log(
    `  ToolHandler.handle (parse, events, output): ${h.toFixed(0)} µs/call (${(h - d).toFixed(0)} µs over direct)`,
  );
  await direct.close();
  await manager.close();
}

await startupBench();
await callBench();
