// `conduit doctor`: probes the configured model provider and the sandbox and prints one capability table
// (or JSON); exits 1 when the provider does not answer or the configured sandbox mode cannot work here.
import {
  type DoctorReport,
  explainUnavailable,
  type Finding,
  loadConfig,
  probeProvider,
  probeSandbox,
  type SandboxProbe,
  UserError,
} from '../index.js';
import type { GlobalOptions } from './options.js';

export interface DoctorOptions extends GlobalOptions {
  json?: boolean;
  /** Per-probe limit in seconds. */
  timeout?: string;
}

export async function runDoctor(opts: DoctorOptions): Promise<void> {
  const seconds = opts.timeout === undefined ? 60 : Number(opts.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UserError(`--timeout: expected a number of seconds, got ${JSON.stringify(opts.timeout)}`);
  }
  const { config } = await loadConfig({
    cliOverrides: opts.config,
    profile: opts.profile,
    overrides: { model: opts.model },
  });
  const [report, sandbox] = await Promise.all([
    probeProvider(config.modelProvider, {
      model: config.model,
      family: config.modelFamily,
      timeoutMs: seconds * 1000,
    }),
    probeSandbox(),
  ]);
  process.stdout.write(
    opts.json
      ? `${JSON.stringify({ ...report, sandbox }, null, 2)}\n`
      : `${formatDoctorReport(report)}\n${formatSandboxProbe(sandbox, config.sandboxMode)}`,
  );
  if (!report.wires[report.provider.wireApi].answers.ok) process.exitCode = 1;
  // A sandboxed mode that cannot run anything is as broken as a provider that does not answer.
  if (!sandboxWorks(sandbox) && config.sandboxMode !== 'danger-full-access') process.exitCode = 1;
}

const mark = (f: Finding) => (f.ok === undefined ? '-' : `${f.ok ? 'yes' : 'no'}: ${f.detail}`);

export function formatDoctorReport(report: DoctorReport): string {
  const { provider } = report;
  const head = [
    `Provider  ${provider.id} (${provider.name})  ${provider.baseUrl}`,
    `Config    wire_api = ${provider.wireApi}${provider.quirks ? `, quirks = ${provider.quirks}` : ''}`,
    `Model     ${report.model}`,
    `API key   ${mark(report.auth)}`,
    `Models    ${mark(report.models)}`,
    '',
  ];
  const col = (wire: 'responses' | 'chat') => `${wire}${provider.wireApi === wire ? ' (configured)' : ''}`;
  const rows: [string, string, string][] = [['capability', col('responses'), col('chat')]];
  const labels: [keyof DoctorReport['wires']['chat'], string][] = [
    ['answers', 'answers'],
    ['streaming', 'streams (SSE)'],
    ['usage', 'usage in stream'],
    ['toolCalls', 'tool calls'],
    ['reasoning', 'reasoning'],
  ];
  for (const [key, label] of labels)
    rows.push([label, mark(report.wires.responses[key]), mark(report.wires.chat[key])]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const table = rows.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd());
  table.splice(
    1,
    0,
    `${'-'.repeat(widths[0])}  ${'-'.repeat(widths[1])}  ${'-'.repeat(Math.max(...rows.map((r) => r[2].length)))}`,
  );
  const advice = report.advice.length ? ['', ...report.advice.map((a) => `! ${a}`)] : [];
  return `${[...head, ...table, ...advice].join('\n')}\n`;
}

function sandboxWorks(probe: SandboxProbe): boolean {
  return probe.platform === 'darwin' ? probe.seatbelt : probe.bwrap.works;
}

export function formatSandboxProbe(probe: SandboxProbe, mode: string): string {
  const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');
  const lines = [
    `Sandbox   ${probe.platform}/${probe.arch}${probe.isRoot ? ' (root)' : ''}, sandbox_mode = ${mode}`,
  ];
  if (probe.platform === 'darwin') lines.push(`  seatbelt           ${yesNo(probe.seatbelt)}`);
  else {
    const b = probe.bwrap;
    lines.push(
      `  bubblewrap         ${b.path ? `${b.path}${b.version ? ` (${b.version})` : ''}` : 'not installed'}`,
      `  sandbox works      ${yesNo(b.works)}${b.error ? `: ${b.error}` : ''}`,
      `  /proc inside       ${yesNo(b.procMount)}`,
      `  network seccomp    ${yesNo(b.seccomp)}`,
      `  user namespaces    ${yesNo(probe.userNamespaces)}`,
      `  landlock ABI       ${probe.landlockAbi ?? 'unknown'}`,
    );
  }
  if (!sandboxWorks(probe) && mode !== 'danger-full-access') lines.push(`! ${explainUnavailable(probe)}`);
  return `${lines.join('\n')}\n`;
}
