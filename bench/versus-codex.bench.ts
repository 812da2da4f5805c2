// Conduit vs the Codex Rust binary, side by side in the same run, on two `exec --json` scenarios against
// the fake model server (in this process, over loopback):
//   a-plain  no MCP server; the model answers at once (1 request);
//   b-shell  one stdio MCP server (server-everything); the model calls the shell once (`echo hello`,
//            read-only sandbox), then answers (2 requests).
// Per run: process start → first model request, wall time (start → exit), and the main process's peak
// RSS (VmHWM). Medians of RUNS runs; the programs alternate run by run so machine noise hits both alike.
//
// The Codex binary is not a dependency. Install it into a temporary prefix and point CODEX_BIN at the
// prefix (or at the binary):
//   npm install --prefix /tmp/codex-0.80 @openai/codex@0.80.0
//   CODEX_BIN=/tmp/codex-0.80 npm run bench -- versus
// Without it only Conduit's figures are printed. Conduit runs twice per b-shell sample set: with the tool
// list remembered from an earlier run (the normal case) and with --no-tool-cache (a first run).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedRequest } from '../test/fake-model/server.js';
import { startFakeModelServer } from '../test/fake-model/server.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const root = process.cwd();
const EVERYTHING = join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const CONDUIT = join(root, 'bin/conduit.js');
const codexBin = findCodex();

function findCodex(): string | undefined {
  const given = process.env.CODEX_BIN ?? '/tmp/codex-0.80';
  if (!existsSync(given)) return undefined;
  if (statSync(given).isFile()) return given;
  const triple = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-unknown-linux-musl`;
  const bin = join(given, 'node_modules/@openai/codex/vendor', triple, 'codex/codex');
  return existsSync(bin) ? bin : undefined;
}

const fake = await startFakeModelServer({ wires: ['responses'] });
let firstRequestAt = 0;
fake.setHandler((request: RecordedRequest) => {
  if (firstRequestAt === 0) firstRequestAt = performance.now();
  const body = request.body as { input: { type: string }[]; tools?: { name?: string }[] };
  const scenario = JSON.stringify(body.input).includes('run echo hello') ? 'b-shell' : 'a-plain';
  if (scenario === 'a-plain' || body.input.some((i) => i.type === 'function_call_output'))
    return {
      steps: [
        { type: 'text', text: 'done' },
        { type: 'usage', input: 10, output: 1 },
      ],
    };
  return {
    steps: [
      { type: 'tool_call', name: 'shell', arguments: { command: ['echo', 'hello'] } },
      { type: 'usage', input: 10, output: 1 },
    ],
  };
});

const tmp = mkdtempSync(join(tmpdir(), 'conduit-versus-'));
const cwd = join(tmp, 'repo');
mkdirSync(join(cwd, '.git'), { recursive: true });

type Program = 'conduit' | 'conduit-no-cache' | 'codex';
type Scenario = 'a-plain' | 'b-shell';

/** One home per program and scenario, so remembered state (Conduit's tool cache) carries over runs. */
function home(program: Program, scenario: Scenario): string {
  const dir = join(tmp, `${program}-${scenario}`);
  if (existsSync(dir)) return dir;
  mkdirSync(dir);
  const mcp =
    scenario === 'b-shell'
      ? `\n[mcp_servers.everything]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(EVERYTHING)}]\n`
      : '';
  // The same provider table works for both programs.
  writeFileSync(
    join(dir, 'config.toml'),
    `model = "fake-model"
model_provider = "fake"

[model_providers.fake]
name = "fake"
base_url = "${fake.url}"
wire_api = "responses"
env_key = "FAKE_MODEL_KEY"
${mcp}`,
  );
  return dir;
}

interface Sample {
  firstRequestMs: number;
  wallMs: number;
  peakRssMiB: number;
}

/** The process's own high-water RSS; sampled because wait4's ru_maxrss also counts reaped MCP servers. */
function vmHwmKiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function runOnce(program: Program, scenario: Scenario): Promise<Sample> {
  const prompt = scenario === 'b-shell' ? 'run echo hello' : 'say hello';
  const dir = home(program, scenario);
  const [command, args, env] =
    program === 'codex'
      ? [codexBin!, ['exec', '--json', '--skip-git-repo-check', prompt], { CODEX_HOME: dir }]
      : [
          process.execPath,
          [CONDUIT, 'exec', '--json', ...(program === 'conduit-no-cache' ? ['--no-tool-cache'] : []), prompt],
          { CONDUIT_HOME: dir },
        ];
  return new Promise((resolve, reject) => {
    firstRequestAt = 0;
    const start = performance.now();
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env, FAKE_MODEL_KEY: 'sk-bench-0000', RUST_LOG: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let peak = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, vmHwmKiB(child.pid!) ?? 0);
    }, 2);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      peak = Math.max(peak, vmHwmKiB(child.pid!) ?? 0);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', () => clearInterval(poll));
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      clearInterval(poll);
      const ok =
        code === 0 &&
        stdout.includes('"turn.completed"') &&
        (scenario === 'a-plain' || stdout.includes('"command_execution"'));
      if (!ok) {
        reject(new Error(`${program} ${scenario} failed (exit ${code}): ${stderr}\n${stdout}`));
        return;
      }
      resolve({ firstRequestMs: firstRequestAt - start, wallMs, peakRssMiB: peak / 1024 });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const programs: Program[] = codexBin ? ['conduit', 'codex'] : ['conduit'];
const plan: [Scenario, Program[]][] = [
  ['a-plain', programs],
  ['b-shell', [...programs, 'conduit-no-cache']],
];
const results = new Map<string, Sample[]>();
try {
  for (const [scenario, progs] of plan) {
    for (const p of progs) await runOnce(p, scenario); // warm the page cache (and fill the tool cache)
    for (let i = 0; i < RUNS; i++) {
      for (const p of progs) {
        const key = `${scenario}|${p}`;
        results.set(key, [...(results.get(key) ?? []), await runOnce(p, scenario)]);
      }
    }
  }
} finally {
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
}

console.log(
  `conduit exec --json vs ${codexBin ? 'codex exec --json (Rust binary)' : '(no Codex binary: set CODEX_BIN)'}, medians of ${RUNS}, node ${process.version}`,
);
const cell = (xs: Sample[] | undefined, f: (s: Sample) => number, digits = 0) =>
  xs ? median(xs.map(f)).toFixed(digits) : '—';
const ratio = (a: Sample[] | undefined, b: Sample[] | undefined, f: (s: Sample) => number) =>
  a && b ? `${(median(a.map(f)) / median(b.map(f))).toFixed(2)}×` : '—';
console.log(
  `${'scenario'.padEnd(26)} ${'first request ms'.padStart(18)} ${'wall ms'.padStart(10)} ${'peak RSS MiB'.padStart(13)}`,
);
for (const [scenario, progs] of plan) {
  for (const p of progs) {
    const xs = results.get(`${scenario}|${p}`);
    console.log(
      `${`${scenario} ${p}`.padEnd(26)} ${cell(xs, (s) => s.firstRequestMs).padStart(18)} ${cell(xs, (s) => s.wallMs).padStart(10)} ${cell(xs, (s) => s.peakRssMiB, 1).padStart(13)}`,
    );
  }
  if (codexBin) {
    const c = results.get(`${scenario}|conduit`);
    const x = results.get(`${scenario}|codex`);
    console.log(
      `${`${scenario} conduit/codex`.padEnd(26)} ${ratio(c, x, (s) => s.firstRequestMs).padStart(18)} ${ratio(c, x, (s) => s.wallMs).padStart(10)} ${ratio(c, x, (s) => s.peakRssMiB).padStart(13)}`,
    );
  }
}
