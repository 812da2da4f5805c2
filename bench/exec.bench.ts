// `conduit exec --json` on a one-shell-call turn against the fake model (in this process, over loopback):
// process start → first model request, wall time, and the child's peak RSS (from GNU time's %M).
// Targets (issue 4): first request ≤ 100 ms with no MCP server configured, peak RSS ≤ 55 MiB.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeModelServer } from '../test/fake-model/server.js';

const RUNS = 15;
const fake = await startFakeModelServer({ wires: ['responses'] });
let firstRequestAt = 0;
fake.setHandler((request) => {
  const input = (request.body as { input: { type: string }[] }).input;
  if (input.at(-1)?.type === 'function_call_output') return { steps: [{ type: 'text', text: 'done' }] };
  firstRequestAt = performance.now();
  return { steps: [{ type: 'tool_call', name: 'shell', arguments: { command: ['echo', 'hello'] } }] };
});

const root = mkdtempSync(join(tmpdir(), 'conduit-exec-bench-'));
const home = join(root, 'home');
const cwd = join(root, 'repo');
mkdirSync(home);
mkdirSync(join(cwd, '.git'), { recursive: true });
const rssFile = join(root, 'rss');
const bin = join(process.cwd(), 'bin', 'conduit.js');
const env = { ...process.env, CONDUIT_HOME: home, CODEX_API_KEY: 'sk-bench-0000000000' };

interface Sample {
  firstRequestMs: number;
  wallMs: number;
  peakRssMiB: number;
}

function runOnce(): Promise<Sample> {
  // GNU time writes the child's max RSS (KiB) to a file; the extra exec it costs is well under a millisecond.
  const args = [
    '-f',
    '%M',
    '-o',
    rssFile,
    process.execPath,
    bin,
    'exec',
    '--json',
    '-c',
    `openai_base_url="${fake.url}"`,
    'say hello',
  ];
  return new Promise((resolve, reject) => {
    firstRequestAt = 0;
    const start = performance.now();
    const child = spawn('/usr/bin/time', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      if (code !== 0 || !stdout.includes('"turn.completed"')) {
        reject(new Error(`conduit exec failed (exit ${code}): ${stderr}\n${stdout}`));
        return;
      }
      resolve({
        firstRequestMs: firstRequestAt - start,
        wallMs,
        peakRssMiB: Number(readFileSync(rssFile, 'utf8').trim()) / 1024,
      });
    });
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

await runOnce(); // warm the page cache
const samples: Sample[] = [];
for (let i = 0; i < RUNS; i++) samples.push(await runOnce());
await fake.close();
rmSync(root, { recursive: true, force: true });

const row = (label: string, values: number[], unit: string) =>
  console.log(
    `${label.padEnd(28)} median ${percentile(values, 50).toFixed(1)} ${unit}   p90 ${percentile(values, 90).toFixed(1)} ${unit}   min ${Math.min(...values).toFixed(1)} ${unit}`,
  );
console.log(
  `conduit exec --json, one shell call (echo hello, read-only sandbox), ${RUNS} runs, node ${process.version}`,
);
row(
  'start → first model request',
  samples.map((s) => s.firstRequestMs),
  'ms',
);
row(
  'wall time',
  samples.map((s) => s.wallMs),
  'ms',
);
row(
  'peak RSS',
  samples.map((s) => s.peakRssMiB),
  'MiB',
);
