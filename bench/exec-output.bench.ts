// 1 GiB of output through the exec engine: throughput and peak RSS growth (target < 50 MiB), plain and
// under bubblewrap. RSS is sampled during each run (maxRSS is a whole-process peak, useless for the second).
import { execCommand } from '../src/exec/run.js';
import type { ExecParams, ExecResult } from '../src/exec/types.js';
import { runSandboxed } from '../src/sandbox/index.js';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const params: ExecParams = {
  command: ['sh', '-c', "head -c 1G /dev/zero | tr '\\0' 'a'"],
  cwd: '/tmp',
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  timeoutMs: 600_000,
};

const variants: Record<string, () => Promise<ExecResult>> = {
  plain: () => execCommand(params),
  bwrap: () => runSandboxed({ params, policy: { type: 'read-only' }, sandbox: 'platform' }),
};

for (const [name, run] of Object.entries(variants)) {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  const r = await run();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (r.stdout.totalBytes !== GIB) throw new Error(`expected 1 GiB, got ${r.stdout.totalBytes}`);
  console.log(
    `${name.padEnd(6)} 1 GiB in ${seconds.toFixed(2)} s = ${(GIB / MIB / seconds).toFixed(0)} MiB/s; ` +
      `peak RSS growth ${((peak - rssBefore) / MIB).toFixed(1)} MiB (before ${(rssBefore / MIB).toFixed(1)} MiB); ` +
      `kept ${((r.stdout.totalBytes - r.stdout.droppedBytes) / MIB).toFixed(1)} MiB of stdout`,
  );
}
