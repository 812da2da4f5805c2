// What sandboxing works on this machine, found once per process by trying it (sysctls and LSM files lie or
// are absent; a real bwrap run of `true` is the only reliable test and costs a few milliseconds).
// Commands need only that preflight (probeSandboxForCommands); `conduit doctor` adds the informational
// checks (bwrap's version, user namespaces, the Landlock ABI through python3, which alone can take
// 100–200 ms) in probeSandbox.

import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { execCommand } from '../exec/run.js';
import { buildBwrapArgs } from './bwrap-args.js';
import { buildSeccompProgram, seccompSupported } from './seccomp.js';

const execFileAsync = promisify(execFile);
const PROBE_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin' };
const PROBE_TIMEOUT_MS = 10_000;
export const SEATBELT_EXECUTABLE = '/usr/bin/sandbox-exec';

export interface BwrapProbe {
  /** Absolute path of the bwrap found on PATH, or null. */
  path: string | null;
  version?: string;
  /** A preflight sandbox (namespaces, read-only root, cap drop) ran `true` successfully. */
  works: boolean;
  /** Why it does not work: bwrap's own message. */
  error?: string;
  /** /proc can be mounted inside (false in some containers; the sandbox then runs without it). */
  procMount: boolean;
  /** The seccomp filter can be applied (architecture supported and accepted by the kernel). */
  seccomp: boolean;
  /**
   * A root caller's sandbox gets a user namespace (they work here): only then is its capability bounding
   * set emptied. Always false for other callers, whose `--unshare-user-try` is enough.
   */
  userNamespace?: boolean;
}

/** What running a command in the sandbox needs to know. */
export interface CommandSandboxProbe {
  platform: NodeJS.Platform;
  arch: string;
  isRoot: boolean;
  bwrap: BwrapProbe;
  /** macOS: `sandbox-exec` is present. */
  seatbelt: boolean;
}

export interface SandboxProbe extends CommandSandboxProbe {
  /** An unprivileged user namespace can be created (null: not tested, bwrap missing). */
  userNamespaces: boolean | null;
  /** Landlock ABI version, 0 when unsupported, null when it could not be asked (informational). */
  landlockAbi: number | null;
}

export function findExecutable(name: string, pathEnv = process.env.PATH ?? ''): string | null {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

interface TryResult {
  ok: boolean;
  stderr: string;
}

async function tryBwrap(
  bwrap: string,
  mountProc: boolean,
  seccomp: boolean,
  isRoot: boolean,
  userNamespace: boolean,
): Promise<TryResult> {
  const args = buildBwrapArgs({
    command: ['true'],
    cwd: '/',
    writableRoots: [],
    network: false,
    isRoot,
    userNamespace,
    mountProc,
    seccompFd: seccomp ? 3 : undefined,
  });
  const result = await execCommand(
    { command: [bwrap, ...args], cwd: '/', env: PROBE_ENV, timeoutMs: PROBE_TIMEOUT_MS },
    { fdPayloads: seccomp ? [buildSeccompProgram({ network: false })] : [] },
  );
  return { ok: result.exitCode === 0, stderr: result.stderr.text.trim() };
}

async function probeBwrap(isRoot: boolean): Promise<BwrapProbe> {
  const path = findExecutable('bwrap');
  if (!path) return { path, works: false, procMount: false, seccomp: false };
  const canSeccomp = seccompSupported();
  // A root caller tries with a user namespace first (one run where they work), without where blocked.
  let userNamespace = isRoot;
  const run = async (procMount: boolean, seccomp: boolean): Promise<TryResult> => {
    const attempt = await tryBwrap(path, procMount, seccomp, isRoot, userNamespace);
    if (attempt.ok || !userNamespace) return attempt;
    const without = await tryBwrap(path, procMount, seccomp, isRoot, false);
    if (without.ok) userNamespace = false;
    return without.ok ? without : attempt;
  };
  let procMount = true;
  let attempt = await run(procMount, canSeccomp);
  if (!attempt.ok && /mount proc/i.test(attempt.stderr)) {
    procMount = false;
    attempt = await run(procMount, canSeccomp);
  }
  let seccomp = canSeccomp && attempt.ok;
  if (!attempt.ok && canSeccomp) {
    const withoutSeccomp = await run(procMount, false);
    if (withoutSeccomp.ok) attempt = withoutSeccomp;
    seccomp = false;
  }
  return {
    path,
    works: attempt.ok,
    error: attempt.ok ? undefined : attempt.stderr || 'the preflight sandbox failed without a message',
    procMount,
    seccomp,
    userNamespace: attempt.ok && userNamespace,
  };
}

async function bwrapVersion(path: string): Promise<string | undefined> {
  try {
    return (await execFileAsync(path, ['--version'], { env: PROBE_ENV })).stdout.trim();
  } catch {
    return undefined; // Old bwraps lack --version.
  }
}

async function userNamespacesWork(path: string): Promise<boolean> {
  const userns = await execCommand({
    command: [path, '--unshare-user', '--ro-bind', '/', '/', '--', 'true'],
    cwd: '/',
    env: PROBE_ENV,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  return userns.exitCode === 0;
}

/**
 * Node cannot make raw syscalls, so the Landlock ABI is asked through python3's ctypes when it is there.
 * Informational only (shown by `conduit doctor`): the Linux sandbox is bubblewrap.
 */
async function probeLandlock(): Promise<number | null> {
  const python = findExecutable('python3');
  if (!python) return null;
  const script = 'import ctypes;print(ctypes.CDLL(None).syscall(444,None,0,1))'; // landlock_create_ruleset(VERSION)
  try {
    const abi = Number.parseInt(
      (await execFileAsync(python, ['-c', script], { timeout: PROBE_TIMEOUT_MS })).stdout,
      10,
    );
    return Number.isNaN(abi) ? null : Math.max(abi, 0);
  } catch {
    return null;
  }
}

async function runCommandProbe(): Promise<CommandSandboxProbe> {
  const isRoot = process.getuid?.() === 0;
  const base = { platform: process.platform, arch: process.arch, isRoot };
  const noBwrap = { path: null, works: false, procMount: false, seccomp: false };
  if (process.platform === 'darwin') {
    let seatbelt = true;
    try {
      accessSync(SEATBELT_EXECUTABLE, constants.X_OK);
    } catch {
      seatbelt = false;
    }
    return { ...base, bwrap: noBwrap, seatbelt };
  }
  if (process.platform !== 'linux') return { ...base, bwrap: noBwrap, seatbelt: false };
  return { ...base, bwrap: await probeBwrap(isRoot), seatbelt: false };
}

async function runFullProbe(): Promise<SandboxProbe> {
  const path = process.platform === 'linux' ? findExecutable('bwrap') : null;
  const [probe, version, userNamespaces, landlockAbi] = await Promise.all([
    probeSandboxForCommands(),
    path ? bwrapVersion(path) : undefined,
    path ? userNamespacesWork(path) : null,
    process.platform === 'linux' ? probeLandlock() : null,
  ]);
  const bwrap = version === undefined ? probe.bwrap : { ...probe.bwrap, version };
  return { ...probe, bwrap, userNamespaces, landlockAbi };
}

let commandProbe: Promise<CommandSandboxProbe> | undefined;
let fullProbe: Promise<SandboxProbe> | undefined;

/** Whether and how commands can be sandboxed, found once per process (concurrent callers share the run). */
export function probeSandboxForCommands(): Promise<CommandSandboxProbe> {
  commandProbe ??= runCommandProbe();
  return commandProbe;
}

/** The full capability report for `conduit doctor`, run once per process. */
export function probeSandbox(): Promise<SandboxProbe> {
  fullProbe ??= runFullProbe();
  return fullProbe;
}

/** Why no sandbox is usable and what to do about it, for SandboxUnavailableError. */
export function explainUnavailable(probe: CommandSandboxProbe): string {
  const noSandboxOption =
    'Or, if you accept running commands without any OS sandbox, choose `--sandbox danger-full-access` explicitly.';
  if (probe.platform === 'darwin') {
    return `the macOS sandbox needs ${SEATBELT_EXECUTABLE}, which is missing on this machine. ${noSandboxOption}`;
  }
  if (probe.platform !== 'linux') {
    return `no OS sandbox is available on ${probe.platform}; only danger-full-access can run commands here. ${noSandboxOption}`;
  }
  if (!probe.bwrap.path) {
    return (
      'the sandbox needs bubblewrap (`bwrap`), which is not installed. Install it with your package manager ' +
      `(Debian/Ubuntu: \`apt-get install bubblewrap\`; Fedora: \`dnf install bubblewrap\`; Arch: \`pacman -S bubblewrap\`). ${noSandboxOption}`
    );
  }
  const hints = [];
  if (
    /namespace|uid map|RTM_NEWADDR|Operation not permitted|Permission denied/i.test(probe.bwrap.error ?? '')
  ) {
    hints.push(
      'user namespaces look blocked: allow them (sysctl `kernel.apparmor_restrict_unprivileged_userns=0` or an ' +
        'AppArmor profile for bwrap on Ubuntu; `--security-opt seccomp=unconfined` for Docker)',
    );
  }
  return [
    `bubblewrap (${probe.bwrap.path}) is installed but cannot create a sandbox here: ${probe.bwrap.error}.`,
    ...hints.map((h) => `Fix: ${h}.`),
    noSandboxOption,
  ].join(' ');
}
