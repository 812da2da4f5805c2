// Per-command cost of the sandbox: plain spawn vs bubblewrap (network off: + seccomp; network on), for
// `true` and a small command. Runs are interleaved so machine noise hits every variant alike.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { execCommand } from '../src/exec/run.js';
import type { SandboxPolicy } from '../src/protocol/policy.js';
import { probeSandbox, runSandboxed } from '../src/sandbox/index.js';

const N = 50;
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const cwd = realpathSync(mkdtempSync('/tmp/conduit-bench-spawn-'));
const ww = (networkAccess: boolean): SandboxPolicy => ({
  type: 'workspace-write',
  writableRoots: [],
  networkAccess,
  excludeSlashTmp: false,
  excludeTmpdirEnvVar: false,
});

const commands: Record<string, string[]> = {
  true: ['true'],
  small: ['sh', '-c', 'ls -la /usr/bin | wc -l'],
};
const variants: Record<string, (command: string[]) => Promise<unknown>> = {
  plain: (command) => execCommand({ command, cwd, env }),
  'bwrap net-off (+seccomp)': (command) =>
    runSandboxed({ params: { command, cwd, env }, policy: ww(false), sandbox: 'platform' }),
  'bwrap net-on': (command) =>
    runSandboxed({ params: { command, cwd, env }, policy: ww(true), sandbox: 'platform' }),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];

const probe = await probeSandbox();
console.log(
  `bwrap: ${probe.bwrap.path} (${probe.bwrap.version}), works=${probe.bwrap.works}, seccomp=${probe.bwrap.seccomp}`,
);
try {
  for (const [name, command] of Object.entries(commands)) {
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
    for (const run of Object.values(variants)) await run(command); // warm-up
    for (let i = 0; i < N; i++) {
      for (const [v, run] of Object.entries(variants)) {
        const t0 = performance.now();
        await run(command);
        times[v].push(performance.now() - t0);
      }
    }
    for (const [v, xs] of Object.entries(times)) {
      console.log(
        `${name.padEnd(6)} ${v.padEnd(26)} median ${median(xs).toFixed(2)} ms  (p10 ${pct(xs, 0.1).toFixed(2)}, p90 ${pct(xs, 0.9).toFixed(2)}), N=${N}`,
      );
    }
  }
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
